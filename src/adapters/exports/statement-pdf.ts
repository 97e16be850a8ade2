import { OWNERSHIP_SV } from '../../core/labels.js';
import { chromium, type Browser } from 'playwright-core';
import { renderStep } from '../../core/engine/derivation.js';
import type { StatementLine, Statements, UnitStatement } from '../../core/engine/run.js';
import { formatKronor, formatNumber } from '../../core/money.js';
import {
  approvalDate,
  approvalText,
  DRAFT_MARK,
  formatOrgnr,
  monthNameSv,
  selectUnits,
  type RunApproval,
} from './common.js';

/** Text into HTML, element content or quoted attribute alike. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** `1 234 567,89 kr` with non-breaking spaces and a real minus sign, so an amount never wraps. */
export function kronorHtml(ore: number): string {
  return formatKronor(ore).replace(/ /g, '\u00a0').replace(/^-/, '\u2212');
}

function numberHtml(value: number): string {
  return formatNumber(value).replace(/ /g, '\u00a0').replace(/^-/, '\u2212');
}

const CSS = `
@page { size: A4; margin: 14mm 16mm 16mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: "Liberation Sans", Arial, "Helvetica Neue", Helvetica, sans-serif;
  font-size: 9.5pt; line-height: 1.35; color: #1b1f24; }
.statement + .statement { break-before: page; }
header.top { display: flex; justify-content: space-between; align-items: flex-end;
  border-bottom: 2px solid #1f4e79; padding-bottom: 2.5mm; margin-bottom: 4mm; }
header.top h1 { font-size: 16pt; margin: 0; color: #1f4e79; letter-spacing: 0.2pt; }
header.top .period { font-size: 11pt; margin-top: 1mm; }
header.top .issuer { text-align: right; font-size: 8.5pt; color: #4a5560; }
.simulation { border: 1px solid #b45309; background: #fff7ed; color: #7c2d12; padding: 2mm 3mm;
  margin-bottom: 4mm; font-weight: bold; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 1mm 5mm;
  margin: 0 0 4.5mm 0; }
dl.facts dt { color: #4a5560; }
dl.facts dd { margin: 0; font-weight: bold; }
table.lines { width: 100%; border-collapse: collapse; }
table.lines th { text-align: left; font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.3pt;
  color: #4a5560; border-bottom: 1px solid #1b1f24; padding: 1.5mm 2mm; }
table.lines td { padding: 1.8mm 2mm 0.4mm 2mm; vertical-align: top; }
table.lines .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.lines tbody.line { break-inside: avoid; page-break-inside: avoid; }
table.lines tbody.line tr { break-inside: avoid; page-break-inside: avoid; }
table.lines tbody.line td.label { font-weight: bold; }
table.lines tbody.line .component { font-weight: normal; color: #6b7580; font-size: 8pt; }
table.lines tbody.line td.explanation { padding: 0 2mm 1.8mm 2mm; font-size: 8pt; color: #38424c;
  border-bottom: 0.5px solid #c9d0d6; overflow-wrap: anywhere; }
table.lines tbody.line.negative td.amount { color: #9b1c1c; }
table.lines td.explanation ol.steps { margin: 0.8mm 0 0 0; padding-left: 5mm; }
table.lines td.explanation .source { margin-top: 0.6mm; color: #4a5560; }
table.lines tfoot td { border-top: 1.5px solid #1b1f24; border-bottom: 3px double #1b1f24;
  padding: 2.5mm 2mm; font-weight: bold; font-size: 11pt; break-inside: avoid; }
table.lines tfoot { display: table-row-group; }
.status { border: 1px solid #1f4e79; background: #eef3f8; padding: 2mm 3mm; margin-bottom: 4mm; }
.status.draft { border-color: #9b1c1c; background: #fdf2f2; color: #7f1d1d; font-weight: bold; }
/* Fixed: Chromium prints it on every page. */
.watermark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; font-size: 110pt;
  font-weight: bold; letter-spacing: 8pt; color: rgba(155, 28, 28, 0.13); transform: rotate(-35deg);
  z-index: -1; pointer-events: none; }
.empty { color: #6b7580; font-style: italic; padding: 3mm 2mm; }
footer.identity { margin-top: 6mm; padding-top: 1.5mm; border-top: 0.5px solid #c9d0d6;
  font-size: 7pt; line-height: 1.25; color: #4a5560; break-inside: avoid; page-break-inside: avoid; }
footer.identity h2 { font-size: 7.5pt; margin: 0 0 0.8mm 0; color: #1b1f24; }
footer.identity .cols { display: flex; align-items: flex-start; gap: 8mm; }
footer.identity table { border-collapse: collapse; }
footer.identity td { padding: 0 4mm 0 0; vertical-align: baseline; line-height: 9pt; height: 9pt; }
footer.identity .hash { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 6.5pt;
  overflow-wrap: anywhere; }
`;

