import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../adapters/store/connection.js';
import { KommunIndex, parseKommuner } from './kommuner.js';

const CSV = readFileSync(join(PROJECT_ROOT, 'data', 'kommuner', 'kommuner.csv'), 'utf8');

describe('kommuner', () => {
  it('reads the shipped list: 290 kommuner in the 21 regions, names by code', () => {
    const all = parseKommuner(CSV);
    expect(all).toHaveLength(290);
    expect(new Set(all.map((k) => k.regionCode)).size).toBe(21);
    const index = new KommunIndex(all);
    expect(index.name('2303')).toBe('Ragunda');
    expect(index.get('0180')).toMatchObject({ name: 'Stockholm', regionName: 'Region Stockholm' });
    // A code no kommun has is shown as it is, never hidden.
    expect(index.name('9999')).toBe('9999');
    expect(index.has('Ragunda')).toBe(false);
  });

  it('names the line of a broken row', () => {
    const header = CSV.split('\n')[0];
    expect(() =>
      parseKommuner(`${header}\n0114,Upplands Väsby,01,AB,Region Stockholm\n114,X,01,AB,R\n`),
    ).toThrow('kommuner.csv:3: kommunkoden 114 har inte fyra siffror');
    expect(() => parseKommuner('code,name\n')).toThrow(/kommuner.csv:1/);
  });
});
