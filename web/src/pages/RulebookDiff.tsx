import { Fragment, useId, useMemo, useState } from 'react';
import { api, type RulebookVersion } from '../api';
import { ErrorMessage, Loading, PageHeader } from '../components/ui';
import { num } from '../format';
import { useApi, useLoad, useTitle } from '../hooks';
import { useLocation } from '../router';
import { diff, wordDiff, type DiffRow, type DocumentResponse, type Segment } from '../rulebook';
import { CompareForm } from './Rulebooks';

const KIND: Record<DiffRow['kind'], string> = {
  same: 'oförändrad',
  changed: 'ändrad',
  added: 'tillagd i B',
  removed: 'borttagen i B',
};

function Marked({ segments, tag }: { segments: Segment[]; tag: 'del' | 'ins' }) {
  const Tag = tag;
  return (
    <>{segments.map((s, i) => (s.changed ? <Tag key={i}>{s.text}</Tag> : <span key={i}>{s.text}</span>))}</>
  );
}

/** Both sides of a row; a changed long text marks the words that differ. */
function Cells({ row }: { row: DiffRow }) {
  if (row.kind === 'changed' && row.a && row.b && (row.a.length > 30 || row.b.length > 30)) {
    const d = wordDiff(row.a, row.b);
    return (
      <>
        <td className="changed-cell">
          <Marked segments={d.a} tag="del" />
        </td>
        <td className="changed-cell">
          <Marked segments={d.b} tag="ins" />
        </td>
      </>
    );
  }
  return (
    <>
      <td
        className={row.kind === 'removed' ? 'removed' : row.kind === 'changed' ? 'changed-cell' : undefined}
      >
        {row.a ?? <em>saknas</em>}
      </td>
      <td className={row.kind === 'added' ? 'added' : row.kind === 'changed' ? 'changed-cell' : undefined}>
        {row.b ?? <em>saknas</em>}
      </td>
    </>
  );
}

/** Newest first: the latest version, a published one before a draft. */
const laterFirst = (x: RulebookVersion, y: RulebookVersion) =>
  y.valid_from.localeCompare(x.valid_from) ||
  Number(y.status === 'published') - Number(x.status === 'published') ||
  y.version - x.version;

/**
 * The version a version was made from: the one before it of the same rulebook (a new draft's
 * published version), or, for the first version of a new rulebook id (e.g. next year's), the latest
 * version of the same region and system that starts before it.
 */
export function predecessorOf(id: string, items: readonly RulebookVersion[]): RulebookVersion | undefined {
  const v = items.find((x) => String(x.id) === id);
  if (!v) return undefined;
  const same = items
    .filter((x) => x.rulebook_id === v.rulebook_id && x.version < v.version)
    .sort(
      (x, y) => Number(y.status === 'published') - Number(x.status === 'published') || y.version - x.version,
    );
  if (same[0]) return same[0];
  const family = (rulebookId: string) => rulebookId.split('/').slice(0, 2).join('/');
  return items
    .filter(
      (x) => x.id !== v.id && family(x.rulebook_id) === family(v.rulebook_id) && x.valid_from < v.valid_from,
    )
    .sort(laterFirst)[0];
}

/** The version made from a version: the next of the same rulebook, or the family's next rulebook. */
export function successorOf(id: string, items: readonly RulebookVersion[]): RulebookVersion | undefined {
  const v = items.find((x) => String(x.id) === id);
  if (!v) return undefined;
  const same = items
    .filter((x) => x.rulebook_id === v.rulebook_id && x.version > v.version)
    .sort((x, y) => x.version - y.version);
  if (same[0]) return same[0];
  const family = (rulebookId: string) => rulebookId.split('/').slice(0, 2).join('/');
  return items
    .filter((x) => family(x.rulebook_id) === family(v.rulebook_id) && x.valid_from > v.valid_from)
    .sort((x, y) => x.valid_from.localeCompare(y.valid_from) || x.version - y.version)[0];
}

