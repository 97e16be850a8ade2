import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test-support/cli.js';
import { PROJECT_ROOT } from './main.js';

describe('vardval compare', () => {
  it('writes facts.csv and aggregates.csv and prints the reported counts beside the known yes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vardval-compare-')), 'ut');
    const r = await cli('compare', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Jämförelse av 21 regioner och \d+ kriterier/);
    expect(r.out).toMatch(/psychologist\s+2024\s+8\s+0\s+0\s+21/);
    expect(r.out).not.toMatch(/Motsägelse/);
    const facts = readFileSync(join(out, 'facts.csv'), 'utf8');
    expect(facts.split('\r\n')[0]).toBe('\ufeffregion_code,criterion,year,value,note,source,quote');
    expect(facts).toContain('\r\nAB,sip_penalty_amount_sek,2024,4000,');
    // The 2022 facts stand beside 2024, with the note and the source's words.
    expect(facts).toContain(
      '\r\nU,st_compensation,2024,yes,,"praktikertjanst-2024-hur-styr-regionerna.txt, avsnitt Ersättning för utbildningsinsatser (ST-utbildning)",Region Västmanland är den region som har tillkommit på listan över regioner som erbjuder ersättning för ST-utbildning\r\nU,st_compensation,2022,no,Västmanland tillkom mellan 2022 och 2024.,',
    );
    const aggregates = readFileSync(join(out, 'aggregates.csv'), 'utf8');
    expect(aggregates.split('\r\n')[0]).toBe('\ufeffcriterion,year,reported_count,known_yes,source');
    expect(aggregates).toContain(
      '\r\nsip,2024,21,21,"praktikertjanst-2024-hur-styr-regionerna.txt, avsnitt Krav på att använda SIP"',
    );
  });

  it('prints the baseline conformance of a rulebook with --rulebook', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vardval-compare-'));
    const rulebook = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml');
    const r = await cli('compare', '--out', out, '--rulebook', rulebook);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'exempel/vardval/2025 mot nationell-baslinje/vardval/2025: täcker 13 av 14 kriterier',
    );
    expect(r.out).toMatch(/psychologist \(Krav på tillgång till psykolog\)\s+1\s+krav\s+ja\s+krav psykolog/);
    expect(r.out).toContain('Saknas: collaboration_compensation');
  });

  it('exits 1 with a located error for a rulebook that does not exist', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vardval-compare-'));
    const r = await cli('compare', '--out', out, '--rulebook', join(out, 'saknas.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/saknas\.yaml: Filen kan inte läsas/);
  });
});
