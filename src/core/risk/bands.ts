/**
 * Score bands (poängband): a rulebook's comorbidity weight and the reports count persons per band.
 * A band is written `0`, `3-4` or `5+` and covers the scores from its first number up to and including
 * the last (`5+`: from 5 up).
 */

export interface ScoreBand {
  key: string;
  label: string;
  from: number;
  /** Exclusive; Infinity for an open band. */
  to: number;
}

const BAND = /^(\d+)(?:-(\d+)|(\+))?$/;

export function parseBand(key: string): ScoreBand | undefined {
  const m = BAND.exec(key.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  if (m[3]) return { key, label: `${from}+`, from, to: Infinity };
  const last = m[2] === undefined ? from : Number(m[2]);
  if (last < from) return undefined;
  return { key, label: last === from ? `${from}` : `${from}–${last}`, from, to: last + 1 };
}

/** The bands reports use: 0, 1, 2, 3–4 and 5 or more (the usual grouping of Charlson scores). */
export const STANDARD_BANDS: readonly ScoreBand[] = ['0', '1', '2', '3-4', '5+'].map((k) => parseBand(k)!);

/** Bands in order of their first score; the first pair that overlaps, if any. */
export function sortBands(bands: ScoreBand[]): { bands: ScoreBand[]; overlap?: [ScoreBand, ScoreBand] } {
  const sorted = [...bands].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const [before, band] = [sorted[i - 1]!, sorted[i]!];
    if (band.from < before.to) return { bands: sorted, overlap: [before, band] };
  }
  return { bands: sorted };
}

/** Index of the band that covers the score, or -1. */
export function bandOf(bands: readonly ScoreBand[], score: number): number {
  return bands.findIndex((band) => score >= band.from && score < band.to);
}
