import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { formatDate, formatMonth, parseDate, type MonthInt } from '../calendar.js';
import { nssContractTerm, reprocurementWarnings } from './contract-term.js';
import {
  applicationTransition,
  LOV_REVIEW_INSTRUCTIONS,
  memberLeaves,
  validateGroup,
  type Group,
} from './lov-application.js';
import { evaluateTenders, validateCriteria, type Criterion, type Tender } from './nss-evaluation.js';
import type { Assessment, Requirement } from './requirements.js';
import { transitionalEligibility, type ActivityMonth } from './transitional.js';

const d = (s: string) => parseDate(s)!;
const requirements: Requirement[] = [
  { id: 'U1', kind: 'exclusion', text: 'Inte i konkurs eller likvidation', source: 'LOV 7 kap. 1 § 1' },
  { id: 'K1', kind: 'qualification', text: 'Legitimerad specialist i allmänmedicin', source: 'FFU 4.2' },
];
const ok = (requirementId: string, outcome: Assessment['outcome']): Assessment => ({
  requirementId,
  outcome,
  evidence: 'Utdrag',
  reason: 'Kontrollerat',
});

describe('LOV application (ansökan)', () => {
  it('goes draft → submitted → assessed → approved when every requirement is met', () => {
    let state = applicationTransition('draft', { type: 'submit' }, requirements, []);
    expect(state).toEqual({ ok: true, state: 'submitted' });
    state = applicationTransition(
      'submitted',
      { type: 'assess', assessments: [ok('U1', 'clear')] },
      requirements,
      [],
    );
    expect(state).toEqual({ ok: true, state: 'submitted' });
    const all = [ok('U1', 'clear'), ok('K1', 'met')];
    state = applicationTransition(
      'submitted',
      { type: 'assess', assessments: [defined(all[1])] },
      requirements,
      [defined(all[0])],
    );
    expect(state).toEqual({ ok: true, state: 'assessed' });
    expect(applicationTransition('assessed', { type: 'approve' }, requirements, all)).toEqual({
      ok: true,
      state: 'approved',
    });
  });

  it('refuses approval until every exclusion ground and qualification requirement is assessed', () => {
    const r = applicationTransition('submitted', { type: 'approve' }, requirements, [ok('U1', 'clear')]);
    expect(r).toMatchObject({ ok: false, code: 'not_assessed' });
    expect(!r.ok && r.message).toContain('K1');
  });

  it('refuses approval when a requirement is not met, and allows a reasoned rejection', () => {
    const as = [ok('U1', 'excluded'), ok('K1', 'met')];
    expect(applicationTransition('assessed', { type: 'approve' }, requirements, as)).toMatchObject({
      ok: false,
      code: 'requirement_failed',
    });
    expect(
      applicationTransition('assessed', { type: 'reject', reason: ' ' }, requirements, as),
    ).toMatchObject({
      ok: false,
      code: 'reason_missing',
    });
    expect(
      applicationTransition('assessed', { type: 'reject', reason: 'U1 gäller' }, requirements, as),
    ).toEqual({
      ok: true,
      state: 'rejected',
    });
  });

  it('refuses illegal transitions: deciding a draft, approving twice, withdrawing a decided application', () => {
    const all = [ok('U1', 'clear'), ok('K1', 'met')];
    expect(applicationTransition('draft', { type: 'approve' }, requirements, all)).toMatchObject({
      code: 'illegal_transition',
    });
    expect(applicationTransition('approved', { type: 'approve' }, requirements, all)).toMatchObject({
      code: 'illegal_transition',
    });
    expect(applicationTransition('rejected', { type: 'withdraw' }, requirements, all)).toMatchObject({
      code: 'illegal_transition',
    });
    expect(applicationTransition('submitted', { type: 'submit' }, requirements, all)).toMatchObject({
      code: 'illegal_transition',
    });
  });

  it('names the court, the deadline and the law in the review instructions', () => {
    expect(LOV_REVIEW_INSTRUCTIONS.text).toContain('förvaltningsrätten');
    expect(LOV_REVIEW_INSTRUCTIONS.text).toContain('tre veckor');
    expect(LOV_REVIEW_INSTRUCTIONS.source).toContain('2008:962');
  });
});

// Test organisation numbers with a valid check digit.
const A = '5560160680';
const B = '5565475489';
const C = '2021005489';

