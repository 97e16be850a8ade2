import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api';
import { ErrorMessage, Loading, PageFailed, PageHeader } from '../components/ui';
import { count, date, dateTime, num } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link } from '../router';
import { can, useSession } from '../session';
import {
  APPLIES_TO,
  COMPONENT_TYPE,
  CONTACT,
  dated,
  HSL_POINTS,
  list,
  OWNERSHIP_PLURAL,
  pctOf,
  PROFESSION,
  START_MODE,
  type Component,
  type Dated,
  type DocumentResponse,
  type RulebookDoc,
} from '../rulebook';
import { TableHead } from '../components/TableHead';

function Hsl({ points }: { points: number[] }) {
  return (
    <span className="hsl">
      {points.map((p) => (
        <span key={p} className="badge published" title={HSL_POINTS[p]}>
          HSL p. {p}: {HSL_POINTS[p]}
        </span>
      ))}
    </span>
  );
}

function Source({ children }: { children: ReactNode }) {
  return <p className="source">{children}</p>;
}

function Params({ rows, caption }: { rows: [string, ReactNode][]; caption: string }) {
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SimpleTable({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <TableHead columns={head} />
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {c}
                </th>
              ) : (
                <td key={j}>{c}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const counted = (c: unknown) => {
  const v = (c ?? {}) as { professions?: string[]; contacts?: string[] };
  return `yrkesgrupper: ${list(v.professions, PROFESSION)}; kontaktsätt: ${list(v.contacts, CONTACT)}`;
};

type Weight =
  | { kind: 'flat' }
  | { kind: 'age_sex'; table: { from: number; to: number; F: number; M: number }[] }
  | { kind: 'risk_group'; table: Record<string, number>; default: number; missing: number }
  | { kind: 'cni'; reference?: number; bands?: { from: number; to: number; weight: number }[] }
  | { kind: 'area_class'; table: Record<string, number>; default?: number };

function WeightText({ weight, share, index }: { weight: Weight; share: number; index: number }) {
  const title = `Del ${index + 1}: ${pctOf(share)} av beloppet`;
  switch (weight.kind) {
    case 'flat':
      return <p>{title}, lika för alla listade.</p>;
    case 'age_sex':
      return (
        <SimpleTable
          caption={`${title}, viktat efter ålder och kön`}
          head={['Ålder', 'Kvinnor', 'Män']}
          rows={weight.table.map((r) => [`${r.from}–${r.to - 1} år`, num(r.F), num(r.M)])}
        />
      );
    case 'risk_group':
      return (
        <>
          <SimpleTable
            caption={`${title}, viktat efter riskgrupp (samsjuklighet)`}
            head={['Riskgrupp', 'Vikt']}
            rows={Object.entries(weight.table).map(([k, v]) => [k, num(v)])}
          />
          <p>
            Annan riskgrupp: vikt {num(weight.default)}; uppgift saknas: vikt {num(weight.missing)}.
          </p>
        </>
      );
    case 'cni':
      return weight.bands ? (
        <SimpleTable
          caption={`${title}, viktat efter socioekonomi (CNI) i intervall`}
          head={['CNI från', 'till', 'Vikt']}
          rows={weight.bands.map((b) => [num(b.from), num(b.to), num(b.weight)])}
        />
      ) : (
        <p>
          {title}, viktat efter socioekonomi (CNI): vikten är personens CNI delat med{' '}
          {num(weight.reference ?? 1)}.
        </p>
      );
    case 'area_class':
      return (
        <SimpleTable
          caption={`${title}, viktat efter områdesklass`}
          head={['Områdesklass', 'Vikt']}
          rows={Object.entries(weight.table).map(([k, v]) => [k, num(v)])}
        />
      );
  }
}

/** Every parameter of a component, in words, with its tables. */
type Row = [string, ReactNode];

/** A component's parameters, the rows of its "Parametrar" table (none for a type with only a table). */
function parameterRows(c: Component, labelOf: (id: string) => string): Row[] {
  const p = c as Record<string, unknown>;
  const components = (ids: string[]) => ids.map(labelOf).join(', ');
  switch (c.type) {
    case 'capitation':
      return [['Belopp per listad och år', dated(p.annual_amount as Dated)]];
    case 'visit_fee':
      return [
        ['Gäller', APPLIES_TO[String(p.applies_to)] ?? String(p.applies_to)],
        ['Övriga besök', dated(p.default as Dated)],
      ];
    case 'coverage':
      return [
        ['Mätperiod', count(p.window_months as number, 'månad', 'månader')],
        ['Besök som räknas', counted(p.counted)],
        ['Justerar', labelOf(String(p.base))],
      ];
    case 'visits_elsewhere_charge':
      return [
        ['Debitering per besök', dated(p.charge as Dated)],
        ['Besök som räknas', counted(p.counted)],
        ['Vid enheter', p.at_units ? (p.at_units as string[]).join(', ') : 'alla andra enheter'],
      ];
    case 'goal':
      return [
        ['Belopp per listad och år', dated(p.annual_per_listed as Dated)],
        ['Mätperiod', count(p.period_months as number, 'månad', 'månader')],
        ['Eftersläpning', count(p.lag_months as number, 'månad', 'månader')],
      ];
    case 'unit_supplement':
      return [
        ['Belopp per styck och månad', dated(p.monthly_per_item as Dated)],
        ['Antal ur enhetsfilens kolumn', <code key="c">{String(p.count)}</code>],
        [
          'Gäller',
          p.only_ownership
            ? `${list(p.only_ownership as string[], OWNERSHIP_PLURAL)} enheter`
            : 'alla enheter',
        ],
      ];
    case 'start_grant':
      return [
        ['Belopp per månad', dated(p.monthly_amount as Dated)],
        ['Antal månader från start', num(p.months as number)],
        ['Verkan', START_MODE[String(p.mode)] ?? String(p.mode)],
        ['Avser', (p.replaces as string[]).length ? components(p.replaces as string[]) : '–'],
      ];
    case 'penalty':
      return [
        ['Avdrag per händelse', dated(p.amount as Dated)],
        ['Händelse', <code key="e">{String(p.event_type)}</code>],
      ];
    case 'vat_compensation':
      return [
        ['Andel', dated(p.rate as Dated, pctOf)],
        ['På', p.base ? components(p.base as string[]) : 'all övrig ersättning'],
        ['Gäller', `${list(p.ownership as string[], OWNERSHIP_PLURAL)} vårdgivare`],
      ];
    default:
      return [];
  }
}

/** What a component shows below its parameters: the weights of its parts, its tables of amounts. */
function componentTables(c: Component): ReactNode {
  const p = c as Record<string, unknown>;
  switch (c.type) {
    case 'capitation': {
      const parts = p.parts as { share: number; weight: Weight }[];
      return (
        <>
          <p>
            Beloppet betalas per månad (en tolftedel) och fördelas på {parts.length} delar med var sin
            viktning:
          </p>
          {parts.map((part, i) => (
            <WeightText key={i} weight={part.weight} share={part.share} index={i} />
          ))}
        </>
      );
    }
    case 'area_supplement':
      return (
        <SimpleTable
          caption="Belopp per listad och år efter områdesklass där den listade bor"
          head={['Områdesklass', 'Belopp per listad och år']}
          rows={Object.entries(p.annual_per_listed as Record<string, Dated>).map(([k, v]) => [k, dated(v)])}
        />
      );
    case 'visit_fee': {
      const fees = p.fees as { profession?: string; contact?: string; amount: Dated }[];
      return (
        <SimpleTable
          caption="Ersättning per besök (första raden som passar gäller)"
          head={['Yrkesgrupp', 'Kontaktsätt', 'Belopp']}
          rows={fees.map((f) => [
            f.profession ? (PROFESSION[f.profession] ?? f.profession) : 'alla',
            f.contact ? (CONTACT[f.contact] ?? f.contact) : 'alla',
            dated(f.amount),
          ])}
        />
      );
    }
    case 'coverage': {
      const factor = p.factor as [number, number][];
      return (
        <SimpleTable
          caption="Faktor efter täckningsgrad (andel av de listades besök som gjordes vid egen enhet)"
          head={['Täckningsgrad från', 'Faktor']}
          rows={factor.map(([from, f]) => [pctOf(from), num(f)])}
        />
      );
    }
    case 'goal': {
      const indicators = p.indicators as {
        id: string;
        weight: number;
        target: number;
        floor: number;
        direction: string;
      }[];
      return (
        <SimpleTable
          caption="Indikatorer: full ersättning vid målnivån, ingen vid golvet, linjärt däremellan"
          head={['Indikator', 'Vikt', 'Målnivå', 'Golv', 'Bättre är']}
          rows={indicators.map((i) => [
            i.id,
            pctOf(i.weight),
            num(i.target),
            num(i.floor),
            i.direction === 'lower' ? 'lägre' : 'högre',
          ])}
        />
      );
    }
    default:
      return null;
  }
}

/** A component: its parameters, then its tables; a type this page does not know, as recorded. */
function ComponentBody({ c, all }: { c: Component; all: Component[] }) {
  const rows = parameterRows(c, (id) => all.find((x) => x.id === id)?.label ?? id);
  const tables = componentTables(c);
  if (rows.length === 0 && tables === null) return <pre className="pre">{JSON.stringify(c, null, 2)}</pre>;
  return (
    <>
      {rows.length > 0 && <Params caption="Parametrar" rows={rows} />}
      {tables}
    </>
  );
}

const SECTIONS = [
  ['om', 'Om regelboken'],
  ['listning', 'Listning'],
  ['uppdrag', 'Uppdraget'],
  ['krav', 'Krav'],
  ['ersattning', 'Ersättning'],
  ['uppfoljning', 'Uppföljning'],
  ['sanktioner', 'Sanktioner'],
] as const;

function thresholdText(
  t: { min?: number; max?: number; listed_at_least?: number; listed_below?: number },
  unit?: string,
) {
  const parts: string[] = [];
  if (t.min !== undefined) parts.push(`lägst ${num(t.min)}`);
  if (t.max !== undefined) parts.push(`högst ${num(t.max)}`);
  let s = `${parts.join(' och ')}${unit ? ` ${unit}` : ''}`;
  if (t.listed_at_least !== undefined)
    s += ` vid ${count(t.listed_at_least, 'listad', 'listade')} eller fler`;
  if (t.listed_below !== undefined) s += ` vid färre än ${count(t.listed_below, 'listad', 'listade')}`;
  return s;
}

export function RulebookDocument({ doc, order }: { doc: RulebookDoc; order: string[] }) {
  const components = doc.compensation.components;
  return (
    <div className="doc">
      <nav className="card toc no-print" aria-labelledby="toc-heading">
        <h2 id="toc-heading">Innehåll</h2>
        <ol>
          {SECTIONS.map(([id, name]) => (
            <li key={id}>
              <a href={`#${id}`}>{name}</a>
            </li>
          ))}
        </ol>
      </nav>

      <section id="om" aria-labelledby="om-h" className="card">
        <h2 id="om-h">1. Om regelboken</h2>
        <dl className="facts">
          <dt>Region</dt>
          <dd>
            {doc.region.name} ({doc.region.code})
          </dd>
          <dt>Vårdvalssystem</dt>
          <dd>
            {doc.system === 'nss' ? 'Nationellt system för småskalig vård (NSS)' : 'Vårdval enligt LOV'}
          </dd>
          <dt>Giltig</dt>
          <dd>
            {date(doc.valid_from)} – {date(doc.valid_to)}
          </dd>
          <dt>Id</dt>
          <dd>
            <code>{doc.id}</code>
          </dd>
        </dl>
        {doc.source && <Source>{doc.source}</Source>}
        <h3 id="fragor">Frågor om utbetalningsunderlag</h3>
        <p>
          {doc.questions
            ? `Vårdgivaren kan ifrågasätta en rad i ett godkänt utbetalningsunderlag inom ${count(doc.questions.deadline_days_after_approval, 'dag', 'dagar')} från godkännandet.`
            : 'Vårdgivaren kan ifrågasätta en rad i ett godkänt utbetalningsunderlag; regelboken sätter ingen frist.'}
        </p>
        {doc.questions?.source && <Source>{doc.questions.source}</Source>}
      </section>

      <section id="listning" aria-labelledby="listning-h" className="card">
        <h2 id="listning-h">2. Listning</h2>
        <ul>
          <li>
            Listning på filial är {doc.listing.branches_may_list ? 'tillåten' : 'inte tillåten'}; invånaren
            listar sig på huvudmottagningen{doc.listing.branches_may_list ? ' eller filialen' : ''}.
          </li>
          <li>
            {doc.listing.fixed_doctor_contact
              ? 'Invånaren kan välja en fast läkarkontakt.'
              : 'Fast läkarkontakt ingår inte.'}
          </li>
          {doc.listing.max_changes_per_12_months !== undefined && (
            <li>Högst {num(doc.listing.max_changes_per_12_months)} byten av vårdcentral under 12 månader.</li>
          )}
        </ul>
      </section>

      <section id="uppdrag" aria-labelledby="uppdrag-h" className="card">
        <h2 id="uppdrag-h">3. Uppdraget</h2>
        <p>
          Hur uppdraget och kraven täcker primärvårdens fem punkter i hälso- och sjukvårdslagen (HSL 13 a kap.
          1 §):
        </p>
        <SimpleTable
          caption="De fem punkterna i HSL 13 a kap. 1 §"
          head={['Punkt', 'Uppdrag', 'Krav (ska)', 'Rekommendationer (bör)']}
          rows={[1, 2, 3, 4, 5].map((pt) => [
            `${pt}. ${HSL_POINTS[pt]}`,
            num(doc.assignment.filter((a) => a.hsl_points.includes(pt)).length),
            num(doc.requirements.filter((r) => r.level === 'ska' && r.hsl_points.includes(pt)).length),
            num(doc.requirements.filter((r) => r.level === 'bor' && r.hsl_points.includes(pt)).length),
          ])}
        />
        {doc.assignment.map((a) => (
          <article key={a.id} aria-labelledby={`a-${a.id}`}>
            <h3 id={`a-${a.id}`}>
              {a.title} {a.optional && <span className="badge neutral">Tilläggsuppdrag</span>}
            </h3>
            {a.text && <p>{a.text}</p>}
            <Hsl points={a.hsl_points} />
            <Source>{a.source}</Source>
          </article>
        ))}
      </section>

      <section id="krav" aria-labelledby="krav-h" className="card">
        <h2 id="krav-h">4. Krav</h2>
        <p>
          {num(doc.requirements.filter((r) => r.level === 'ska').length)} krav (ska) och{' '}
          {num(doc.requirements.filter((r) => r.level === 'bor').length)} rekommendationer (bör).
        </p>
        {doc.requirements.map((r, i) => (
          <article key={r.id} aria-labelledby={`r-${r.id}`}>
            <h3 id={`r-${r.id}`}>
              4.{i + 1} <code>{r.id}</code>{' '}
              <span className={`badge ${r.level === 'ska' ? 'approved' : 'neutral'}`}>
                {r.level === 'ska' ? 'Krav (ska)' : 'Rekommendation (bör)'}
              </span>
            </h3>
            <p>{r.text}</p>
            {r.measure && (
              <p>
                <strong>Följs upp:</strong> uppgiften <code>{r.measure.fact}</code>
                {r.measure.required !== undefined && (r.measure.required ? ' ska vara uppfylld (ja)' : '')}
                {r.measure.thresholds &&
                  `: ${r.measure.thresholds.map((t) => thresholdText(t, r.measure?.unit)).join('; ')}`}
                .
              </p>
            )}
            <Hsl points={r.hsl_points} />
            {r.criteria.length > 0 && (
              <p>Kriterier i den nationella kartläggningen: {r.criteria.join(', ')}.</p>
            )}
            <Source>{r.source}</Source>
          </article>
        ))}
      </section>

      <section id="ersattning" aria-labelledby="ersattning-h" className="card">
        <h2 id="ersattning-h">5. Ersättning</h2>
        <p>
          Ersättningen består av {count(components.length, 'komponent', 'komponenter')}. Belopp i regelboken
          anges i kronor; ett belopp med datum gäller från det datumet (det senaste datumet före månadens
          brytdag gäller). Komponenterna beräknas i ordningen:{' '}
          {order.map((id) => components.find((c) => c.id === id)?.label ?? id).join(' → ')}.
        </p>
        {components.map((c, i) => (
          <article key={c.id} aria-labelledby={`c-${c.id}`}>
            <h3 id={`c-${c.id}`}>
              5.{i + 1} {c.label}
            </h3>
            <p>
              {COMPONENT_TYPE[c.type] ?? c.type} · id <code>{c.id}</code>
            </p>
            <ComponentBody c={c} all={components} />
            <Source>{c.source}</Source>
          </article>
        ))}
      </section>

      <section id="uppfoljning" aria-labelledby="uppfoljning-h" className="card">
        <h2 id="uppfoljning-h">6. Uppföljning</h2>
        {doc.follow_up.indicators.length === 0 && <p>Inga indikatorer.</p>}
        {doc.follow_up.indicators.map((ind) => (
          <article key={ind.id} aria-labelledby={`i-${ind.id}`}>
            <h3 id={`i-${ind.id}`}>{ind.label}</h3>
            <Params
              caption={ind.label}
              rows={[
                ['Id', <code key="id">{ind.id}</code>],
                ['Bättre är', ind.direction === 'lower' ? 'lägre värde' : 'högre värde'],
                ['Täljare', ind.numerator ?? '–'],
                ['Nämnare', ind.denominator ?? '–'],
                ['Ursprung', ind.origin === 'computed' ? 'beräknas ur data' : 'importeras'],
              ]}
            />
            <Source>{ind.source}</Source>
          </article>
        ))}
      </section>

      <section id="sanktioner" aria-labelledby="sanktioner-h" className="card">
        <h2 id="sanktioner-h">7. Sanktioner</h2>
        {doc.sanctions.length === 0 && <p>Inga sanktioner.</p>}
        {doc.sanctions.map((s) => (
          <article key={s.id} aria-labelledby={`s-${s.id}`}>
            <h3 id={`s-${s.id}`}>
              <code>{s.id}</code>
            </h3>
            <p>{s.text}</p>
            <Params
              caption={`Sanktion ${s.id}`}
              rows={[
                ['Belopp per fall', s.amount !== undefined ? dated(s.amount) : '–'],
                [
                  'Verkställs av komponenten',
                  s.component ? (components.find((c) => c.id === s.component)?.label ?? s.component) : '–',
                ],
                ['Uppföljning', s.follow_up ?? '–'],
              ]}
            />
            <Source>{s.source}</Source>
          </article>
        ))}
      </section>
    </div>
  );
}

export function RulebookPage({ params }: { params: { id: string } }) {
  const doc = useApi<DocumentResponse>(`/api/ui/rulebooks/${encodeURIComponent(params.id)}/document`);
  const d = doc.data;
  useTitle(d ? d.rulebook.title : 'Regelbok');
  // A link to a section (a statement line's source: #c-kapitering) lands on it once the document is
  // shown, with focus on its heading so a screen reader starts there.
  const loaded = d !== undefined;
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!loaded || !id) return;
    // After the page heading has taken the focus a navigation gives it.
    const timer = window.setTimeout(() => {
      const target = document.getElementById(id);
      if (!target) return;
      target.setAttribute('tabindex', '-1');
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    }, 0);
    return () => window.clearTimeout(timer);
  }, [loaded]);
  const { me } = useSession();
  const mayChange = can(me.role, 'changeRulebooks');
  const [publishing, setPublishing] = useState(false);
  const [publishError, setPublishError] = useState<ApiError | undefined>();
  const publish = async () => {
    if (!d) return;
    if (!window.confirm('Publicera utkastet? En publicerad version kan inte ändras.')) return;
    setPublishing(true);
    setPublishError(undefined);
    try {
      await api(`/api/rulebooks/${d.id}/publish`, { method: 'POST' });
      doc.reload();
    } catch (error) {
      setPublishError(error instanceof ApiError ? error : new ApiError(0, 'Något gick fel', String(error)));
    } finally {
      setPublishing(false);
    }
  };
  const crumbs = [{ href: '/regelbocker', label: 'Regelböcker' }];
  if (doc.error) return <PageFailed title="Regelboken kan inte visas" crumbs={crumbs} error={doc.error} />;
  if (!d) return <Loading what="regelboken" />;
  return (
    <>
      <PageHeader
        title={d.rulebook.title}
        crumbs={crumbs}
        lead={
          <>
            {d.rulebook.region.name} · version {d.version} ·{' '}
            {d.status === 'published' ? `publicerad ${dateTime(d.published_at)}` : 'utkast'} · SHA-256{' '}
            <code>{d.sha256.slice(0, 12)}…</code>
          </>
        }
      >
        <button type="button" className="button secondary no-print" onClick={() => window.print()}>
          Skriv ut
        </button>
        <Link className="button secondary no-print" href={`/regelbocker/jamfor?b=${d.id}`}>
          Jämför med annan version
        </Link>
        {mayChange && d.status === 'draft' && (
          <>
            <Link className="button secondary no-print" href={`/regelbocker/${d.id}/redigera`}>
              Redigera utkast
            </Link>
            <button
              type="button"
              className="button no-print"
              disabled={publishing}
              onClick={() => void publish()}
            >
              Publicera
            </button>
          </>
        )}
        {mayChange && d.status === 'published' && (
          <Link className="button secondary no-print" href={`/regelbocker/ny?fran=${d.id}`}>
            Ny version utifrån denna
          </Link>
        )}
      </PageHeader>
      {publishError && <ErrorMessage error={publishError} title="Utkastet kunde inte publiceras" />}
      {d.overlay && <OverlayChanges overlay={d.overlay} />}
      <RulebookDocument doc={d.rulebook} order={d.evaluation_order} />
    </>
  );
}

const CHANGE_KIND = { changed: 'ändrat', added: 'tillagt', removed: 'borttaget' } as const;

/** A rulebook saved as an overlay: which version it builds on and what it changes. */
function OverlayChanges({ overlay }: { overlay: NonNullable<DocumentResponse['overlay']> }) {
  return (
    <section aria-labelledby="overlay-heading" className="card">
      <h2 id="overlay-heading">Ändringar mot grunden</h2>
      <p>
        Regelboken är sparad som ett överlägg på {overlay.base_id} version {overlay.base_version}. Allt som
        inte står här är grundens.
      </p>
      <ul>
        {overlay.changes.map((c) => (
          <li key={c.path}>
            <code>{c.path}</code> {CHANGE_KIND[c.kind]}
          </li>
        ))}
      </ul>
    </section>
  );
}
