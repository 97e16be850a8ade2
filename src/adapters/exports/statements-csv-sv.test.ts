import { describe, expect, it } from 'vitest';
import { excelCell, kronorDecimalComma, statementsCsvSv } from './statements-csv-sv.js';
import { sampleStatements } from './test-support/sample-statements.js';

describe('statementsCsvSv', () => {
  const s = sampleStatements();

  it('writes kronor with a decimal comma and no thousands separator', () => {
    expect(kronorDecimalComma(141810092)).toBe('1418100,92');
    expect(kronorDecimalComma(-1000033)).toBe('-10000,33');
    expect(kronorDecimalComma(5)).toBe('0,05');
    expect(kronorDecimalComma(0)).toBe('0,00');
  });

  it('keeps text that Excel would run as a formula as text, and quotes separators', () => {
    expect(excelCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(excelCell('-1')).toBe("'-1");
    expect(excelCell('VC Öst; filial')).toBe('"VC Öst; filial"');
    expect(excelCell('Vårdcentral Åre & Duved')).toBe('Vårdcentral Åre & Duved');
  });

  it('has a byte-order mark, the status first, Swedish headers and one row per line', () => {
    const csv = statementsCsvSv(s, { approval: { status: 'draft' } });
    expect(csv.startsWith('\ufeffUTKAST – inte godkänt för utbetalning')).toBe(true);
    const rows = csv.slice(1).trimEnd().split('\r\n');
    expect(rows[1]).toBe('HSA-id;Enhet;Organisationsnummer;Ägarform;Komponent;Benämning;Antal;Belopp (kr)');
    expect(rows).toHaveLength(2 + s.units.reduce((n, u) => n + u.lines.length, 0));
    expect(rows[2]).toMatch(/^SE2321000016-AAA1;Vårdcentral Åre & Duved;558554-5352;privat;/);
    const withoutStatus = statementsCsvSv(s);
    expect(withoutStatus.slice(1).split('\r\n')[0]).toBe(rows[1]);
  });
});
