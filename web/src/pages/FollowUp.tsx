import { useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, fetchAll, type Run } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable, type Column } from '../components/DataTable';
import { Card, ErrorMessage, Loading, PageHeader, SelectField, Stat, WhenLoaded } from '../components/ui';
import { count, kr, monthLabel, pct, SMALL_COUNT_NOTE } from '../format';
import type { ResponseOf, Schemas } from '../api/types';
import { useApi, useLoad, useTitle } from '../hooks';
import { setQuery, useLocation } from '../router';
import { can, useSession } from '../session';
import { MorbidityCard } from './FollowUpMorbidity';
import { nameColumn, unitSearch } from '../components/columns';

/**
 * Uppföljning: indicator trends per vårdvalssystem (for the whole system and per unit), and
 * requirement conformance per unit with each requirement's source. A differentiated region shows
 * its systems side by side. Charts have the same figures as tables beside them.
 */

type Indicators = Schemas['FollowUpIndicators'];
type Series = Indicators['systems'][number]['indicators'][number];
type Point = Series['region'][number];
type Conformance = Schemas['FollowUpConformance'];
type ConformanceUnit = Conformance['systems'][number]['units'][number];
type Status = ConformanceUnit['checks'][number]['status'];
type Choice = ResponseOf<'/api/followup/systems', 'get'>['items'][number];

const STATUS_TEXT: Record<Status, string> = { met: 'Uppfyllt', not_met: 'Ej uppfyllt', unknown: 'Okänt' };
const STATUS_CLASS: Record<Status, string> = { met: 'approved', not_met: 'rejected', unknown: 'neutral' };
const share = (v: number | null) => (v === null ? '–' : pct(v));
const periodLabel = (p: Point) =>
  p.from.slice(0, 7) === p.to.slice(0, 7) ? monthLabel(p.from.slice(0, 7)) : `${p.from}–${p.to}`;

export function StatusTag({ status }: { status: Status }) {
  return <span className={`badge ${STATUS_CLASS[status]}`}>{STATUS_TEXT[status]}</span>;
}

/** How many units get a line of their own beside the system's: few, so the chart stays readable. */
const UNIT_LINES = 3;

/** The units furthest from the goal in the latest period (lowest, or highest when lower is better). */
function unitsToDraw(s: Series): Series['units'] {
  const last = (u: Series['units'][number]) => u.points[u.points.length - 1]?.value ?? null;
  return s.units
    .filter((u) => last(u) !== null)
    .sort((a, b) => (s.direction === 'lower' ? last(b)! - last(a)! : last(a)! - last(b)!))
    .slice(0, UNIT_LINES);
}

/** A thick line for the system, thin lines for the few units furthest from the goal, the target dashed. */
function trendOption(s: Series): ChartOption {
  const labels = s.region.map(periodLabel);
  const units = unitsToDraw(s);
  return {
    grid: { left: 50, right: 20, top: 50, bottom: 40 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null ? '–' : pct(Number(v))) },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => pct(v) } },
    series: [
      {
        type: 'line',
        name: 'Hela systemet',
        data: s.region.map((p) => p.value),
        lineStyle: { width: 4 },
        symbolSize: 8,
        markLine:
          s.target === null
            ? undefined
            : {
                symbol: 'none',
                label: { formatter: `Mål ${pct(s.target)}` },
                lineStyle: { type: 'dashed', color: '#46515c' },
                data: [{ yAxis: s.target }],
              },
      },
      ...units.map((u) => ({
        type: 'line',
        name: u.name,
        data: u.points.map((p) => p.value),
        lineStyle: { width: 1.5 },
        symbolSize: 5,
      })),
    ],
  };
}

/** The system's figures per period, beside its chart. */
function SystemTable({ s }: { s: Series }) {
  return (
    <DataTable
      caption={`${s.label}, hela systemet`}
      captionHidden
      rows={s.region}
      rowKey={(p) => p.from}
      columns={[
        { key: 'period', header: 'Period', value: (p) => p.from, render: periodLabel, rowHeader: true },
        {
          key: 'value',
          header: 'Värde',
          value: (p) => p.value,
          render: (p) => share(p.value),
          numeric: true,
        },
        {
          key: 'of',
          header: 'Antal',
          value: (p) => p.denominator,
          render: (p) => `${count(p.numerator)} av ${count(p.denominator)}`,
          numeric: true,
        },
      ]}
    />
  );
}

