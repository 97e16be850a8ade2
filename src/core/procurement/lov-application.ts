import { checkOrganisationNumber } from '../identity.js';
import { assessmentStatus, type Assessment, type Requirement } from './requirements.js';

/**
 * A LOV application (ansökan i ett valfrihetssystem) moves draft → submitted → assessed →
 * approved | rejected, or is withdrawn before a decision. "assessed" means every exclusion ground and
 * qualification requirement has an assessment; only then may the region approve.
 */
export type ApplicationState = 'draft' | 'submitted' | 'assessed' | 'approved' | 'rejected' | 'withdrawn';

export type ApplicationEvent =
  | { type: 'submit' }
  | { type: 'assess'; assessments: readonly Assessment[] }
  | { type: 'approve' }
  | { type: 'reject'; reason: string }
  | { type: 'withdraw' };

export type Transition =
  | { ok: true; state: ApplicationState }
  | {
      ok: false;
      code: 'illegal_transition' | 'not_assessed' | 'requirement_failed' | 'reason_missing';
      message: string;
    };

const STATE_SV: Record<ApplicationState, string> = {
  draft: 'utkast',
  submitted: 'inskickad',
  assessed: 'bedömd',
  approved: 'godkänd',
  rejected: 'avslagen',
  withdrawn: 'återkallad',
};

const illegal = (from: ApplicationState, what: string): Transition => ({
  ok: false,
  code: 'illegal_transition',
  message: `En ansökan som är ${STATE_SV[from]} kan inte ${what}`,
});

/**
 * The next state after an event, given the requirements of the choice system and every assessment
 * made so far (including those the event adds).
 */
export function applicationTransition(
  from: ApplicationState,
  event: ApplicationEvent,
  requirements: readonly Requirement[],
  assessments: readonly Assessment[],
): Transition {
  switch (event.type) {
    case 'submit':
      return from === 'draft' ? { ok: true, state: 'submitted' } : illegal(from, 'skickas in');
    case 'assess': {
      if (from !== 'submitted' && from !== 'assessed') return illegal(from, 'bedömas');
      const status = assessmentStatus(requirements, [...assessments, ...event.assessments]);
      return { ok: true, state: status.complete ? 'assessed' : 'submitted' };
    }
    case 'approve': {
      if (from !== 'submitted' && from !== 'assessed') return illegal(from, 'godkännas');
      const status = assessmentStatus(requirements, assessments);
      if (!status.complete)
        return {
          ok: false,
          code: 'not_assessed',
          message: `Ansökan kan inte godkännas förrän alla krav är bedömda; obedömda: ${status.missing.map((r) => r.id).join(', ')}`,
        };
      if (status.failed.length > 0)
        return {
          ok: false,
          code: 'requirement_failed',
          message: `Ansökan uppfyller inte ${status.failed.map((f) => f.requirement.id).join(', ')} och kan inte godkännas`,
        };
      return { ok: true, state: 'approved' };
    }
    case 'reject':
      if (from !== 'submitted' && from !== 'assessed') return illegal(from, 'avslås');
      if (!event.reason.trim())
        return { ok: false, code: 'reason_missing', message: 'Ett avslag ska motiveras' };
      return { ok: true, state: 'rejected' };
    case 'withdraw':
      return from === 'draft' || from === 'submitted' || from === 'assessed'
        ? { ok: true, state: 'withdrawn' }
        : illegal(from, 'återkallas');
  }
}

/** How to seek review of a LOV decision; every decision carries it (överklagandehänvisning). */
export const LOV_REVIEW_INSTRUCTIONS = {
  text:
    'Den som anser att regionen har brutit mot lagen om valfrihetssystem och att det har medfört skada ' +
    'eller kan medföra skada kan ansöka om rättelse hos förvaltningsrätten. Ansökan ska ha kommit in ' +
    'till förvaltningsrätten inom tre veckor från den dag då regionen lämnade underrättelse om beslutet.',
  court: 'förvaltningsrätten',
  deadline: '3 veckor från underrättelsen om beslutet',
  source: 'lagen (2008:962) om valfrihetssystem 10 kap. 1–2 §§',
} as const;

