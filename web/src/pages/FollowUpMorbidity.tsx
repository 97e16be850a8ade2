import { useMemo } from 'react';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable, type Column } from '../components/DataTable';
import { Card, ErrorMessage, Loading } from '../components/ui';
import { monthShortLabel } from '../format';
import type { Schemas } from '../api/types';
import { useApi } from '../hooks';
import { nameColumn } from '../components/columns';

type Morbidity = Schemas['FollowUpMorbidity'];
type Row = Morbidity['units'][number];

const score = (v: number | null): string => (v === null ? '–' : v.toFixed(2).replace('.', ','));

/**
 * The listed populations' morbidity over time: the mean Charlson score per unit and month (the open
 * grouper on the visits' diagnoses), beside the region. The chart has the same figures as the table.
 */
export function MorbidityCard({ from, to }: { from: string; to: string }) {
  const m = useApi<Morbidity>(`/api/followup/morbidity?from=${from}&to=${to}`);
  const d = m.data;
  const option = useMemo<ChartOption>(() => {
    const months = d?.region.map((p) => monthShortLabel(p.month)) ?? [];
    return {
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => score(v as number | null) },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', min: 0, axisLabel: { formatter: (v: number) => score(v) } },
      series: [
        {
          type: 'line',
          name: 'Hela regionen',
          data: d?.region.map((p) => p.mean_score) ?? [],
          lineStyle: { width: 4 },
          symbolSize: 8,
        },
        ...(d?.units ?? []).map((u) => ({
          type: 'line',
          name: u.name,
          data: u.points.map((p) => p.mean_score),
          lineStyle: { width: 1.5 },
          symbolSize: 5,
        })),
      ],
    };
  }, [d]);

  if (m.error) return <ErrorMessage error={m.error} title="Samsjukligheten kan inte visas" />;
  if (!d) return <Loading what="samsjukligheten" />;
  const rows: Row[] = [{ unit_id: '', name: 'Hela regionen', points: d.region }, ...d.units];
  const columns: Column<Row>[] = [
    nameColumn('name', 'Enhet', 'name'),
    ...d.region.map((p, k) => ({
      key: `m${k}`,
      header: monthShortLabel(p.month),
      value: (r: Row) => r.points[k]?.mean_score ?? null,
      render: (r: Row) => score(r.points[k]?.mean_score ?? null),
      numeric: true,
    })),
  ];
  const last = d.region[d.region.length - 1];
  return (
    <Card title="Samsjuklighet bland de listade">
      <p className="explanation">
        Medelpoäng enligt Charlson (svensk ICD-10-anpassning, vikter från 1987) för de listade på varje månads
        brytdag, ur diagnoserna på deras besök vid alla enheter under de {d.window_months} hela månaderna före
        månaden. Räknas ur den senaste importen.
      </p>
      {!d.available ? (
        <p>Besöken i den senaste importen saknar diagnoser (kolumnen diagnoses i visits.csv).</p>
      ) : (
        <Chart
          title="Medelpoäng per månad"
          description={`Linjediagram över ${d.region.length} månader. Hela regionen senast ${score(last?.mean_score ?? null)}; ${d.units.length} enheter; alla värden finns i tabellen.`}
          option={option}
          height={260}
          testId="chart-morbidity"
          table={
            <DataTable
              caption="Medelpoäng per enhet och månad"
              captionHidden
              columns={columns}
              rows={rows}
              rowKey={(r) => r.unit_id || 'region'}
            />
          }
        />
      )}
    </Card>
  );
}
