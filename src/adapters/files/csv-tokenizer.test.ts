import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldColumn, fieldText, tokenizeCsvFile } from './csv-tokenizer.js';

function tokenize(text: string, chunk?: number) {
  const file = join(mkdtempSync(join(tmpdir(), 'csv-')), 'f.csv');
  writeFileSync(file, text);
  const rows: { line: number; fields: string[]; columns: number[] }[] = [];
  let header: string[] = [];
  let delimiter = '';
  tokenizeCsvFile(
    file,
    {
      onHeader: (names, d) => {
        header = names;
        delimiter = d;
      },
      onRow: (row) =>
        rows.push({
          line: row.line,
          fields: Array.from({ length: row.count }, (_, i) => fieldText(row, i)),
          columns: Array.from({ length: row.count }, (_, i) => fieldColumn(row, i)),
        }),
    },
    chunk,
  );
  return { header, delimiter, rows };
}

describe('CSV tokenizer', () => {
  const text = '\ufeffa;b;"c ""x"""\r\n1;"två;\nrader";3\r\n\r\n4;5;\n';
  it('finds the delimiter from the header, strips the BOM, handles quotes, CRLF and blank lines', () => {
    const r = tokenize(text);
    expect(r.delimiter).toBe(';');
    expect(r.header).toEqual(['a', 'b', 'c "x"']);
    expect(r.rows).toEqual([
      { line: 2, fields: ['1', 'två;\nrader', '3'], columns: [1, 3, 16] },
      { line: 5, fields: ['4', '5', ''], columns: [1, 3, 5] },
    ]);
  });
  it('gives the same rows whatever the read chunk size', () => {
    const whole = tokenize(text).rows;
    for (const chunk of [1, 2, 3, 5, 7, 11]) expect(tokenize(text, chunk).rows).toEqual(whole);
  });
  it('reads a last line without a newline', () => {
    expect(tokenize('a,b\n1,2').rows).toEqual([{ line: 2, fields: ['1', '2'], columns: [1, 3] }]);
  });
  it('reports an unterminated quote with its line', () => {
    expect(() => tokenize('a,b\n1,"2\n3,4\n')).toThrow(/avslutas aldrig/);
  });
});
