import type { Procedure as NssProcedure } from '../../api/types';

/** A procedure's requirements and quality criteria, as its notice states them. */
export function ProcedureTerms({
  procedure: p,
}: {
  procedure: Pick<NssProcedure, 'requirements' | 'criteria'>;
}) {
  return (
    <>
      <h3>Krav</h3>
      <ul>
        {p.requirements.map((r) => (
          <li key={r.id}>
            <strong>{r.id}</strong> ({r.kind === 'exclusion' ? 'uteslutningsgrund' : 'kvalificeringskrav'}):{' '}
            {r.text} <small>({r.source})</small>
          </li>
        ))}
      </ul>
      {p.criteria.length > 0 && (
        <>
          <h3>Kvalitetskriterier (pris är aldrig ett kriterium)</h3>
          <ul>
            {p.criteria.map((c) => (
              <li key={c.id}>
                {c.name}: vikt {c.weight} %, 0–{c.max_score} poäng
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
