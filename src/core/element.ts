/**
 * The element at an index the caller has built or checked (a unit of the data set, a row of a
 * table): a missing one is a bug, and the error names what was looked up. For code outside the hot
 * loops; those index typed arrays with `!` where the index is in range by construction.
 */
export function elementAt<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`${what}: no element ${index} of ${items.length}`);
  return item;
}