/** `2025-03` → `2025-03-01 – 2025-03-31`. */
function monthPeriod(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return `${month}-01 – ${month}-${String(last).padStart(2, '0')}`;
}

function statusBlock(approval: RunApproval | undefined): string {
  if (!approval) return '';
  return `<div class="status${approval.status === 'draft' ? ' draft' : ''}">${escapeHtml(approvalText(approval))}</div>`;
}

/** The line's derivation, one step a row, and the rule's source (the sentence for older lines). */
function derivationHtml(line: StatementLine): string {
  const d = line.derivation;
  const body = d
    ? `${escapeHtml(d.rule)}<ol class="steps">${d.steps.map((s) => `<li>${escapeHtml(renderStep(s))}</li>`).join('')}</ol>`
    : escapeHtml(line.explanation);
  const source = line.source ? `<div class="source">Källa: ${escapeHtml(line.source)}</div>` : '';
  return body + source;
}

function unitSection(s: Statements, unit: UnitStatement, approval?: RunApproval): string {
  const { identity } = s;
  const approvedFacts =
    approval && approval.status !== 'draft'
      ? `<dt>Godkänd av</dt><dd>${escapeHtml(approval.by ?? 'okänd')}</dd>
    <dt>Godkänd den</dt><dd>${escapeHtml(approvalDate(approval.at))}</dd>`
      : '';
  const totalLabel =
    approval?.status === 'draft' ? `Summa (${DRAFT_MARK}, inte godkänd)` : 'Summa att utbetala';
  const lines = unit.lines
    .map(
      (line) => `
      <tbody class="line${line.amount_ore < 0 ? ' negative' : ''}">
        <tr>
          <td class="label">${escapeHtml(line.label)} <span class="component">(${escapeHtml(line.component)})</span></td>
          <td class="num">${numberHtml(line.quantity)}</td>
          <td class="num amount">${kronorHtml(line.amount_ore)}</td>
        </tr>
        <tr><td class="explanation" colspan="3">${derivationHtml(line)}</td></tr>
      </tbody>`,
    )
    .join('');
  const simulation =
    identity.parameters_on === undefined
      ? ''
      : `<div class="simulation">Simulering med regelbokens värden per ${escapeHtml(identity.parameters_on)} – inte ett utbetalningsunderlag.</div>`;
  const inputs = identity.inputs
    .map((f) => `<tr><td>${escapeHtml(f.file)}</td><td class="hash">${escapeHtml(f.sha256)}</td></tr>`)
    .join('');
  return `
<section class="statement" data-unit="${escapeHtml(unit.unit_id)}">
  <header class="top">
    <div>
      <h1>Utbetalningsunderlag</h1>
      <div class="period">Vårdval primärvård, ${escapeHtml(monthNameSv(identity.month))}</div>
    </div>
    <div class="issuer">Regelbok<br><strong>${escapeHtml(identity.rulebook.id)}</strong></div>
  </header>
  ${simulation}
  ${statusBlock(approval)}
  <dl class="facts">
    <dt>Enhet</dt><dd>${escapeHtml(unit.name)}</dd>
    <dt>Månad</dt><dd>${escapeHtml(identity.month)}</dd>
    <dt>HSA-id</dt><dd>${escapeHtml(unit.unit_id)}</dd>
    <dt>Organisationsnummer</dt><dd>${escapeHtml(formatOrgnr(unit.provider_id))}</dd>
    <dt>Ägarform</dt><dd>${escapeHtml(OWNERSHIP_SV[unit.ownership])}</dd>
    <dt>Period</dt><dd>${escapeHtml(monthPeriod(identity.month))}</dd>
    ${approvedFacts}
  </dl>
  <table class="lines">
    <colgroup><col><col style="width: 28mm"><col style="width: 38mm"></colgroup>
    <thead><tr><th>Komponent</th><th class="num">Antal</th><th class="num">Belopp</th></tr></thead>
    ${lines || '<tbody><tr><td class="empty" colspan="3">Inga ersättningsrader denna månad.</td></tr></tbody>'}
    <tfoot><tr><td colspan="2">${totalLabel}</td><td class="num">${kronorHtml(unit.total_ore)}</td></tr></tfoot>
  </table>
  <footer class="identity">
    <h2>Beräkningens underlag (sha256) – samma regelbok och indata ger samma belopp</h2>
    <div class="cols">
      <table>
        <tr><td>Månad</td><td>${escapeHtml(identity.month)}</td></tr>
        <tr><td>Regelbok</td><td>${escapeHtml(identity.rulebook.id)}</td></tr>
        <tr><td>Motorversion</td><td>${escapeHtml(identity.engine_version)}</td></tr>
      </table>
      <table>
        <tr><td>regelboken</td><td class="hash">${escapeHtml(identity.rulebook.sha256)}</td></tr>
        ${inputs}
      </table>
    </div>
  </footer>
</section>`;
}

