import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCase } from '../../test-support/store-cases.js';
import { ocdsErrors } from '../../test-support/ocds.js';
import { connect } from '../store/connection.js';
import { seedDemoProcurement } from '../demo/demo-procurement.js';
import * as t from '../store/schema.js';
import { cli, useCliHome } from '../../test-support/cli.js';

describe('vardval standstill', () => {
  it('prints exactly the last day and the earliest signing day as JSON', async () => {
    const r = await cli('standstill', '--sent', '2025-03-03');
    expect(r.code).toBe(0);
    expect(r.out).toBe('{"last_day": "2025-03-13", "earliest_signing": "2025-03-14"}');
  });

  it('counts 15 days when not sent electronically, and moves past Easter', async () => {
    expect(JSON.parse((await cli('standstill', '--sent', '2025-03-03', '--not-electronic')).out)).toEqual({
      last_day: '2025-03-18',
      earliest_signing: '2025-03-19',
    });
    expect(JSON.parse((await cli('standstill', '--sent', '2025-04-08')).out)).toEqual({
      last_day: '2025-04-22',
      earliest_signing: '2025-04-23',
    });
  });

  it('exits 2 with a Swedish message for a date that does not exist', async () => {
    const r = await cli('standstill', '--sent', '2025-02-30');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('inget giltigt datum');
    expect(r.err).toContain('ÅÅÅÅ-MM-DD');
    expect((await cli('standstill')).code).toBe(2);
  });
});

describe('vardval ocds', () => {
  const home = useCliHome('vardval-ocds-');

  beforeAll(async () => {
    // A store with a region already in it (so no demo is seeded) and the demo's procedures.
    const conn = await connect();
    await importCase(conn.db, { units: ['U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,'] });
    await conn.db.insert(t.providers).values({ id: '5560160680', name: 'VC Ett AB' }).onConflictDoNothing();
    await seedDemoProcurement(conn.db, { providerId: '5560160680', name: 'VC Ett AB' }, null, {
      actor: 'test',
      role: null,
    });
    await conn.close();
  }, 60_000);

  it('writes one valid release package per procedure from the store the server uses', async () => {
    const out = join(home.dir, 'ocds');
    const r = await cli('ocds', '--out', out, '--base-url', 'https://vardval.region.example/');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 releasepaket');
    const files = readdirSync(out).sort();
    expect(files).toEqual(['ocds-vrdval-1.json', 'ocds-vrdval-2.json']);
    const [lov, nss] = files.map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')));
    for (const pkg of [lov, nss]) expect(ocdsErrors(pkg)).toEqual([]);
    expect(lov.uri).toBe('https://vardval.region.example/api/ocds/packages/1');
    // Two applicants (one a group of three), one approved: the group.
    expect(lov.releases[0].tender.numberOfTenderers).toBe(4);
    expect(lov.releases[1].awards).toHaveLength(1);
    expect(lov.releases[1].awards[0].suppliers).toHaveLength(3);
    const contract = nss.releases.find((x: { tag: string[] }) => x.tag[0] === 'contract');
    expect(contract.contracts[0]).toMatchObject({
      status: 'active',
      dateSigned: '2025-04-23T00:00:00Z',
      period: { startDate: '2025-06-01T00:00:00Z', endDate: '2032-05-31T00:00:00Z' },
    });
    expect(nss.releases[0].tender.awardCriteria).toBe('qualityOnly');
  });
});
