import { useMemo, useState } from 'react';
import type { RunDetail, UnitStatement } from '../api/types';
import { UnpaidUnits } from '../components/Contracts';
import { DataTable, type Column } from '../components/DataTable';
import { Card, Loading, PageFailed, PageHeader, Stat, StatusBadge } from '../components/ui';
import { count, dateTime, kr, monthLabel, num, ownershipLabel } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link } from '../router';
import { can, useSession } from '../session';
import { RunApprove } from './RunApprove';
import { RunReview } from './RunReview';
import { amountColumn, nameColumn, numberColumn, perListedColumn, unitSearch } from '../components/columns';

export function componentTotals(units: UnitStatement[]) {
  const m = new Map<string, { component: string; label: string; amount_ore: number; units: number }>();
  for (const u of units)
    for (const l of u.lines) {
      const acc = m.get(l.component) ?? { component: l.component, label: l.label, amount_ore: 0, units: 0 };
      acc.amount_ore += l.amount_ore;
      if (l.amount_ore !== 0) acc.units++;
      m.set(l.component, acc);
    }
  return [...m.values()];
}

export function ExportLinks({ runId, unit, label }: { runId: number; unit?: string; label: string }) {
  const q = unit ? `?unit=${encodeURIComponent(unit)}` : '';
  return (
    <div className="actions" role="group" aria-label={label}>
      <a className="button secondary small" href={`/api/runs/${runId}/export/xlsx${q}`} download>
        Ladda ned XLSX
      </a>
      <a className="button secondary small" href={`/api/runs/${runId}/export/csv-excel${q}`} download>
        Ladda ned CSV för Excel
      </a>
      <a className="button secondary small" href={`/api/runs/${runId}/export/csv${q}`} download>
        Ladda ned CSV (maskinläsbar)
      </a>
      <a className="button secondary small" href={`/api/runs/${runId}/export/pdf${q}`} download>
        Ladda ned PDF
      </a>
    </div>
  );
}