/** A member of a joint application (LOV 5 kap. 1 §): its share of the commitment in whole percent. */
interface GroupMember {
  orgNr: string;
  name: string;
  sharePercent: number;
}

/** What the contract says happens when a member leaves: the others take over its share, or the contract ends. */
type LeavingConsequence = 'reallocate' | 'terminate';

export interface Group {
  /** The lead (huvudman i gruppen) is the region's single counterparty and is one of the members. */
  leadOrgNr: string;
  members: GroupMember[];
  onMemberLeaving: LeavingConsequence;
}

const digits = (orgNr: string) => orgNr.replace('-', '');

/** Everything wrong with a group, each with a JSON pointer relative to the group object. */
export function validateGroup(g: Group): { pointer: string; message: string }[] {
  const errors: { pointer: string; message: string }[] = [];
  if (g.members.length < 2)
    errors.push({ pointer: '/members', message: 'En gemensam ansökan har minst två medlemmar' });
  const seen = new Set<string>();
  g.members.forEach((m, i) => {
    if (!/^\d{6}-?\d{4}$/.test(m.orgNr) || !checkOrganisationNumber(m.orgNr))
      errors.push({
        pointer: `/members/${i}/org_nr`,
        message: 'Organisationsnumret är ogiltigt (tio siffror med rätt kontrollsiffra)',
      });
    if (seen.has(digits(m.orgNr)))
      errors.push({ pointer: `/members/${i}/org_nr`, message: 'Samma organisation står två gånger' });
    seen.add(digits(m.orgNr));
    if (!Number.isInteger(m.sharePercent) || m.sharePercent < 1 || m.sharePercent > 100)
      errors.push({ pointer: `/members/${i}/share_percent`, message: 'Andelen är ett heltal 1–100 procent' });
  });
  const total = g.members.reduce((s, m) => s + m.sharePercent, 0);
  if (total !== 100)
    errors.push({
      pointer: '/members',
      message: `Medlemmarnas andelar ska summera till 100 procent, inte ${total}`,
    });
  if (!g.members.some((m) => digits(m.orgNr) === digits(g.leadOrgNr)))
    errors.push({ pointer: '/lead_org_nr', message: 'Huvudmannen ska vara en av medlemmarna' });
  return errors;
}

export type LeavingResult =
  | { outcome: 'reallocated'; members: GroupMember[]; explanation: string }
  | { outcome: 'contract_ends'; explanation: string };

/**
 * A member leaves during the contract. With reallocation the leaver's share is spread over the others
 * in proportion to their shares (whole percent; what rounding leaves goes to the lead). The contract
 * always ends if the lead leaves, since the region then has no counterparty, or if nobody else is left.
 */
export function memberLeaves(g: Group, orgNr: string): LeavingResult {
  const leaver = g.members.find((m) => digits(m.orgNr) === digits(orgNr));
  if (!leaver) throw new Error(`${orgNr} är inte medlem i gruppen`);
  const rest = g.members.filter((m) => m !== leaver);
  if (digits(orgNr) === digits(g.leadOrgNr))
    return {
      outcome: 'contract_ends',
      explanation: 'Huvudmannen lämnar gruppen; regionen saknar då motpart och avtalet upphör',
    };
  if (g.onMemberLeaving === 'terminate')
    return {
      outcome: 'contract_ends',
      explanation: `${leaver.name} lämnar gruppen; enligt avtalet upphör avtalet då`,
    };
  if (rest.length === 0) return { outcome: 'contract_ends', explanation: 'Ingen medlem finns kvar' };
  const restTotal = rest.reduce((s, m) => s + m.sharePercent, 0);
  const members = rest.map((m) => ({
    ...m,
    sharePercent: m.sharePercent + Math.floor((leaver.sharePercent * m.sharePercent) / restTotal),
  }));
  const remainder = 100 - members.reduce((s, m) => s + m.sharePercent, 0);
  const lead = members.find((m) => digits(m.orgNr) === digits(g.leadOrgNr))!;
  lead.sharePercent += remainder;
  return {
    outcome: 'reallocated',
    members,
    explanation: `${leaver.name} lämnar gruppen; dess andel ${leaver.sharePercent} % fördelas på övriga i proportion till deras andelar`,
  };
}
