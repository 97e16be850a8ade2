/**
 * Static facts the synthetic region is drawn from: Jämtland Härjedalen's kommuner (codes, rough
 * population, distance from the kommun's centre to Östersunds sjukhus), place names, an SCB-shaped age
 * pyramid, visit mixes and ICD-10 codes. Approximate on purpose: the aim is data that looks like a real
 * region, not statistics about one.
 */

export interface Kommun {
  code: string;
  name: string;
  /** inhabitants, approximate (2023) */
  pop: number;
  /** share of DeSO areas that are central/urban (letter C) */
  urban: number;
  /** road km from the kommun's centre to the region hospital */
  hospitalKm: number;
  places: readonly string[];
}

export const KOMMUNER: readonly Kommun[] = [
  {
    code: '2303',
    name: 'Ragunda',
    pop: 5300,
    urban: 0.15,
    hospitalKm: 95,
    places: ['Hammarstrand', 'Bispgården', 'Stugun', 'Ragunda', 'Östra Ede'],
  },
  {
    code: '2305',
    name: 'Bräcke',
    pop: 6400,
    urban: 0.15,
    hospitalKm: 70,
    places: ['Bräcke', 'Kälarne', 'Gällö', 'Pilgrimstad', 'Sundsjö', 'Hunge'],
  },
  {
    code: '2309',
    name: 'Krokom',
    pop: 15600,
    urban: 0.35,
    hospitalKm: 20,
    places: ['Krokom', 'Föllinge', 'Ås', 'Nälden', 'Dvärsätt', 'Aspås', 'Trångsviken', 'Rödön', 'Offerdal'],
  },
  {
    code: '2313',
    name: 'Strömsund',
    pop: 11400,
    urban: 0.25,
    hospitalKm: 105,
    places: ['Strömsund', 'Hammerdal', 'Gäddede', 'Hoting', 'Backe', 'Rossön', 'Ulriksfors'],
  },
  {
    code: '2321',
    name: 'Åre',
    pop: 12400,
    urban: 0.35,
    hospitalKm: 65,
    places: ['Järpen', 'Åre', 'Duved', 'Undersåker', 'Mörsil', 'Hallen', 'Kall', 'Storlien'],
  },
  {
    code: '2326',
    name: 'Berg',
    pop: 6900,
    urban: 0.15,
    hospitalKm: 70,
    places: ['Svenstavik', 'Myrviken', 'Hackås', 'Rätan', 'Åsarna', 'Klövsjö', 'Oviken'],
  },
  {
    code: '2361',
    name: 'Härjedalen',
    pop: 9900,
    urban: 0.2,
    hospitalKm: 185,
    places: ['Sveg', 'Funäsdalen', 'Vemdalen', 'Hede', 'Lillhärdal', 'Ytterhogdal', 'Tännäs', 'Lofsdalen'],
  },
  {
    code: '2380',
    name: 'Östersund',
    pop: 65000,
    urban: 0.8,
    hospitalKm: 3,
    places: [
      'Östersund',
      'Frösön',
      'Brunflo',
      'Lit',
      'Torvalla',
      'Odensala',
      'Lugnvik',
      'Odenslund',
      'Karlslund',
      'Körfältet',
      'Matnäs',
      'Tandsbyn',
      'Fåker',
      'Orrviken',
      'Häggenås',
      'Marieby',
    ],
  },
];

/** The region's own organisationsnummer (Luhn-valid), provider of all units in egen regi. */
export const REGION_ORG_NR = '2321000016';
export const HSA_PREFIX = 'SE2321000016-';

/** Sweden's population by 5-year age group (0-4 … 95-99, 100), thousands, SCB-like shape (~21 % 65+). */
export const PYRAMID_5Y: readonly number[] = [
  560, 620, 640, 610, 600, 700, 740, 700, 660, 650, 680, 650, 590, 560, 540, 500, 330, 180, 80, 22, 2,
];

/** Age bands used for morbidity, visit rates and risk groups. */
export const BAND_FROM: readonly number[] = [0, 5, 18, 45, 65, 80];
export function bandOf(age: number): number {
  if (age < 5) return 0;
  if (age < 18) return 1;
  if (age < 45) return 2;
  if (age < 65) return 3;
  if (age < 80) return 4;
  return 5;
}

/** Primary-care visits (all professions) per person and year by band, before morbidity. */
export const VISIT_RATE: readonly number[] = [3.9, 2.0, 2.4, 3.05, 4.8, 7.2];
/** Yearly probability of leaving the region's population (moving out or dying) by band. */
export const LEAVE_RATE: readonly number[] = [0.012, 0.01, 0.028, 0.012, 0.025, 0.09];
/** Resource utilisation band (RUB0..RUB5) distribution by age band. */
export const RUB_DIST: readonly (readonly number[])[] = [
  [0.15, 0.35, 0.38, 0.1, 0.02, 0.0],
  [0.4, 0.33, 0.2, 0.06, 0.01, 0.0],
  [0.3, 0.3, 0.28, 0.09, 0.025, 0.005],
  [0.15, 0.22, 0.35, 0.2, 0.06, 0.02],
  [0.05, 0.1, 0.33, 0.32, 0.14, 0.06],
  [0.02, 0.05, 0.23, 0.35, 0.23, 0.12],
];
/** Relative care need by RUB (normalised per age band at start-up). */
export const RUB_NEED: readonly number[] = [0.25, 0.6, 1.0, 1.7, 2.6, 3.8];
/** Share of SIP-late events by age band (relative weight per person-year). */
export const SIP_WEIGHT: readonly number[] = [0.05, 0.05, 0.1, 0.4, 2.5, 8];
/** Probability that a visit of a person in the band is a home visit (hembesök), for the professions that make them. */
export const HOME_VISIT: readonly number[] = [0.002, 0.001, 0.003, 0.006, 0.03, 0.13];

