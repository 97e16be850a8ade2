import { api } from '../../api';
import { Card, ErrorMessage, Feedback, Loading, PageHeader } from '../../components/ui';
import { date } from '../../format';
import { useAction, useApi, useTitle } from '../../hooks';
import { Link } from '../../router';
import { can, useSession } from '../../session';
import { applicantColumn, applicationStatusColumn } from '../Applications';
import { KIND, PROCEDURE_STATUS } from '../Procurement';
import { EvaluationCard } from './EvaluationCard';
import { OcdsCard } from './OcdsCard';
import { StandstillCard } from './StandstillCard';
import type { Application as Tender, Procedure as NssProcedure } from '../../api/types';
import { ProcedureTerms } from './ProcedureTerms';
import { NumberedTable } from '../../components/NumberedTable';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * One procedure: the assignment and its notice, the tenders as they come in, and for an NSS
 * assignment the evaluation, the award with its standstill, the signing and the open data.
 */
export function NssProcedurePage({ params }: { params: { id: string } }) {
  const { me } = useSession();
  const proc = useApi<NssProcedure>(`/api/procedures/${encodeURIComponent(params.id)}`);
  const tenders = useApi<{ items: Tender[] }>(
    `/api/applications?procedure_id=${encodeURIComponent(params.id)}`,
  );
  const p = proc.data;
  const title = p ? p.title : `Förfarande ${params.id}`;
  useTitle(title);
  const officer = can(me.role, 'decideProcurement');
  const publish = useAction();
  const reload = () => {
    proc.reload();
    tenders.reload();
  };
  const open = p?.status === 'published' && (!p.notice.open_until || p.notice.open_until >= today());

  return (
    <>
      <PageHeader title={title} crumbs={[{ href: '/upphandling', label: 'Upphandling' }]}>
        {p && open && p.kind === 'nss' && can(me.role, 'apply') && (
          <Link className="button" href={`/upphandling/${p.id}/anbud`}>
            Lämna anbud
          </Link>
        )}
      </PageHeader>
      {proc.error && <ErrorMessage error={proc.error} />}
      {proc.loading && !p && <Loading what="förfarandet" />}
      {p && (
        <>
          <section className="card" aria-labelledby="assignment-heading">
            <h2 id="assignment-heading">
              {KIND[p.kind] ?? p.kind}: {PROCEDURE_STATUS[p.status] ?? p.status}
            </h2>
            <p>{p.description}</p>
            {p.kind === 'nss' && (
              <p>
                Verksamhetsområde: {p.field}. Omfattning: {p.volume}. Plats: {p.location}. Antal kontrakt:{' '}
                {p.places}.
              </p>
            )}
            <p>
              Annons från {date(p.notice.open_from)}
              {p.notice.open_until ? `, sista dag för anbud ${date(p.notice.open_until)}` : ''}. Publicerad{' '}
              {date(p.published_at)}.
            </p>
            <ProcedureTerms procedure={p} />
            <Feedback action={publish} failed="Annonsen kunde inte publiceras" />
            {officer && p.status === 'draft' && (
              <>
                <button
                  type="button"
                  className="button"
                  disabled={publish.busy}
                  onClick={async () => {
                    const done = await publish.run('Annonsen är publicerad.', () =>
                      api(`/api/procedures/${p.id}/publish`, {
                        method: 'POST',
                        json: { published_at: today() },
                      }),
                    );
                    if (done) reload();
                  }}
                >
                  Publicera annonsen
                </button>
              </>
            )}
          </section>
          <Card title={p.kind === 'nss' ? 'Anbud' : 'Ansökningar'}>
            {tenders.error && <ErrorMessage error={tenders.error} />}
            {tenders.data &&
              (tenders.data.items.length === 0 ? (
                <p>Inga {p.kind === 'nss' ? 'anbud' : 'ansökningar'} ännu.</p>
              ) : (
                <NumberedTable
                  caption={p.kind === 'nss' ? 'Anbud' : 'Ansökningar'}
                  rows={tenders.data.items}
                  columns={[
                    applicantColumn('Anbudsgivare'),
                    applicationStatusColumn(),
                    { key: 'submitted', header: 'Inskickat', value: (a) => date(a.submitted_at) },
                    {
                      key: 'contract',
                      header: 'Avtal',
                      sortable: false,
                      render: (a) =>
                        a.contract_id !== null ? (
                          <Link href={`/avtal/${a.contract_id}`}>Avtal nr {a.contract_id}</Link>
                        ) : (
                          '–'
                        ),
                    },
                  ]}
                />
              ))}
          </Card>
          {p.kind === 'nss' && officer && p.status === 'published' && (
            <EvaluationCard procedureId={p.id} mayAward onAwarded={reload} />
          )}
          {p.kind === 'nss' && p.award && (
            <>
              {p.award.reason && (
                <Card title="Tilldelningsbeslut">
                  <p>
                    Tilldelade anbud: {p.award.awarded_application_ids.join(', ')}. Skäl: {p.award.reason}.
                  </p>
                </Card>
              )}
              <StandstillCard procedureId={p.id} maySign={officer} onSigned={reload} />
            </>
          )}
          {p.status !== 'draft' && <OcdsCard key={`${p.status}`} procedureId={p.id} />}
        </>
      )}
    </>
  );
}
