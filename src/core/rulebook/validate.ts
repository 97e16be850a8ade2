import { z } from 'zod';
import { addMonths, firstDay, formatDate, lastDay, monthOf, parseDate } from '../calendar.js';
import { parseBand, sortBands, type ScoreBand } from '../risk/bands.js';
import { COMPONENT_TYPES, rulebookSchema, type Component, type Rulebook } from './schema.js';

z.config(z.locales.sv());

export type YamlPath = (string | number)[];

interface RulebookIssue {
  code: string;
  path: YamlPath;
  message: string;
}

export type RulebookResult =
  { ok: true; rulebook: Rulebook; order: Component[] } | { ok: false; issues: RulebookIssue[] };

const SHARE_TOLERANCE = 1e-9;

/** Validates a parsed rulebook document: shape first, then the rules that span fields. */
export function validateRulebook(input: unknown): RulebookResult {
  const typeIssues = unknownComponentTypes(input);
  const parsed = rulebookSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .filter((i) => !typeIssues.some((t) => samePrefix(t.path, i.path as YamlPath)))
      .map((i) => ({ code: `schema.${i.code}`, path: i.path as YamlPath, message: i.message }));
    return { ok: false, issues: [...typeIssues, ...issues] };
  }
  const rulebook = parsed.data;
  const issues = crossFieldIssues(rulebook);
  if (issues.length > 0) return { ok: false, issues };
  const ordered = evaluationOrder(rulebook.compensation.components);
  if ('cycle' in ordered) {
    return {
      ok: false,
      issues: [
        {
          code: 'rulebook.cycle',
          path: ['compensation', 'components'],
          message: `Komponenterna beror på varandra i en cirkel: ${ordered.cycle.join(' → ')}`,
        },
      ],
    };
  }
  return { ok: true, rulebook, order: ordered.order };
}

function samePrefix(prefix: YamlPath, path: YamlPath): boolean {
  return prefix.slice(0, -1).every((p, i) => path[i] === p);
}

function unknownComponentTypes(input: unknown): RulebookIssue[] {
  const components = (input as { compensation?: { components?: unknown } } | null)?.compensation?.components;
  if (!Array.isArray(components)) return [];
  const issues: RulebookIssue[] = [];
  components.forEach((c, index) => {
    const type = (c as { type?: unknown } | null)?.type;
    if (!COMPONENT_TYPES.includes(type as never)) {
      issues.push({
        code: 'rulebook.unknown_type',
        path: ['compensation', 'components', index, 'type'],
        message:
          type === undefined
            ? `Komponenten saknar type; giltiga typer: ${COMPONENT_TYPES.join(', ')}`
            : `Okänd komponenttyp "${String(type)}"; giltiga typer: ${COMPONENT_TYPES.join(', ')}`,
      });
    }
  });
  return issues;
}

function datedKeysIssues(value: unknown, path: YamlPath, out: RulebookIssue[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => datedKeysIssues(v, [...path, i], out));
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(key) && parseDate(key) === undefined) {
      out.push({ code: 'rulebook.bad_date', path: [...path, key], message: `${key} är inget giltigt datum` });
    }
    datedKeysIssues(v, [...path, key], out);
  }
}

const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Dates a payment cannot mean. A run pays whole months with the values in force on the month's
 * first day (the cut-off day), and a scenario (simulation) takes its values on its first valid day:
 * a dated value from the middle of a month only applies from the next month, and one dated after
 * the rulebook's last day never applies. The rulebook itself covers whole months.
 */
