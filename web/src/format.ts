/**
 * Numbers, money and dates the Swedish way. Money arrives as integer öre and is shown in kronor
 * with two decimals (`1 234 567,89 kr`); dates as ISO dates (`2025-03-01`), which is Swedish usage.
 */
import { ROLE_SV } from '../../src/core/access';

const kronor = new Intl.NumberFormat('sv-SE', {
  style: 'currency',
  currency: 'SEK',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const kronorWhole = new Intl.NumberFormat('sv-SE', {
  style: 'currency',
  currency: 'SEK',
  maximumFractionDigits: 0,
});
const compact = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 6 });
const percent = new Intl.NumberFormat('sv-SE', { style: 'percent', maximumFractionDigits: 1 });
const signedPercent = new Intl.NumberFormat('sv-SE', {
  style: 'percent',
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});
const monthName = new Intl.DateTimeFormat('sv-SE', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthShort = new Intl.DateTimeFormat('sv-SE', { month: 'short', year: '2-digit', timeZone: 'UTC' });

/** 123456789 öre → "1 234 567,89 kr". */
export function kr(ore: number): string {
  return kronor.format(ore / 100);
}

/** With a sign for differences: "+1 234,00 kr", "−1 234,00 kr". */
export function krDiff(ore: number): string {
  return ore > 0 ? `+${kr(ore)}` : kr(ore);
}

/** Whole kronor: "1 234 568 kr". */
export function krWhole(ore: number): string {
  return kronorWhole.format(ore / 100);
}

/** For chart axes, as in Swedish accounts: "850 kr", "200 tkr", "1,2 mnkr", "3,4 mdkr". */
export function krCompact(ore: number): string {
  const sek = ore / 100;
  const abs = Math.abs(sek);
  if (abs >= 1e9) return `${compact.format(sek / 1e9)} mdkr`;
  if (abs >= 1e6) return `${compact.format(sek / 1e6)} mnkr`;
  if (abs >= 1e3) return `${compact.format(sek / 1e3)} tkr`;
  return `${compact.format(sek)} kr`;
}

export function num(value: number): string {
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

/**
 * A count, with its noun in the right number when one is given, the Swedish way:
 * `count(1, 'rad', 'rader')` → "1 rad", `count(1250, 'enhet', 'enheter')` → "1 250 enheter".
 * null is a count of 1–4 the server does not show an analyst ("<5"); undefined is no count ("–").
 */
export function count(value: number | null | undefined, one?: string, many?: string): string {
  if (value === undefined) return '–';
  const figure = value === null ? '<5' : num(value);
  if (one === undefined) return figure;
  return `${figure} ${value === 1 ? one : (many ?? one)}`;
}

export const SMALL_COUNT_NOTE =
  'Antal under 5 personer visas som <5, så att ingen enskild kan pekas ut (röjandekontroll).';

/** 0.0625 → "6,3 %". */
export function pct(share: number): string {
  return percent.format(share);
}

export function pctDiff(share: number): string {
  return signedPercent.format(share);
}

/** "2025-03" → "mars 2025". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return monthName.format(new Date(Date.UTC(y, m - 1, 1)));
}

/** "2025-03" → "mars 25" (chart axes). */
export function monthShortLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return monthShort.format(new Date(Date.UTC(y, m - 1, 1)));
}

/** A timestamp → "2025-03-01 14:05" in local time. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A calendar date is shown as it is stored: "2025-03-01". */
export function date(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '–';
}

export const OWNERSHIP: Record<string, string> = {
  public: 'Offentlig (egen regi)',
  private: 'Privat',
  nonprofit: 'Idéburen',
};

export function ownershipLabel(code: string): string {
  return OWNERSHIP[code] ?? code;
}

export const RUN_STATUS: Record<string, string> = {
  draft: 'Utkast',
  approved: 'Godkänd',
  superseded: 'Ersatt av korrigering',
  mixed: 'Delvis godkänd',
};

export const CONNECTION_FORM: Record<string, string> = {
  lov: 'LOV (vårdval)',
  nss: 'NSS (upphandling)',
  national_tariff: 'Nationella taxan',
};

/** The roles by name (src/core/access.ts, as the API's audit log writes them). */
export const ROLE: Readonly<Record<string, string>> = ROLE_SV;

export const RURAL_CLASS: Record<string, string> = {
  tatort: 'Tätort',
  landsbygd: 'Landsbygd',
  glesbygd: 'Glesbygd',
  okänd: 'Okänd',
  'inga listade': 'Inga listade',
};

export function ruralLabel(code: string): string {
  return RURAL_CLASS[code] ?? code;
}

/** Swedish collation for sorting names (the store sorts by code point). */
export const collator = new Intl.Collator('sv-SE', { numeric: true, sensitivity: 'base' });

/** An organisationsnummer in one format everywhere: "5560160680" → "556016-0680"; other ids as they are. */
export function orgNr(value: string | null | undefined): string {
  if (!value) return '–';
  const m = /^(\d{6})-?(\d{4})$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]}` : value;
}

/** The first and the last item of a list (the same one when it has one); undefined when it is empty. */
export function ends<T>(list: readonly T[]): { first: T; last: T } | undefined {
  return list.length > 0 ? { first: list[0]!, last: list[list.length - 1]! } : undefined;
}
