/**
 * The audit log in Swedish: what each recorded action and target kind is called on the page, and
 * what a search for a Swedish word finds. Actions not listed are shown as recorded.
 */
import { ROLE_SV } from '../../core/access.js';
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  login: 'Inloggning',
  login_failed: 'Misslyckad inloggning',
  logout: 'Utloggning',
  create_run: 'Beräknade körning',
  approve_run: 'Godkände körning',
  'run.create': 'Beräknade körning',
  'run.approve': 'Godkände körning',
  import: 'Import',
  'import.create': 'Import',
  import_rejected: 'Avvisad import',
  save_rulebook: 'Sparade regelbok',
  update_rulebook: 'Ändrade regelbok',
  publish_rulebook: 'Publicerade regelbok',
  'rulebook.save': 'Sparade regelbok',
  'rulebook.publish': 'Publicerade regelbok',
  read_person_listings: 'Läste persons listning',
  change_listing: 'Ändrade listning',
  'demo.seed': 'Skapade demoregionen',
  'user.create': 'Skapade användare',
  'user.change_role': 'Ändrade användares roll',
  'user.disable': 'Stängde av användare',
  'user.enable': 'Aktiverade användare',
  'user.reset_password': 'Satte nytt lösenord',
  'user.grant_approver': 'Gav attesträtt',
  'user.revoke_approver': 'Tog bort attesträtt',
  create_contract: 'Skapade avtal',
  'contract.create': 'Skapade avtal',
  'contract.sign': 'Tecknade avtal',
  'contract.end': 'Avslutade avtal',
  'contract.member_left': 'Medlem lämnade gruppen',
  report_subcontractor: 'Anmälde underleverantör',
  subcontractor_approved: 'Godkände underleverantör',
  subcontractor_refused: 'Avslog underleverantör',
  'unit_fact.record': 'Registrerade uppgift om enhet',
  'activity.record': 'Registrerade verksamhetsuppgift',
  'application.create': 'Påbörjade ansökan',
  'application.submit': 'Skickade in ansökan',
  'application.submitted': 'Skickade in ansökan',
  'application.assess': 'Bedömde ansökan',
  'application.assessed': 'Bedömde ansökan',
  'application.approved': 'Godkände ansökan',
  'application.rejected': 'Avslog ansökan',
  'application.withdraw': 'Återkallade ansökan',
  'application.withdrawn': 'Återkallade ansökan',
  'branch.report': 'Anmälde filial',
  'branch.approved': 'Godkände filial',
  'branch.refused': 'Avslog filial',
  'procedure.create': 'Skapade förfarande',
  'procedure.publish': 'Publicerade förfarande',
  'procedure.award': 'Tilldelade uppdrag',
  'tender.create': 'Lämnade anbud',
  'tender.score': 'Poängsatte anbud',
  'tender.motivate': 'Motiverade anbudsbedömning',
  'transitional.request': 'Begärde övergångsrätt',
  'transitional.granted': 'Beviljade övergångsrätt',
  'transitional.refused': 'Avslog övergångsrätt',
  'sanction.propose': 'Föreslog vite',
  'sanction.answer': 'Vårdgivaren yttrade sig om vite',
  'sanction.confirmed': 'Fastställde vite',
  'sanction.reduced': 'Satte ned vite',
  'sanction.cancelled': 'Avskrev vite',
  'sanction.carried_over': 'Flyttade vite till nästa månad',
};

/** What a target `kind:id` is about, e.g. `run:12` is Körning 12. */
export const AUDIT_TARGET_LABEL: Record<string, string> = {
  application: 'Ansökan',
  batch: 'Import',
  branch: 'Filial',
  contract: 'Avtal',
  contracts: 'Avtal',
  person: 'Person',
  procedure: 'Förfarande',
  provider: 'Vårdgivare',
  rulebook: 'Regelbok',
  run: 'Körning',
  sanction: 'Vite',
  subcontractor: 'Underleverantör',
  transitional: 'Övergångsrätt',
  unit: 'Enhet',
  user: 'Användare',
};

export const AUDIT_ROLE_LABEL: Readonly<Record<string, string>> = ROLE_SV;

export function actionLabel(action: string): string {
  return AUDIT_ACTION_LABEL[action] ?? action;
}

export function targetLabel(target: string | null): string | null {
  if (!target) return null;
  const at = target.indexOf(':');
  const kind = at < 0 ? undefined : AUDIT_TARGET_LABEL[target.slice(0, at)];
  return kind ? `${kind} ${target.slice(at + 1)}` : target;
}

/** The keys of a label table whose Swedish label contains the words searched for. */
export function keysLabelled(table: Record<string, string>, words: string): string[] {
  const q = words.toLocaleLowerCase('sv');
  return Object.entries(table)
    .filter(([, label]) => label.toLocaleLowerCase('sv').includes(q))
    .map(([key]) => key);
}
