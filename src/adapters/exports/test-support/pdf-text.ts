import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether pdftotext (poppler-utils) is installed; the tests that read PDF text skip without it. */
export const hasPdftotext = !spawnSync('pdftotext', ['-v']).error;

/** Text with all spacing (non-breaking too) folded to single spaces. */
export const fold = (text: string): string => text.replace(/\s+/g, ' ');

/** The PDF's text (one page, or all), read back with pdftotext and folded. */
export function pdfText(pdf: Buffer | Uint8Array, page?: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vardval-pdf-')), 'statement.pdf');
  writeFileSync(file, pdf);
  const pages = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  const out = spawnSync('pdftotext', ['-enc', 'UTF-8', ...pages, file, '-'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`pdftotext: ${out.stderr}`);
  return fold(out.stdout);
}
