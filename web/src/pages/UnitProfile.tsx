import { useMemo } from 'react';
import { barTooltip, Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Card, ErrorMessage, Loading } from '../components/ui';
import { CONNECTION_FORM, count, date, monthLabel, num, pct, ruralLabel, SMALL_COUNT_NOTE } from '../format';
import type { Schemas } from '../api/types';
import { useApi } from '../hooks';
import { Link } from '../router';
import { countColumn, dateColumn, nameColumn, shareOfColumn } from '../components/columns';

/** A count of listed persons; null when it is 1–4 and the reader is an analyst (shown as <5). */
type Count = number | null;

type Profile = Schemas['UnitProfile'];

/** The sum of counts; "minst" (at least) when some are not shown. */
function sumText(values: Count[]): string {
  const known = values.reduce<number>((a, v) => a + (v ?? 0), 0);
  return values.includes(null) ? `minst ${num(known)}` : num(known);
}

/** The listed persons per comorbidity score band (the open Charlson grouper), and their mean score. */
function Morbidity({ m }: { m: NonNullable<Profile['morbidity']> }) {
  return (
    <>
      <DataTable
        caption="Listade per samsjuklighetspoäng"
        rows={m.bands}
        rowKey={(b) => b.label}
        columns={[
          nameColumn('band', 'Charlsonpoäng', 'label'),
          countColumn('n', 'Listade', 'count'),
          shareOfColumn('share', 'Andel', 'count', m.listed),
        ]}
      />
      <p className="explanation">
        Samsjuklighet enligt Charlson (svensk ICD-10-anpassning, vikter från 1987) ur diagnoserna på de
        listades besök vid alla enheter under de {m.window_months} hela månaderna före månaden.
        {m.mean_score !== null && ` Medelpoäng: ${m.mean_score.toFixed(2).replace('.', ',')}.`}
      </p>
    </>
  );
}

const SUB_STATUS: Record<string, string> = { reported: 'Anmäld', approved: 'Godkänd', refused: 'Avslagen' };