function monthIssues(rb: Rulebook, from: number | undefined, to: number | undefined, out: RulebookIssue[]) {
  if (from !== undefined && from % 100 !== 1)
    out.push({
      code: 'rulebook.whole_months',
      path: ['valid_from'],
      message: `Ersättningen räknas per hel månad: valid_from ska vara en månads första dag, t.ex. ${formatDate(firstDay(monthOf(from)))}`,
    });
  if (to !== undefined && to !== lastDay(monthOf(to)))
    out.push({
      code: 'rulebook.whole_months',
      path: ['valid_to'],
      message: `Ersättningen räknas per hel månad: valid_to ska vara en månads sista dag, t.ex. ${formatDate(lastDay(monthOf(to)))}`,
    });
  const visit = (value: unknown, path: YamlPath): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i]));
      return;
    }
    const entries = Object.entries(value);
    const dated = entries.length > 0 && entries.every(([k, v]) => DATE_KEY.test(k) && typeof v === 'number');
    if (!dated) {
      for (const [k, v] of entries) visit(v, [...path, k]);
      return;
    }
    for (const [key] of entries) {
      const day = parseDate(key);
      if (day === undefined) continue; // reported as no date at all
      const month = monthOf(day);
      if (to !== undefined && day > to)
        out.push({
          code: 'rulebook.date_outside',
          path: [...path, key],
          message: `Värdet från ${key} gäller aldrig: regelboken gäller bara till ${rb.valid_to}. Lägg det i nästa regelbok, eller ändra valid_to`,
        });
      else if (day !== firstDay(month))
        out.push({
          code: 'rulebook.date_mid_month',
          path: [...path, key],
          message: `En månad betalas med värdet som gäller den 1:a: ett värde från ${key} gäller först från ${formatDate(firstDay(addMonths(month, 1)))}. Skriv en månads första dag, t.ex. ${formatDate(firstDay(month))}`,
        });
    }
  };
  visit(rb.compensation, ['compensation']);
  rb.sanctions.forEach((s, i) => visit(s.amount, ['sanctions', i, 'amount']));
}

/** The national compensation belongs to NSS; its index steps fall in the period, in date order. */
function nationalIssues(rb: Rulebook, out: RulebookIssue[]): void {
  const n = rb.national_compensation;
  if (!n) return;
  const path: YamlPath = ['national_compensation'];
  if (rb.system !== 'nss')
    out.push({
      code: 'rulebook.national_not_nss',
      path,
      message: 'national_compensation gäller bara en regelbok med system: nss',
    });
  const from = parseDate(n.period.from);
  const to = parseDate(n.period.to);
  if (from === undefined || to === undefined || to < from) {
    out.push({
      code: 'rulebook.bad_period',
      path: [...path, 'period'],
      message: 'Perioden ska ha giltiga datum, from före to',
    });
    return;
  }
  let before = from;
  n.index.forEach((step, i) => {
    const day = parseDate(step.from);
    if (day === undefined || day <= before || day > to)
      out.push({
        code: 'rulebook.index_order',
        path: [...path, 'index', i, 'from'],
        message: `Uppräkningen ${step.from} ska ligga efter periodens början och föregående uppräkning och inom perioden ${n.period.from}–${n.period.to}`,
      });
    else before = day;
  });
}

