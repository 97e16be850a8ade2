import { useId, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, fetchAll, type Unit } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable, type Column } from '../components/DataTable';
import { Card, ErrorMessage, Loading, PageHeader } from '../components/ui';
import {
  count,
  date,
  ends,
  monthLabel,
  monthShortLabel,
  num,
  ownershipLabel,
  SMALL_COUNT_NOTE,
} from '../format';
import type { ResponseOf, Schemas } from '../api/types';
import { useLoad, useTitle } from '../hooks';
import { Link } from '../router';
import { can, useSession } from '../session';
import { dateColumn, unitSearch } from '../components/columns';

type Counts = ResponseOf<'/api/listing-counts', 'get'>;
type Period = Schemas['ListingPeriod'];
interface Row {
  unit_id: string;
  name: string;
  ownership: string;
  byMonth: Map<string, number | null>;
}

export function ListingPage() {
  useTitle('Listning');
  const { me } = useSession();
  const data = useLoad('listing', async (signal) => {
    const [units, counts] = await Promise.all([
      fetchAll<Unit>('/api/units', signal),
      api<Counts>('/api/listing-counts', { signal }),
    ]);
    return { units, counts: counts.items };
  });

  const { months, rows, totals } = useMemo(() => {
    const counts = data.data?.counts ?? [];
    const units = new Map((data.data?.units ?? []).map((u) => [u.unit_id, u]));
    const months = [...new Set(counts.map((c) => c.month))].sort().slice(-12);
    const byUnit = new Map<string, Row>();
    const totals = new Map<string, number>();
    for (const c of counts) {
      if (!months.includes(c.month)) continue;
      const u = units.get(c.unit_id);
      const row = byUnit.get(c.unit_id) ?? {
        unit_id: c.unit_id,
        name: u?.name ?? c.unit_id,
        ownership: u?.ownership ?? '',
        byMonth: new Map(),
      };
      row.byMonth.set(c.month, c.listed);
      byUnit.set(c.unit_id, row);
      totals.set(c.month, (totals.get(c.month) ?? 0) + (c.listed ?? 0));
    }
    return { months, rows: [...byUnit.values()], totals };
  }, [data.data]);

  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 70, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => num(Number(v)) },
      xAxis: { type: 'category', data: months.map(monthShortLabel) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => num(v) } },
      series: [
        {
          type: 'line',
          name: 'Listade',
          data: months.map((m) => totals.get(m) ?? 0),
          symbolSize: 8,
          lineStyle: { width: 3 },
        },
      ],
    }),
    [months, totals],
  );

  const span = ends(months);
  const last = span?.last ?? '';
  const columns: Column<Row>[] = [
    {
      key: 'name',
      header: 'Enhet',
      value: (r) => r.name,
      rowHeader: true,
      render: (r) => <Link href={`/enheter/${encodeURIComponent(r.unit_id)}`}>{r.name}</Link>,
    },
    { key: 'ownership', header: 'Ägarform', value: (r) => ownershipLabel(r.ownership) },
    ...months.map((m): Column<Row> => ({
      key: m,
      header: monthShortLabel(m),
      value: (r) => r.byMonth.get(m) ?? null,
      render: (r) => count(r.byMonth.get(m)),
      numeric: true,
    })),
  ];

  return (
    <>
      <PageHeader
        title="Listning"
        lead="Listade invånare per vårdenhet och månad, från godkända utbetalningar (brytdagen)."
      />
      {can(me.role, 'readPersons') && <PersonLookup />}
      {data.error && <ErrorMessage error={data.error} />}
      {data.loading && <Loading what="listningen" />}
      {data.data && span && (
        <>
          <section className="card">
            <Chart
              title="Listade i regionen per månad"
              description={`Linjediagram: listade från ${num(totals.get(span.first) ?? 0)} i ${monthLabel(span.first)} till ${num(totals.get(last) ?? 0)} i ${monthLabel(last)}. Siffrorna per enhet finns i tabellen nedan.`}
              option={option}
              height={240}
            />
          </section>
          <Card title="Per enhet och månad">
            {rows.some((r) => [...r.byMonth.values()].includes(null)) && (
              <p className="explanation">{SMALL_COUNT_NOTE}</p>
            )}
            <DataTable
              caption="Listade per enhet och månad"
              captionHidden
              columns={columns}
              rows={rows}
              rowKey={(r) => r.unit_id}
              initialSort={{ key: last, dir: 'desc' }}
              filter={unitSearch}
              tall
              footer={
                <tr>
                  <th scope="row">Summa</th>
                  <td />
                  {months.map((m) => (
                    <td key={m} className="num">
                      {num(totals.get(m) ?? 0)}
                    </td>
                  ))}
                </tr>
              }
            />
          </Card>
        </>
      )}
      {data.data && months.length === 0 && <p>Inga godkända utbetalningar med listade ännu.</p>}
    </>
  );
}

