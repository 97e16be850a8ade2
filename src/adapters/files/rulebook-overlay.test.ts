import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { InputErrors } from './located-error.js';
import { loadRulebookFile, parseRulebookText } from './rulebook-file.js';

/**
 * Rulebooks as overlays in files: the examples resolve to exactly the full rulebooks they replaced
 * (kept in fixtures/rulebooks), a base is found by file name, path or id, and an error is shown on
 * the overlay's own lines.
 */

const ROOT = process.cwd();
const EXEMPEL = join(ROOT, 'rulebooks', 'exempel');

function errorsOf(fn: () => unknown): InputErrors {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputErrors) return error;
    throw error;
  }
  throw new Error('expected InputErrors');
}

describe('the example overlays', () => {
  it.each([
    ['vardval-2026.yaml', 'vardval-2026-full.yaml', 'exempel/vardval/2025'],
    [
      'vardvalsystem-tatort-2025.yaml',
      'vardvalsystem-tatort-2025-full.yaml',
      'exempel/vardvalsystem-landsbygd/2025',
    ],
    ['vardval-charlson-2025.yaml', 'vardval-charlson-2025-full.yaml', 'exempel/vardval/2025'],
  ])('%s resolves to the full rulebook it replaced', (overlay, full, baseId) => {
    const resolved = loadRulebookFile(join(EXEMPEL, overlay));
    const old = parseRulebookText(readFileSync(join(ROOT, 'fixtures', 'rulebooks', full), 'utf8'), full);
    expect(resolved.overlay?.baseId).toBe(baseId);
    expect(resolved.rulebook).toEqual(old.rulebook);
    expect(resolved.order.map((c) => c.id)).toEqual(old.order.map((c) => c.id));
    // The overlay is much shorter than the copy it replaced.
    const lines = (f: string) => readFileSync(f, 'utf8').split('\n').length;
    expect(lines(join(EXEMPEL, overlay))).toBeLessThan(lines(join(ROOT, 'fixtures', 'rulebooks', full)) / 2);
  });

  it('lists what 2026 changes against 2025', () => {
    const { overlay } = loadRulebookFile(join(EXEMPEL, 'vardval-2026.yaml'));
    const changed = overlay!.changes.map((c) => `${c.path} ${c.kind}`);
    expect(changed).toEqual(
      expect.arrayContaining([
        'compensation.components[kapitering].annual_amount changed',
        'compensation.components[besok_ej_listade].default changed',
        'compensation.components[kostnadsansvar_besok_annan_enhet].charge changed',
        'compensation.components[malrelaterad].annual_per_listed changed',
        'valid_from changed',
      ]),
    );
  });
});

describe('overlay files', () => {
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'vardval-overlay-'));
    copyFileSync(join(EXEMPEL, 'vardval-2025.yaml'), join(dir, 'vardval-2025.yaml'));
    return dir;
  }
  const overlayText = (base: string, extra = '') =>
    `base: ${base}\nid: exempel/vardval/2027\nvalid_from: 2027-01-01\nvalid_to: 2027-12-31\n${extra}`;

  it.each(['vardval-2025', './vardval-2025.yaml', 'exempel/vardval/2025'])('finds the base %s', (base) => {
    const dir = folder();
    writeFileSync(join(dir, 'o.yaml'), overlayText(base));
    const rb = loadRulebookFile(join(dir, 'o.yaml'));
    expect(rb.rulebook.id).toBe('exempel/vardval/2027');
    expect(rb.rulebook.compensation.components).toHaveLength(11);
  });

  it('shows an error in the overlay on the overlay’s own line', () => {
    const dir = folder();
    const file = join(dir, 'o.yaml');
    writeFileSync(
      file,
      overlayText(
        'vardval-2025',
        'compensation:\n  components:\n    - id: malrelaterad\n      annual_per_listed: -5\n',
      ),
    );
    const e = errorsOf(() => loadRulebookFile(file));
    expect(e.errors).toEqual([
      expect.objectContaining({
        file,
        line: 8,
        where: 'compensation.components[5].annual_per_listed',
        code: 'schema.too_small',
      }),
    ]);
  });

  it('locates a base that cannot be read, an item without id and a cycle at the overlay', () => {
    const dir = folder();
    const file = join(dir, 'o.yaml');
    writeFileSync(file, overlayText('finns-inte'));
    expect(errorsOf(() => loadRulebookFile(file)).errors[0]).toMatchObject({
      file,
      line: 1,
      where: 'base',
      code: 'rulebook.overlay_base',
    });
    writeFileSync(file, overlayText('vardval-2025', 'compensation:\n  components:\n    - {label: X}\n'));
    expect(errorsOf(() => loadRulebookFile(file)).errors[0]).toMatchObject({
      line: 7,
      code: 'rulebook.overlay_item',
    });
    writeFileSync(join(dir, 'a.yaml'), 'base: b\nid: x/a/2025\n');
    writeFileSync(join(dir, 'b.yaml'), 'base: a\nid: x/b/2025\n');
    expect(errorsOf(() => loadRulebookFile(join(dir, 'a.yaml'))).errors[0]?.code).toBe(
      'rulebook.overlay_cycle',
    );
  });

  it('vardval validate names the base and lists the changes', async () => {
    const out: string[] = [];
    const code = await main(
      ['node', 'vardval', 'validate', '--rulebook', join(EXEMPEL, 'vardval-2026.yaml')],
      { out: (t) => out.push(t), err: (t) => out.push(t) },
    );
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Överlägg på exempel/vardval/2025');
    expect(text).toContain('  compensation.components[malrelaterad].annual_per_listed: ändrat');
  });
});