function htmlDocument(title: string, body: string, approval?: RunApproval): string {
  const watermark =
    approval?.status === 'draft' ? `<div class="watermark" aria-hidden="true">${DRAFT_MARK}</div>` : '';
  return `<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>${watermark}${body}
</body>
</html>
`;
}

/**
 * One unit's payment statement (utbetalningsunderlag) as a printable HTML page in Swedish. With the
 * run's approval, a draft is marked UTKAST on every page and an approved run names its approver.
 */
export function statementHtml(s: Statements, unitId: string, approval?: RunApproval): string {
  const [unit] = selectUnits(s, [unitId]);
  if (!unit) throw new Error(`Enheten ${unitId} finns inte i underlaget`);
  return htmlDocument(
    `Utbetalningsunderlag ${s.identity.month} – ${unit.name}`,
    unitSection(s, unit, approval),
    approval,
  );
}

/** Several units' statements in one document, each starting on a new page. */
export function statementsHtml(s: Statements, unitIds?: string[], approval?: RunApproval): string {
  const units = selectUnits(s, unitIds);
  return htmlDocument(
    `Utbetalningsunderlag ${s.identity.month}`,
    units.map((u) => unitSection(s, u, approval)).join('\n'),
    approval,
  );
}

/** How chromium is started headless here and in the end-to-end tests: no sandbox, GPU or background work. */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A launched browser that prints HTML to PDF; close it when done. */
export interface PdfPrinter {
  /** `footerNote` is printed at the foot of every page, before the page number. */
  print(html: string, footerNote?: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function launchPdfPrinter(): Promise<PdfPrinter> {
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: LAUNCH_ARGS,
  });
  return {
    async print(html: string, footerNote?: string): Promise<Buffer> {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      try {
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        const note = footerNote ? `${escapeHtml(footerNote)} · ` : '';
        return await page.pdf({
          format: 'A4',
          // Tagged (structure, reading order, the document's language): accessible, as public-sector documents must be.
          tagged: true,
          outline: true,
          printBackground: true,
          preferCSSPageSize: false,
          margin: { top: '14mm', right: '16mm', bottom: '16mm', left: '16mm' },
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: `<div style="font-family: Liberation Sans, Arial, sans-serif; font-size: 7.5pt; color: #6b7580; width: 100%; padding: 0 16mm; text-align: right;">${note}Sida <span class="pageNumber"></span> av <span class="totalPages"></span></div>`,
        });
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}

/** Prints HTML to an A4 PDF with Chromium; with a printer, reuses its browser. */
async function htmlToPdf(html: string, printer?: PdfPrinter, footerNote?: string): Promise<Buffer> {
  if (printer) return printer.print(html, footerNote);
  const own = await launchPdfPrinter();
  try {
    return await own.print(html, footerNote);
  } finally {
    await own.close();
  }
}

const footerNoteOf = (approval?: RunApproval) => (approval ? approvalText(approval) : undefined);

/** One unit's statement as a PDF. */
export async function statementPdf(
  s: Statements,
  unitId: string,
  printer?: PdfPrinter,
  approval?: RunApproval,
): Promise<Buffer> {
  return htmlToPdf(statementHtml(s, unitId, approval), printer, footerNoteOf(approval));
}

/** Several units (all by default) in one PDF, each unit starting on a new page; one browser launch. */
export async function statementsPdf(
  s: Statements,
  unitIds?: string[],
  printer?: PdfPrinter,
  approval?: RunApproval,
): Promise<Buffer> {
  return htmlToPdf(statementsHtml(s, unitIds, approval), printer, footerNoteOf(approval));
}
