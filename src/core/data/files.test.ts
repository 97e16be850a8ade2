import { describe, expect, it } from 'vitest';
import { DATA_FILES, DATA_FILE_COLUMNS, columnNames, headerLine, requiredColumns } from './files.js';

describe('the data files table', () => {
  it('lists every file once, each with distinct lowercase column names', () => {
    expect([...DATA_FILES].sort()).toEqual(Object.keys(DATA_FILE_COLUMNS).sort());
    for (const file of DATA_FILES) {
      const names = columnNames(file);
      expect(new Set(names).size).toBe(names.length);
      expect(names.every((n) => n === n.toLowerCase())).toBe(true);
    }
  });

  it('names the required columns of the data exchange format', () => {
    expect(requiredColumns('listings.csv')).toEqual([
      'person_id',
      'unit_id',
      'birth_date',
      'sex',
      'area',
      'listed_from',
    ]);
    expect(requiredColumns('events.csv')).toEqual(['event_id', 'unit_id', 'event_type', 'date']);
  });

  it('writes a header that may leave optional columns out, never a required one', () => {
    expect(headerLine('events.csv')).toBe('event_id,unit_id,event_type,date,person_id');
    expect(headerLine('events.csv', ['person_id', 'event_type'])).toBe('event_id,unit_id,event_type,date');
  });
});
