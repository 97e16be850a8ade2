import { useId, useState, type FormEvent } from 'react';
import { Card, PageHeader, WhenLoaded } from '../components/ui';
import { num, ROLE } from '../format';
import { useApi, useTitle } from '../hooks';
import type { ResponseOf } from '../api/types';
import { timeColumn } from '../components/columns';
import { NumberedTable } from '../components/NumberedTable';

const PAGE = 100;

export function AuditPage() {
  useTitle('Granskningslogg');
  const [page, setPage] = useState(1);
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const searchId = useId();
  const hintId = useId();
  const params = new URLSearchParams({ page: String(page), page_size: String(PAGE) });
  if (query) params.set('q', query);
  const log = useApi<ResponseOf<'/api/audit', 'get'>>(`/api/audit?${params.toString()}`);
  const items = log.data?.items ?? [];
  const total = log.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const search = (e: FormEvent) => {
    e.preventDefault();
    setQuery(typed.trim());
    setPage(1);
  };
  return (
    <>
      <PageHeader
        title="Granskningslogg"
        lead="Vem gjorde vad, när och varifrån: varje ändring och varje läsning av personuppgifter. Loggen kan inte ändras."
      />
      <form className="form-row" role="search" onSubmit={search} noValidate>
        <div className="field">
          <label htmlFor={searchId}>Sök i hela loggen</label>
          <span className="hint" id={hintId}>
            Användare, händelse (t.ex. godkände), vad det gäller (t.ex. körning) eller ett personnummer
          </span>
          <input
            id={searchId}
            type="search"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-describedby={hintId}
            autoComplete="off"
            maxLength={200}
          />
        </div>
        <button className="button" type="submit">
          Sök
        </button>
        {query && (
          <button
            className="button secondary"
            type="button"
            onClick={() => {
              setTyped('');
              setQuery('');
              setPage(1);
            }}
          >
            Visa allt
          </button>
        )}
      </form>
      <WhenLoaded state={log} what="loggen">
        {() => (
          <Card title={query ? `${num(total)} poster om "${query}"` : `${num(total)} poster`}>
            <NumberedTable
              order="desc"
              caption={`Granskningslogg, sida ${page} av ${pages}`}
              rows={items}
              empty={query ? 'Inga poster i loggen matchar sökningen.' : 'Loggen är tom.'}
              tall
              columns={[
                timeColumn('at', 'Tid', 'at'),
                { key: 'actor', header: 'Vem', value: (e) => e.actor ?? '' },
                { key: 'role', header: 'Roll', value: (e) => (e.role ? (ROLE[e.role] ?? e.role) : '') },
                { key: 'action', header: 'Händelse', value: (e) => e.action_label },
                {
                  key: 'target',
                  header: 'Gäller',
                  value: (e) => e.target_label ?? '',
                  render: (e) => e.target_label ?? '–',
                },
                { key: 'origin', header: 'Varifrån', value: (e) => e.origin ?? '' },
              ]}
            />
            <nav className="actions" style={{ marginTop: '1rem' }} aria-label="Sidor i loggen">
              <button
                type="button"
                className="button secondary"
                disabled={page === 1}
                onClick={() => setPage((p) => p - 1)}
              >
                Nyare
              </button>
              <span>
                Sida {page} av {pages}
              </span>
              <button
                type="button"
                className="button secondary"
                disabled={page >= pages}
                onClick={() => setPage((p) => p + 1)}
              >
                Äldre
              </button>
            </nav>
          </Card>
        )}
      </WhenLoaded>
    </>
  );
}
