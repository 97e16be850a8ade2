import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  api,
  ApiError,
  fetchAll,
  type Run,
  type RulebookVersion,
  type Simulation,
  type SimulationTotal,
} from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable, type Column } from '../components/DataTable';
import { Diff, ErrorMessage, Loading, PageHeader, SelectField, Stat } from '../components/ui';
import { kr, krCompact, krDiff, monthLabel, num, ownershipLabel, pct, pctDiff, ruralLabel } from '../format';
import { useLoad, useTitle } from '../hooks';
import { versionName } from './Rulebooks';

const diffShare = (t: { base_ore: number; diff_ore: number }) =>
  t.base_ore ? t.diff_ore / t.base_ore : null;

function totalsColumns(label: string, name: (k: string) => string): Column<SimulationTotal>[] {
  return [
    { key: 'key', header: label, value: (t) => name(t.key), rowHeader: true },
    { key: 'units', header: 'Enheter', value: (t) => t.units, numeric: true },
    {
      key: 'base',
      header: 'Nuvarande',
      value: (t) => t.base_ore,
      render: (t) => kr(t.base_ore),
      numeric: true,
    },
    {
      key: 'scenario',
      header: 'Scenario',
      value: (t) => t.scenario_ore,
      render: (t) => kr(t.scenario_ore),
      numeric: true,
    },
    {
      key: 'diff',
      header: 'Skillnad',
      value: (t) => t.diff_ore,
      render: (t) => <Diff ore={t.diff_ore}>{krDiff(t.diff_ore)}</Diff>,
      numeric: true,
    },
    {
      key: 'pct',
      header: 'Skillnad %',
      value: (t) => diffShare(t),
      render: (t) => {
        const s = diffShare(t);
        return s === null ? '–' : <Diff ore={t.diff_ore}>{pctDiff(s)}</Diff>;
      },
      numeric: true,
    },
  ];
}

function totalsChart(list: SimulationTotal[], name: (k: string) => string): ChartOption {
  return {
    grid: { left: 90, right: 20, top: 40, bottom: 30 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => kr(Number(v) * 100),
    },
    xAxis: { type: 'category', data: list.map((t) => name(t.key)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => krCompact(v * 100) } },
    series: [
      { type: 'bar', name: 'Nuvarande', data: list.map((t) => t.base_ore / 100), barMaxWidth: 50 },
      { type: 'bar', name: 'Scenario', data: list.map((t) => t.scenario_ore / 100), barMaxWidth: 50 },
    ],
  };
}

