import { renderStep } from '../../core/engine/derivation.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escapeHtml,
  kronorHtml,
  launchPdfPrinter,
  statementHtml,
  statementPdf,
  statementsHtml,
  statementsPdf,
  type PdfPrinter,
} from './statement-pdf.js';
import { sampleStatements } from './test-support/sample-statements.js';
import { fold, hasPdftotext, pdfText } from './test-support/pdf-text.js';
import { nth } from '../../test-support/nth.js';

const s = sampleStatements();
const plain = nth(s.units, 0);
const injected = nth(s.units, 1);
const small = nth(s.units, 2);

/** Page objects in the PDF (not the /Pages tree node). */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

describe('statementHtml', () => {
  it('shows every line with its amount and explanation, the total and the run identity', () => {
    const html = statementHtml(s, plain.unit_id);
    expect(html).toContain('<html lang="sv">');
    for (const line of plain.lines) {
      expect(html).toContain(escapeHtml(line.label));
      expect(html).toContain(kronorHtml(line.amount_ore));
      if (line.derivation) {
        // A line with a derivation shows its steps and its source instead of the sentence.
        for (const step of line.derivation.steps) expect(html).toContain(escapeHtml(renderStep(step)));
        expect(html).toContain(`Källa: ${escapeHtml(line.source!)}`);
      } else expect(html).toContain(escapeHtml(line.explanation));
    }
    expect(html).toContain('läkare, fysiskt besök: 33 × 350 kr (gäller från 2025-01-01) = 11 550,00 kr');
    expect(html).toContain('FFU 2025 avsnitt 9.4 &lt;Besöksersättning&gt;');
    expect(kronorHtml(plain.total_ore)).toBe('1\u00a0418\u00a0100,92\u00a0kr');
    expect(html).toContain(`Summa att utbetala</td><td class="num">1\u00a0418\u00a0100,92\u00a0kr`);
    expect(html).toContain('\u221210\u00a0000,33\u00a0kr');
    expect(html).toContain('Vårdcentral Åre &amp; Duved');
    expect(html).toContain('SE2321000016-AAA1');
    expect(html).toContain('558554-5352');
    expect(html).toContain('privat');
    expect(html).toContain('mars 2025');
    expect(html).toContain(s.identity.rulebook.id);
    expect(html).toContain(s.identity.rulebook.sha256);
    expect(html).toContain(s.identity.engine_version);
    for (const input of s.identity.inputs) {
      expect(html).toContain(input.file);
      expect(html).toContain(input.sha256);
    }
    // Only this unit.
    expect(html).not.toContain(small.unit_id);
    expect(html).not.toContain('Simulering');
  });

  it('escapes text from the data, so a unit name cannot inject markup', () => {
    const html = statementHtml(s, injected.unit_id);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>');
    expect(html).toContain('Hälsocentral &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('1 203 listade &lt;b&gt;på&lt;/b&gt; brytdagen');
    expect(html).toContain('offentlig');
  });

  it('marks a simulation and refuses an unknown unit', () => {
    const sim = { ...s, identity: { ...s.identity, parameters_on: '2026-01-01' } };
    expect(statementHtml(sim, plain.unit_id)).toContain('Simulering med regelbokens värden per 2026-01-01');
    expect(() => statementHtml(s, 'SE-okänd')).toThrow(/SE-okänd/);
  });

  it('puts several units in one document, each a section of its own', () => {
    const html = statementsHtml(s, [small.unit_id, plain.unit_id]);
    expect(html.match(/<section class="statement"/g)).toHaveLength(2);
    expect(html.indexOf(small.unit_id)).toBeLessThan(html.indexOf(plain.unit_id));
    expect(statementsHtml(s).match(/<section class="statement"/g)).toHaveLength(3);
  });
});

describe('statement PDFs', () => {
  // One browser for the whole file: launching is most of the cost.
  let printer: PdfPrinter;
  beforeAll(async () => {
    printer = await launchPdfPrinter();
  });
  afterAll(async () => {
    await printer?.close();
  });

  let single: Buffer;
  let several: Buffer;
  let draft: Buffer;
  let approved: Buffer;
  beforeAll(async () => {
    single = await statementPdf(s, plain.unit_id, printer);
    several = await statementsPdf(s, undefined, printer);
    draft = await statementsPdf(s, undefined, printer, { status: 'draft' });
    approved = await statementsPdf(s, undefined, printer, {
      status: 'approved',
      by: 'attestant',
      at: new Date('2025-04-03T22:30:00Z'),
    });
  });

  it('is tagged and carries the document language (accessible, as public-sector documents must be)', () => {
    for (const pdf of [single, draft]) {
      const raw = pdf.toString('latin1');
      expect(raw).toContain('/StructTreeRoot');
      expect(raw).toMatch(/\/MarkInfo\s*<<[^>]*\/Marked true/);
      expect(raw).toContain('/Lang (sv)');
    }
  });

  it.skipIf(!hasPdftotext)('marks every page of a draft UTKAST and names no approver', () => {
    for (let page = 1; page <= s.units.length; page++) {
      const text = pdfText(draft, page);
      expect(text).toContain('UTKAST – inte godkänt för utbetalning');
      expect(text).toContain(`UTKAST – inte godkänt för utbetalning, beloppen kan ändras · Sida ${page} av`);
      expect(text).toContain('Summa (UTKAST, inte godkänd)');
      expect(text).not.toContain('Summa att utbetala');
      expect(text).not.toContain('Godkänd');
    }
  });

  it.skipIf(!hasPdftotext)(
    'names the approver and the date (Swedish time) on every page of an approved run',
    () => {
      for (let page = 1; page <= s.units.length; page++) {
        const text = pdfText(approved, page);
        // 22:30 UTC on 3 April is the 4th in Sweden.
        expect(text).toContain('Godkänd för utbetalning 2025-04-04 av attestant');
        expect(text).toContain('Godkänd av attestant Godkänd den 2025-04-04');
        expect(text).toContain('Summa att utbetala');
        expect(text).not.toContain('UTKAST');
      }
    },
  );

  it('prints one unit to a one-page A4 PDF', () => {
    expect(single.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(single)).toBe(1);
    expect(single.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.9\d* 842\.\d*\]/);
  });

  it('prints several units with each starting a new page', () => {
    expect(several.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(several)).toBe(s.units.length);
  });

  it.skipIf(!hasPdftotext)(
    'shows the unit, its lines and its total in the PDF text (skipped without pdftotext from poppler-utils)',
    () => {
      const text = pdfText(single);
      expect(text).toContain('Utbetalningsunderlag');
      expect(text).toContain(plain.name);
      expect(text).toContain('Summa att utbetala 1 418 100,92 kr');
      for (const line of plain.lines) expect(text).toContain(line.label);
      expect(text).toContain('Sida 1 av 1');

      const all = pdfText(several);
      const squeezed = (text: string) => text.replace(/\s+/g, '');
      for (const unit of s.units) {
        // A long name may wrap; the injected one shows as plain text.
        expect(squeezed(all)).toContain(squeezed(unit.name));
        expect(all).toContain(fold(kronorHtml(unit.total_ore)).replace('\u2212', '-'));
      }
      expect(all).toContain(`Sida ${s.units.length} av ${s.units.length}`);
    },
  );
});
