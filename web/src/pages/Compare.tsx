import { useMemo, useState, type KeyboardEvent } from 'react';
import type { RulebookVersion, Schemas } from '../api/types';
import { barTooltip, Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Card, ErrorMessage, Loading, PageHeader, SelectField } from '../components/ui';
import { useApi, useTitle } from '../hooks';
import { setQuery, useLocation } from '../router';
import { ChangesSection } from './CompareChanges';
import { versionName } from './Rulebooks';
import './Compare.css';
import { TableHead } from '../components/TableHead';

/**
 * Jämförelse: the 21 regions' rulebooks side by side from the seeds. A fact the seeds do not give is
 * "okänt", never ja or nej; every known cell shows its source (seed, section, quote) on hover, focus
 * or click.
 */

type Comparison = Schemas['Comparison'];
type Conformance = Schemas['CompareConformance'];
type Criterion = Comparison['criteria'][number];
type Cell = Comparison['cells'][number];
type AggregateRow = Comparison['aggregates'][number];
type Value = Cell['value'];
type Source = Schemas['CompareSource'];

const numberSv = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });

/** ja, nej, okänt or the number: the only three words a cell may say. */
export function valueText(value: Value): string {
  if (typeof value === 'number') return numberSv.format(value);
  return value === 'yes' ? 'ja' : value === 'no' ? 'nej' : 'okänt';
}

const sourceText = (s: Source) => `${s.seed}, avsnitt ${s.section}: ”${s.quote}”`;

function yearText(c: Criterion): string {
  return c.year ? String(c.year) : 'odaterat';
}

export function ComparePage() {
  useTitle('Jämförelse av regionerna');
  const data = useApi<Comparison>('/api/compare');
  const [selected, setSelected] = useState<Cell | undefined>();

  return (
    <>
      <PageHeader
        title="Jämförelse av regionerna"
        lead="Vad de 21 regionernas förfrågningsunderlag kräver och hur de ersätter, enligt källdokumenten. Det källorna inte anger står som okänt – aldrig som ja eller nej."
      >
        <a className="button secondary small" href="/api/compare/export/xlsx" download>
          Ladda ned Excel
        </a>
        <a className="button secondary small" href="/api/compare/export/facts.csv" download>
          facts.csv
        </a>
        <a className="button secondary small" href="/api/compare/export/aggregates.csv" download>
          aggregates.csv
        </a>
      </PageHeader>
      {data.error && <ErrorMessage error={data.error} />}
      {data.loading && <Loading what="jämförelsen" />}
      {data.data && <CompareBody c={data.data} selected={selected} onSelect={setSelected} />}
    </>
  );
}

