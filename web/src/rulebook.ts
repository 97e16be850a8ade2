/**
 * The rulebook in Swedish words: names of component types, parameters, professions and contact
 * forms, dated values as text, and a flattening of the whole document for comparing two versions.
 */
import { CONTACT_SV, PROFESSION_SV } from '../../src/core/labels';
import type { Schemas } from './api/types';
import { kr, num, pct } from './format';

export type Dated = number | Record<string, number>;

export interface RulebookDoc {
  id: string;
  region: { code: string; name: string };
  system: string;
  title: string;
  valid_from: string;
  valid_to: string;
  source?: string;
  /** How long after approval a provider may question a statement line. */
  questions?: { deadline_days_after_approval: number; source?: string };
  listing: { branches_may_list: boolean; fixed_doctor_contact: boolean; max_changes_per_12_months?: number };
  assignment: {
    id: string;
    title: string;
    text?: string;
    hsl_points: number[];
    optional: boolean;
    source: string;
  }[];
  requirements: {
    id: string;
    text: string;
    level: 'ska' | 'bor';
    hsl_points: number[];
    criteria: string[];
    measure?: {
      fact: string;
      unit?: string;
      required?: boolean;
      thresholds?: { min?: number; max?: number; listed_at_least?: number; listed_below?: number }[];
    };
    source: string;
  }[];
  compensation: { components: Component[] };
  follow_up: {
    indicators: {
      id: string;
      label: string;
      direction: 'higher' | 'lower';
      numerator?: string;
      denominator?: string;
      origin: 'computed' | 'imported';
      source: string;
    }[];
  };
  sanctions: {
    id: string;
    text: string;
    amount?: Dated;
    component?: string;
    follow_up?: string;
    source: string;
  }[];
}

export interface Component {
  id: string;
  type: string;
  label: string;
  source: string;
  [key: string]: unknown;
}

/**
 * GET /api/ui/rulebooks/{id}/document (an overlay names its base and what it changed); the API
 * leaves the rulebook itself open, its shape here is RulebookDoc.
 */
export type DocumentResponse = Omit<Schemas['UiRulebookDocument'], 'rulebook'> & { rulebook: RulebookDoc };

export const HSL_POINTS: Record<number, string> = {
  1: 'Vanligt förekommande vårdbehov',
  2: 'Lätt tillgänglig vård',
  3: 'Förebyggande arbete',
  4: 'Samordning av insatser',
  5: 'Forskning',
};

export const COMPONENT_TYPE: Record<string, string> = {
  capitation: 'Kapitering (per listad)',
  area_supplement: 'Tillägg efter område',
  visit_fee: 'Besöksersättning',
  coverage: 'Täckningsgradsjustering',
  visits_elsewhere_charge: 'Kostnadsansvar för besök på annan enhet',
  goal: 'Målrelaterad ersättning',
  unit_supplement: 'Tillägg per enhet',
  start_grant: 'Startbidrag',
  penalty: 'Vite',
  vat_compensation: 'Momskompensation',
};

/** Professions and contact kinds, as the server writes them (src/core/labels.ts), by any code. */
export const PROFESSION: Readonly<Record<string, string>> = PROFESSION_SV;
export const CONTACT: Readonly<Record<string, string>> = CONTACT_SV;

export const OWNERSHIP_PLURAL: Record<string, string> = {
  public: 'offentliga',
  private: 'privata',
  nonprofit: 'idéburna',
};

export const APPLIES_TO: Record<string, string> = {
  all: 'alla besök vid enheten',
  listed_here: 'besök av enhetens listade',
  not_listed_here: 'besök av personer som inte är listade vid enheten',
};

export const START_MODE: Record<string, string> = {
  add: 'läggs till övrig ersättning',
  replace: 'ersätter de angivna komponenterna',
  guarantee: 'garanterar lägst beloppet (fylls upp till beloppet)',
};

