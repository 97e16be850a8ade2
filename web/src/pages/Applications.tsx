import { DataTable, type Column } from '../components/DataTable';
import { Card, ErrorMessage, Loading, PageHeader, WhenLoaded } from '../components/ui';
import { date, orgNr } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link, useLocation } from '../router';
import { can, useSession } from '../session';
import { ApplicationDecision } from './ApplicationDecision';
import { TenderPanel } from './nss/TenderPanel';
import { linkColumn, nameColumn } from '../components/columns';
import { NumberedTable } from '../components/NumberedTable';
import type { Application, ApplicationDetail } from '../api/types';

/** Applications (LOV) and tenders (NSS): a provider sees its own and their status. */

export const APPLICATION_STATUS: Record<string, string> = {
  draft: 'Utkast',
  submitted: 'Inskickad',
  assessed: 'Bedömd',
  approved: 'Godkänd',
  rejected: 'Avslagen',
  withdrawn: 'Återkallad',
  awarded: 'Tilldelad',
  not_awarded: 'Inte tilldelad',
};

/** The applicant (or tenderer), linking to the application. */
export function applicantColumn(header: string): Column<{ id: number; applicant_name: string }> {
  return linkColumn(
    'applicant',
    header,
    (a) => a.applicant_name,
    (a) => `/ansokningar/${a.id}`,
  );
}

export function applicationStatusColumn(): Column<{ status: string }> {
  return { key: 'status', header: 'Status', value: (a) => APPLICATION_STATUS[a.status] ?? a.status };
}

const OUTCOME: Record<string, string> = {
  met: 'Uppfyllt',
  not_met: 'Inte uppfyllt',
  clear: 'Gäller inte',
  excluded: 'Utesluten',
};

export function ApplicationsPage() {
  useTitle('Ansökningar');
  const { me } = useSession();
  const { query } = useLocation();
  const procedure = query.get('forfarande');
  const list = useApi<{ items: Application[] }>(
    `/api/applications${procedure ? `?procedure_id=${encodeURIComponent(procedure)}` : ''}`,
  );
  return (
    <>
      <PageHeader
        title="Ansökningar"
        lead={
          me.role === 'provider'
            ? 'Dina ansökningar och anbud, ensam eller som grupp, och var de står.'
            : 'Ansökningar i valfrihetssystemen och anbud i NSS-upphandlingar, med status.'
        }
      >
        {can(me.role, 'apply') && (
          <Link className="button" href="/ansokningar/ny">
            Ny ansökan
          </Link>
        )}
      </PageHeader>
      <WhenLoaded state={list} what="ansökningarna">
        {({ items }) => (
          <Card title={procedure ? `Förfarande ${procedure}` : 'Alla'}>
            {items.length === 0 ? (
              <p>Inga ansökningar.</p>
            ) : (
              <NumberedTable
                caption="Ansökningar och anbud"
                rows={items}
                columns={[
                  applicantColumn('Sökande'),
                  {
                    key: 'group',
                    header: 'Ensam eller grupp',
                    value: (a) => (a.group ? `Grupp om ${a.group.members.length}` : 'Ensam'),
                  },
                  { key: 'procedure', header: 'Förfarande', value: (a) => a.procedure_id, numeric: true },
                  applicationStatusColumn(),
                  { key: 'submitted', header: 'Inskickad', value: (a) => date(a.submitted_at) },
                  { key: 'decided', header: 'Beslut', value: (a) => date(a.decided_at) },
                ]}
              />
            )}
          </Card>
        )}
      </WhenLoaded>
    </>
  );
}

export function ApplicationPage({ params }: { params: { id: string } }) {
  const a = useApi<ApplicationDetail>(`/api/applications/${encodeURIComponent(params.id)}`);
  const title = a.data ? `Ansökan ${a.data.id}: ${a.data.applicant_name}` : `Ansökan ${params.id}`;
  useTitle(title);
  const app = a.data;
  const { me } = useSession();
  const mayDecide = can(me.role, 'decideProcurement');
  return (
    <>
      <PageHeader title={title} crumbs={[{ href: '/ansokningar', label: 'Ansökningar' }]} />
      {a.error && <ErrorMessage error={a.error} />}
      {a.loading && <Loading what="ansökan" />}
      {app && (
        <>
          <Card title={<>Status: {APPLICATION_STATUS[app.status] ?? app.status}</>}>
            <p>
              Inskickad {date(app.submitted_at)}. Beslut {date(app.decided_at)}.
            </p>
            {app.contract_id !== null && (
              <p>
                <Link href={`/avtal/${app.contract_id}`}>Avtal nr {app.contract_id}</Link>
              </p>
            )}
            {app.decision_reason && <p>Skäl: {app.decision_reason}</p>}
            {app.review && (
              <p>
                Överprövning: {app.review.text} <small>({app.review.source})</small>
              </p>
            )}
          </Card>
          {app.group && (
            <Card title="Gemensam ansökan">
              <p>
                Huvudman och regionens motpart: {orgNr(app.group.lead_org_nr)}. Om en medlem lämnar:{' '}
                {app.group.on_member_leaving === 'reallocate'
                  ? 'andelen fördelas på övriga'
                  : 'avtalet upphör'}
                .
              </p>
              <ul>
                {app.group.members.map((m) => (
                  <li key={m.org_nr}>
                    {m.name} ({orgNr(m.org_nr)}): {m.share_percent} % av åtagandet
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {(app.units.length > 0 || app.subcontractors.length > 0) && (
            <Card title="Enheter, filialer och underleverantörer">
              <ul>
                {app.units.map((u) => (
                  <li key={u.unit_id}>
                    {u.name} ({u.unit_id}){u.branch_of ? `, filial till ${u.branch_of}` : ''}
                  </li>
                ))}
                {app.subcontractors.map((s) => (
                  <li key={`${s.unit_id}-${s.org_nr}`}>
                    Underleverantör {s.name} ({orgNr(s.org_nr)}) för {s.unit_id}: {s.services}
                  </li>
                ))}
              </ul>
            </Card>
          )}
          <Card title="Bedömning per krav">
            {app.assessments && app.assessments.length > 0 ? (
              <DataTable
                caption="Bedömningar"
                captionHidden
                rows={app.assessments}
                rowKey={(x) => `${x.requirement_id}-${x.reason}`}
                columns={[
                  nameColumn('req', 'Krav', 'requirement_id'),
                  { key: 'outcome', header: 'Bedömning', value: (x) => OUTCOME[x.outcome] ?? x.outcome },
                  { key: 'evidence', header: 'Underlag', value: (x) => x.evidence },
                  { key: 'reason', header: 'Motivering', value: (x) => x.reason },
                ]}
              />
            ) : (
              <p>Inte bedömd ännu.</p>
            )}
          </Card>
          {mayDecide && (app.status === 'submitted' || app.status === 'assessed') && (
            <ApplicationDecision
              applicationId={app.id}
              procedureId={app.procedure_id}
              assessments={app.assessments ?? []}
              onChanged={a.reload}
            />
          )}
          <TenderPanel
            applicationId={app.id}
            procedureId={app.procedure_id}
            status={app.status}
            assessments={app.assessments ?? []}
            onChanged={a.reload}
          />
        </>
      )}
    </>
  );
}
