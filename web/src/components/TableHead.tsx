/**
 * The header row of a hand-written table (a statement's lines, a derivation, a contract's split):
 * one column header a label; the columns named in `numeric` hold numbers and are right-aligned.
 */
export function TableHead({ columns, numeric = [] }: { columns: string[]; numeric?: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" className={numeric.includes(c) ? 'num' : undefined}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
