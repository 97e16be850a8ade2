import { useState } from 'react';
import type { Schemas } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Card, SelectField } from '../components/ui';
import { valueText } from './Compare';

/** A region's value for a criterion in an earlier year beside the value in the compared year. */
export type YearChange = Schemas['Comparison']['changes'][number];

function changeText(c: YearChange): string {
  if (c.changed) return 'ändrat';
  if (c.now.value === 'unknown' || c.before.value === 'unknown') return 'okänt om det ändrats';
  return 'oförändrat';
}

/**
 * Förändringar över tid: per region, what the seeds say about an earlier year (2022, Norrbotten's
 * 2023 rulebook) beside the year the comparison shows, with the note and source of both.
 */
export function ChangesSection({
  changes,
  regions,
}: {
  changes: YearChange[];
  regions: { code: string; name: string }[];
}) {
  const [region, setRegion] = useState('');
  const name = new Map(regions.map((r) => [r.code, r.name]));
  const withChanges = regions.filter((r) => changes.some((c) => c.region_code === r.code));
  const rows = changes.filter((c) => region === '' || c.region_code === region);
  const changedRegions = new Set(changes.filter((c) => c.changed).map((c) => c.region_code)).size;
  return (
    <Card title="Förändringar mellan åren">
      <p className="explanation">
        Det källorna säger om ett tidigare år (oftast 2022) bredvid värdet det år jämförelsen visar.{' '}
        {changedRegions} regioner har något som ändrats enligt källorna. Ett värde som är okänt det ena året
        visas som okänt om det ändrats.
      </p>
      <div className="filters no-print">
        <SelectField
          label="Region"
          value={region}
          onChange={setRegion}
          options={[['', 'Alla regioner'], ...withChanges.map((r): [string, string] => [r.code, r.name])]}
        />
      </div>
      <DataTable
        caption="Förändringar per region mellan ett tidigare år och jämförelsens år"
        captionHidden
        rows={rows}
        rowKey={(c) => `${c.region_code}|${c.criterion}|${c.before.year}`}
        testId="compare-changes"
        columns={[
          {
            key: 'region',
            header: 'Region',
            rowHeader: true,
            value: (c) => name.get(c.region_code) ?? c.region_code,
          },
          { key: 'criterion', header: 'Kriterium', className: 'wrap', value: (c) => c.label },
          {
            key: 'before',
            header: 'Tidigare',
            value: (c) => `${c.before.year}: ${valueText(c.before.value)}`,
          },
          {
            key: 'now',
            header: 'Nu',
            value: (c) => `${c.now.year ?? 'odaterat'}: ${valueText(c.now.value)}`,
          },
          { key: 'change', header: 'Förändring', value: changeText },
          {
            key: 'note',
            header: 'Anmärkning och källa',
            sortable: false,
            className: 'wrap',
            value: (c) => c.before.note ?? '',
            render: (c) => (
              <span title={`”${c.before.source.quote}”`}>
                {c.before.note && <>{c.before.note} </>}
                <span className="derived">
                  {c.before.source.seed}, avsnitt {c.before.source.section}
                </span>
              </span>
            ),
          },
        ]}
      />
    </Card>
  );
}
