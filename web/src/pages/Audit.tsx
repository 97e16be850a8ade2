import { useState } from 'react';
import { DataTable } from '../components/DataTable';
import { ErrorMessage, Loading, PageHeader } from '../components/ui';
import { dateTime, ROLE } from '../format';
import { useApi, useTitle } from '../hooks';

interface Entry {
  id: number;
  at: string;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  origin: string | null;
}

const ACTION: Record<string, string> = {
  login: 'Inloggning',
  login_failed: 'Misslyckad inloggning',
  logout: 'Utloggning',
  create_run: 'Beräknade körning',
  approve_run: 'Godkände körning',
  import: 'Import',
  import_rejected: 'Avvisad import',
  save_rulebook: 'Sparade regelbok',
  update_rulebook: 'Ändrade regelbok',
  publish_rulebook: 'Publicerade regelbok',
  read_person_listings: 'Läste persons listning',
  'demo.seed': 'Skapade demoregionen',
  'user.create': 'Skapade användare',
  'import.create': 'Import',
  'run.create': 'Beräknade körning',
  'run.approve': 'Godkände körning',
  'rulebook.save': 'Sparade regelbok',
  'rulebook.publish': 'Publicerade regelbok',
  change_listing: 'Ändrade listning',
  create_contract: 'Skapade avtal',
  'contract.create': 'Skapade avtal',
  'contract.sign': 'Tecknade avtal',
  'contract.member_left': 'Medlem lämnade gruppen',
  report_subcontractor: 'Anmälde underleverantör',
  'unit_fact.record': 'Registrerade uppgift om enhet',
  'activity.record': 'Registrerade verksamhetsuppgift',
  'application.create': 'Påbörjade ansökan',
  'application.submit': 'Skickade in ansökan',
  'application.assess': 'Bedömde ansökan',
  'application.approved': 'Godkände ansökan',
  'application.withdraw': 'Återkallade ansökan',
  'branch.report': 'Anmälde filial',
  'branch.approved': 'Godkände filial',
  'procedure.create': 'Skapade förfarande',
  'procedure.publish': 'Publicerade förfarande',
  'procedure.award': 'Tilldelade uppdrag',
  'tender.create': 'Lämnade anbud',
  'tender.score': 'Poängsatte anbud',
};

const PAGE = 100;

export function AuditPage() {
  useTitle('Granskningslogg');
  const [page, setPage] = useState(1);
  const log = useApi<{ items: Entry[] }>(`/api/audit?page=${page}&page_size=${PAGE}`);
  const items = log.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Granskningslogg"
        lead="Vem gjorde vad, när och varifrån: varje ändring och varje läsning av personuppgifter. Loggen kan inte ändras."
      />
      {log.error && <ErrorMessage error={log.error} />}
      {log.loading && <Loading what="loggen" />}
      {log.data && (
        <section className="card" aria-labelledby="log-heading">
          <h2 id="log-heading" className="visually-hidden">
            Poster
          </h2>
          <DataTable
            caption={`Granskningslogg, sida ${page}`}
            captionHidden
            rows={items}
            rowKey={(e) => String(e.id)}
            initialSort={{ key: 'id', dir: 'desc' }}
            filter={{
              label: 'Sök i sidan',
              text: (e) => `${e.actor} ${e.action} ${ACTION[e.action] ?? ''} ${e.target}`,
            }}
            tall
            columns={[
              { key: 'id', header: 'Nr', value: (e) => e.id, numeric: true },
              {
                key: 'at',
                className: 'nowrap',
                header: 'Tid',
                value: (e) => e.at,
                render: (e) => dateTime(e.at),
              },
              { key: 'actor', header: 'Vem', value: (e) => e.actor ?? '' },
              { key: 'role', header: 'Roll', value: (e) => (e.role ? (ROLE[e.role] ?? e.role) : '') },
              { key: 'action', header: 'Händelse', value: (e) => ACTION[e.action] ?? e.action },
              {
                key: 'target',
                header: 'Gäller',
                value: (e) => e.target ?? '',
                render: (e) => <code>{e.target ?? '–'}</code>,
              },
              { key: 'origin', header: 'Varifrån', value: (e) => e.origin ?? '' },
            ]}
          />
          <div className="actions" style={{ marginTop: '1rem' }}>
            <button
              type="button"
              className="button secondary"
              disabled={page === 1}
              onClick={() => setPage((p) => p - 1)}
            >
              Nyare
            </button>
            <span>Sida {page}</span>
            <button
              type="button"
              className="button secondary"
              disabled={items.length < PAGE}
              onClick={() => setPage((p) => p + 1)}
            >
              Äldre
            </button>
          </div>
        </section>
      )}
    </>
  );
}