function CompareBody({
  c,
  selected,
  onSelect,
}: {
  c: Comparison;
  selected: Cell | undefined;
  onSelect: (cell: Cell) => void;
}) {
  const cellAt = useMemo(
    () => new Map(c.cells.map((x) => [`${x.region_code}|${x.criterion}`, x])),
    [c.cells],
  );
  const aggregateOf = useMemo(() => {
    const m = new Map<string, AggregateRow>();
    for (const a of c.aggregates) {
      const criterion = c.criteria.find((x) => x.id === a.criterion);
      if (criterion?.year === a.year) m.set(a.criterion, a);
    }
    return m;
  }, [c]);
  const labels = useMemo(() => new Map(c.criteria.map((x) => [x.id, x.label])), [c.criteria]);
  const regionName = useMemo(() => new Map(c.regions.map((r) => [r.code, r.name])), [c.regions]);

  const hslGroups = c.hsl_points.map((p) => ({
    title: `Punkt ${p.point}: ${p.title}`,
    criteria: c.criteria.filter((x) => x.group === 'hsl' && x.hsl_point === p.point),
  }));
  const compensation = [
    { title: 'Ersättningsmodellen', criteria: c.criteria.filter((x) => x.group === 'compensation') },
    { title: 'Vårdvalets uppbyggnad', criteria: c.criteria.filter((x) => x.group === 'system') },
  ];

  // What both matrices show and do: the regions, their cells and totals, the chosen cell.
  const matrix = { regions: c.regions, cellAt, aggregateOf, onSelect, chosen: selected };
  return (
    <>
      <p className="compare-legend" aria-label="Teckenförklaring">
        <span className="fact yes">ja</span> kravet eller ersättningen finns ·{' '}
        <span className="fact no">nej</span> finns inte · <span className="fact unknown">okänt</span> källorna
        anger inget · Välj en cell för att se källan.
      </p>

      <SourcePanel cell={selected} labels={labels} regionName={regionName} />

      <Card title="Krav per punkt i HSL 13 a kap. 1 §">
        <MatrixTable
          caption="Krav per punkt i hälso- och sjukvårdslagen och region"
          groups={hslGroups}
          {...matrix}
          testId="compare-hsl"
        />
      </Card>

      <Card title="Ersättningsmodell per region">
        <p className="explanation">
          Förekomsten 2021 är en andel av regionernas vårdval i omvärldsbevakningens tabell; källorna namnger
          sällan vilka regioner som har en viss del, så de flesta celler är okända.
        </p>
        <MatrixTable
          caption="Ersättningsmodellens delar och vårdvalets uppbyggnad per region"
          groups={compensation}
          {...matrix}
          testId="compare-compensation"
        />
      </Card>

      <BudgetSection c={c} cellAt={cellAt} />

      <ChangesSection changes={c.changes} regions={c.regions} />

      <Card title="Antal som källorna anger">
        <p className="explanation">
          Källans antal bredvid hur många regioners fakta som är ja. När alla regioner är kända ska talen vara
          lika; annars kan kända ja vara färre.
        </p>
        <DataTable
          caption="Antal regioner enligt källorna och enligt de kända fakta"
          captionHidden
          rows={c.aggregates}
          rowKey={(a) => `${a.criterion}|${a.year}`}
          testId="compare-aggregates"
          columns={[
            {
              key: 'criterion',
              header: 'Kriterium',
              rowHeader: true,
              value: (a) => labels.get(a.criterion) ?? a.criterion,
            },
            { key: 'year', header: 'År', value: (a) => a.year, numeric: true },
            {
              key: 'reported',
              header: 'Källans antal',
              value: (a) => a.reported_count,
              numeric: true,
              render: (a) =>
                a.reported_percent !== undefined
                  ? `${a.reported_count} (${a.reported_percent} % av ${a.base})`
                  : String(a.reported_count),
            },
            { key: 'yes', header: 'Kända ja', value: (a) => a.known_yes, numeric: true },
            { key: 'no', header: 'Kända nej', value: (a) => a.known_no, numeric: true },
            { key: 'unknown', header: 'Okända', value: (a) => a.unknown, numeric: true },
            {
              key: 'source',
              header: 'Källa',
              sortable: false,
              className: 'wrap',
              value: (a) => a.source.seed,
              render: (a) => (
                <span title={`”${a.source.quote}”`}>
                  {a.source.seed}, avsnitt {a.source.section}
                  {a.derived && <span className="derived"> Härlett: {a.derived}</span>}
                </span>
              ),
            },
          ]}
        />
      </Card>

      <ConformanceSection />
    </>
  );
}

function SourcePanel({
  cell,
  labels,
  regionName,
}: {
  cell: Cell | undefined;
  labels: Map<string, string>;
  regionName: Map<string, string>;
}) {
  return (
    <aside className="card source-panel" aria-labelledby="source-heading" data-testid="compare-source">
      <h2 id="source-heading">Källa</h2>
      <div aria-live="polite">
        {!cell ? (
          <p>Välj en cell i tabellerna (med musen eller tangentbordet) för att se vad källan säger.</p>
        ) : (
          <dl className="facts">
            <dt>Region</dt>
            <dd>{regionName.get(cell.region_code) ?? cell.region_code}</dd>
            <dt>Kriterium</dt>
            <dd>{labels.get(cell.criterion) ?? cell.criterion}</dd>
            <dt>Värde</dt>
            <dd>{valueText(cell.value)}</dd>
            {cell.source && (
              <>
                <dt>Källa</dt>
                <dd>
                  <code>{cell.source.seed}</code>, avsnitt {cell.source.section}
                </dd>
                <dt>Citat</dt>
                <dd className="quote">{cell.source.quote}</dd>
              </>
            )}
            {cell.note && (
              <>
                <dt>Anmärkning</dt>
                <dd>{cell.note}</dd>
              </>
            )}
          </dl>
        )}
      </div>
    </aside>
  );
}

