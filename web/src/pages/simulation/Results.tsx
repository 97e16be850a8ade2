import { useMemo, type ReactNode, type Ref } from 'react';
import type { Simulation, SimulationTotal } from '../../api';
import {
  barTooltip,
  Chart,
  kronor,
  kronorAxis,
  kronorDiff,
  PALETTE,
  signedBars,
  type ChartOption,
} from '../../components/Chart';
import { DataTable, type Column } from '../../components/DataTable';
import { Card, Diff, Stat } from '../../components/ui';
import { kr, krDiff, monthLabel, num, ownershipLabel, pct, pctDiff, ruralLabel } from '../../format';
import { useKommuner } from '../../kommuner';
import {
  amountColumn,
  changeColumn,
  diffColumn,
  nameColumn,
  shareColumn,
  unitSearch,
} from '../../components/columns';

/** The simulation's answer as the API gives it, with the kommun of each unit and totals per kommun. */
export type SimulationResult = Omit<Simulation, 'scenario' | 'units'> & {
  scenario: Omit<Simulation['scenario'], 'id'> & { id: number | null };
  units: (Simulation['units'][number] & { kommun: string })[];
  by_kommun: SimulationTotal[];
};

type Compared = { base_ore: number; scenario_ore: number; diff_ore: number };
const diffShare = (t: Compared) => (t.base_ore ? t.diff_ore / t.base_ore : null);

/** Now, under the scenario, and the difference in kronor and per cent: per group and per unit. */
const scenarioColumns: Column<Compared>[] = [
  amountColumn('base', 'Nuvarande', 'base_ore'),
  amountColumn('scenario', 'Scenario', 'scenario_ore'),
  diffColumn('diff', 'Skillnad', 'diff_ore'),
  {
    key: 'pct',
    header: 'Skillnad %',
    value: diffShare,
    render: (t) => {
      const s = diffShare(t);
      return s === null ? '–' : <Diff ore={t.diff_ore}>{pctDiff(s)}</Diff>;
    },
    numeric: true,
  },
];

function totalsColumns(label: string, name: (k: string) => string): Column<SimulationTotal>[] {
  return [
    { key: 'key', header: label, value: (t) => name(t.key), rowHeader: true },
    { key: 'units', header: 'Enheter', value: (t) => t.units, numeric: true },
    ...scenarioColumns,
  ];
}

function totalsChart(list: SimulationTotal[], name: (k: string) => string): ChartOption {
  return {
    grid: { left: 90, right: 20, top: 40, bottom: 30 },
    legend: { top: 0 },
    tooltip: barTooltip(kronor),
    xAxis: { type: 'category', data: list.map((t) => name(t.key)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: kronorAxis } },
    series: [
      { type: 'bar', name: 'Nuvarande', data: list.map((t) => t.base_ore / 100), barMaxWidth: 50 },
      { type: 'bar', name: 'Scenario', data: list.map((t) => t.scenario_ore / 100), barMaxWidth: 50 },
    ],
  };
}

/** Winners and losers: the difference per group, green up and red down, largest gain on top. */
function diffChart(list: SimulationTotal[], name: (k: string) => string): ChartOption {
  const sorted = [...list].sort((a, b) => a.diff_ore - b.diff_ore);
  return {
    grid: { left: 160, right: 30, top: 10, bottom: 30 },
    tooltip: barTooltip(kronorDiff),
    yAxis: {
      type: 'category',
      data: sorted.map((t) => name(t.key)),
      axisLabel: { interval: 0, width: 150, overflow: 'truncate' },
    },
    xAxis: { type: 'value', axisLabel: { formatter: kronorAxis } },
    series: [
      {
        type: 'bar',
        name: 'Skillnad',
        data: signedBars(
          sorted.map((t) => t.diff_ore),
          '#2f7d32',
        ),
      },
    ],
  };
}