function IndicatorCard({ s }: { s: Series }) {
  const last = s.region[s.region.length - 1];
  const drawn = unitsToDraw(s);
  const rows = [{ unit_id: '', name: 'Hela systemet', points: s.region }, ...s.units];
  const columns: Column<(typeof rows)[number]>[] = [
    nameColumn('name', 'Enhet', 'name'),
    ...s.region.map((p, k) => ({
      key: `p${k}`,
      header: periodLabel(p),
      value: (r: (typeof rows)[number]) => r.points[k]?.value ?? null,
      render: (r: (typeof rows)[number]) => {
        const q = r.points[k];
        if (!q) return '–';
        if (q.value === null && (q.numerator === null || q.denominator === null)) return '<5';
        return <span title={`${count(q.numerator)} av ${count(q.denominator)}`}>{share(q.value)}</span>;
      },
      numeric: true,
    })),
  ];
  return (
    <section className="card" aria-labelledby={`ind-${s.id}`}>
      <h4 id={`ind-${s.id}`}>{s.label}</h4>
      <p className="explanation">
        {s.computed ? 'Beräknas ur besöks-, listnings- och händelsedata' : 'Importerad (indicators.csv)'}
        {`, per ${s.period_months === 12 ? 'år' : s.period_months === 1 ? 'månad' : `${s.period_months} månader`}`}
        {s.target !== null && `; mål ${pct(s.target)}`}
        {s.floor !== null && `, golv ${pct(s.floor)}`}. Källa: {s.source}
      </p>
      {s.region.length === 0 ? (
        <p>Ingen hel period i det valda intervallet.</p>
      ) : (
        <Chart
          title={`${s.label} per period`}
          description={`Linjediagram över ${s.region.length} perioder. Hela systemet senast ${share(last?.value ?? null)}${s.target !== null ? ` mot målet ${pct(s.target)}` : ''}.${drawn.length > 0 ? ` Tunna linjer: ${drawn.length === 1 ? 'enheten' : `de ${drawn.length} enheter`} som senast låg längst från målet (${drawn.map((u) => u.name).join(', ')}).` : ''} Alla ${s.units.length} enheters värden finns i tabellen.`}
          option={trendOption(s)}
          height={260}
          testId={`chart-${s.id}`}
          aside={<SystemTable s={s} />}
          table={
            <DataTable
              caption={`${s.label} per enhet och period`}
              captionHidden
              columns={columns}
              rows={rows}
              rowKey={(r) => r.unit_id || 'region'}
            />
          }
        />
      )}
    </section>
  );
}

