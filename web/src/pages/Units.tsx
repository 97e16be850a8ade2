import { useMemo } from 'react';
import { fetchAll } from '../api';
import { client, data as body } from '../api/client';
import type { Unit } from '../api/types';
import { DataTable } from '../components/DataTable';
import { ErrorMessage, Loading, PageHeader, SelectField } from '../components/ui';
import {
  collator,
  count,
  CONNECTION_FORM,
  date,
  monthLabel,
  orgNr,
  OWNERSHIP,
  ownershipLabel,
} from '../format';
import { useLoad, useTitle } from '../hooks';
import { useKommuner } from '../kommuner';
import { Link, setQuery, useLocation } from '../router';
import { useSession } from '../session';
import { dateColumn } from '../components/columns';

export function UnitsPage() {
  useTitle('Vårdenheter');
  const { me } = useSession();
  const { query } = useLocation();
  const ownership = query.get('agarform') ?? '';
  const kommun = query.get('kommun') ?? '';
  const form = query.get('anslutning') ?? '';
  const kommunNames = useKommuner();
  const data = useLoad('units', async (signal) => {
    const [units, counts] = await Promise.all([
      fetchAll<Unit>('/api/units', signal),
      body(client.GET('/api/listing-counts', { signal })),
    ]);
    return { units, counts: counts.items };
  });

  const latest = useMemo(() => {
    const counts = data.data?.counts ?? [];
    const month = counts.reduce((m, c) => (c.month > m ? c.month : m), '');
    return {
      month,
      byUnit: new Map(counts.filter((c) => c.month === month).map((c) => [c.unit_id, c.listed])),
    };
  }, [data.data]);

  const all = useMemo(() => data.data?.units ?? [], [data.data]);
  const kommuner = useMemo(
    () =>
      [...new Set(all.map((u) => u.kommun).filter((k): k is string => Boolean(k)))]
        .map((code): [string, string] => [code, kommunNames.name(code)])
        .sort((a, b) => collator.compare(a[1], b[1])),
    [all, kommunNames],
  );
  const names = useMemo(() => new Map(all.map((u) => [u.unit_id, u.name])), [all]);
  const rows = useMemo(
    () =>
      all.filter(
        (u) =>
          (!ownership || u.ownership === ownership) &&
          (!kommun || u.kommun === kommun) &&
          (!form || u.connection_forms.some((f) => f === form)),
      ),
    [all, ownership, kommun, form],
  );

  return (
    <>
      <PageHeader
        title="Vårdenheter"
        lead={
          me.role === 'provider'
            ? 'Dina vårdenheter i den senaste importen.'
            : 'Vårdcentraler och filialer i den senaste importen, med antal listade.'
        }
      />
      {data.error && <ErrorMessage error={data.error} />}
      {data.loading && <Loading what="enheterna" />}
      {data.data && (
        <section className="card" aria-labelledby="units-heading">
          <h2 id="units-heading" className="visually-hidden">
            Enheter
          </h2>
          <DataTable
            caption="Vårdenheter"
            captionHidden
            rows={rows}
            rowKey={(u) => u.unit_id}
            initialSort={{ key: 'name', dir: 'asc' }}
            tall
            filter={{
              label: 'Sök',
              text: (u) =>
                `${u.name} ${u.unit_id} ${u.provider_id} ${orgNr(u.provider_id)} ${kommunNames.name(u.kommun)}`,
              placeholder: 'Namn, HSA-id, org.nr eller kommun',
            }}
            tools={
              <>
                <SelectField
                  label="Ägarform"
                  value={ownership}
                  onChange={(v) => setQuery({ agarform: v })}
                  options={[['', 'Alla'], ...Object.entries(OWNERSHIP)]}
                />
                <SelectField
                  label="Anslutningsform"
                  value={form}
                  onChange={(v) => setQuery({ anslutning: v })}
                  options={[['', 'Alla'], ...Object.entries(CONNECTION_FORM)]}
                />
                <SelectField
                  label="Kommun"
                  value={kommun}
                  onChange={(v) => setQuery({ kommun: v })}
                  options={[['', 'Alla'], ...kommuner]}
                />
              </>
            }
            columns={[
              {
                key: 'name',
                header: 'Namn',
                value: (u) => u.name,
                rowHeader: true,
                render: (u) => <Link href={`/enheter/${encodeURIComponent(u.unit_id)}`}>{u.name}</Link>,
              },
              {
                key: 'id',
                header: 'HSA-id',
                value: (u) => u.unit_id,
                render: (u) => <code>{u.unit_id}</code>,
              },
              {
                key: 'provider',
                className: 'nowrap',
                header: 'Vårdgivare (org.nr)',
                value: (u) => orgNr(u.provider_id),
              },
              { key: 'ownership', header: 'Ägarform', value: (u) => ownershipLabel(u.ownership) },
              { key: 'kommun', header: 'Kommun', value: (u) => kommunNames.name(u.kommun) },
              {
                key: 'forms',
                header: 'Anslutning',
                value: (u) => (u.connection_forms ?? []).map((f) => CONNECTION_FORM[f] ?? f).join(', '),
              },
              {
                key: 'branch',
                header: 'Filial till',
                value: (u) => (u.branch_of ? (names.get(u.branch_of) ?? u.branch_of) : ''),
              },
              dateColumn('start', 'Start', 'start_date'),
              {
                key: 'end',
                className: 'nowrap',
                header: 'Slut',
                value: (u) => u.end_date ?? '',
                render: (u) => date(u.end_date),
              },
              {
                key: 'listed',
                header: latest.month ? `Listade ${monthLabel(latest.month)}` : 'Listade',
                value: (u) => latest.byUnit.get(u.unit_id) ?? null,
                render: (u) => count(latest.byUnit.get(u.unit_id)),
                numeric: true,
              },
            ]}
          />
        </section>
      )}
    </>
  );
}
