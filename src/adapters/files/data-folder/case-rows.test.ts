import { describe, expect, it } from 'vitest';
import type { DataSet } from '../../../core/data/dataset.js';
import { BASE_FILES, caseData, HEADERS, type CaseFiles } from '../../../core/test-support/cases.js';
import { writeCaseFolder } from '../../../test-support/cases.js';
import { loadDataFolder } from './index.js';

/**
 * The core's tests build their month in memory from rows (core/test-support); here the same rows
 * go through the loader as files, and the tables must come out the same, so what the core is
 * tested on is what a region's files give.
 */

const visitsHeader = `${HEADERS.visits},visit_type`;
const files: CaseFiles = {
  units: [
    ...BASE_FILES.units,
    'U3,5560160680,Filial Ett,private,2361,2020-01-01,,U1,0.5,',
    'U4,2321000016,VC Fyra,nonprofit,2380,2021-05-01,2025-12-31,,,12',
  ],
  listings: [
    'P1,U1,D1,1985-02-10,F,A1,2020-01-01,,RUB1',
    'P2,U1,D2,1970-06-01,M,A1,2020-01-01,,',
    'P3,U2,,1965-03-31,,A2,2020-01-01,,RUB3',
    'P4,U2,D4,1995-01-01,M,A1,2020-01-01,2025-02-01,',
    'P4,U1,D3,1995-01-01,M,A1,2025-02-01,,RUB1',
  ],
  visits: [
    'V1,P1,U1,2025-01-10,lakare,fysiskt,D1,2025-01-07,I10|E11,',
    'V2,P4,U1,2025-02-10,sjukskoterska,digitalt,D2,,,halsosamtal',
    'V3,X9,U2,2025-03-01,fysioterapeut,telefon,,,J44.9,',
    'V4,P3,U2,2025-03-02,lakare,hembesok,D1,2025-03-01,I10|E11,',
  ],
  indicators: ['U1,tel,2025-01-01,2025-03-31,8,10', 'U2,tel,2025-01-01,2025-03-31,3,4'],
  events: ['E1,U1,sip_i_tid,2025-01-10,', 'E2,U2,sip_late,2025-02-01,'],
};

/** The tables as plain values; the files read (names and hashes) only the loader knows. */
const tables = (d: DataSet) =>
  JSON.parse(
    JSON.stringify({ ...d, files: [] }, (_k, v: unknown) =>
      ArrayBuffer.isView(v)
        ? Array.from(v as unknown as ArrayLike<number>)
        : v instanceof Map
          ? Object.fromEntries(v)
          : v,
    ),
  ) as unknown;

describe('a case’s rows in memory and as files', () => {
  it('give the same tables', () => {
    const dir = writeCaseFolder(
      { ...files, visits: [] },
      { 'visits.csv': `${[visitsHeader, ...files.visits!].join('\n')}\n` },
    );
    const loaded = loadDataFolder(dir, { require: ['visits.csv', 'indicators.csv', 'events.csv'] });
    const built = caseData(files, { visits: visitsHeader });
    expect(tables(built)).toEqual(tables(loaded));
  });

  it('both refuse an unknown visit type, the loader at its line and column', () => {
    const bad = [...files.visits!.slice(0, 1), 'V9,P1,U1,2025-01-10,lakare,fysiskt,D1,,,halsosamtl'];
    expect(() => caseData({ ...files, visits: bad }, { visits: visitsHeader })).toThrow(
      /okänd kod "halsosamtl"/,
    );
    const dir = writeCaseFolder(
      { ...files, visits: [] },
      { 'visits.csv': `${[visitsHeader, ...bad].join('\n')}\n` },
    );
    expect(() => loadDataFolder(dir)).toThrow(/visits\.csv:3:\d+.*Okänd besökstyp "halsosamtl"/s);
  });
});
