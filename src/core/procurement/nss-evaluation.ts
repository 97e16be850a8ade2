import { assessmentStatus, type Assessment, type Requirement } from './requirements.js';

/**
 * Evaluation of NSS tenders: exclusion grounds and qualification requirements first, then the
 * qualified tenders are scored on weighted quality criteria. Price is never a criterion: the
 * national authority sets the compensation, so the one who best meets the quality criteria has
 * made the most economically advantageous tender (SKR/SLF/Fysioterapeuterna 2021, "Anslutning till
 * systemet"). Ties at the last place awarded are reported to the officer, never broken silently.
 */
export interface Criterion {
  id: string;
  name: string;
  /** Whole-number weight; the weights of an assignment sum to 100. */
  weight: number;
  /** Scores go from 0 to maxScore. */
  maxScore: number;
  /** What the criterion measures. Only quality is allowed; the field exists so price can be refused by name. */
  basis?: string;
}

export interface Tender {
  id: string;
  tendererName: string;
  assessments: readonly Assessment[];
  /** Score per criterion id. */
  scores: Readonly<Record<string, number>>;
}

const PRICE_WORDS = /(pris|price|kostnad|cost|avgift|rabatt|discount)/i;

/** Everything wrong with a set of criteria, as JSON pointers relative to the criteria array. */
export function validateCriteria(criteria: readonly Criterion[]): { pointer: string; message: string }[] {
  const errors: { pointer: string; message: string }[] = [];
  if (criteria.length === 0) errors.push({ pointer: '', message: 'Minst ett kvalitetskriterium behövs' });
  const ids = new Set<string>();
  criteria.forEach((c, i) => {
    if (
      (c.basis !== undefined && c.basis !== 'quality') ||
      PRICE_WORDS.test(c.name) ||
      PRICE_WORDS.test(c.id)
    )
      errors.push({
        pointer: `/${i}`,
        message: `Kriteriet "${c.name}" gäller pris eller kostnad; i NSS tilldelas kontrakt enbart på kvalitet, aldrig på pris`,
      });
    if (!Number.isInteger(c.weight) || c.weight <= 0)
      errors.push({ pointer: `/${i}/weight`, message: 'Vikten är ett positivt heltal' });
    if (!Number.isInteger(c.maxScore) || c.maxScore <= 0)
      errors.push({ pointer: `/${i}/max_score`, message: 'Högsta poäng är ett positivt heltal' });
    if (ids.has(c.id)) errors.push({ pointer: `/${i}/id`, message: `Kriteriet ${c.id} finns två gånger` });
    ids.add(c.id);
  });
  const total = criteria.reduce((s, c) => s + c.weight, 0);
  if (criteria.length > 0 && total !== 100)
    errors.push({ pointer: '', message: `Vikterna ska summera till 100, inte ${total}` });
  return errors;
}

interface RankedTender {
  tenderId: string;
  tendererName: string;
  qualified: boolean;
  /** Why a tender is not qualified: the requirements it failed. */
  failed: string[];
  /** Weighted score in points of 100, exact as a fraction of `scale`. */
  weighted: number;
  /** Weighted score × scale, an integer, so equal scores compare equal. */
  exact: number;
  rank: number | null;
}

export type EvaluationResult =
  | {
      ok: true;
      ranking: RankedTender[];
      /** Tender ids awarded; empty for the tied places when there is a tie. */
      winners: string[];
      /** Tenders tied for the last place(s) to award: the officer must decide, with a stated reason. */
      tie: { tenderIds: string[]; places: number } | null;
      scale: number;
    }
  | {
      ok: false;
      code: 'invalid_criteria' | 'not_assessed' | 'invalid_score';
      errors: { pointer: string; message: string }[];
    };

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function evaluateTenders(
  requirements: readonly Requirement[],
  criteria: readonly Criterion[],
  tenders: readonly Tender[],
  places = 1,
): EvaluationResult {
  const criteriaErrors = validateCriteria(criteria);
  if (criteriaErrors.length) return { ok: false, code: 'invalid_criteria', errors: criteriaErrors };
  const notAssessed: { pointer: string; message: string }[] = [];
  const badScores: { pointer: string; message: string }[] = [];
  // A common denominator, so weighted scores are exact integers and ties are real ties.
  const scale = criteria.reduce((l, c) => (l * c.maxScore) / gcd(l, c.maxScore), 1);
  const ranked: RankedTender[] = tenders.map((t, ti) => {
    const status = assessmentStatus(requirements, t.assessments);
    if (!status.complete)
      notAssessed.push({
        pointer: `/tenders/${ti}`,
        message: `Anbudet från ${t.tendererName} har obedömda krav: ${status.missing.map((r) => r.id).join(', ')}`,
      });
    const qualified = status.complete && status.failed.length === 0;
    let exact = 0;
    if (qualified)
      for (const c of criteria) {
        const s = t.scores[c.id];
        if (s === undefined || !Number.isInteger(s) || s < 0 || s > c.maxScore) {
          badScores.push({
            pointer: `/tenders/${ti}/scores/${c.id}`,
            message: `Poängen för ${c.name} ska vara ett heltal 0–${c.maxScore}`,
          });
          continue;
        }
        exact += c.weight * s * (scale / c.maxScore);
      }
    return {
      tenderId: t.id,
      tendererName: t.tendererName,
      qualified,
      failed: status.failed.map((f) => f.requirement.id),
      weighted: exact / scale,
      exact,
      rank: null,
    };
  });
  if (notAssessed.length) return { ok: false, code: 'not_assessed', errors: notAssessed };
  if (badScores.length) return { ok: false, code: 'invalid_score', errors: badScores };

  const qualified = ranked.filter((r) => r.qualified).sort((a, b) => b.exact - a.exact);
  // Competition ranking: equal scores share a rank (1, 1, 3).
  qualified.forEach((r, i) => {
    const before = qualified[i - 1];
    r.rank = before && before.exact === r.exact ? before.rank : i + 1;
  });
  let winners = qualified.slice(0, places).map((r) => r.tenderId);
  let tie: { tenderIds: string[]; places: number } | null = null;
  const [last, next] = [qualified[places - 1], qualified[places]];
  if (last && next) {
    const cut = last.exact;
    if (next.exact === cut) {
      const tied = qualified.filter((r) => r.exact === cut);
      const sure = qualified.filter((r) => r.exact > cut).map((r) => r.tenderId);
      winners = sure;
      tie = { tenderIds: tied.map((r) => r.tenderId), places: places - sure.length };
    }
  }
  const order = [...qualified, ...ranked.filter((r) => !r.qualified)];
  return { ok: true, ranking: order, winners, tie, scale };
}