/** Each component's share of the total before and after, side by side. */
function sharesChart(result: SimulationResult): ChartOption {
  const list = [...result.components].sort((a, b) => a.base_share - b.base_share);
  return {
    grid: { left: 220, right: 30, top: 40, bottom: 30 },
    legend: { top: 0 },
    tooltip: barTooltip((v: unknown) => pct(Number(v))),
    yAxis: {
      type: 'category',
      data: list.map((c) => c.label),
      axisLabel: { interval: 0, width: 210, overflow: 'truncate' },
    },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => pct(v) } },
    series: [
      { type: 'bar', name: 'Nu', data: list.map((c) => c.base_share), itemStyle: { color: PALETTE[0] } },
      {
        type: 'bar',
        name: result.budget_neutral ? 'Scenario (budgetneutralt)' : 'Scenario',
        data: list.map((c) => c.scenario_share),
        itemStyle: { color: PALETTE[1] },
      },
    ],
  };
}

/** Now and under the scenario per group of units (ownership, area class): a bar chart and its table. */
function GroupTotals({
  group,
  totals,
  name,
  children,
}: {
  group: string;
  totals: SimulationTotal[];
  name: (key: string) => string;
  children?: ReactNode;
}) {
  const per = `Per ${group.toLowerCase()}`;
  return (
    <Card title={per}>
      {children}
      <div>
        <Chart
          title={`Nuvarande och scenario per ${group.toLowerCase()}`}
          description={`Stapeldiagram: ${totals.map((t) => `${name(t.key)} ${krDiff(t.diff_ore)}`).join('; ')}.`}
          option={totalsChart(totals, name)}
          height={260}
        />
        <DataTable
          caption={per}
          captionHidden
          columns={totalsColumns(group, name)}
          rows={totals}
          rowKey={(t) => t.key}
        />
      </div>
    </Card>
  );
}