function MatrixTable({
  caption,
  groups,
  regions,
  cellAt,
  aggregateOf,
  onSelect,
  chosen,
  testId,
}: {
  caption: string;
  groups: { title: string; criteria: Criterion[] }[];
  regions: { code: string; name: string }[];
  cellAt: Map<string, Cell>;
  aggregateOf: Map<string, AggregateRow>;
  onSelect: (cell: Cell) => void;
  chosen: Cell | undefined;
  testId: string;
}) {
  const width = regions.length + 3;
  return (
    <div
      className="table-wrap matrix"
      role="region"
      aria-label={caption}
      tabIndex={0}
      data-testid={testId}
      onKeyDown={moveInMatrix}
    >
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Kriterium</th>
            <th scope="col">År</th>
            {regions.map((r) => (
              <th scope="col" key={r.code} className="region">
                <span>{shortRegionName(r.name)}</span>
              </th>
            ))}
            <th scope="col" className="num">
              Källans antal
            </th>
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.title}>
            <tr className="group">
              <th scope="colgroup" colSpan={width}>
                <span className="group-title">{g.title}</span>
              </th>
            </tr>
            {g.criteria.map((criterion) => {
              const aggregate = aggregateOf.get(criterion.id);
              return (
                <tr key={criterion.id}>
                  <th scope="row">
                    {criterion.label}
                    {criterion.unit && <span className="unit"> ({criterion.unit})</span>}
                  </th>
                  <td className="nowrap">{yearText(criterion)}</td>
                  {regions.map((r) => {
                    const cell = cellAt.get(`${r.code}|${criterion.id}`)!;
                    return (
                      <td key={r.code} className="fact-cell">
                        <FactCell
                          cell={cell}
                          region={r}
                          criterion={criterion}
                          onSelect={onSelect}
                          chosen={chosen === cell}
                        />
                      </td>
                    );
                  })}
                  <td className="num">{aggregate ? aggregate.reported_count : ''}</td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/** "Region Jämtland Härjedalen" → "Jämtland Härjedalen": the column headers name the region. */
function shortRegionName(name: string): string {
  return name.replace(/^Region /, '');
}

/**
 * Arrow keys move between the matrix's cells (Home and End to the row's ends), as in a spreadsheet;
 * Tab still leaves the matrix.
 */
function moveInMatrix(e: KeyboardEvent<HTMLDivElement>) {
  const moves: Record<string, [number, number]> = {
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    Home: [0, -1e6],
    End: [0, 1e6],
  };
  const move = moves[e.key];
  const from = e.target as HTMLElement;
  if (!move || !from.dataset.region) return;
  const rows = [...e.currentTarget.querySelectorAll('tbody tr')]
    .map((tr) => [...tr.querySelectorAll<HTMLElement>('.fact[data-region]')])
    .filter((cells) => cells.length > 0);
  const row = rows.findIndex((cells) => cells.includes(from));
  const col = rows[row]?.indexOf(from) ?? -1;
  if (row < 0 || col < 0) return;
  const nextRow = rows[Math.min(rows.length - 1, Math.max(0, row + move[0]))] ?? [];
  const next = nextRow[Math.min(nextRow.length - 1, Math.max(0, col + move[1]))];
  if (!next) return;
  e.preventDefault();
  next.focus();
  next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

function FactCell({
  cell,
  region,
  criterion,
  onSelect,
  chosen,
}: {
  cell: Cell;
  region: { code: string; name: string };
  criterion: Criterion;
  onSelect: (cell: Cell) => void;
  chosen: boolean;
}) {
  const text = valueText(cell.value);
  const kind = typeof cell.value === 'number' ? 'number' : cell.value;
  if (!cell.source)
    return (
      // Focusable by the arrow keys only, so moving through the matrix does not skip unknown cells.
      <span
        className="fact unknown"
        tabIndex={-1}
        data-region={region.code}
        data-criterion={criterion.id}
        aria-label={`${region.name}, ${criterion.label}: ${text}`}
      >
        {text}
      </span>
    );
  const show = () => onSelect(cell);
  return (
    <button
      type="button"
      className={`fact ${kind}${chosen ? ' chosen' : ''}`}
      aria-pressed={chosen}
      title={sourceText(cell.source) + (cell.note ? ` – ${cell.note}` : '')}
      aria-label={`${region.name}, ${criterion.label}: ${text}. Visa källan.`}
      data-region={region.code}
      data-criterion={criterion.id}
      onClick={show}
      onFocus={show}
      onMouseEnter={show}
    >
      {text}
    </button>
  );
}

function BudgetSection({ c, cellAt }: { c: Comparison; cellAt: Map<string, Cell> }) {
  const target = c.references.find((r) => r.id === 'primary_care_budget_share_target');
  const average = c.references.find((r) => r.id === 'primary_care_budget_share_national_average');
  const rows = c.regions.map((r) => ({
    ...r,
    share: cellAt.get(`${r.code}|primary_care_budget_share_percent`)!,
    change: cellAt.get(`${r.code}|primary_care_budget_share_change_pp`)!,
  }));
  const known = rows.filter((r) => typeof r.share.value === 'number');
  const option = useMemo<ChartOption>(
    () => ({
      // Bars lie down so that every region is named in full, not by its letter code.
      grid: { left: 8, right: 32, top: 24, bottom: 32, containLabel: true },
      tooltip: barTooltip(),
      yAxis: {
        type: 'category',
        data: rows.map((r) => shortRegionName(r.name)),
        axisLabel: { interval: 0 },
        inverse: true,
      },
      xAxis: { type: 'value', max: 30, axisLabel: { formatter: '{value} %' } },
      series: [
        {
          name: 'Andel 2024',
          type: 'bar',
          data: rows.map((r) => (typeof r.share.value === 'number' ? r.share.value : null)),
          markLine: {
            symbol: 'none',
            label: { formatter: '{b}: {c} %' },
            data: [
              ...(target
                ? [{ name: 'Riktmärke', xAxis: target.value, lineStyle: { color: '#a4161a' } }]
                : []),
              ...(average
                ? [
                    {
                      name: 'Rikssnitt',
                      xAxis: average.value,
                      lineStyle: { color: '#46515c', type: 'dashed' },
                    },
                  ]
                : []),
            ],
          },
        },
      ],
    }),
    // rows are derived from c; c changes when the data does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [c],
  );
  return (
    <Card title="Primärvårdens andel av hälso- och sjukvårdsbudgeten">
      <p className="explanation">
        Riktmärket är {target ? `${numberSv.format(target.value)} procent` : 'okänt'}; rikssnittet 2024 är{' '}
        {average ? `${numberSv.format(average.value)} procent` : 'okänt'}. Källan anger andelen för{' '}
        {known.length} av {rows.length} regioner; övriga är okända och saknar stapel.
      </p>
      <Chart
        testId="compare-budget-chart"
        title="Andel av budgeten 2024 per region, mot riktmärket 25 procent"
        description={`Stapeldiagram: primärvårdens andel av hälso- och sjukvårdsbudgeten 2024. Känd för ${known
          .map((r) => `${r.name} ${numberSv.format(r.share.value as number)} procent`)
          .join(' och ')}; okänd för övriga ${rows.length - known.length} regioner. Linjer visar riktmärket ${
          target ? numberSv.format(target.value) : 'okänt'
        } procent och rikssnittet ${average ? numberSv.format(average.value) : 'okänt'} procent.`}
        option={option}
        height={Math.max(320, rows.length * 22 + 60)}
        table={
          <div className="table-wrap">
            <table data-testid="compare-budget-table">
              <caption className="visually-hidden">Primärvårdens andel per region</caption>
              <TableHead
                columns={['Region', 'Andel 2024 (procent)', 'Förändring 2023–2024 (procentenheter)', 'Källa']}
                numeric={['Andel 2024 (procent)', 'Förändring 2023–2024 (procentenheter)']}
              />
              <tbody>
                {rows.map((r) => (
                  <tr key={r.code}>
                    <th scope="row">{r.name}</th>
                    <td className="num">{valueText(r.share.value)}</td>
                    <td className="num">{valueText(r.change.value)}</td>
                    <td className="wrap">
                      {[r.share.source, r.change.source]
                        .filter((s): s is Source => s !== undefined)
                        .map((s) => `${s.seed}, avsnitt ${s.section}`)
                        .filter((s, i, all) => all.indexOf(s) === i)
                        .join('; ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        }
      />
    </Card>
  );
}

const LEVEL = { ska: 'krav', bor: 'rekommendation' } as const;

function ConformanceSection() {
  const location = useLocation();
  const versions = useApi<{ items: RulebookVersion[] }>('/api/rulebooks');
  const items = (versions.data?.items ?? []).filter((v) => !v.rulebook_id.startsWith('nationell-baslinje/'));
  const chosen = location.query.get('regelbok') ?? String(items[0]?.id ?? '');
  const conf = useApi<Conformance>(chosen ? `/api/compare/conformance/${chosen}` : null);
  return (
    <Card title="Täckning av den nationella baslinjen">
      <p className="explanation">
        Vilka av baslinjens kriterier en lagrad regelbok täcker genom sina krav (<code>criteria</code>) och
        ersättningskomponenter, och vilka den saknar.
      </p>
      {versions.error && <ErrorMessage error={versions.error} />}
      {items.length > 0 && (
        <div className="form-row">
          <SelectField
            label="Regelbok"
            value={chosen}
            onChange={(v) => setQuery({ regelbok: v })}
            options={items.map((v) => [String(v.id), versionName(v)])}
          />
        </div>
      )}
      {versions.data && items.length === 0 && <p>Det finns ingen lagrad regelbok att jämföra.</p>}
      {conf.error && <ErrorMessage error={conf.error} />}
      {conf.loading && <Loading what="täckningen" />}
      {conf.data && (
        <>
          <p data-testid="compare-conformance-summary">
            {conf.data.rulebook.title} täcker {conf.data.covered.length} av {conf.data.rows.length} kriterier
            i {conf.data.baseline.title}.{' '}
            {conf.data.lacking.length > 0
              ? `Saknas: ${conf.data.lacking.map((id) => conf.data!.rows.find((r) => r.criterion === id)?.label ?? id).join(', ')}.`
              : 'Inget saknas.'}
          </p>
          <DataTable
            caption="Baslinjens kriterier och regelbokens täckning"
            captionHidden
            rows={conf.data.rows}
            rowKey={(r) => r.criterion}
            testId="compare-conformance"
            columns={[
              { key: 'label', header: 'Kriterium', rowHeader: true, value: (r) => r.label },
              { key: 'points', header: 'HSL-punkt', value: (r) => r.hsl_points.join(', ') },
              { key: 'level', header: 'Baslinjen', value: (r) => LEVEL[r.baseline_level] },
              {
                key: 'covered',
                header: 'Täcks',
                value: (r) => (r.covered ? (r.weaker ? 'ja, som rekommendation' : 'ja') : 'saknas'),
                render: (r) => (
                  <span className={`badge ${r.covered ? (r.weaker ? 'draft' : 'approved') : 'superseded'}`}>
                    {r.covered ? (r.weaker ? 'ja, som rekommendation' : 'ja') : 'saknas'}
                  </span>
                ),
              },
              {
                key: 'by',
                header: 'Genom',
                sortable: false,
                value: (r) =>
                  r.covered_by
                    .map((b) => `${b.kind === 'requirement' ? 'krav' : 'komponent'} ${b.id}`)
                    .join(', '),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
