/**
 * Exclusion grounds (uteslutningsgrunder) and qualification requirements (kvalificeringskrav) that
 * an officer assesses one by one, for a LOV application and for an NSS tender alike.
 */
type RequirementKind = 'exclusion' | 'qualification';

export interface Requirement {
  id: string;
  kind: RequirementKind;
  text: string;
  /** Where the requirement comes from: a section of the rulebook or a paragraph of law. */
  source: string;
}

/**
 * The exclusion ground every procurement asks about (LOU 13 kap. 1 §, convictions for certain
 * crimes): the first requirement of a new NSS procurement.
 */
export const CONVICTION_EXCLUSION: Requirement = {
  id: 'U1',
  kind: 'exclusion',
  text: 'Ingen dom för brott som avses i LOU 13 kap. 1 §',
  source: 'LOU 13 kap. 1 §',
};

/**
 * For a qualification requirement the outcome is met / not_met; for an exclusion ground it is
 * clear (the ground does not apply) / excluded. Both with the evidence looked at and a reason.
 */
type Outcome = 'met' | 'not_met' | 'clear' | 'excluded';

export interface Assessment {
  requirementId: string;
  outcome: Outcome;
  evidence: string;
  reason: string;
}

const OUTCOMES_BY_KIND: Record<RequirementKind, readonly Outcome[]> = {
  qualification: ['met', 'not_met'],
  exclusion: ['clear', 'excluded'],
};

function passes(outcome: Outcome): boolean {
  return outcome === 'met' || outcome === 'clear';
}

export interface AssessmentStatus {
  /** Every requirement has an assessment. */
  complete: boolean;
  missing: Requirement[];
  failed: { requirement: Requirement; assessment: Assessment }[];
}

/** The latest assessment per requirement counts (an officer may correct an earlier one). */
export function assessmentStatus(
  requirements: readonly Requirement[],
  assessments: readonly Assessment[],
): AssessmentStatus {
  const latest = new Map<string, Assessment>();
  for (const a of assessments) latest.set(a.requirementId, a);
  const missing: Requirement[] = [];
  const failed: AssessmentStatus['failed'] = [];
  for (const r of requirements) {
    const a = latest.get(r.id);
    if (!a) missing.push(r);
    else if (!passes(a.outcome)) failed.push({ requirement: r, assessment: a });
  }
  return { complete: missing.length === 0, missing, failed };
}

/** Checks an assessment against its requirement; a Swedish message when it does not fit. */
export function checkAssessment(requirements: readonly Requirement[], a: Assessment): string | undefined {
  const r = requirements.find((x) => x.id === a.requirementId);
  if (!r) return `Kravet ${a.requirementId} finns inte i underlaget`;
  if (!OUTCOMES_BY_KIND[r.kind].includes(a.outcome))
    return r.kind === 'exclusion'
      ? `En uteslutningsgrund bedöms som clear (gäller inte) eller excluded, inte ${a.outcome}`
      : `Ett kvalificeringskrav bedöms som met eller not_met, inte ${a.outcome}`;
  if (!a.reason.trim()) return 'Bedömningen saknar motivering';
  return undefined;
}
