/**
 * Shares `n` items among groups by weight (largest remainder), each group getting at least `min` when
 * there are enough items; returns the group of each item, grouped in order.
 */
export function apportion(n: number, weights: readonly number[], min: number): number[] {
  const g = weights.length;
  const floor = n >= g * min ? min : 0;
  const total = weights.reduce((s, w) => s + w, 0);
  const rest = n - floor * g;
  const quota = weights.map((w) => (rest * w) / total);
  const count = quota.map((q) => floor + Math.floor(q));
  let left = n - count.reduce((s, c) => s + c, 0);
  const order = quota
    .map((q, i) => i)
    .sort((a, b) => quota[b]! - Math.floor(quota[b]!) - (quota[a]! - Math.floor(quota[a]!)) || a - b);
  for (let j = 0; left > 0; j = (j + 1) % g, left--) count[order[j]!]!++;
  const out: number[] = [];
  count.forEach((c, i) => {
    for (let k = 0; k < c; k++) out.push(i);
  });
  return out;
}