describe('group application (gemensam ansökan, LOV 5 kap. 1 §)', () => {
  const group: Group = {
    leadOrgNr: A,
    members: [
      { orgNr: A, name: 'Ledande AB', sharePercent: 50 },
      { orgNr: B, name: 'Fysio B AB', sharePercent: 30 },
      { orgNr: C, name: 'Psykolog C', sharePercent: 20 },
    ],
    onMemberLeaving: 'reallocate',
  };

  it('accepts a group whose shares sum to 100 and whose lead is a member', () => {
    expect(validateGroup(group)).toEqual([]);
  });

  it('locates every fault: bad check digit, duplicate, shares, a lead outside the group', () => {
    const errors = validateGroup({
      leadOrgNr: '5560160698',
      members: [
        { orgNr: A, name: 'A', sharePercent: 60 },
        { orgNr: '5560160681', name: 'Fel', sharePercent: 30 },
        { orgNr: A, name: 'A igen', sharePercent: 30 },
      ],
      onMemberLeaving: 'terminate',
    });
    expect(errors.map((e) => e.pointer)).toEqual([
      '/members/1/org_nr',
      '/members/2/org_nr',
      '/members',
      '/lead_org_nr',
    ]);
    expect(errors[2]?.message).toContain('120');
  });

  it('reallocates a leaving member’s share in proportion, the remainder to the lead', () => {
    const r = memberLeaves(group, C);
    expect(r.outcome).toBe('reallocated');
    // 20 % over 50:30 → 12 and 7 (floors), the remaining 1 to the lead.
    expect(r.outcome === 'reallocated' && r.members.map((m) => [m.orgNr, m.sharePercent])).toEqual([
      [A, 63],
      [B, 37],
    ]);
  });

  it('ends the contract when the contract says so, or when the lead leaves', () => {
    expect(memberLeaves({ ...group, onMemberLeaving: 'terminate' }, B).outcome).toBe('contract_ends');
    expect(memberLeaves(group, A)).toMatchObject({ outcome: 'contract_ends' });
  });
});

describe('NSS tender evaluation', () => {
  const criteria: Criterion[] = [
    { id: 'access', name: 'Tillgänglighet', weight: 60, maxScore: 5 },
    { id: 'continuity', name: 'Kontinuitet', weight: 40, maxScore: 4 },
  ];
  const tender = (
    id: string,
    scores: Record<string, number>,
    as = [ok('U1', 'clear'), ok('K1', 'met')],
  ): Tender => ({
    id,
    tendererName: `Anbudsgivare ${id}`,
    assessments: as,
    scores,
  });

  it('refuses price as a criterion, by basis or by name, and weights that do not sum to 100', () => {
    expect(
      validateCriteria([{ id: 'p', name: 'Pris per besök', weight: 100, maxScore: 5 }])[0]?.message,
    ).toContain('aldrig på pris');
    expect(
      validateCriteria([{ id: 'x', name: 'Erbjudande', weight: 100, maxScore: 5, basis: 'price' }]),
    ).toHaveLength(1);
    expect(validateCriteria([{ id: 'q', name: 'Kvalitet', weight: 90, maxScore: 5 }])[0]?.message).toContain(
      '90',
    );
    expect(
      evaluateTenders(requirements, [{ id: 'cost', name: 'Kostnad', weight: 100, maxScore: 5 }], []),
    ).toMatchObject({
      ok: false,
      code: 'invalid_criteria',
    });
  });

  it('ranks qualified tenders by weighted quality and leaves the excluded out', () => {
    const r = evaluateTenders(
      requirements,
      criteria,
      [
        tender('T1', { access: 4, continuity: 2 }), // 48 + 20 = 68
        tender('T2', { access: 5, continuity: 4 }), // 100, but excluded
        tender('T3', { access: 3, continuity: 4 }, [ok('U1', 'clear'), ok('K1', 'met')]), // 36 + 40 = 76
      ].map((t, i) => (i === 1 ? { ...t, assessments: [ok('U1', 'excluded'), ok('K1', 'met')] } : t)),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.winners).toEqual(['T3']);
    expect(r.tie).toBeNull();
    expect(r.ranking.map((x) => [x.tenderId, x.weighted, x.rank])).toEqual([
      ['T3', 76, 1],
      ['T1', 68, 2],
      ['T2', 0, null],
    ]);
    expect(r.ranking[2]?.failed).toEqual(['U1']);
  });

  it('reports a tie at the last place instead of choosing', () => {
    const r = evaluateTenders(requirements, criteria, [
      tender('T1', { access: 5, continuity: 0 }), // 60
      tender('T2', { access: 0, continuity: 4 }), // 40
      tender('T3', { access: 5, continuity: 0 }), // 60
    ]);
    expect(r).toMatchObject({ ok: true, winners: [], tie: { tenderIds: ['T1', 'T3'], places: 1 } });
    const two = evaluateTenders(
      requirements,
      criteria,
      [
        tender('T1', { access: 5, continuity: 4 }),
        tender('T2', { access: 5, continuity: 0 }),
        tender('T3', { access: 5, continuity: 0 }),
      ],
      2,
    );
    expect(two).toMatchObject({ ok: true, winners: ['T1'], tie: { tenderIds: ['T2', 'T3'], places: 1 } });
  });

  it('refuses to evaluate before every tender is assessed, and scores out of range', () => {
    expect(
      evaluateTenders(requirements, criteria, [
        tender('T1', { access: 1, continuity: 1 }, [ok('U1', 'clear')]),
      ]),
    ).toMatchObject({ ok: false, code: 'not_assessed' });
    expect(
      evaluateTenders(requirements, criteria, [tender('T1', { access: 6, continuity: 1 })]),
    ).toMatchObject({
      ok: false,
      code: 'invalid_score',
      errors: [{ pointer: '/tenders/0/scores/access' }],
    });
  });
});

