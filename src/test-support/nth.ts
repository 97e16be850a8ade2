/** `items[i]`, with a clear failure instead of `undefined` when the test's list is shorter. */
export function nth<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`Expected an item at index ${i}, the list has ${items.length}`);
  return item;
}

/** The first item, failing clearly when the list is empty. */
export function first<T>(items: readonly T[]): T {
  return nth(items, 0);
}