function ConformanceTable({ system }: { system: Conformance['systems'][number] }) {
  const requirements = system.units[0]?.checks ?? [];
  const columns: Column<ConformanceUnit>[] = [
    nameColumn('name', 'Enhet', 'name'),
    { key: 'listed', header: 'Listade', value: (u) => u.listed, numeric: true },
    ...requirements.map((r, k) => ({
      key: r.requirement,
      header: r.requirement.replace(/_/g, ' '),
      value: (u: ConformanceUnit) => u.checks[k]?.status,
      render: (u: ConformanceUnit) => {
        const c = u.checks[k];
        if (!c) return null;
        return (
          <span title={`${c.reason}. Krav: ${c.expected}. Källa: ${c.source}`}>
            <StatusTag status={c.status} />
          </span>
        );
      },
    })),
    {
      key: 'penalty',
      header: 'Föreslaget vite',
      value: (u) => u.penalties.reduce((s, p) => s + p.amount_ore, 0),
      render: (u) => kr(u.penalties.reduce((s, p) => s + p.amount_ore, 0)),
      numeric: true,
    },
  ];
  return (
    <>
      <DataTable
        caption={`Kravuppföljning per enhet${system.scope ? `, ${system.scope}` : ''}`}
        columns={columns}
        rows={system.units}
        rowKey={(u) => u.unit_id}
        filter={unitSearch}
        empty="Inga enheter att visa"
        testId="conformance-units"
      />
      {requirements.length > 0 && (
        <details>
          <summary>Kraven och deras källor</summary>
          <dl className="requirements">
            {requirements.map((r) => (
              <div key={r.requirement}>
                <dt>
                  {r.requirement.replace(/_/g, ' ')} ({r.level === 'ska' ? 'krav' : 'rekommendation'}):{' '}
                  {r.expected}
                </dt>
                <dd>
                  {r.text} <em>Källa: {r.source}</em>
                </dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </>
  );
}

function RequirementCounts({ system }: { system: Conformance['systems'][number] }) {
  return (
    <DataTable
      caption={`Antal enheter per krav${system.scope ? `, ${system.scope}` : ''}`}
      rows={system.requirements}
      rowKey={(r) => r.requirement}
      columns={[
        {
          key: 'r',
          header: 'Krav',
          value: (r) => r.requirement,
          render: (r) => <span title={r.text}>{r.requirement.replace(/_/g, ' ')}</span>,
          rowHeader: true,
        },
        { key: 'met', header: 'Uppfyllt', value: (r) => r.counts.met, numeric: true },
        { key: 'not', header: 'Ej uppfyllt', value: (r) => r.counts.not_met, numeric: true },
        { key: 'unk', header: 'Okänt', value: (r) => r.counts.unknown, numeric: true },
        { key: 'src', header: 'Källa', value: (r) => r.source },
      ]}
    />
  );
}

type Fact = [key: string, label: string, kind: 'number' | 'boolean'];
/** The facts a unit reports (the first is the form's default). */
const FACTS: [Fact, ...Fact[]] = [
  ['opening_hours_per_week', 'Öppettider (timmar per vecka)', 'number'],
  ['psychologist', 'Tillgång till psykolog', 'boolean'],
  ['digital_contact', 'Digitala kontaktvägar (chatt och video)', 'boolean'],
  ['web_bookable_share', 'Andel tidböcker i webbtidbok (0–1)', 'number'],
  ['health_dialogues', 'Erbjuder hälsosamtal', 'boolean'],
];

function ReportFact({ units, onDone }: { units: { unit_id: string; name: string }[]; onDone: () => void }) {
  const [unit, setUnit] = useState('');
  const [fact, setFact] = useState(FACTS[0][0]);
  const [value, setValue] = useState('');
  const [from, setFrom] = useState(new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const kind = FACTS.find((f) => f[0] === fact)![2];
  const unitValue = unit || units[0]?.unit_id || '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    try {
      await api('/api/followup/facts', {
        method: 'POST',
        json: {
          unit_id: unitValue,
          fact,
          value: kind === 'boolean' ? value === 'ja' : Number(value.replace(',', '.')),
          valid_from: from,
        },
      });
      setDone('Uppgiften är registrerad.');
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form onSubmit={submit} className="form-row" aria-label="Rapportera en uppgift om en enhet">
      <SelectField
        label="Enhet"
        value={unitValue}
        onChange={setUnit}
        options={units.map((u) => [u.unit_id, u.name])}
      />
      <SelectField label="Uppgift" value={fact} onChange={setFact} options={FACTS.map(([k, t]) => [k, t])} />
      {kind === 'boolean' ? (
        <SelectField
          label="Värde"
          value={value || 'ja'}
          onChange={setValue}
          options={[
            ['ja', 'Ja'],
            ['nej', 'Nej'],
          ]}
        />
      ) : (
        <div className="field">
          <label htmlFor="fact-value">Värde</label>
          <input
            id="fact-value"
            inputMode="decimal"
            required
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="fact-from">Gäller från</label>
        <input id="fact-from" type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <button type="submit" className="button">
        Registrera
      </button>
      {done && (
        <p role="status" className="ok-text">
          {done}
        </p>
      )}
      {error && <ErrorMessage error={error} title="Uppgiften kunde inte registreras" />}
    </form>
  );
}

export function FollowUpPage() {
  useTitle('Uppföljning');
  const { me } = useSession();
  const { query } = useLocation();
  const setup = useLoad('followup-setup', async (signal) => {
    const [choices, runs] = await Promise.all([
      api<{ items: Choice[] }>('/api/followup/systems', { signal }),
      fetchAll<Run>('/api/runs', signal),
    ]);
    const latest = [...runs].sort((a, b) => b.month.localeCompare(a.month) || b.id - a.id)[0];
    return {
      choices: choices.items,
      months: [...new Set(runs.map((r) => r.month))].sort(),
      latestRulebook: latest?.rulebook_id,
    };
  });
  const choices = setup.data?.choices ?? [];
  const months = setup.data?.months ?? [];
  // One system by default (the one the latest run paid): a differentiated region's systems side by
  // side are a choice, not the first view.
  const latestRun = setup.data?.latestRulebook;
  const single = choices.filter((c) => !c.differentiated);
  const first =
    single.find((c) => latestRun && c.label.endsWith(`(${latestRun})`)) ?? single[0] ?? choices[0];
  const ids = query.get('system') ?? first?.version_ids.join(',') ?? '';
  const from = query.get('from') ?? months[0] ?? '';
  const to = query.get('to') ?? months[months.length - 1] ?? '';
  const month = query.get('month') ?? to;
  const ready = ids && from && to;
  const indicators = useApi<Indicators>(
    ready ? `/api/followup/indicators?version_ids=${ids}&from=${from}&to=${to}` : null,
  );
  const conformance = useApi<Conformance>(
    ready ? `/api/followup/conformance?version_ids=${ids}&month=${month}` : null,
  );
  const q = `version_ids=${ids}&from=${from}&to=${to}`;
  const analyst = me.role === 'analyst';
  const systems = indicators.data?.systems ?? [];
  const reportUnits = useMemo(
    () =>
      (conformance.data?.systems ?? []).flatMap((s) =>
        s.units.map((u) => ({ unit_id: u.unit_id, name: u.name })),
      ),
    [conformance.data],
  );

  return (
    <>
      <PageHeader
        title="Uppföljning"
        lead="Indikatorer per period för hela vårdvalssystemet och per enhet, och uppföljning av regelbokens mätbara krav per enhet med källa. Beräknade indikatorer är samma värden som den målrelaterade ersättningen betalar."
      >
        {ready && (
          <>
            <a className="button secondary" href={`/api/followup/export/csv?${q}`} download>
              Ladda ned CSV
            </a>
            <a className="button secondary" href={`/api/followup/export/xlsx?${q}`} download>
              Ladda ned Excel
            </a>
          </>
        )}
      </PageHeader>
      <Card title="Välj system och period">
        <WhenLoaded state={setup} what="vårdvalssystemen">
          {() => (
            <div className="form-row">
              <SelectField
                label="Vårdvalssystem"
                value={ids}
                onChange={(v) => setQuery({ system: v })}
                options={choices.map((c) => [c.version_ids.join(','), c.label])}
                hint="Ett system i taget; ett differentierat vårdval visar sina system sida vid sida."
              />
              <SelectField
                label="Från"
                value={from}
                onChange={(v) => setQuery({ from: v })}
                options={months.map((m) => [m, monthLabel(m)])}
              />
              <SelectField
                label="Till"
                value={to}
                onChange={(v) => setQuery({ to: v })}
                options={months.map((m) => [m, monthLabel(m)])}
              />
              <SelectField
                label="Kravuppföljning för månaden"
                value={month}
                onChange={(v) => setQuery({ month: v })}
                options={months.map((m) => [m, monthLabel(m)])}
              />
            </div>
          )}
        </WhenLoaded>
      </Card>

      <h2>Indikatorer</h2>
      {indicators.error && <ErrorMessage error={indicators.error} />}
      {indicators.loading && <Loading what="indikatorerna" />}
      {analyst && (
        <p className="explanation">
          Som analytiker ser du systemens samlade värden, inte enskilda enheter. {SMALL_COUNT_NOTE} En andel
          av färre än 5 visas inte heller.
        </p>
      )}
      <div className={systems.length > 1 ? 'systems side-by-side' : 'systems'} data-testid="followup-systems">
        {systems.map((s) => (
          <section key={s.version_id} aria-labelledby={`sys-${s.version_id}`}>
            <h3 id={`sys-${s.version_id}`}>{s.scope ?? s.title}</h3>
            <p className="explanation">
              {s.scope ? `${s.title}, ` : ''}
              {s.rulebook_id}, {s.units} enheter
            </p>
            {s.indicators.map((ind) => (
              <IndicatorCard key={ind.id} s={ind} />
            ))}
          </section>
        ))}
      </div>

      {from && to && <MorbidityCard from={from} to={to} />}

      <h2>Kravuppföljning {conformance.data && monthLabel(conformance.data.month)}</h2>
      {conformance.error && <ErrorMessage error={conformance.error} />}
      {conformance.loading && <Loading what="kravuppföljningen" />}
      <div className={(conformance.data?.systems.length ?? 0) > 1 ? 'systems side-by-side' : 'systems'}>
        {conformance.data?.systems.map((s) => (
          <section key={s.version_id} className="card" aria-labelledby={`conf-${s.version_id}`}>
            <h3 id={`conf-${s.version_id}`}>{s.scope ?? s.title}</h3>
            <dl className="stats">
              <Stat
                label="Föreslagna viten"
                value={kr(s.proposed_penalties_ore)}
                sub="ett vite per ej uppfyllt ska-krav"
              />
            </dl>
            {!analyst && <ConformanceTable system={s} />}
            {s.requirements.length > 0 && <RequirementCounts system={s} />}
          </section>
        ))}
      </div>

      {can(me.role, 'reportFacts') && reportUnits.length > 0 && (
        <Card title="Rapportera en uppgift om en enhet">
          <p className="explanation">
            Uppgifterna (öppettider, kompetenser, kontaktvägar) prövas mot kraven från det datum de gäller.
            Varje rapport loggas.
          </p>
          <ReportFact units={reportUnits} onDone={conformance.reload} />
        </Card>
      )}
    </>
  );
}
