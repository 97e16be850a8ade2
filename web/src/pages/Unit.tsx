import { useMemo } from 'react';
import type { ResponseOf, Schemas } from '../api/types';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Card, Loading, PageFailed, PageHeader, StatusBadge, WhenLoaded } from '../components/ui';
import { count, date, ends, monthLabel, monthShortLabel, num, orgNr, ownershipLabel } from '../format';
import { useKommuner } from '../kommuner';
import { useApi, useTitle } from '../hooks';
import { Link } from '../router';
import { UnitProfile } from './UnitProfile';
import { UnitWhatIf } from './simulation/UnitWhatIf';
import { amountColumn, countColumn, monthColumn, numberColumn } from '../components/columns';

type UnitDetail = ResponseOf<'/api/units/{unitId}', 'get'>;
type History = Schemas['UiUnitStatements'];

export function UnitPage({ params }: { params: { unitId: string } }) {
  const unitId = params.unitId;
  const unit = useApi<UnitDetail>(`/api/units/${encodeURIComponent(unitId)}`);
  const history = useApi<History>(`/api/ui/units/${encodeURIComponent(unitId)}/statements`);
  const u = unit.data;
  useTitle(u ? u.name : 'Vårdenhet');
  const kommuner = useKommuner();
  const crumbs = [{ href: '/enheter', label: 'Vårdenheter' }];

  const listed = useMemo(() => u?.listed_by_month ?? [], [u]);
  const span = ends(listed);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => num(Number(v)) },
      xAxis: { type: 'category', data: listed.map((l) => monthShortLabel(l.month)) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => num(v) } },
      series: [
        {
          type: 'line',
          name: 'Listade',
          data: listed.map((l) => l.listed),
          symbolSize: 8,
          lineStyle: { width: 3 },
        },
      ],
    }),
    [listed],
  );

  if (unit.error) return <PageFailed title="Vårdenheten kan inte visas" crumbs={crumbs} error={unit.error} />;
  if (!u) return <Loading what="enheten" />;

  return (
    <>
      <PageHeader title={u.name} crumbs={crumbs} lead={<code>{u.unit_id}</code>} />
      <div className="grid">
        <Card title="Uppgifter">
          <dl className="facts">
            <dt>HSA-id</dt>
            <dd>{u.unit_id}</dd>
            <dt>Vårdgivare (org.nr)</dt>
            <dd>{orgNr(u.provider_id)}</dd>
            <dt>Ägarform</dt>
            <dd>{ownershipLabel(u.ownership)}</dd>
            <dt>Kommun</dt>
            <dd>{u.kommun ? kommuner.name(u.kommun) : '–'}</dd>
            <dt>Startdatum</dt>
            <dd>{date(u.start_date)}</dd>
            <dt>Slutdatum</dt>
            <dd>{u.end_date ? date(u.end_date) : 'tills vidare'}</dd>
            {u.branch_of && (
              <>
                <dt>Filial till</dt>
                <dd>
                  <Link href={`/enheter/${encodeURIComponent(u.branch_of)}`}>{u.branch_of}</Link>
                </dd>
              </>
            )}
            <dt>Listade senast</dt>
            <dd>{span ? `${count(span.last.listed)} (${monthLabel(span.last.month)})` : '–'}</dd>
          </dl>
        </Card>
        <section className="card">
          {span ? (
            <Chart
              title="Listade per månad"
              description={`Linjediagram: listade vid enheten från ${count(span.first.listed)} i ${monthLabel(span.first.month)} till ${count(span.last.listed)} i ${monthLabel(span.last.month)}.`}
              option={option}
              height={260}
              testId="chart-listed"
              table={
                <DataTable
                  caption="Listade per månad"
                  columns={[
                    monthColumn('m', 'Månad', 'month', { rowHeader: true }),
                    countColumn('n', 'Listade', 'listed'),
                  ]}
                  rows={listed}
                  rowKey={(l) => l.month}
                />
              }
            />
          ) : (
            <p>Inga godkända utbetalningar med listade för enheten ännu.</p>
          )}
        </section>
      </div>
      <UnitProfile unitId={u.unit_id} />
      <UnitWhatIf
        unitId={u.unit_id}
        months={[...new Set((history.data?.items ?? []).map((h) => h.month))].sort().reverse()}
      />
      <Card title="Utbetalningsunderlag">
        <WhenLoaded state={history} what="underlagen">
          {(data) => (
            <DataTable
              caption="Enhetens utbetalningsunderlag"
              captionHidden
              rows={data.items}
              rowKey={(h) => String(h.run_id)}
              initialSort={{ key: 'month', dir: 'desc' }}
              empty="Enheten har inga underlag ännu."
              columns={[
                {
                  key: 'month',
                  header: 'Månad',
                  value: (h) => `${h.month}-${String(h.run_id).padStart(8, '0')}`,
                  rowHeader: true,
                  render: (h) => (
                    <Link href={`/utbetalningar/${h.run_id}/enheter/${encodeURIComponent(u.unit_id)}`}>
                      {monthLabel(h.month)}
                    </Link>
                  ),
                },
                { key: 'run', header: 'Körning', value: (h) => h.run_id },
                {
                  key: 'status',
                  className: 'nowrap',
                  header: 'Status',
                  value: (h) => h.status,
                  render: (h) => (
                    <>
                      <StatusBadge status={h.status} />
                      {h.is_correction && ' korrigering'}
                    </>
                  ),
                },
                numberColumn('listed', 'Listade', 'listed'),
                amountColumn('total', 'Belopp', 'total_ore'),
              ]}
            />
          )}
        </WhenLoaded>
      </Card>
    </>
  );
}