/** For the region's officers: one person's listing history. Every lookup is written to the audit log. */
function PersonLookup() {
  const [person, setPerson] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [periods, setPeriods] = useState<Period[] | undefined>();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setPeriods(undefined);
    const value = person.trim();
    if (!value) {
      setError(
        new ApiError(400, 'Ange ett personnummer', undefined, [
          {
            pointer: '/personId',
            detail: 'Skriv personnumret med 10 eller 12 siffror, till exempel 19121212-1212.',
          },
        ]),
      );
      return;
    }
    setBusy(true);
    try {
      const res = await api<{ periods: Period[] }>(`/api/persons/${encodeURIComponent(value)}/listings`);
      setPeriods(res.periods);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const fieldError =
    error?.status === 400
      ? (error.errors.find((e) => e.pointer === '/personId')?.detail ?? error.detail)
      : undefined;

  return (
    <Card title="Slå upp en persons listning">
      <p>
        Visar var personen har varit listad och hos vilken läkare. <strong>Uppslaget loggas</strong> i
        granskningsloggen med ditt användarnamn.
      </p>
      <form className="form-row" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId}>Personnummer eller samordningsnummer</label>
          <span className="hint" id={hintId}>
            10 eller 12 siffror, med eller utan bindestreck
          </span>
          {fieldError && (
            <span className="field-error" id={errorId} role="alert">
              {fieldError}
            </span>
          )}
          <input
            id={inputId}
            value={person}
            onChange={(e) => setPerson(e.target.value)}
            aria-describedby={fieldError ? `${errorId} ${hintId}` : hintId}
            autoComplete="off"
            inputMode="numeric"
            aria-invalid={fieldError ? true : undefined}
          />
        </div>
        <button className="button" type="submit" disabled={busy}>
          {busy ? 'Söker …' : 'Sök'}
        </button>
      </form>
      {error && !fieldError && <ErrorMessage error={error} />}
      {periods && periods.length === 0 && (
        <p role="status">Personen har ingen listning i den senaste importen.</p>
      )}
      {periods && periods.length > 0 && (
        <DataTable
          caption="Listningsperioder"
          rows={periods}
          rowKey={(p) => `${p.unit_id}-${p.listed_from}`}
          columns={[
            {
              key: 'unit',
              header: 'Enhet',
              value: (p) => p.unit_name ?? p.unit_id,
              rowHeader: true,
              render: (p) => (
                <Link href={`/enheter/${encodeURIComponent(p.unit_id)}`}>{p.unit_name ?? p.unit_id}</Link>
              ),
            },
            { key: 'doctor', header: 'Fast läkarkontakt', value: (p) => p.doctor_id ?? '' },
            dateColumn('from', 'Från', 'listed_from'),
            {
              key: 'to',
              className: 'nowrap',
              header: 'Till',
              value: (p) => p.listed_to ?? '9999',
              render: (p) => (p.listed_to ? date(p.listed_to) : 'tills vidare'),
            },
          ]}
        />
      )}
    </Card>
  );
}