function crossFieldIssues(rb: Rulebook): RulebookIssue[] {
  const out: RulebookIssue[] = [];
  const from = parseDate(rb.valid_from);
  const to = parseDate(rb.valid_to);
  if (from === undefined)
    out.push({
      code: 'rulebook.bad_date',
      path: ['valid_from'],
      message: `${rb.valid_from} är inget giltigt datum`,
    });
  if (to === undefined)
    out.push({
      code: 'rulebook.bad_date',
      path: ['valid_to'],
      message: `${rb.valid_to} är inget giltigt datum`,
    });
  if (from !== undefined && to !== undefined && to < from) {
    out.push({ code: 'rulebook.validity', path: ['valid_to'], message: 'valid_to ligger före valid_from' });
  }
  datedKeysIssues(rb.compensation, ['compensation'], out);
  monthIssues(rb, from, to, out);
  nationalIssues(rb, out);

  const components = rb.compensation.components;
  const byId = new Map<string, Component>();
  components.forEach((c, i) => {
    if (byId.has(c.id)) {
      out.push({
        code: 'rulebook.duplicate_id',
        path: ['compensation', 'components', i, 'id'],
        message: `Komponent-id "${c.id}" finns redan`,
      });
    }
    byId.set(c.id, c);
  });
  const at = (i: number, ...rest: YamlPath): YamlPath => ['compensation', 'components', i, ...rest];
  const mustReference = (i: number, field: YamlPath, ref: string, expectType?: Component['type']): void => {
    const target = byId.get(ref);
    if (!target) {
      out.push({
        code: 'rulebook.unknown_reference',
        path: at(i, ...field),
        message: `Komponenten "${ref}" finns inte i regelboken`,
      });
    } else if (expectType && target.type !== expectType) {
      out.push({
        code: 'rulebook.wrong_reference',
        path: at(i, ...field),
        message: `"${ref}" är av typen ${target.type}; här krävs en komponent av typen ${expectType}`,
      });
    }
  };
  /** Shares (or weights) that must sum to 1, within SHARE_TOLERANCE; `what` names them in the message. */
  const mustSumToOne = (shares: number[], path: YamlPath, what: string): void => {
    const sum = shares.reduce((s, x) => s + x, 0);
    if (Math.abs(sum - 1) > SHARE_TOLERANCE)
      out.push({
        code: 'rulebook.shares',
        path,
        message: `${what} ska summera till 1, men summerar till ${sum}`,
      });
  };

  components.forEach((c, i) => {
    switch (c.type) {
      case 'capitation': {
        mustSumToOne(
          c.parts.map((p) => p.share),
          at(i, 'parts'),
          'Andelarna (share)',
        );
        c.parts.forEach((p, k) => {
          if (
            p.weight.kind === 'cni' &&
            (p.weight.reference === undefined) === (p.weight.bands === undefined)
          ) {
            out.push({
              code: 'rulebook.cni_weight',
              path: at(i, 'parts', k, 'weight'),
              message: 'En CNI-vikt anger antingen reference eller bands (ett av dem)',
            });
          }
          if (p.weight.kind === 'comorbidity') {
            const keys = Object.keys(p.weight.table);
            const bands = keys.map((key) => parseBand(key));
            const key = keys.find((_, b) => bands[b] === undefined);
            const sorted = key === undefined ? sortBands(bands as ScoreBand[]) : undefined;
            if (key !== undefined) {
              out.push({
                code: 'rulebook.band',
                path: at(i, 'parts', k, 'weight', 'table', key),
                message: /^\s*\d+-\d+\s*$/.test(key)
                  ? 'Poängbandets sista poäng är lägre än det första'
                  : `Ett poängband skrivs 0, 3-4 eller 5+, inte "${key.slice(0, 20)}"`,
              });
            } else if (sorted?.overlap)
              out.push({
                code: 'rulebook.band',
                path: at(i, 'parts', k, 'weight', 'table', sorted.overlap[1].key),
                message: `Poängbanden ${sorted.overlap[0].key} och ${sorted.overlap[1].key} överlappar`,
              });
          }
          if (p.weight.kind === 'age_sex') {
            p.weight.table.forEach((band, b) => {
              if (band.to <= band.from) {
                out.push({
                  code: 'rulebook.band',
                  path: at(i, 'parts', k, 'weight', 'table', b),
                  message: 'Åldersbandets to måste vara större än from',
                });
              }
            });
          }
        });
        break;
      }
      case 'coverage':
        mustReference(i, ['base'], c.base, 'capitation');
        c.factor.forEach(([x], k) => {
          const before = c.factor[k - 1];
          if (before && x <= before[0]) {
            out.push({
              code: 'rulebook.factor_order',
              path: at(i, 'factor', k),
              message: 'Punkterna i factor ska ha stigande täckningsgrad',
            });
          }
        });
        break;
      case 'goal': {
        mustSumToOne(
          c.indicators.map((ind) => ind.weight),
          at(i, 'indicators'),
          'Indikatorernas vikter',
        );
        c.indicators.forEach((ind, k) => {
          const ok = ind.direction === 'higher' ? ind.target > ind.floor : ind.target < ind.floor;
          if (!ok) {
            out.push({
              code: 'rulebook.goal_levels',
              path: at(i, 'indicators', k),
              message:
                ind.direction === 'higher'
                  ? 'target ska vara större än floor'
                  : 'Med direction: lower ska target vara mindre än floor',
            });
          }
        });
        break;
      }
      case 'start_grant':
        c.replaces.forEach((ref, k) => mustReference(i, ['replaces', k], ref));
        if (c.mode !== 'add' && c.replaces.length === 0) {
          out.push({
            code: 'rulebook.missing_parameter',
            path: at(i, 'replaces'),
            message: `Läget ${c.mode} kräver replaces: vilka komponenter startbidraget ersätter`,
          });
        }
        break;
      case 'vat_compensation':
        (c.base ?? []).forEach((ref, k) => mustReference(i, ['base', k], ref));
        break;
      default:
        break;
    }
  });

  rb.sanctions.forEach((s, i) => {
    if (s.component !== undefined && byId.get(s.component)?.type !== 'penalty') {
      out.push({
        code: 'rulebook.unknown_reference',
        path: ['sanctions', i, 'component'],
        message: `"${s.component}" är ingen komponent av typen penalty`,
      });
    }
  });
  const requirementIds = new Set(rb.requirements.map((r) => r.id));
  rb.sanctions.forEach((s, i) => {
    (s.requirements ?? []).forEach((ref, k) => {
      if (!requirementIds.has(ref))
        out.push({
          code: 'rulebook.unknown_reference',
          path: ['sanctions', i, 'requirements', k],
          message: `Kravet "${ref}" finns inte under requirements`,
        });
    });
    if (s.event_type !== undefined && s.component !== undefined)
      out.push({
        code: 'rulebook.conflicting_parameters',
        path: ['sanctions', i, 'event_type'],
        message:
          'En sanktion verkställs antingen direkt av en penalty-komponent (component) eller genom beslut per händelse (event_type), inte båda',
      });
    if ((s.requirements || s.event_type !== undefined) && s.amount === undefined)
      out.push({
        code: 'rulebook.missing_parameter',
        path: ['sanctions', i, 'amount'],
        message: 'En sanktion för ej uppfyllda krav eller händelser behöver amount (kronor per fall)',
      });
  });
  rb.follow_up.indicators.forEach((d, i) => {
    if (d.compute && d.origin !== 'computed')
      out.push({
        code: 'rulebook.compute_not_computed',
        path: ['follow_up', 'indicators', i, 'compute'],
        message:
          'compute gäller bara indikatorer med origin: computed; en importerad indikator läses ur indicators.csv',
      });
  });
  if (rb.scope) {
    const { kommuner, areas, area_classes, other_kommuner, services } = rb.scope;
    const where = kommuner !== undefined || areas !== undefined || area_classes !== undefined;
    if (other_kommuner && where)
      out.push({
        code: 'rulebook.scope',
        path: ['scope', 'other_kommuner'],
        message:
          'other_kommuner: true gäller enheter som de andra systemen inte räknar upp; skriv det inte tillsammans med kommuner, areas eller area_classes',
      });
    if (!other_kommuner && !where && services === undefined)
      out.push({
        code: 'rulebook.scope',
        path: ['scope'],
        message:
          'scope anger var systemet gäller (kommuner, areas eller area_classes, eller other_kommuner: true) eller vilka tjänster det ersätter (services)',
      });
  }
  const seen = new Set<string>();
  rb.requirements.forEach((r, i) => {
    if (seen.has(r.id))
      out.push({
        code: 'rulebook.duplicate_id',
        path: ['requirements', i, 'id'],
        message: `Krav-id "${r.id}" finns redan`,
      });
    seen.add(r.id);
  });
  return out;
}

