import { useMemo } from 'react';
import type { Overview } from '../api/types';
import { barTooltip, Chart, kronor, kronorAxis, signedBars, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import {
  Card,
  Diff,
  PageFailed,
  Loading,
  PageHeader,
  SelectField,
  Stat,
  StatusBadge,
} from '../components/ui';
import {
  ends,
  CONNECTION_FORM,
  date,
  kr,
  count,
  krDiff,
  monthLabel,
  monthShortLabel,
  num,
  orgNr,
  ownershipLabel,
  pctDiff,
} from '../format';
import { useApi, useTitle } from '../hooks';
import { Link, setQuery, useLocation } from '../router';
import { can, useSession } from '../session';
import { OverviewTodo } from './OverviewTodo';
import {
  amountColumn,
  monthColumn,
  nameColumn,
  numberColumn,
  perListedColumn,
  shareOfColumn,
  unitSearch,
} from '../components/columns';

const applicationsText = (n: number) =>
  n === 0
    ? 'Inga ansökningar väntar på beslut.'
    : n === 1
      ? 'En ansökan väntar på beslut.'
      : `${num(n)} ansökningar väntar på beslut.`;

export function OverviewPage() {
  useTitle('Översikt');
  const { me } = useSession();
  const { query } = useLocation();
  const month = query.get('month') ?? '';
  const data = useApi<Overview>(`/api/ui/overview${month ? `?month=${month}` : ''}`);
  const o = data.data;
  const span = o && ends(o.months);

  const trend = useMemo<ChartOption | undefined>(() => {
    if (!o) return undefined;
    return {
      grid: { left: 80, right: 70, top: 40, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: undefined },
      legend: { top: 0 },
      xAxis: { type: 'category', data: o.months.map((m) => monthShortLabel(m.month)) },
      yAxis: [
        { type: 'value', name: 'Utbetalt', axisLabel: { formatter: kronorAxis } },
        {
          type: 'value',
          name: 'Listade',
          axisLabel: { formatter: (v: number) => num(v) },
          splitLine: { show: false },
        },
      ],
      series: [
        {
          name: 'Utbetalt',
          type: 'bar',
          data: o.months.map((m) => ({
            value: m.total_ore / 100,
            itemStyle: m.month === o.month ? { color: '#083b68' } : { color: '#7fa7cc' },
          })),
          tooltip: { valueFormatter: kronor },
        },
        {
          name: 'Listade',
          type: 'line',
          yAxisIndex: 1,
          data: o.months.map((m) => m.listed),
          color: '#c2570c',
          symbolSize: 7,
          lineStyle: { width: 3 },
          tooltip: { valueFormatter: (v: unknown) => num(Number(v)) },
        },
      ],
    };
  }, [o]);

  const components = useMemo<ChartOption | undefined>(() => {
    if (!o) return undefined;
    const list = [...o.components].reverse();
    return {
      grid: { left: 290, right: 40, top: 10, bottom: 30 },
      tooltip: barTooltip(kronor),
      xAxis: {
        type: 'value',
        splitNumber: 4,
        axisLabel: { formatter: kronorAxis, hideOverlap: true },
      },
      yAxis: {
        type: 'category',
        data: list.map((c) => c.label),
        axisLabel: { width: 275, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: 'Belopp',
          data: signedBars(
            list.map((c) => c.amount_ore),
            '#0b4f8a',
          ),
        },
      ],
    };
  }, [o]);

  const ownership = useMemo<ChartOption | undefined>(() => {
    if (!o) return undefined;
    return {
      grid: { left: 80, right: 20, top: 10, bottom: 30 },
      tooltip: barTooltip(kronor),
      xAxis: {
        type: 'category',
        data: o.ownership.map((x) => ownershipLabel(x.ownership)),
        axisLabel: { interval: 0 },
      },
      yAxis: { type: 'value', axisLabel: { formatter: kronorAxis } },
      series: [
        { type: 'bar', name: 'Utbetalt', data: o.ownership.map((x) => x.amount_ore / 100), barMaxWidth: 80 },
      ],
    };
  }, [o]);

  if (data.error) return <PageFailed title="Översikt" error={data.error} />;
  if (!o) return <Loading what="översikten" />;
  if (!o.month)
    return (
      <>
        <PageHeader title="Översikt" />
        <p>Det finns inga utbetalningar ännu. Importera data och beräkna en körning under Utbetalningar.</p>
      </>
    );

  const diff = o.previous ? o.total_ore - o.previous.total_ore : 0;
  const perListed = o.listed ? Math.round(o.total_ore / o.listed) : 0;
  const top = [...o.components].sort((a, b) => b.amount_ore - a.amount_ore)[0];

  return (
    <>
      <PageHeader
        title={`Översikt ${monthLabel(o.month)}`}
        lead={
          me.role === 'provider'
            ? 'Månaden för dina enheter: ersättning, komponenter och listade.'
            : 'Månaden i överblick: ersättning till vårdenheterna, komponenter och listade.'
        }
      >
        <SelectField
          label="Månad"
          value={o.month}
          onChange={(v) => setQuery({ month: v })}
          options={[...o.months].reverse().map((m) => [m.month, monthLabel(m.month)])}
        />
      </PageHeader>

      <p>
        {o.runs.map((r, i) => (
          <span key={r.id}>
            {i > 0 && ' · '}
            <Link href={`/utbetalningar/${r.id}`}>Körning {r.id}</Link> (<code>{r.rulebook_id}</code>){' '}
            <StatusBadge status={r.status} />
          </span>
        ))}
      </p>

      <dl className="stats">
        <Stat
          label="Ersättning för månaden"
          value={<span data-testid="overview-total">{kr(o.total_ore)}</span>}
          sub={
            o.previous ? (
              <Diff ore={diff}>
                {krDiff(diff)} ({pctDiff(o.previous.total_ore ? diff / o.previous.total_ore : 0)}) mot{' '}
                {monthLabel(o.previous.month)}
              </Diff>
            ) : undefined
          }
        />
        <Stat
          label="Listade"
          value={num(o.listed)}
          sub={
            o.previous
              ? `${o.listed - o.previous.listed >= 0 ? '+' : ''}${num(o.listed - o.previous.listed)} mot föregående månad`
              : undefined
          }
        />
        <Stat label="Ersättning per listad" value={kr(perListed)} sub="i månaden" />
        <Stat
          label="Vårdenheter"
          value={num(o.units.length)}
          sub={top ? `största komponent: ${top.label}` : undefined}
        />
      </dl>

      {(o.open_applications !== undefined || (o.contracts_ending?.length ?? 0) > 0) && (
        <Card title="Att hantera">
          <ul className="todo">
            {can(me.role, 'changeRuns') && <OverviewTodo month={o.month} />}
            <li data-testid="open-applications">
              {can(me.role, 'apply') ? (
                <Link href="/ansokningar">{applicationsText(o.open_applications ?? 0)}</Link>
              ) : (
                applicationsText(o.open_applications ?? 0)
              )}
            </li>
            <li>
              {(o.contracts_ending?.length ?? 0) === 0
                ? 'Inga avtal löper ut inom ett år.'
                : `${num(o.contracts_ending!.length)} avtal löper ut inom ett år:`}
              {(o.contracts_ending?.length ?? 0) > 0 && (
                <ul>
                  {o.contracts_ending!.slice(0, 8).map((k) => (
                    <li key={k.id}>
                      {date(k.end_date)}: {CONNECTION_FORM[k.connection_form] ?? k.connection_form},
                      vårdgivare {orgNr(k.provider_id)}
                      {k.unit_id && (
                        <>
                          {' '}
                          (<Link href={`/enheter/${encodeURIComponent(k.unit_id)}`}>{k.unit_id}</Link>)
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          </ul>
        </Card>
      )}

      {o.systems && o.systems.length > 1 && (
        <Card title="Per vårdvalssystem">
          <p>
            Regionen har {o.systems.length} vårdvalssystem med egna regelböcker; varje enhet betalas efter
            regelboken för sin kommun.
          </p>
          <div className="systems side-by-side">
            {o.systems.map((sys) => (
              <article key={sys.run_id} className="card" aria-label={sys.title}>
                <h3>
                  <Link href={`/utbetalningar/${sys.run_id}`}>{sys.title}</Link>
                </h3>
                <dl className="stats">
                  <Stat
                    label="Ersättning"
                    value={kr(sys.total_ore)}
                    sub={<StatusBadge status={sys.status} />}
                  />
                  <Stat label="Listade" value={num(sys.listed)} />
                  <Stat label="Vårdenheter" value={num(sys.units)} />
                  <Stat
                    label="Per listad"
                    value={kr(sys.listed ? Math.round(sys.total_ore / sys.listed) : 0)}
                  />
                </dl>
              </article>
            ))}
          </div>
        </Card>
      )}

      <div className="grid">
        <section className="card">
          {trend && span && (
            <Chart
              title="Ersättning och listade per månad"
              description={`Stapel- och linjediagram över ${count(o.months.length, 'månad', 'månader')}: ersättningen per månad från ${kr(span.first.total_ore)} i ${monthLabel(span.first.month)} till ${kr(span.last.total_ore)} i ${monthLabel(span.last.month)}; listade från ${num(span.first.listed)} till ${num(span.last.listed)}. Samma siffror finns i tabellen under diagrammet.`}
              option={trend}
              testId="chart-trend"
              table={
                <DataTable
                  caption="Ersättning och listade per månad"
                  columns={[
                    monthColumn('month', 'Månad', 'month', { rowHeader: true }),
                    amountColumn('total', 'Ersättning', 'total_ore'),
                    numberColumn('listed', 'Listade', 'listed'),
                    { key: 'units', header: 'Enheter', value: (m) => m.units, numeric: true },
                    {
                      key: 'status',
                      header: 'Status',
                      value: (m) => m.status,
                      render: (m) => <StatusBadge status={m.status} />,
                    },
                  ]}
                  rows={o.months}
                  rowKey={(m) => m.month}
                />
              }
            />
          )}
        </section>
        <section className="card">
          {components && (
            <Chart
              title={`Ersättning per komponent, ${monthLabel(o.month)}`}
              description={`Liggande stapeldiagram med ${count(o.components.length, 'komponent', 'komponenter')}. ${o.components
                .slice(0, 3)
                .map((c) => `${c.label}: ${kr(c.amount_ore)}`)
                .join('; ')}. Alla komponenter finns i tabellen under diagrammet.`}
              option={components}
              height={Math.max(240, o.components.length * 34 + 40)}
              testId="chart-components"
              table={
                <DataTable
                  caption="Ersättning per komponent"
                  columns={[
                    nameColumn('label', 'Komponent', 'label'),
                    amountColumn('amount', 'Belopp', 'amount_ore'),
                    shareOfColumn('share', 'Andel', 'amount_ore', o.total_ore),
                  ]}
                  rows={o.components}
                  rowKey={(c) => c.component}
                />
              }
            />
          )}
        </section>
      </div>

      {o.ownership.length > 1 && (
        <Card title="Per ägarform">
          <div className="split">
            {ownership && (
              <Chart
                title="Ersättning per ägarform"
                description={`Stapeldiagram: ${o.ownership.map((x) => `${ownershipLabel(x.ownership)} ${kr(x.amount_ore)}`).join('; ')}.`}
                option={ownership}
                height={260}
              />
            )}
            <DataTable
              caption="Per ägarform"
              captionHidden
              columns={[
                { key: 'o', header: 'Ägarform', value: (x) => ownershipLabel(x.ownership), rowHeader: true },
                { key: 'units', header: 'Enheter', value: (x) => x.units, numeric: true },
                numberColumn('listed', 'Listade', 'listed'),
                perListedColumn('amount_ore', 'listed'),
                amountColumn('amount', 'Ersättning', 'amount_ore'),
              ]}
              rows={o.ownership}
              rowKey={(x) => x.ownership}
            />
          </div>
        </Card>
      )}

      <Card title="Per vårdenhet">
        <DataTable
          caption={`Ersättning per vårdenhet, ${monthLabel(o.month)}`}
          captionHidden
          columns={[
            {
              key: 'name',
              header: 'Enhet',
              value: (u) => u.name,
              rowHeader: true,
              render: (u) => (
                <Link href={`/utbetalningar/${u.run_id}/enheter/${encodeURIComponent(u.unit_id)}`}>
                  {u.name}
                </Link>
              ),
            },
            { key: 'o', header: 'Ägarform', value: (u) => ownershipLabel(u.ownership) },
            numberColumn('listed', 'Listade', 'listed'),
            perListedColumn('total_ore', 'listed'),
            amountColumn('total', 'Ersättning', 'total_ore'),
          ]}
          rows={o.units}
          rowKey={(u) => `${u.run_id}-${u.unit_id}`}
          initialSort={{ key: 'total', dir: 'desc' }}
          filter={unitSearch}
          tall
        />
      </Card>
    </>
  );
}
