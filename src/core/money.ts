/**
 * Money is integer öre (1 SEK = 100 öre). Rounding happens once per payment line, half away from
 * zero, as spec/payment-model.md says. JavaScript's Math.round rounds -2.5 to -2, which is not that.
 */
export type Ore = number;

export function roundHalfAwayFromZero(value: number): number {
  const magnitude = Math.floor(Math.abs(value) + 0.5);
  return value < 0 ? -magnitude : magnitude;
}

/** SEK (possibly fractional) to whole öre, rounded half away from zero. */
export function sekToOre(sek: number): Ore {
  // Multiplying by 100 can land a hair below .5 (2.675 * 100 = 267.49999…); a tolerance far
  // below one öre keeps exact halves halves.
  const ore = sek * 100;
  const nudged = ore + Math.sign(ore) * 1e-7;
  return roundHalfAwayFromZero(nudged);
}

const kronorFormatter = new Intl.NumberFormat('sv-SE', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** `123456789` öre → `1 234 567,89 kr` (Swedish grouping with a normal space, so logs stay ASCII-friendly). */
export function formatKronor(ore: Ore): string {
  return `${kronorFormatter
    .format(ore / 100)
    .replace(/\u00a0/g, ' ')
    .replace('\u2212', '-')} kr`;
}

const numberFormatter = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 6 });

/** A parameter or quantity in Swedish notation: `2460`, `0,85`, `1 250`. */
export function formatNumber(value: number): string {
  return numberFormatter
    .format(value)
    .replace(/\u00a0/g, ' ')
    .replace('\u2212', '-');
}
