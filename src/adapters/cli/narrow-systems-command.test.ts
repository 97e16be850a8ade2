import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scopedRulebook, systemsFolder } from '../../test-support/systems-cases.js';
import { cliPay } from '../../test-support/cli.js';

/**
 * Narrow systems (one unit paid by several rulebooks, one per service) and systems scoped by area
 * and area class, paid from the command line: `vardval pay` with several rulebooks.
 */

const rulebook = scopedRulebook;
const folder = systemsFolder;

async function pay(dir: string, data: string, rulebooks: string[]) {
  const out = join(dir, 'ut');
  const r = await cliPay(rulebooks, { data, out });
  const json =
    r.code === 0
      ? (JSON.parse(readFileSync(join(out, 'statements.json'), 'utf8')) as {
          units: { unit_id: string; rulebook: string; total_ore: number }[];
          total_ore: number;
        })
      : undefined;
  return { ...r, json, paid: json?.units.map((u) => `${u.unit_id} ${u.rulebook} ${u.total_ore}`) };
}

/** A system for the vårdcentral service (1 200 kr a year) and one for BVC (2 400 kr) in DIR. */
const serviceRulebooks = (dir: string): [string, string] => [
  rulebook(dir, 'vardcentral', 1200, `{label: Vårdcentral, services: [vardcentral], source: "FFU 1.2"}`),
  rulebook(dir, 'bvc', 2400, `{label: BVC, services: [bvc], source: "FFU BVC 1.2"}`),
];

describe('narrow choice systems: a rulebook per service', () => {
  it('pays one unit by two rulebooks for its two services, each unit by the services it provides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vardval-narrow-'));
    const [vc, bvc] = serviceRulebooks(dir);
    const rehab = rulebook(
      dir,
      'rehab',
      3600,
      `{label: Rehabilitering, services: [rehabilitering, mvc], kommuner: ['2361'], source: "FFU R 1.2"}`,
    );
    const data = folder([
      ['U1', '2361', 'vardcentral|bvc', ''],
      ['U2', '2361', '', ''],
      ['U3', '2380', 'bvc', ''],
      ['U4', '2361', 'rehabilitering', ''],
    ]);
    const r = await pay(dir, data, [vc, bvc, rehab]);
    expect(r.code, r.err).toBe(0);
    // 1 200, 2 400 and 3 600 kr a year per listed person: 100, 200 and 300 kr a month.
    expect(r.paid).toEqual([
      'U1 test/vardcentral/2025 10000',
      'U1 test/bvc/2025 20000',
      'U2 test/vardcentral/2025 10000',
      'U3 test/bvc/2025 20000',
      'U4 test/rehab/2025 30000',
    ]);
    expect(r.json!.total_ore).toBe(90000);
    expect(r.out).toContain('BVC: test/bvc/2025');
    expect(r.out).toContain('Summa för regionen: 900,00 kr');
  });

  it('refuses two rulebooks that pay the same service in the same place, naming both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vardval-narrow-'));
    const bare = rulebook(dir, 'bare', 1200, `{label: Vårdcentral, source: "FFU 1.2"}`);
    const data = folder([['U1', '2361', 'vardcentral|bvc', '']]);
    expect((await pay(dir, data, [bare])).err).toMatch(
      /bare\.yaml:\d+:\d+: scope: scope anger var systemet gäller/,
    );
    const [vc, bvc] = serviceRulebooks(dir);
    const bvc2 = rulebook(
      dir,
      'bvc-fjall',
      3000,
      `{label: BVC fjäll, services: [bvc], kommuner: ['2361'], source: "FFU"}`,
    );
    const r = await pay(dir, data, [vc, bvc, bvc2]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('både test/bvc/2025 och test/bvc-fjall/2025 ersätter bvc');
    expect(r.err).toContain('[rulebook.systems_overlap]');
    // The same places for different services are no overlap.
    const mvc = rulebook(
      dir,
      'mvc',
      3000,
      `{label: MVC, services: [mvc], kommuner: ['2361'], source: "FFU"}`,
    );
    expect((await pay(dir, data, [vc, bvc, mvc])).code).toBe(0);
  });
});

describe('area-scoped choice systems', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vardval-area-'));
    const rural = rulebook(
      dir,
      'landsbygd',
      2400,
      `{label: Landsbygd, kommuner: ['2361', '2321'], area_classes: [landsbygd, glesbygd], source: "FFU 1.2"}`,
    );
    const deso = rulebook(dir, 'centrum', 3600, `{label: Centrum, areas: [A5], source: "FFU 1.2"}`);
    const urban = rulebook(dir, 'tatort', 1200, `{label: Tätort, other_kommuner: true, source: "FFU 1.2"}`);
    return { dir, rural, deso, urban };
  };

  it('pays the rural parts of several kommuner by the rural system, a named area by its own', async () => {
    const { dir, rural, deso, urban } = setup();
    const data = folder([
      ['U1', '2361', '', 'A2'], // glesbygd in a listed kommun: Landsbygd
      ['U2', '2361', '', 'A1'], // tätort in the same kommun: Tätort
      ['U3', '2321', '', 'A3'], // landsbygd in another listed kommun: Landsbygd
      ['U4', '2380', '', 'A4'], // glesbygd in a kommun not listed: Tätort
      ['U5', '2380', '', 'A5'], // the named DeSO area: Centrum
    ]);
    const r = await pay(dir, data, [rural, deso, urban]);
    expect(r.code, r.err).toBe(0);
    expect(r.paid).toEqual([
      'U1 test/landsbygd/2025 20000',
      'U2 test/tatort/2025 10000',
      'U3 test/landsbygd/2025 20000',
      'U4 test/tatort/2025 10000',
      'U5 test/centrum/2025 30000',
    ]);
  });

  it('locates a unit two systems claim, a unit without area, and an area missing from areas.csv', async () => {
    const { dir, rural, urban } = setup();
    const kommun = rulebook(dir, 'are', 3000, `{label: Åre, kommuner: ['2321'], source: "FFU 1.2"}`);
    const overlap = await pay(dir, folder([['U1', '2321', '', 'A3']]), [rural, kommun, urban]);
    expect(overlap.code).toBe(1);
    expect(overlap.err).toMatch(
      /units\.csv:2:.*Enheten U1 ersätts för vardcentral av både test\/landsbygd\/2025 och test\/are\/2025/,
    );
    const noArea = await pay(dir, folder([['U1', '2321', '', '']]), [rural, urban]);
    expect(noArea.code).toBe(1);
    expect(noArea.err).toMatch(/units\.csv:2:.*area: Enheten U1 saknar area i units\.csv/);
    const unknown = await pay(dir, folder([['U1', '2321', '', 'A9']]), [rural, urban]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('området A9 för enheten U1 finns inte i areas.csv');
    const badService = await pay(dir, folder([['U1', '2321', 'vardcentral|BVC', 'A3']]), [rural, urban]);
    expect(badService.code).toBe(1);
    expect(badService.err).toMatch(
      /units\.csv:2:\d+: services: services skrivs som tjänster med små bokstäver/,
    );
  });
});
