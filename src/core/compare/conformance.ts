import type { Component, Rulebook } from '../rulebook/schema.js';

/** The criterion a component of one of these types shows by being there (capitation: by its weights). */
const FEATURE_OF: Partial<Record<Component['type'], string>> = {
  area_supplement: 'geography',
  visit_fee: 'visit_fees',
  goal: 'goal_pay',
  coverage: 'coverage',
  start_grant: 'start_grant',
  vat_compensation: 'vat_compensation',
  visits_elsewhere_charge: 'visits_elsewhere_charge',
};

/**
 * What a rulebook's compensation components show about its compensation model, named by the
 * comparison's criterion ids (capitation_age, visit_fees, …), so a rulebook can stand beside the regions
 * and a baseline can name a component feature as a criterion.
 */
export function compensationFeatures(rulebook: Rulebook): Map<string, string[]> {
  const features = new Map<string, string[]>();
  const add = (feature: string, component: Component) => {
    const list = features.get(feature) ?? [];
    if (!list.includes(component.id)) list.push(component.id);
    features.set(feature, list);
  };
  for (const c of rulebook.compensation.components) {
    if (c.type === 'capitation') {
      for (const part of c.parts) {
        const w = part.weight;
        if (w.kind === 'age_sex') {
          add('capitation_age', c);
          // A table with the same weight for women and men adjusts for age only.
          if (w.table.some((row) => row.F !== row.M)) add('capitation_sex', c);
        } else if (w.kind === 'risk_group') add('capitation_comorbidity', c);
        else if (w.kind === 'cni') add('capitation_socioeconomic', c);
        else if (w.kind === 'area_class') add('geography', c);
      }
    } else {
      const feature = FEATURE_OF[c.type];
      if (feature) add(feature, c);
    }
  }
  return features;
}

interface CoveredBy {
  kind: 'requirement' | 'component';
  id: string;
  /** ska = krav, bor = rekommendation; a component is binding like a requirement. */
  level: 'ska' | 'bor';
}

/** The criteria a rulebook covers, each with the requirements and components that cover it. */
function rulebookCriteria(rulebook: Rulebook): Map<string, CoveredBy[]> {
  const out = new Map<string, CoveredBy[]>();
  const add = (criterion: string, by: CoveredBy) => out.set(criterion, [...(out.get(criterion) ?? []), by]);
  for (const r of rulebook.requirements)
    for (const criterion of r.criteria) add(criterion, { kind: 'requirement', id: r.id, level: r.level });
  for (const [feature, components] of compensationFeatures(rulebook))
    for (const id of components) add(feature, { kind: 'component', id, level: 'ska' });
  return out;
}

interface ConformanceRow {
  criterion: string;
  hsl_points: number[];
  /** The baseline's strongest level for the criterion. */
  baseline_level: 'ska' | 'bor';
  baseline_by: CoveredBy[];
  covered: boolean;
  covered_by: CoveredBy[];
  /** Covered only by recommendations (bor) where the baseline requires (ska). */
  weaker: boolean;
}

export interface Conformance {
  baseline_id: string;
  rulebook_id: string;
  rows: ConformanceRow[];
  covered: string[];
  lacking: string[];
}

/** Which of the baseline's criteria a rulebook covers (by its requirements' criteria and its components). */
export function baselineConformance(baseline: Rulebook, rulebook: Rulebook): Conformance {
  const wanted = rulebookCriteria(baseline);
  const has = rulebookCriteria(rulebook);
  const points = new Map<string, Set<number>>();
  for (const r of baseline.requirements)
    for (const criterion of r.criteria) {
      const set = points.get(criterion) ?? new Set<number>();
      r.hsl_points.forEach((p) => set.add(p));
      points.set(criterion, set);
    }
  const rows: ConformanceRow[] = [...wanted].map(([criterion, baselineBy]) => {
    const coveredBy = has.get(criterion) ?? [];
    const baselineLevel = baselineBy.some((b) => b.level === 'ska') ? 'ska' : 'bor';
    return {
      criterion,
      hsl_points: [...(points.get(criterion) ?? [])].sort((a, b) => a - b),
      baseline_level: baselineLevel,
      baseline_by: baselineBy,
      covered: coveredBy.length > 0,
      covered_by: coveredBy,
      weaker: baselineLevel === 'ska' && coveredBy.length > 0 && coveredBy.every((c) => c.level === 'bor'),
    };
  });
  return {
    baseline_id: baseline.id,
    rulebook_id: rulebook.id,
    rows,
    covered: rows.filter((r) => r.covered).map((r) => r.criterion),
    lacking: rows.filter((r) => !r.covered).map((r) => r.criterion),
  };
}