export function RunPage({ params }: { params: { runId: string } }) {
  const runId = Number(params.runId);
  const { me } = useSession();
  const run = useApi<RunDetail>(Number.isInteger(runId) && runId > 0 ? `/api/runs/${runId}` : null);
  const title = run.data ? `Utbetalning ${monthLabel(run.data.month)}` : `Körning ${params.runId}`;
  useTitle(title);
  const [approved, setApproved] = useState(false);

  const units = useMemo(() => run.data?.units ?? [], [run.data]);
  const listed = units.reduce((s, u) => s + u.listed, 0);
  const components = useMemo(() => componentTotals(units), [units]);

  const columns: Column<UnitStatement>[] = [
    {
      key: 'name',
      header: 'Enhet',
      value: (u) => u.name,
      rowHeader: true,
      render: (u) => (
        <Link href={`/utbetalningar/${runId}/enheter/${encodeURIComponent(u.unit_id)}`}>{u.name}</Link>
      ),
    },
    { key: 'unit_id', header: 'HSA-id', value: (u) => u.unit_id, render: (u) => <code>{u.unit_id}</code> },
    { key: 'ownership', header: 'Ägarform', value: (u) => ownershipLabel(u.ownership) },
    numberColumn('listed', 'Listade', 'listed'),
    perListedColumn('total_ore', 'listed'),
    amountColumn('total', 'Summa', 'total_ore'),
  ];

  if (run.error)
    return (
      <PageFailed
        title={title}
        crumbs={[{ href: '/utbetalningar', label: 'Utbetalningar' }]}
        error={run.error}
      />
    );
  if (!run.data) return <Loading what="körningen" />;
  const r = run.data;

  return (
    <>
      <PageHeader
        title={title}
        crumbs={[{ href: '/utbetalningar', label: 'Utbetalningar' }]}
        lead={
          <>
            Körning {r.id} · <code>{r.rulebook_id}</code> · <StatusBadge status={r.status} />
            {r.corrects_run_id && (
              <>
                {' '}
                · korrigerar{' '}
                <Link href={`/utbetalningar/${r.corrects_run_id}`}>körning {r.corrects_run_id}</Link>
              </>
            )}
          </>
        }
      >
        <ExportLinks runId={r.id} label="Ladda ned körningens underlag" />
      </PageHeader>

      {approved && r.status === 'approved' && (
        <div className="alert success" role="status">
          <p className="alert-title">Körning {r.id} är godkänd</p>
          <p>
            Utbetalningen för {monthLabel(r.month)} på {kr(r.total_ore)} är godkänd av {r.approved_by}.
          </p>
        </div>
      )}
      {r.status === 'draft' && can(me.role, 'changeRuns') && (
        <RunApprove
          run={r}
          onApproved={() => {
            setApproved(true);
            run.reload();
          }}
        />
      )}
      {r.status === 'draft' && can(me.role, 'changeRuns') && <RunReview run={r} />}
      {r.status === 'draft' && !can(me.role, 'changeRuns') && (
        <div className="alert info">
          <p>Körningen är ett utkast och väntar på att regionens handläggare godkänner den.</p>
        </div>
      )}

      <dl className="stats">
        <Stat
          label={
            r.corrects_run_id
              ? 'Att betala nu (skillnad)'
              : me.role === 'provider'
                ? 'Summa (egna enheter)'
                : 'Summa'
          }
          value={kr(r.total_ore)}
        />
        {r.payer_totals && (
          <Stat
            label="Staten betalar"
            value={kr(r.payer_totals.state_ore)}
            sub={`regionen ${kr(r.payer_totals.region_ore)}`}
          />
        )}
        <Stat label="Enheter" value={num(units.length)} />
        <Stat label="Listade" value={num(listed)} />
        <Stat
          label="Status"
          value={<StatusBadge status={r.status} />}
          sub={
            r.approved_at
              ? `${dateTime(r.approved_at)} av ${r.approved_by}`
              : `skapad av ${r.created_by ?? 'okänd'}`
          }
        />
      </dl>

      {r.status !== 'draft' && (r.approval_comment || r.missing_month_reason) && (
        <Card title="Godkännandet">
          <dl className="facts">
            <dt>Beräknad av</dt>
            <dd>{r.created_by ?? 'okänd'}</dd>
            <dt>Godkänd av</dt>
            <dd>
              {r.approved_by ?? 'okänd'}, {dateTime(r.approved_at)}
            </dd>
            {r.approval_comment && (
              <>
                <dt>Kommentar</dt>
                <dd data-testid="approval-comment">{r.approval_comment}</dd>
              </>
            )}
            {r.missing_month_reason && (
              <>
                <dt>Skäl till att månaden före saknar körning</dt>
                <dd>{r.missing_month_reason}</dd>
              </>
            )}
          </dl>
        </Card>
      )}

      <Card title="Enheter">
        <DataTable
          caption={`Utbetalning per enhet, ${monthLabel(r.month)}`}
          captionHidden
          columns={columns}
          rows={units}
          rowKey={(u) => u.unit_id}
          initialSort={{ key: 'name', dir: 'asc' }}
          filter={unitSearch}
          tall
          footer={
            <tr>
              <th scope="row">Summa</th>
              <td>{count(units.length, 'enhet', 'enheter')}</td>
              <td />
              <td className="num">{num(listed)}</td>
              <td />
              <td className="num" data-testid="run-total">
                {kr(units.reduce((s, u) => s + u.total_ore, 0))}
              </td>
            </tr>
          }
        />
      </Card>

      <UnpaidUnits units={r.unpaid_units} />

      <Card title="Per komponent">
        <DataTable
          caption="Summa per ersättningskomponent"
          captionHidden
          columns={[
            nameColumn('label', 'Komponent', 'label'),
            {
              key: 'component',
              header: 'Id',
              value: (c) => c.component,
              render: (c) => <code>{c.component}</code>,
            },
            numberColumn('units', 'Enheter med belopp', 'units'),
            amountColumn('amount', 'Summa', 'amount_ore'),
          ]}
          rows={components}
          rowKey={(c) => c.component}
        />
      </Card>

      <Card title="Underlagets identitet">
        <p>Allt körningen räknades fram ur, så att vem som helst kan göra om den och få samma belopp.</p>
        <dl className="facts">
          <dt>Regelbok</dt>
          <dd>
            <Link href={`/regelbocker/${r.rulebook_version_id}`}>{r.identity.rulebook.id}</Link> (SHA-256{' '}
            <code>{r.identity.rulebook.sha256.slice(0, 16)}…</code>)
          </dd>
          <dt>Import</dt>
          <dd>nr {r.batch_id}</dd>
          <dt>Beräkningsmotor</dt>
          <dd>version {r.identity.engine_version}</dd>
          {r.identity.inputs.map((i) => (
            <div key={i.file} style={{ display: 'contents' }}>
              <dt>
                <code>{i.file}</code>
              </dt>
              <dd>
                <code>{i.sha256}</code>
              </dd>
            </div>
          ))}
        </dl>
      </Card>
    </>
  );
}