describe('NSS contract term', () => {
  it('runs 7 years and warns a year before the end', () => {
    const t = nssContractTerm(d('2026-02-01'));
    expect(formatDate(t.end)).toBe('2033-01-31');
    expect(formatDate(t.reprocurementWarning)).toBe('2032-01-31');
    expect(formatDate(nssContractTerm(d('2028-02-29')).end)).toBe('2035-02-27');
  });

  it('warns only inside the warning window', () => {
    const c = [{ id: 1, start: d('2026-02-01'), end: d('2033-01-31') }];
    expect(reprocurementWarnings(c, d('2032-01-30'))).toEqual([]);
    expect(reprocurementWarnings(c, d('2032-01-31'))).toHaveLength(1);
    expect(reprocurementWarnings(c, d('2033-02-01'))).toEqual([]);
  });
});

describe('NSS transitional right (övergångsrätt)', () => {
  const months = (from: MonthInt, n: number, fullTime: (i: number) => boolean): ActivityMonth[] =>
    Array.from({ length: n }, (_, i) => {
      const y = Math.floor(from / 100) + Math.floor(((from % 100) - 1 + i) / 12);
      const m = (((from % 100) - 1 + i) % 12) + 1;
      return { month: y * 100 + m, fullTime: fullTime(i), onNationalTariff: true };
    });

  it('is eligible at exactly 12 full-time months of the last 24, and lists the months', () => {
    // The tariff ends 2026-12-31: the window is 2025-01 … 2026-12; every other month full time.
    const r = transitionalEligibility({
      profession: 'physiotherapist',
      tariffEnds: d('2026-12-31'),
      activity: months(202501, 24, (i) => i % 2 === 1),
    });
    expect(r.eligible).toBe(true);
    expect(r.countedMonths).toHaveLength(12);
    expect(formatMonth(defined(r.countedMonths[0]))).toBe('2025-02');
    expect(r.explanation[1]).toContain('2026-12');
    expect(r.explanation[2]).toContain('regionen kan inte neka');
  });

  it('is not eligible at 11, and months before the window do not count', () => {
    const r = transitionalEligibility({
      profession: 'doctor',
      tariffEnds: d('2026-12-31'),
      // 2024-12 is full time but outside; inside the window only 11 are.
      activity: [...months(202412, 1, () => true), ...months(202501, 24, (i) => i % 2 === 1 && i !== 23)],
    });
    expect(r.eligible).toBe(false);
    expect(r.countedMonths).toHaveLength(11);
    expect(r.reasons[0]).toContain('11 av de senaste 24');
  });

  it('ends the window with the month before when the tariff ends mid-month, and needs a doctor or physiotherapist', () => {
    const r = transitionalEligibility({
      profession: 'doctor',
      tariffEnds: d('2027-01-15'),
      activity: months(202501, 24, () => true),
    });
    expect(formatMonth(r.window.from)).toBe('2025-01');
    expect(formatMonth(r.window.to)).toBe('2026-12');
    expect(r.eligible).toBe(true);
    const nurse = transitionalEligibility({
      profession: 'nurse',
      tariffEnds: d('2026-12-31'),
      activity: months(202501, 24, () => true),
    });
    expect(nurse.eligible).toBe(false);
    expect(nurse.reasons[0]).toContain('läkare och fysioterapeuter');
  });
});