/** Who is listed at the unit, and what it is connected through: the lower half of a unit's page. */
export function UnitProfile({ unitId }: { unitId: string }) {
  const profile = useApi<Profile>(`/api/ui/units/${encodeURIComponent(unitId)}/profile`);
  const p = profile.data;

  const pyramid = useMemo<ChartOption>(() => {
    const bands = p?.age_sex ?? [];
    return {
      grid: { left: 60, right: 30, top: 30, bottom: 30 },
      legend: { top: 0 },
      tooltip: barTooltip((v: unknown) => num(Math.abs(Number(v)))),
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => num(Math.abs(v)) } },
      yAxis: { type: 'category', data: bands.map((b) => b.label), axisTick: { show: false } },
      series: [
        // Women to the left (negative), men to the right, as a population pyramid is read.
        { name: 'Kvinnor', type: 'bar', stack: 'kon', data: bands.map((b) => -(b.F ?? 0)) },
        { name: 'Män', type: 'bar', stack: 'kon', data: bands.map((b) => b.M ?? 0) },
      ],
    };
  }, [p]);

  const need = useMemo<ChartOption>(() => {
    const bands = p?.cni.bands ?? [];
    return {
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => num(Number(v)) },
      xAxis: { type: 'category', data: bands.map((b) => b.label) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => num(v) } },
      series: [{ name: 'Listade', type: 'bar', data: bands.map((b) => b.count ?? 0) }],
    };
  }, [p]);

  if (profile.error) return <ErrorMessage error={profile.error} title="Enhetens listade kan inte visas" />;
  if (!p) return <Loading what="enhetens listade" />;
  const women = sumText(p.age_sex.map((b) => b.F));
  const men = sumText(p.age_sex.map((b) => b.M));
  const old = p.age_sex.slice(13).flatMap((b) => [b.F, b.M, b.unknown]);
  const oldest = old.includes(null) ? null : old.reduce<number>((n, v) => n + (v ?? 0), 0);
  const hidden = [
    ...p.age_sex.flatMap((b) => [b.F, b.M, b.unknown]),
    p.listed,
    p.cni.missing,
    ...p.cni.bands.map((b) => b.count),
    ...p.rural.map((r) => r.count),
    ...(p.morbidity?.bands.map((b) => b.count) ?? []),
  ].includes(null);
  const listed = p.listed ?? 0;

  return (
    <>
      <Card title={<>Listade {monthLabel(p.month).toLowerCase()}</>}>
        <p>
          {count(p.listed, 'listad', 'listade')} på brytdagen {date(p.cutoff)}: {women}{' '}
          {women === '1' ? 'kvinna' : 'kvinnor'}, {men} {men === '1' ? 'man' : 'män'}
          {listed > 0 && oldest !== null && `, ${pct(oldest / listed)} är 65 år eller äldre`}.{' '}
          {p.cni.mean !== null &&
            `Genomsnittligt CNI i deras områden: ${p.cni.mean.toFixed(2).replace('.', ',')}.`}
        </p>
        {hidden && <p className="explanation">{SMALL_COUNT_NOTE}</p>}
        {(p.listed === null || p.listed > 0) && (
          <div className="grid">
            <Chart
              title="Ålder och kön"
              description={`Befolkningspyramid för enhetens ${count(p.listed)} listade: ${women} kvinnor till vänster och ${men} män till höger, i femårsgrupper.`}
              option={pyramid}
              height={420}
              testId="chart-age-pyramid"
              table={
                <DataTable
                  caption="Listade per åldersgrupp och kön"
                  rows={p.age_sex}
                  rowKey={(b) => b.label}
                  columns={[
                    nameColumn('age', 'Ålder', 'label'),
                    countColumn('f', 'Kvinnor', 'F'),
                    countColumn('m', 'Män', 'M'),
                    countColumn('u', 'Okänt kön', 'unknown'),
                  ]}
                />
              }
            />
            <div>
              <Chart
                title="Vårdbehov (CNI i bostadsområdet)"
                description={`Stapeldiagram: listade per CNI-intervall; ${count(p.cni.missing)} saknar CNI.`}
                option={need}
                height={240}
                testId="chart-cni"
                table={
                  <DataTable
                    caption="Listade per CNI-intervall"
                    rows={p.cni.bands}
                    rowKey={(b) => b.label}
                    columns={[nameColumn('band', 'CNI', 'label'), countColumn('n', 'Listade', 'count')]}
                  />
                }
              />
              <DataTable
                caption="Listade per landsbygdsklass"
                rows={p.rural}
                rowKey={(r) => r.rural_class ?? 'okänd'}
                columns={[
                  {
                    key: 'class',
                    header: 'Landsbygdsklass',
                    value: (r) => r.rural_class ?? '',
                    render: (r) => (r.rural_class ? ruralLabel(r.rural_class) : 'Okänd'),
                    rowHeader: true,
                  },
                  countColumn('n', 'Listade', 'count'),
                  shareOfColumn('share', 'Andel', 'count', p.listed),
                ]}
              />
              {p.morbidity && <Morbidity m={p.morbidity} />}
            </div>
          </div>
        )}
      </Card>
      <div className="grid">
        <Card title="Avtal">
          <DataTable
            caption="Enhetens avtal"
            captionHidden
            rows={p.contracts}
            rowKey={(c) => String(c.id)}
            empty="Inga avtal registrerade för enheten eller vårdgivaren."
            columns={[
              {
                key: 'form',
                header: 'Anslutningsform',
                value: (c) => c.connection_form,
                render: (c) => CONNECTION_FORM[c.connection_form] ?? c.connection_form,
                rowHeader: true,
              },
              {
                key: 'rb',
                header: 'Regelbok',
                value: (c) => c.rulebook_id ?? '',
                render: (c) => c.rulebook_id ?? '–',
              },
              dateColumn('from', 'Från', 'start_date'),
              {
                key: 'to',
                header: 'Till',
                value: (c) => c.end_date ?? '9999',
                render: (c) => (c.end_date ? date(c.end_date) : 'tills vidare'),
              },
            ]}
          />
        </Card>
        <Card title="Filialer och underleverantörer">
          {p.branches.length === 0 ? (
            <p>Enheten har inga filialer.</p>
          ) : (
            <ul>
              {p.branches.map((b) => (
                <li key={b.unit_id}>
                  <Link href={`/enheter/${encodeURIComponent(b.unit_id)}`}>{b.name}</Link>
                  {b.end_date && ` (stängd ${date(b.end_date)})`}
                </li>
              ))}
            </ul>
          )}
          <DataTable
            caption="Underleverantörer"
            rows={p.subcontractors}
            rowKey={(s) => String(s.id)}
            empty="Inga underleverantörer anmälda."
            columns={[
              nameColumn('name', 'Underleverantör', 'name'),
              { key: 'services', header: 'Tjänster', value: (s) => s.services },
              {
                key: 'status',
                header: 'Status',
                value: (s) => s.status,
                render: (s) =>
                  `${SUB_STATUS[s.status] ?? s.status}${s.decided_at ? ` ${date(s.decided_at)}` : ''}`,
              },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