/** The components a component reads the lines of (its dependencies). */
function dependenciesOf(c: Component, all: readonly Component[]): string[] {
  switch (c.type) {
    case 'coverage':
      return [c.base];
    case 'start_grant':
      return c.replaces;
    case 'vat_compensation':
      return (
        c.base ?? all.filter((o) => o.type !== 'penalty' && o.type !== 'vat_compensation').map((o) => o.id)
      );
    default:
      return [];
  }
}

/** Dependencies first; start grants and VAT compensation last, as the spec orders them. */
function evaluationOrder(components: readonly Component[]): { order: Component[] } | { cycle: string[] } {
  const byId = new Map(components.map((c) => [c.id, c]));
  const rank = (c: Component): number =>
    c.type === 'vat_compensation' ? 2 : c.type === 'start_grant' ? 1 : 0;
  const sorted = [...components].sort((a, b) => rank(a) - rank(b));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: Component[] = [];
  const stack: string[] = [];
  let cycle: string[] | undefined;
  const visit = (c: Component): void => {
    if (cycle || state.get(c.id) === 'done') return;
    if (state.get(c.id) === 'visiting') {
      cycle = [...stack.slice(stack.indexOf(c.id)), c.id];
      return;
    }
    state.set(c.id, 'visiting');
    stack.push(c.id);
    for (const dep of dependenciesOf(c, components)) {
      const d = byId.get(dep);
      if (d) visit(d);
    }
    stack.pop();
    state.set(c.id, 'done');
    order.push(c);
  };
  sorted.forEach(visit);
  return cycle ? { cycle } : { order };
}
