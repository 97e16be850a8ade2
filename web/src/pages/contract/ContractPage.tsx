import { DataTable } from '../../components/DataTable';
import { Card, ErrorMessage, Loading, PageHeader } from '../../components/ui';
import { date } from '../../format';
import { useApi, useTitle } from '../../hooks';
import { Link } from '../../router';
import { can, useSession } from '../../session';
import { BranchDecisionForm, BranchList, BranchReportForm } from './BranchForms';
import { LeaveForm } from './LeaveForm';
import { nameColumn } from '../../components/columns';
import type { ContractDetails } from '../../api/types';

const FORM: Record<string, string> = {
  lov: 'Vårdval (LOV)',
  nss: 'NSS-kontrakt',
  national_tariff: 'Nationella taxan',
};
const ON_LEAVING: Record<string, string> = {
  reallocate: 'andelen fördelas på övriga medlemmar',
  terminate: 'avtalet upphör',
};

/**
 * A contract: its form and term (an NSS contract runs 7 years, and the region is warned a year
 * ahead to decide on a new procurement), the group's members and shares, the units, a member's
 * leaving and the branches reported during the contract.
 */
export function ContractPage({ params }: { params: { id: string } }) {
  const { me } = useSession();
  const c = useApi<ContractDetails>(`/api/contracts/${encodeURIComponent(params.id)}/details`);
  const title = `Avtal nr ${params.id}`;
  useTitle(title);
  const d = c.data;
  const officer = can(me.role, 'decideProcurement');
  const active = d ? d.end_date === null || d.end_date >= new Date().toISOString().slice(0, 10) : false;
  // One rule for the whole group: what happens when a member leaves.
  const onLeaving = d?.members[0]?.on_leaving;

  return (
    <>
      <PageHeader title={title} crumbs={[{ href: '/upphandling', label: 'Upphandling' }]} />
      {c.error && <ErrorMessage error={c.error} />}
      {c.loading && !d && <Loading what="avtalet" />}
      {d && (
        <>
          <section className="card" aria-labelledby="term-heading">
            <h2 id="term-heading">
              {FORM[d.connection_form] ?? d.connection_form} med {d.provider_id}
            </h2>
            <dl className="facts">
              <dt>Gäller från</dt>
              <dd>{date(d.start_date)}</dd>
              <dt>Gäller till och med</dt>
              <dd>{d.end_date ? date(d.end_date) : 'tills vidare'}</dd>
              {d.unit_id && (
                <>
                  <dt>Enhet</dt>
                  <dd>
                    <Link href={`/enheter/${encodeURIComponent(d.unit_id)}`}>{d.unit_id}</Link>
                  </dd>
                </>
              )}
            </dl>
            {d.term && (
              <>
                <p>
                  Ett NSS-kontrakt löper i {d.term.years} år, till och med {date(d.term.end)}. Därefter
                  upphandlas verksamheten på nytt, och nuvarande vårdgivare konkurrerar på samma villkor som
                  andra. Regionen ska ta ställning till ny upphandling från {date(d.term.reprocurement_from)}.
                </p>
                {d.term.warning && (
                  <div className="alert warning" role="note">
                    <p className="alert-title">Ny upphandling</p>
                    <p>{d.term.warning}</p>
                  </div>
                )}
              </>
            )}
          </section>
          {onLeaving && (
            <Card title="Gruppens medlemmar">
              <p>
                Om en medlem lämnar: {ON_LEAVING[onLeaving] ?? onLeaving}. Lämnar huvudmannen upphör avtalet,
                eftersom regionen då saknar motpart.
              </p>
              <DataTable
                caption="Medlemmar och andelar"
                captionHidden
                rows={d.members}
                rowKey={(m) => m.org_nr}
                columns={[
                  nameColumn('name', 'Medlem', 'name'),
                  { key: 'org', header: 'Organisationsnummer', value: (m) => m.org_nr },
                  {
                    key: 'share',
                    header: 'Andel av åtagandet',
                    value: (m) => (m.left_at ? '–' : `${m.share_percent} %`),
                  },
                  { key: 'lead', header: 'Roll', value: (m) => (m.lead ? 'Huvudman' : 'Medlem') },
                  {
                    key: 'left',
                    header: 'Lämnade',
                    value: (m) => (m.left_at ? `efter ${date(m.left_at)}` : '–'),
                  },
                ]}
              />
            </Card>
          )}
          {officer && active && d.members.some((m) => m.left_at === null) && (
            <LeaveForm contractId={d.id} members={d.members} onLeft={c.reload} />
          )}
          <Card title="Enheter och filialer">
            {d.units.length > 0 ? (
              <ul>
                {d.units.map((u) => (
                  <li key={u.unit_id}>
                    {u.name} ({u.unit_id}){u.branch_of ? `, filial till ${u.branch_of}` : ''}
                  </li>
                ))}
              </ul>
            ) : (
              <p>Avtalet har inga enheter i registret.</p>
            )}
            <h3>Anmälda filialer</h3>
            <BranchList branches={d.branches} />
            {officer &&
              d.branches
                .filter((b) => b.status === 'reported')
                .map((b) => <BranchDecisionForm key={b.id} branch={b} onDecided={c.reload} />)}
            {can(me.role, 'apply') && active && <BranchReportForm contract={d} onReported={c.reload} />}
          </Card>
        </>
      )}
    </>
  );
}