// The data-exchange codes are the rulebook's; the synthetic weights below are indexed by them.
export { PROFESSIONS } from '../../core/rulebook/schema.js';
export const PROF_WEIGHT: readonly number[] = [45, 20, 15, 10, 2, 2.5, 2, 1, 1.5, 1];
/** Professions that make home visits. */
export const PROF_HOME: readonly boolean[] = [
  true,
  true,
  true,
  true,
  true,
  false,
  false,
  false,
  false,
  false,
];

export const CONTACTS = ['fysiskt', 'digitalt', 'telefon', 'hembesok'] as const;
/** fysiskt, digitalt, telefon (hembesok is drawn first, by age). */
export const CONTACT_WEIGHT: readonly number[] = [62, 15.5, 22.5];

/** Weighted ICD-10 code lists. */
export interface CodeList {
  codes: readonly string[];
  weights: readonly number[];
}
function list(pairs: readonly (readonly [string, number])[]): CodeList {
  return { codes: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]) };
}

export const ACUTE_CHILD = list([
  ['J06.9', 30],
  ['H66.9', 14],
  ['J02.9', 8],
  ['A09.9', 7],
  ['R50.9', 8],
  ['L20.9', 6],
  ['B34.9', 8],
  ['H10.9', 5],
  ['Z00.1', 10],
  ['J21.9', 3],
  ['J45.9', 3],
  ['R10.4', 3],
]);

export const ACUTE_ADULT = list([
  ['J06.9', 15],
  ['M54.5', 10],
  ['M54.2', 6],
  ['M25.5', 6],
  ['N39.0', 5],
  ['J01.9', 4],
  ['J02.9', 4],
  ['R51', 3],
  ['R10.4', 3],
  ['R42', 2],
  ['K21.9', 3],
  ['K59.0', 2],
  ['L30.9', 3],
  ['F43.2', 4],
  ['F51.0', 2],
  ['Z76.0', 5],
  ['Z00.0', 4],
  ['S93.4', 2],
  ['M79.6', 3],
  ['D50.9', 1],
  ['R05', 3],
  ['J20.9', 3],
  ['B02.9', 1],
  ['H61.2', 2],
  ['L03.1', 1],
]);

export const ACUTE_OLD = list([
  ['J06.9', 8],
  ['N39.0', 7],
  ['M54.5', 6],
  ['R42', 4],
  ['J18.9', 3],
  ['R26.8', 4],
  ['L89.9', 2],
  ['Z76.0', 8],
  ['K59.0', 3],
  ['M25.5', 4],
  ['R06.0', 3],
  ['H61.2', 3],
  ['L97', 2],
  ['T14.1', 2],
  ['R53', 3],
  ['D64.9', 2],
  ['Z25.1', 3],
]);

/** Chronic conditions: code, minimum age, weight (recur in a person's visits). */
export const CHRONIC: readonly (readonly [string, number, number])[] = [
  ['I10', 40, 30],
  ['E11.9', 40, 14],
  ['E78.0', 45, 8],
  ['J45.9', 5, 8],
  ['J44.9', 55, 6],
  ['I48.9', 60, 6],
  ['I50.9', 70, 4],
  ['F32.9', 15, 9],
  ['F41.1', 15, 7],
  ['M17.9', 50, 6],
  ['E03.9', 30, 6],
  ['M81.9', 60, 3],
  ['F03.9', 75, 3],
  ['N40', 55, 3],
  ['I25.9', 60, 4],
  ['G47.3', 40, 2],
];

const BY_PROFESSION: Record<string, CodeList> = {
  fysioterapeut: list([
    ['M54.5', 25],
    ['M54.2', 14],
    ['M25.5', 12],
    ['M79.6', 8],
    ['S93.4', 5],
    ['M17.9', 10],
    ['M75.1', 7],
    ['M19.9', 6],
    ['R26.8', 5],
  ]),
  psykolog: list([
    ['F32.9', 25],
    ['F41.1', 20],
    ['F43.2', 20],
    ['F41.9', 12],
    ['F43.1', 6],
    ['F90.0', 5],
  ]),
  kurator: list([
    ['F43.2', 30],
    ['F32.9', 20],
    ['F41.1', 15],
    ['Z63.0', 10],
    ['Z56.6', 8],
  ]),
  dietist: list([
    ['E66.9', 40],
    ['E11.9', 30],
    ['E78.0', 10],
    ['K58.9', 10],
  ]),
  barnmorska: list([
    ['Z30.0', 40],
    ['Z30.4', 20],
    ['Z01.4', 25],
    ['N95.1', 10],
  ]),
  arbetsterapeut: list([
    ['R26.8', 25],
    ['M17.9', 15],
    ['F03.9', 15],
    ['M19.9', 15],
    ['I69.4', 10],
  ]),
  sjukskoterska: list([
    ['Z76.0', 20],
    ['I10', 15],
    ['E11.9', 12],
    ['J06.9', 12],
    ['Z25.1', 10],
    ['T14.1', 6],
    ['L97', 4],
    ['N39.0', 6],
  ]),
};

/** Share of visits with at least one diagnosis, by profession (index as PROFESSIONS). */
export const CODED_SHARE: readonly number[] = [0.95, 0.6, 0.6, 0.85, 0.7, 0.7, 0.65, 0.9, 0.85, 0.3];

/** The diagnosis codes a profession's visits draw from (BY_PROFESSION). */
export function codesOf(profession: string): CodeList {
  const codes = BY_PROFESSION[profession];
  if (!codes) throw new Error(`synthesize: no diagnosis codes for the profession ${profession}`);
  return codes;
}
