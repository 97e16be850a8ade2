import { useState, type FormEvent } from 'react';
import type { RulebookVersion } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Card, PageHeader, SelectField, WhenLoaded } from '../components/ui';
import { date } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link, navigate } from '../router';
import { can, useSession } from '../session';

export const versionName = (v: RulebookVersion) =>
  `${v.title} – version ${v.version}${v.status === 'draft' ? ' (utkast)' : ''}`;

export function RulebooksPage() {
  useTitle('Regelböcker');
  const { me } = useSession();
  const versions = useApi<{ items: RulebookVersion[] }>('/api/rulebooks');
  const items = versions.data?.items ?? [];
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const first = String(items[0]?.id ?? '');
  const second = String(items[1]?.id ?? items[0]?.id ?? '');

  return (
    <>
      <PageHeader
        title="Regelböcker"
        lead="Förfrågningsunderlagen som regionen betalar efter: uppdrag, krav och ersättning, med källa för varje värde."
      >
        {can(me.role, 'changeRulebooks') && (
          <Link className="button" href="/regelbocker/ny">
            Ny regelbok
          </Link>
        )}
      </PageHeader>
      <WhenLoaded state={versions} what="regelböckerna">
        {() => (
          <>
            <Card title="Versioner">
              <DataTable
                caption="Regelböcker och versioner"
                captionHidden
                rows={items}
                rowKey={(v) => String(v.id)}
                initialSort={{ key: 'rulebook', dir: 'asc' }}
                columns={[
                  {
                    key: 'title',
                    header: 'Titel',
                    value: (v) => v.title,
                    rowHeader: true,
                    render: (v) => <Link href={`/regelbocker/${v.id}`}>{v.title}</Link>,
                  },
                  {
                    key: 'rulebook',
                    header: 'Regelbok',
                    value: (v) => `${v.rulebook_id} ${String(v.version).padStart(4, '0')}`,
                    render: (v) => <code>{v.rulebook_id}</code>,
                  },
                  { key: 'version', header: 'Version', value: (v) => v.version, numeric: true },

                  {
                    key: 'valid',
                    className: 'nowrap',
                    header: 'Giltig',
                    value: (v) => v.valid_from,
                    render: (v) => `${date(v.valid_from)} – ${date(v.valid_to)}`,
                  },
                  {
                    key: 'status',
                    header: 'Status',
                    value: (v) => v.status,
                    render: (v) => (
                      <span className={`badge ${v.status === 'published' ? 'published' : 'draft'}`}>
                        {v.status === 'published' ? 'Publicerad' : 'Utkast'}
                      </span>
                    ),
                  },
                  {
                    key: 'published',
                    header: 'Publicerad',
                    value: (v) => v.published_at ?? '',
                    render: (v) => date(v.published_at),
                  },
                ]}
              />
            </Card>
            {items.length > 1 && (
              <Card title="Jämför två versioner">
                <p>Visar varje skillnad sida vid sida: uppdrag, krav, ersättningens parametrar och källor.</p>
                <CompareForm versions={items} a={a || first} b={b || second} setA={setA} setB={setB} />
              </Card>
            )}
          </>
        )}
      </WhenLoaded>
    </>
  );
}

/** Two versions to compare, A and B; "Jämför" opens the comparison. */
export function CompareForm({
  versions,
  a,
  b,
  setA,
  setB,
}: {
  versions: RulebookVersion[];
  a: string;
  b: string;
  setA: (id: string) => void;
  setB: (id: string) => void;
}) {
  const options = versions.map((v): [string, string] => [String(v.id), versionName(v)]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/regelbocker/jamfor?a=${a}&b=${b}`);
  };
  return (
    <form className="form-row" onSubmit={submit}>
      <SelectField label="Version A" value={a} onChange={setA} options={options} />
      <SelectField label="Version B" value={b} onChange={setB} options={options} />
      <button type="submit" className="button">
        Jämför
      </button>
    </form>
  );
}