/** Swedish names of the rulebook's keys, for parameters and the comparison. */
export const FIELD: Record<string, string> = {
  id: 'Id',
  region: 'Region',
  code: 'Kod',
  name: 'Namn',
  system: 'Vårdvalssystem',
  title: 'Titel',
  valid_from: 'Giltig från',
  valid_to: 'Giltig till',
  source: 'Källa',
  listing: 'Listning',
  branches_may_list: 'Listning på filial tillåten',
  fixed_doctor_contact: 'Fast läkarkontakt',
  max_changes_per_12_months: 'Högsta antal byten per 12 månader',
  assignment: 'Uppdrag',
  text: 'Text',
  hsl_points: 'Punkter i HSL 13 a kap. 1 §',
  optional: 'Tilläggsuppdrag',
  requirements: 'Krav',
  level: 'Nivå',
  criteria: 'Kriterier',
  measure: 'Mätning',
  fact: 'Uppgift',
  unit: 'Enhet',
  thresholds: 'Gränser',
  min: 'Lägst',
  max: 'Högst',
  listed_at_least: 'Vid minst antal listade',
  listed_below: 'Vid färre listade än',
  required: 'Krävs',
  compensation: 'Ersättning',
  components: 'Komponenter',
  type: 'Typ',
  label: 'Benämning',
  annual_amount: 'Belopp per listad och år (kr)',
  parts: 'Delar',
  share: 'Andel',
  weight: 'Viktning',
  kind: 'Slag',
  table: 'Tabell',
  from: 'Från',
  to: 'Till',
  F: 'Kvinnor',
  M: 'Män',
  default: 'Standardvärde',
  missing: 'Värde när uppgift saknas',
  reference: 'Referensvärde',
  bands: 'Intervall',
  annual_per_listed: 'Belopp per listad och år (kr)',
  applies_to: 'Gäller',
  fees: 'Avgifter',
  profession: 'Yrkesgrupp',
  contact: 'Kontaktsätt',
  amount: 'Belopp (kr)',
  window_months: 'Mätperiod (månader)',
  counted: 'Räknas',
  professions: 'Yrkesgrupper',
  contacts: 'Kontaktsätt',
  base: 'Bas',
  factor: 'Faktor',
  charge: 'Debitering per besök (kr)',
  at_units: 'Vid enheter',
  period_months: 'Period (månader)',
  lag_months: 'Eftersläpning (månader)',
  indicators: 'Indikatorer',
  target: 'Målnivå',
  floor: 'Golv',
  direction: 'Riktning',
  monthly_per_item: 'Belopp per styck och månad (kr)',
  count: 'Antal ur kolumn',
  only_ownership: 'Bara ägarform',
  monthly_amount: 'Belopp per månad (kr)',
  months: 'Antal månader',
  mode: 'Verkan',
  replaces: 'Ersätter',
  event_type: 'Händelse',
  rate: 'Andel',
  ownership: 'Ägarformer',
  follow_up: 'Uppföljning',
  numerator: 'Täljare',
  denominator: 'Nämnare',
  origin: 'Ursprung',
  sanctions: 'Sanktioner',
  component: 'Komponent',
};

const sortDates = (d: Record<string, number>) => Object.entries(d).sort(([a], [b]) => (a < b ? -1 : 1));

/** A dated parameter in words: "2 400 kr" or "2 400 kr från 2025-01-01, 2 460 kr från 2025-07-01". */
export function dated(value: Dated | undefined, show: (n: number) => string = krOf): string {
  if (value === undefined) return '–';
  if (typeof value === 'number') return show(value);
  return sortDates(value)
    .map(([d, v]) => `${show(v)} från ${d}`)
    .join(', ');
}

/** Kronor (as in the rulebook, not öre): "2 460 kr", "42 500 kr". */
export function krOf(sek: number): string {
  return Number.isInteger(sek) ? `${num(sek)} kr` : kr(Math.round(sek * 100));
}

export function pctOf(share: number): string {
  return pct(share);
}

export function list(values: string[] | undefined, names: Record<string, string> = {}): string {
  if (!values || values.length === 0) return 'alla';
  return values.map((v) => names[v] ?? v).join(', ');
}

// ---- Comparison ----

export interface FlatEntry {
  /** Stable key: arrays of objects with an id are keyed by the id, others by position. */
  key: string;
  /** Readable place in the document, in Swedish. */
  place: string;
  section: string;
  value: string;
}

const SECTION: Record<string, string> = {
  id: 'Allmänt',
  region: 'Allmänt',
  system: 'Allmänt',
  title: 'Allmänt',
  valid_from: 'Allmänt',
  valid_to: 'Allmänt',
  source: 'Allmänt',
  listing: 'Listning',
  assignment: 'Uppdrag',
  requirements: 'Krav',
  compensation: 'Ersättning',
  follow_up: 'Uppföljning',
  sanctions: 'Sanktioner',
};

const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;

function leaf(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'ja' : 'nej';
  if (typeof value === 'number') return num(value);
  return String(value);
}

/** A row of a table without ids, named by what it is about: "läkare, hembesök", "ålder 0–7". */
function rowLabel(item: unknown): string | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.from === 'number' && typeof o.to === 'number') return `${num(o.from)}–${num(o.to)}`;
  const words = Object.entries(o)
    .filter(([k, v]) => typeof v === 'string' && k !== 'text' && k !== 'source' && (v as string).length < 40)
    .map(([, v]) => PROFESSION[v as string] ?? CONTACT[v as string] ?? (v as string));
  if (words.length) return words.join(', ');
  if ('weight' in o && typeof o.share === 'number') return `del med andel ${num(o.share)}`;
  return undefined;
}

