import { useState, type FormEvent } from 'react';
import type { RulebookVersion } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Card, ErrorMessage, Loading, PageHeader, SelectField } from '../components/ui';
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

  const compare = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/regelbocker/jamfor?a=${a || first}&b=${b || second}`);
  };

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
      {versions.error && <ErrorMessage error={versions.error} />}
      {versions.loading && <Loading what="regelböckerna" />}
      {versions.data && (
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
              <form className="form-row" onSubmit={compare}>
                <SelectField
                  label="Version A"
                  value={a || first}
                  onChange={setA}
                  options={items.map((v) => [String(v.id), versionName(v)])}
                />
                <SelectField
                  label="Version B"
                  value={b || second}
                  onChange={setB}
                  options={items.map((v) => [String(v.id), versionName(v)])}
                />
                <button type="submit" className="button">
                  Jämför
                </button>
              </form>
            </Card>
          )}
        </>
      )}
    </>
  );
}
