/** How the region's staff and providers read the codes of the data files and the rulebook, in Swedish. */
import type { Contact, Ownership, Profession } from './rulebook/schema.js';

/** Professions and contact kinds as a provider reads them. */
export const PROFESSION_SV: Record<Profession, string> = {
  lakare: 'läkare',
  sjukskoterska: 'sjuksköterska',
  distriktsskoterska: 'distriktssköterska',
  fysioterapeut: 'fysioterapeut',
  arbetsterapeut: 'arbetsterapeut',
  psykolog: 'psykolog',
  kurator: 'kurator',
  dietist: 'dietist',
  barnmorska: 'barnmorska',
  annan: 'annan yrkesgrupp',
};
export const CONTACT_SV: Record<Contact, string> = {
  fysiskt: 'fysiskt besök',
  digitalt: 'digital kontakt',
  telefon: 'telefonkontakt',
  hembesok: 'hembesök',
};

/** Area classes (rural_class in areas.csv) as written in Swedish. */
export const RURAL_SV: Record<string, string> = {
  tatort: 'tätort',
  landsbygd: 'landsbygd',
  glesbygd: 'glesbygd',
};

/** Ownership (units.csv) as written in Swedish. */
export const OWNERSHIP_SV: Record<Ownership, string> = {
  public: 'offentlig',
  private: 'privat',
  nonprofit: 'idéburen',
};

/** An ownership code as a Swedish reader says it; an unknown code unchanged. */
export function ownershipSv(code: string): string {
  return Object.hasOwn(OWNERSHIP_SV, code) ? OWNERSHIP_SV[code as Ownership] : code;
}
