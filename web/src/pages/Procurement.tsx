import { Card, PageHeader, WhenLoaded } from '../components/ui';
import { date } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link } from '../router';
import { can, useSession } from '../session';
import { linkColumn } from '../components/columns';
import type { Procedure, ProcurementWarning } from '../api/types';
import { ProcedureTerms } from './nss/ProcedureTerms';
import { NumberedTable } from '../components/NumberedTable';

/** Choice systems (LOV) and NSS assignments: the notices, their status and the standstill. */

export const PROCEDURE_STATUS: Record<string, string> = {
  draft: 'Utkast',
  published: 'Publicerad',
  awarded: 'Tilldelad, avtalsspärr',
  contracted: 'Avtal tecknat',
  closed: 'Stängd',
};

export const KIND: Record<string, string> = { lov: 'Vårdval (LOV)', nss: 'NSS-upphandling' };

/** Today as a calendar date in the browser's own time zone. */
function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function ProceduresPage() {
  useTitle('Upphandling');
  const { me } = useSession();
  const list = useApi<{ items: Procedure[] }>('/api/procedures');
  // NSS contracts run 7 years; the officer is warned a year ahead to decide on a new procurement.
  const warnings = useApi<{ items: ProcurementWarning[] }>(
    can(me.role, 'changeRuns') ? `/api/procurement/warnings?today=${today()}` : null,
  );
  const procs = list.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Upphandling"
        lead="Valfrihetssystem enligt LOV och NSS-uppdrag: annons, krav, tilldelning på kvalitet och avtalsspärr. Allt publiceras som öppna data (OCDS)."
      >
        {can(me.role, 'decideProcurement') && (
          <Link className="button" href="/upphandling/ny">
            Nytt NSS-uppdrag
          </Link>
        )}
      </PageHeader>
      {warnings.data && (
        <Card title="Ny upphandling att ta ställning till">
          {warnings.data.items.length === 0 ? (
            <p>Inget NSS-kontrakt löper ut inom ett år.</p>
          ) : (
            <ul>
              {warnings.data.items.map((w) => (
                <li key={w.contract_id}>
                  Kontrakt {w.contract_id}: {w.message}
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
      <WhenLoaded state={list} what="förfarandena">
        {() => (
          <Card title="Förfaranden">
            <NumberedTable
              caption="Valfrihetssystem och NSS-uppdrag"
              rows={procs}
              columns={[
                linkColumn<Procedure>(
                  'title',
                  'Titel',
                  (p) => p.title,
                  (p) => `/upphandling/${p.id}`,
                ),
                { key: 'kind', header: 'Form', value: (p) => KIND[p.kind] ?? p.kind },
                {
                  key: 'where',
                  header: 'Område och plats',
                  value: (p) => (p.kind === 'nss' ? `${p.field}, ${p.location}` : 'Hela regionen'),
                },
                { key: 'status', header: 'Status', value: (p) => PROCEDURE_STATUS[p.status] ?? p.status },
                { key: 'published', header: 'Publicerad', value: (p) => date(p.published_at) },
                {
                  key: 'standstill',
                  header: 'Avtalsspärr till och med',
                  value: (p) => (p.award ? date(p.award.standstill_last_day) : '–'),
                },
                {
                  key: 'signing',
                  header: 'Avtal tidigast',
                  value: (p) => (p.award ? date(p.award.earliest_signing) : '–'),
                },
                {
                  key: 'ocds',
                  header: 'Öppna data',
                  sortable: false,
                  render: (p) => (
                    <a href={`/api/ocds/packages/${p.id}`}>
                      OCDS<span className="visually-hidden"> för {p.title}</span>
                    </a>
                  ),
                },
              ]}
            />
          </Card>
        )}
      </WhenLoaded>
      {procs.map((p) => (
        <section className="card" key={p.id} aria-labelledby={`proc-${p.id}`}>
          <h2 id={`proc-${p.id}`}>{p.title}</h2>
          <p>{p.description}</p>
          {p.kind === 'nss' && (
            <p>
              Verksamhetsområde: {p.field}. Omfattning: {p.volume}. Plats: {p.location}.
            </p>
          )}
          <ProcedureTerms procedure={p} />
          {p.award && (
            <p>
              Tilldelningsbeslut skickat {date(p.award.sent_at)}
              {p.award.electronic ? ' elektroniskt' : ''}. Avtalsspärren löper till och med{' '}
              {date(p.award.standstill_last_day)}; avtal får tecknas tidigast {date(p.award.earliest_signing)}
              {p.award.signed_at ? `. Avtal tecknat ${date(p.award.signed_at)}.` : '.'}
            </p>
          )}
          <p>
            <Link href={`/ansokningar?forfarande=${p.id}`}>Ansökningar och anbud i {p.title}</Link>
          </p>
        </section>
      ))}
    </>
  );
}