/** The results of a simulation: totals, winners and losers per unit, ownership, area class and kommun. */
export function SimulationResults({
  result,
  headingRef,
}: {
  result: SimulationResult;
  headingRef: Ref<HTMLHeadingElement>;
}) {
  const kommuner = useKommuner();
  const kommunName = (code: string) => (code ? kommuner.name(code) : 'Okänd kommun');
  const byKommun = result.by_kommun;
  const unitsChart = useMemo<ChartOption>(() => {
    const sorted = [...result.units].sort((a, b) => a.diff_ore - b.diff_ore);
    return {
      grid: { left: 80, right: 20, top: 20, bottom: sorted.length > 30 ? 60 : 90 },
      tooltip: barTooltip(kronorDiff),
      xAxis: {
        type: 'category',
        data: sorted.map((u) => u.name),
        axisLabel:
          sorted.length > 30
            ? { show: false }
            : { rotate: 35, width: 140, overflow: 'truncate', interval: 0 },
      },
      yAxis: { type: 'value', axisLabel: { formatter: kronorAxis } },
      dataZoom:
        sorted.length > 60 ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 10 }] : undefined,
      series: [
        {
          type: 'bar',
          name: 'Skillnad',
          data: signedBars(
            sorted.map((u) => u.diff_ore),
            '#2f7d32',
          ),
          large: sorted.length > 300,
        },
      ],
    };
  }, [result]);

  type UnitRow = SimulationResult['units'][number];
  const unitColumns: Column<UnitRow>[] = [
    nameColumn('name', 'Enhet', 'name'),
    { key: 'ownership', header: 'Ägarform', value: (u) => ownershipLabel(u.ownership) },
    { key: 'rural', header: 'Områdesklass', value: (u) => ruralLabel(u.rural_class) },
    ...scenarioColumns,
    { key: 'kommun', header: 'Kommun', value: (u) => kommunName(u.kommun) },
  ];

  const winners = result.units.filter((u) => u.diff_ore > 0).length;
  const losers = result.units.filter((u) => u.diff_ore < 0).length;

  return (
    <>
      <h2 ref={headingRef} tabIndex={-1} data-testid="simulation-heading">
        Resultat för {monthLabel(result.month)}
      </h2>
      <p>
        Bas: {result.base.title} (version {result.base.version}). Scenario: {result.scenario.title} (version{' '}
        {result.scenario.version})
        {result.scenario.parameters_on && `, med värdena som gäller ${result.scenario.parameters_on}`}. Data:
        import {result.batch_id}.
      </p>
      <dl className="stats">
        <Stat label="Nuvarande" value={kr(result.total.base_ore)} />
        <Stat label="Scenario" value={kr(result.total.scenario_ore)} />
        <Stat
          label="Skillnad"
          value={
            <Diff ore={result.total.diff_ore}>
              <span data-testid="simulation-diff">{krDiff(result.total.diff_ore)}</span>
            </Diff>
          }
          sub={result.total.base_ore ? pctDiff(result.total.diff_ore / result.total.base_ore) : undefined}
        />
        {result.budget_neutral && (
          <Stat
            label="Skalfaktor"
            value={
              <span data-testid="simulation-scale-factor">
                {num(Math.round(result.budget_neutral.scale_factor * 1e4) / 1e4)}
              </span>
            }
            sub={`utan skalning ${kr(result.budget_neutral.scenario_unscaled_total_ore)}`}
          />
        )}
        <Stat
          label="Vinnare och förlorare"
          value={`${winners} / ${losers}`}
          sub="enheter som får mer / mindre"
        />
      </dl>

      <section className="card">
        {unitsChart && (
          <Chart
            title="Skillnad per enhet (scenario minus nuvarande)"
            description={`Stapeldiagram med ${result.units.length} enheter sorterade efter skillnad: ${winners} får mer och ${losers} får mindre. Största ökning ${krDiff(Math.max(0, ...result.units.map((u) => u.diff_ore)))}, största minskning ${krDiff(Math.min(0, ...result.units.map((u) => u.diff_ore)))}. Alla enheter finns i tabellen nedan.`}
            option={unitsChart}
            height={360}
            testId="chart-simulation"
          />
        )}
      </section>

      <Card title="Per enhet">
        <DataTable
          caption="Simulering per enhet"
          captionHidden
          columns={unitColumns}
          rows={result.units}
          rowKey={(u) => u.unit_id}
          initialSort={{ key: 'diff', dir: 'desc' }}
          filter={unitSearch}
          tall
          testId="simulation-units"
        />
      </Card>

      <GroupTotals group="Ägarform" totals={result.by_ownership} name={ownershipLabel} />
      <GroupTotals group="Områdesklass" totals={result.by_rural_class} name={ruralLabel}>
        <p className="explanation">Enhetens områdesklass är den klass där flest av dess listade bor.</p>
      </GroupTotals>

      <Card title="Per kommun">
        <p className="explanation">Enhetens kommun enligt registret.</p>
        <div>
          <Chart
            title="Skillnad per kommun (scenario minus nuvarande)"
            description={`Stapeldiagram över ${byKommun.length} kommuner: ${byKommun.map((t) => `${kommunName(t.key)} ${krDiff(t.diff_ore)}`).join('; ')}.`}
            option={diffChart(byKommun, kommunName)}
            height={Math.max(220, 26 * byKommun.length + 60)}
            testId="chart-kommun"
          />
          <DataTable
            caption="Per kommun"
            captionHidden
            columns={totalsColumns('Kommun', kommunName)}
            rows={byKommun}
            rowKey={(t) => t.key}
            initialSort={{ key: 'diff', dir: 'desc' }}
            testId="simulation-kommuner"
          />
        </div>
      </Card>

      <Card title="Per komponent">
        <Chart
          title="Varje komponents andel av totalen, nu och i scenariot"
          description={`Stapeldiagram: ${result.components.map((c) => `${c.label} ${pct(c.base_share)} nu, ${pct(c.scenario_share)} i scenariot`).join('; ')}.`}
          option={sharesChart(result)}
          height={Math.max(220, 34 * result.components.length + 60)}
          testId="chart-shares"
        />
        <DataTable
          caption="Simulering per komponent"
          captionHidden
          rows={result.components}
          rowKey={(c) => c.component}
          initialSort={{ key: 'diff', dir: 'desc' }}
          columns={[
            nameColumn('c', 'Komponent', 'label'),
            amountColumn('base', 'Nuvarande', 'base_ore'),
            amountColumn('scenario', 'Scenario', 'scenario_ore'),
            changeColumn('diff', 'Skillnad', 'base_ore', 'scenario_ore'),
            shareColumn('base_share', 'Andel nu', 'base_share'),
            shareColumn(
              'scenario_share',
              result.budget_neutral ? 'Andel budgetneutralt' : 'Andel scenario',
              'scenario_share',
            ),
          ]}
        />
      </Card>
    </>
  );
}
