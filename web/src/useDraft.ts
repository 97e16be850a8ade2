import { useCallback, useEffect, useMemo, useState } from 'react';

const sameRow = <T extends object>(a: T, b: T | undefined) =>
  b !== undefined && (Object.keys(a) as (keyof T)[]).every((k) => Object.is(a[k], b[k]));

/**
 * A form's rows, keyed by id, that follow what the server holds without wiping what the user has
 * typed: a reload that arrives while the user is filling in (after another save on the page, say)
 * updates only the rows the user has not touched. An edited row is kept until the server holds the
 * same values (the save was read back), so nothing typed is lost to a late answer.
 */
export function useDraft<T extends object>(
  server: Record<string, T>,
  empty: T,
): { rows: Record<string, T>; edit: (id: string, patch: Partial<T>) => void } {
  const [edits, setEdits] = useState<Record<string, T>>({});
  // Drop the edits the server now holds; the rest stay on screen.
  useEffect(() => {
    setEdits((current) => {
      const kept = Object.entries(current).filter(([id, row]) => !sameRow(row, server[id]));
      return kept.length === Object.keys(current).length ? current : Object.fromEntries(kept);
    });
  }, [server]);
  const rows = useMemo(() => ({ ...server, ...edits }), [server, edits]);
  const edit = useCallback(
    (id: string, patch: Partial<T>) =>
      setEdits((current) => ({ ...current, [id]: { ...empty, ...server[id], ...current[id], ...patch } })),
    [server, empty],
  );
  return { rows, edit };
}