export function SimulationPage() {
  useTitle('Simulering');
  const setup = useLoad('simulation-setup', async (signal) => {
    const [versions, runs] = await Promise.all([
      api<{ items: RulebookVersion[] }>('/api/rulebooks', { signal }),
      fetchAll<Run>('/api/runs', signal),
    ]);
    return {
      versions: versions.items.filter((v) => v.status === 'published'),
      months: [...new Set(runs.map((r) => r.month))].sort().reverse(),
    };
  });
  const versions = setup.data?.versions ?? [];
  const months = setup.data?.months ?? [];
  const [base, setBase] = useState('');
  const [scenario, setScenario] = useState('');
  const [month, setMonth] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [result, setResult] = useState<Simulation | undefined>();
  const resultRef = useRef<HTMLHeadingElement>(null);
  const [neutral, setNeutral] = useState(false);
  // Components to scale once the officer has chosen; until then the default (all but penalties,
  // VAT and the lines computed from others).
  const [scale, setScale] = useState<string[] | undefined>();
  const neutralId = useId();
  const scalable = result?.components.filter((c) => c.scalable) ?? [];
  const scaled = (id: string) =>
    scale ? scale.includes(id) : (result?.budget_neutral?.scaled_components.includes(id) ?? true);
  const toggleScaled = (id: string, on: boolean) =>
    setScale(scalable.map((c) => c.component).filter((c) => (c === id ? on : scaled(c))));

  const baseValue = base || String(versions[0]?.id ?? '');
  const scenarioValue =
    scenario || String(versions.find((v) => String(v.id) !== baseValue)?.id ?? versions[0]?.id ?? '');
  const monthValue = month || months[0] || '';

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await api<Simulation>('/api/ui/simulations', {
          method: 'POST',
          json: {
            base_version_id: Number(baseValue),
            scenario_version_id: Number(scenarioValue),
            month: monthValue,
            ...(neutral ? { budget_neutral: true, ...(scale ? { scale } : {}) } : {}),
          },
        }),
      );
    } catch (err) {
      setError(err as ApiError);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  };

  const unitsChart = useMemo<ChartOption | undefined>(() => {
    if (!result) return undefined;
    const sorted = [...result.units].sort((a, b) => a.diff_ore - b.diff_ore);
    return {
      grid: { left: 80, right: 20, top: 20, bottom: sorted.length > 30 ? 60 : 90 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => krDiff(Math.round(Number(v) * 100)),
      },
      xAxis: {
        type: 'category',
        data: sorted.map((u) => u.name),
        axisLabel:
          sorted.length > 30
            ? { show: false }
            : { rotate: 35, width: 140, overflow: 'truncate', interval: 0 },
      },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => krCompact(v * 100) } },
      dataZoom:
        sorted.length > 60 ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 10 }] : undefined,
      series: [
        {
          type: 'bar',
          name: 'Skillnad',
          data: sorted.map((u) => ({
            value: u.diff_ore / 100,
            itemStyle: { color: u.diff_ore < 0 ? '#b3261e' : '#2f7d32' },
          })),
          large: sorted.length > 300,
        },
      ],
    };
  }, [result]);

  type UnitRow = Simulation['units'][number];
  const unitColumns: Column<UnitRow>[] = [
    { key: 'name', header: 'Enhet', value: (u) => u.name, rowHeader: true },
    { key: 'ownership', header: 'Ägarform', value: (u) => ownershipLabel(u.ownership) },
    { key: 'rural', header: 'Områdesklass', value: (u) => ruralLabel(u.rural_class) },
    {
      key: 'base',
      header: 'Nuvarande',
      value: (u) => u.base_ore,
      render: (u) => kr(u.base_ore),
      numeric: true,
    },
    {
      key: 'scenario',
      header: 'Scenario',
      value: (u) => u.scenario_ore,
      render: (u) => kr(u.scenario_ore),
      numeric: true,
    },
    {
      key: 'diff',
      header: 'Skillnad',
      value: (u) => u.diff_ore,
      render: (u) => <Diff ore={u.diff_ore}>{krDiff(u.diff_ore)}</Diff>,
      numeric: true,
    },
    {
      key: 'pct',
      header: 'Skillnad %',
      value: (u) => diffShare(u),
      render: (u) => {
        const s = diffShare(u);
        return s === null ? '–' : <Diff ore={u.diff_ore}>{pctDiff(s)}</Diff>;
      },
      numeric: true,
    },
  ];

  const winners = result ? result.units.filter((u) => u.diff_ore > 0).length : 0;
  const losers = result ? result.units.filter((u) => u.diff_ore < 0).length : 0;

  return (
    <>
      <PageHeader
        title="Simulering"
        lead="Samma månad under två regelböcker: vad ändringen betyder för varje vårdenhet, per ägarform och per områdesklass. Inget sparas."
      />
      <section className="card" aria-labelledby="setup-heading">
        <h2 id="setup-heading">Välj regelböcker och månad</h2>
        {setup.error && <ErrorMessage error={setup.error} />}
        {setup.loading && <Loading what="regelböckerna" />}
        {setup.data && (
          <form onSubmit={run} className="form-row">
            <SelectField
              label="Nuvarande regelbok (bas)"
              value={baseValue}
              onChange={setBase}
              options={versions.map((v) => [String(v.id), versionName(v)])}
            />
            <SelectField
              label="Scenario"
              value={scenarioValue}
              onChange={(v) => {
                setScenario(v);
                setScale(undefined);
              }}
              options={versions.map((v) => [String(v.id), versionName(v)])}
              hint="En regelbok för ett annat år tillämpas med sina värden från första giltighetsdagen."
            />
            <SelectField
              label="Månad"
              value={monthValue}
              onChange={setMonth}
              options={months.map((m) => [m, monthLabel(m)])}
              hint="Senaste importens data."
            />
            <fieldset className="rows">
              <legend>Budgetneutralt</legend>
              <div className="field checkbox">
                <input
                  id={neutralId}
                  type="checkbox"
                  role="switch"
                  checked={neutral}
                  onChange={(e) => setNeutral(e.target.checked)}
                />
                <label htmlFor={neutralId}>Skala om så att totalen blir densamma som nu</label>
              </div>
              {neutral &&
                (scalable.length === 0 ? (
                  <p className="hint">
                    Alla komponenter utom viten, momskompensation och rader som räknas på andra rader skalas
                    med samma faktor. Välj komponenter efter första simuleringen.
                  </p>
                ) : (
                  <div className="row" role="group" aria-label="Komponenter att skala">
                    {scalable.map((c) => (
                      <label key={c.component} className="field checkbox">
                        <input
                          type="checkbox"
                          checked={scaled(c.component)}
                          onChange={(e) => toggleScaled(c.component, e.target.checked)}
                        />
                        {c.label}
                      </label>
                    ))}
                  </div>
                ))}
            </fieldset>
            <button type="submit" className="button" disabled={busy || versions.length === 0}>
              {busy ? 'Simulerar …' : 'Simulera'}
            </button>
          </form>
        )}
        {busy && (
          <p role="status" className="loading">
            Beräknar månaden under båda regelböckerna …
          </p>
        )}
      </section>

      {error && <ErrorMessage error={error} title="Simuleringen kunde inte göras" />}

      {result && (
        <>
          <h2 ref={resultRef} tabIndex={-1} data-testid="simulation-heading">
            Resultat för {monthLabel(result.month)}
          </h2>
          <p>
            Bas: {result.base.title} (version {result.base.version}). Scenario: {result.scenario.title}{' '}
            (version {result.scenario.version})
            {result.scenario.parameters_on && `, med värdena som gäller ${result.scenario.parameters_on}`}.
            Data: import {result.batch_id}.
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

          <section className="card" aria-labelledby="sim-units-heading">
            <h2 id="sim-units-heading">Per enhet</h2>
            <DataTable
              caption="Simulering per enhet"
              captionHidden
              columns={unitColumns}
              rows={result.units}
              rowKey={(u) => u.unit_id}
              initialSort={{ key: 'diff', dir: 'desc' }}
              filter={{ label: 'Sök enhet', text: (u) => `${u.name} ${u.unit_id}` }}
              tall
              testId="simulation-units"
            />
          </section>

          <section className="card" aria-labelledby="own-heading">
            <h2 id="own-heading">Per ägarform</h2>
            <div>
              <Chart
                title="Nuvarande och scenario per ägarform"
                description={`Stapeldiagram: ${result.by_ownership.map((t) => `${ownershipLabel(t.key)} ${krDiff(t.diff_ore)}`).join('; ')}.`}
                option={totalsChart(result.by_ownership, ownershipLabel)}
                height={260}
              />
              <DataTable
                caption="Per ägarform"
                captionHidden
                columns={totalsColumns('Ägarform', ownershipLabel)}
                rows={result.by_ownership}
                rowKey={(t) => t.key}
              />
            </div>
          </section>
          <section className="card" aria-labelledby="rural-heading">
            <h2 id="rural-heading">Per områdesklass</h2>
            <p className="explanation">Enhetens områdesklass är den klass där flest av dess listade bor.</p>
            <div>
              <Chart
                title="Nuvarande och scenario per områdesklass"
                description={`Stapeldiagram: ${result.by_rural_class.map((t) => `${ruralLabel(t.key)} ${krDiff(t.diff_ore)}`).join('; ')}.`}
                option={totalsChart(result.by_rural_class, ruralLabel)}
                height={260}
              />
              <DataTable
                caption="Per områdesklass"
                captionHidden
                columns={totalsColumns('Områdesklass', ruralLabel)}
                rows={result.by_rural_class}
                rowKey={(t) => t.key}
              />
            </div>
          </section>

          <section className="card" aria-labelledby="comp-heading">
            <h2 id="comp-heading">Per komponent</h2>
            <DataTable
              caption="Simulering per komponent"
              captionHidden
              rows={result.components}
              rowKey={(c) => c.component}
              initialSort={{ key: 'diff', dir: 'desc' }}
              columns={[
                { key: 'c', header: 'Komponent', value: (c) => c.label, rowHeader: true },
                {
                  key: 'base',
                  header: 'Nuvarande',
                  value: (c) => c.base_ore,
                  render: (c) => kr(c.base_ore),
                  numeric: true,
                },
                {
                  key: 'scenario',
                  header: 'Scenario',
                  value: (c) => c.scenario_ore,
                  render: (c) => kr(c.scenario_ore),
                  numeric: true,
                },
                {
                  key: 'diff',
                  header: 'Skillnad',
                  value: (c) => c.scenario_ore - c.base_ore,
                  render: (c) => (
                    <Diff ore={c.scenario_ore - c.base_ore}>{krDiff(c.scenario_ore - c.base_ore)}</Diff>
                  ),
                  numeric: true,
                },
                {
                  key: 'base_share',
                  header: 'Andel nu',
                  value: (c) => c.base_share,
                  render: (c) => pct(c.base_share),
                  numeric: true,
                },
                {
                  key: 'scenario_share',
                  header: result.budget_neutral ? 'Andel budgetneutralt' : 'Andel scenario',
                  value: (c) => c.scenario_share,
                  render: (c) => pct(c.scenario_share),
                  numeric: true,
                },
              ]}
            />
          </section>
        </>
      )}
    </>
  );
}