export function RulebookDiffPage() {
  useTitle('Jämför regelböcker');
  const { query } = useLocation();
  const versions = useApi<{ items: RulebookVersion[] }>('/api/rulebooks');
  const items = versions.data?.items ?? [];
  const qa = query.get('a') ?? '';
  const qb = query.get('b') ?? '';
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [all, setAll] = useState(false);
  const allId = useId();

  // One version given (from a version's page): it is compared with the version it was made from
  // (that one as A), or, when it is the first, with the version made from it (it as A).
  const firstOther = (id: string) => items.find((v) => String(v.id) !== id)?.id;
  const one = qa && qb ? undefined : qb || qa;
  const before = one ? predecessorOf(one, items)?.id : undefined;
  const after = one && before === undefined ? successorOf(one, items)?.id : undefined;
  const defaultA = !one ? items[0]?.id : before !== undefined ? before : Number(one);
  const defaultB = !one ? undefined : before !== undefined ? Number(one) : (after ?? firstOther(one));
  const valueA = a || (qa && qb ? qa : '') || String(defaultA ?? '');
  const valueB = b || (qa && qb ? qb : '') || String(defaultB ?? firstOther(valueA) ?? '');

  const docs = useLoad(qa && qb ? `${qa}|${qb}` : null, async (signal) => {
    const [da, db] = await Promise.all([
      api<DocumentResponse>(`/api/ui/rulebooks/${qa}/document`, { signal }),
      api<DocumentResponse>(`/api/ui/rulebooks/${qb}/document`, { signal }),
    ]);
    return { da, db };
  });
  const rows = useMemo(
    () => (docs.data ? diff(docs.data.da.rulebook, docs.data.db.rulebook) : []),
    [docs.data],
  );
  const shown = all ? rows : rows.filter((r) => r.kind !== 'same');
  const sections = useMemo(() => {
    const m = new Map<string, DiffRow[]>();
    for (const r of shown) m.set(r.section, [...(m.get(r.section) ?? []), r]);
    return [...m.entries()];
  }, [shown]);
  const counts = {
    changed: rows.filter((r) => r.kind === 'changed').length,
    added: rows.filter((r) => r.kind === 'added').length,
    removed: rows.filter((r) => r.kind === 'removed').length,
  };

  const nameOf = (d: DocumentResponse) => `${d.rulebook.title}, version ${d.version}`;

  return (
    <>
      <PageHeader
        title="Jämför regelböcker"
        crumbs={[{ href: '/regelbocker', label: 'Regelböcker' }]}
        lead="Två versioner sida vid sida: varje värde som skiljer, med sin plats i regelboken."
      />
      <section className="card no-print" aria-labelledby="pick-heading">
        <h2 id="pick-heading" className="visually-hidden">
          Välj versioner
        </h2>
        {versions.error && <ErrorMessage error={versions.error} />}
        <CompareForm versions={items} a={valueA} b={valueB} setA={setA} setB={setB} />
      </section>

      {docs.error && <ErrorMessage error={docs.error} />}
      {docs.loading && <Loading what="regelböckerna" />}
      {docs.data &&
        (() => {
          const { da, db } = docs.data;
          return (
            <section className="card" aria-labelledby="result-heading">
              <h2 id="result-heading">
                {nameOf(da)} jämförd med {nameOf(db)}
              </h2>
              <p role="status" data-testid="diff-summary">
                {counts.changed + counts.added + counts.removed === 0
                  ? 'Versionerna är likadana.'
                  : `${num(counts.changed)} ändrade värden, ${num(counts.added)} tillagda och ${num(counts.removed)} borttagna.`}
              </p>
              <div className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.5rem' }}>
                <input
                  id={allId}
                  type="checkbox"
                  checked={all}
                  onChange={(e) => setAll(e.target.checked)}
                  style={{ minHeight: 0 }}
                />
                <label htmlFor={allId}>Visa även oförändrade värden</label>
              </div>
              {sections.map(([section, list]) => (
                <Fragment key={section}>
                  <h3>{section}</h3>
                  <div
                    className="table-wrap"
                    tabIndex={0}
                    role="region"
                    aria-label={`Skillnader: ${section}`}
                  >
                    <table className="diff-table">
                      <caption className="visually-hidden">Skillnader i {section}</caption>
                      <thead>
                        <tr>
                          <th scope="col">Plats i regelboken</th>
                          <th scope="col">
                            A: version {da.version} ({da.rulebook_id})
                          </th>
                          <th scope="col">
                            B: version {db.version} ({db.rulebook_id})
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {list.map((r) => (
                          <tr key={r.key}>
                            <th scope="row" className="path">
                              {r.place}
                              <span className="visually-hidden"> ({KIND[r.kind]})</span>
                            </th>
                            <Cells row={r} />
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </Fragment>
              ))}
            </section>
          );
        })()}
    </>
  );
}