/** Flattens a rulebook into leaves; a list of plain values becomes one leaf. */
export function flatten(doc: RulebookDoc): FlatEntry[] {
  const out: FlatEntry[] = [];
  const walk = (value: unknown, key: string, place: string[], section: string) => {
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) {
        out.push({ key, place: place.join(' › '), section, value: value.map(leaf).join(', ') || '(tom)' });
        return;
      }
      const labels = value.map((item, i) => rowLabel(item) ?? `rad ${i + 1}`);
      const unique = new Set(labels).size === labels.length;
      value.forEach((item, i) => {
        const id =
          item && typeof item === 'object' && 'id' in item && typeof (item as { id: unknown }).id === 'string'
            ? (item as { id: string }).id
            : undefined;
        const name =
          item && typeof item === 'object'
            ? ((item as { label?: string; title?: string }).label ?? (item as { title?: string }).title)
            : undefined;
        const label = (unique ? labels[i] : undefined) ?? `rad ${i + 1}`;
        walk(
          item,
          `${key}[${id ?? label}]`,
          [...place, id ? (name ? `${name} (${id})` : id) : label],
          section,
        );
      });
      return;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      // A dated parameter is one value: its dates and amounts compare as a whole.
      if (entries.length > 0 && entries.every(([k, v]) => DATE_KEY.test(k) && typeof v === 'number')) {
        out.push({
          key,
          place: place.join(' › '),
          section,
          value: dated(value as Record<string, number>, num),
        });
        return;
      }
      for (const [k, v] of entries) {
        if (k === 'id' && place.length > 1) continue; // already in the place
        const name = DATE_KEY.test(k) ? `från ${k}` : (FIELD[k] ?? k);
        walk(v, key ? `${key}.${k}` : k, [...place, name], section);
      }
      return;
    }
    out.push({ key, place: place.join(' › '), section, value: leaf(value) });
  };
  for (const [k, v] of Object.entries(doc)) {
    const section = SECTION[k] ?? 'Övrigt';
    // The section is the table's heading: the place starts below it.
    walk(v, k, section === 'Allmänt' || section === 'Listning' ? [FIELD[k] ?? k] : [], section);
  }
  for (const e of out)
    if (e.place.startsWith('Komponenter › ')) e.place = e.place.slice('Komponenter › '.length);
  return out;
}

export interface DiffRow {
  key: string;
  place: string;
  section: string;
  a?: string;
  b?: string;
  kind: 'same' | 'changed' | 'added' | 'removed';
}

export function diff(a: RulebookDoc, b: RulebookDoc): DiffRow[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const mb = new Map(fb.map((e) => [e.key, e]));
  const ma = new Map(fa.map((e) => [e.key, e]));
  const rows: DiffRow[] = [];
  for (const e of fa) {
    const o = mb.get(e.key);
    rows.push({
      key: e.key,
      place: e.place,
      section: e.section,
      a: e.value,
      b: o?.value,
      kind: !o ? 'removed' : o.value === e.value ? 'same' : 'changed',
    });
  }
  // Entries only in B, placed after the last entry of A that precedes them in B.
  let insertAt = 0;
  for (const e of fb) {
    const idx = rows.findIndex((r) => r.key === e.key);
    if (idx >= 0) {
      insertAt = idx + 1;
      continue;
    }
    if (ma.has(e.key)) continue;
    rows.splice(insertAt, 0, { key: e.key, place: e.place, section: e.section, b: e.value, kind: 'added' });
    insertAt++;
  }
  return rows;
}

export interface Segment {
  text: string;
  changed: boolean;
}

/** Changed words separated only by spaces read as one change. */
function joinChanges(list: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k < list.length; k++) {
    const seg = list[k]!; // k < list.length
    const prev = out[out.length - 1];
    const next = list[k + 1];
    if (!seg.changed && /^\s+$/.test(seg.text) && prev?.changed && next?.changed) {
      prev.text += seg.text + next.text;
      k++;
    } else if (prev && prev.changed === seg.changed) prev.text += seg.text;
    else out.push({ ...seg });
  }
  return out;
}

/** Word-level difference of two texts (longest common subsequence of words), for long values. */
export function wordDiff(a: string, b: string): { a: Segment[]; b: Segment[] } {
  const ta = a.split(/(\s+)/);
  const tb = b.split(/(\s+)/);
  if (ta.length * tb.length > 250_000)
    return { a: [{ text: a, changed: true }], b: [{ text: b, changed: true }] };
  const n = ta.length;
  const m = tb.length;
  // lcs(i, j): the longest common run of ta[i..] and tb[j..], one flat table row by row.
  const w = m + 1;
  const lcs = new Uint16Array((n + 1) * w);
  const at = (i: number, j: number) => lcs[i * w + j]!;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * w + j] = ta[i] === tb[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  const sa: Segment[] = [];
  const sb: Segment[] = [];
  const push = (list: Segment[], text: string, changed: boolean) => {
    const last = list[list.length - 1];
    if (last && last.changed === changed) last.text += text;
    else list.push({ text, changed });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const x = ta[i]!; // i < n
    const y = tb[j]!; // j < m
    if (x === y) {
      push(sa, x, false);
      push(sb, y, false);
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      push(sa, x, !/^\s+$/.test(x));
      i++;
    } else {
      push(sb, y, !/^\s+$/.test(y));
      j++;
    }
  }
  for (const x of ta.slice(i)) push(sa, x, true);
  for (const y of tb.slice(j)) push(sb, y, true);
  return { a: joinChanges(sa), b: joinChanges(sb) };
}
