import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCaseFolder } from '../../test-support/cases.js';
import { loadDataFolder } from './data-folder/index.js';

/** The optional column diagnoses of visits.csv, kept whole per visit for the comorbidity grouper. */
describe('visits.csv diagnoses', () => {
  const visit = (id: string, person: string, dx: string) =>
    `${id},${person},U1,2025-02-01,lakare,fysiskt,,,${dx}`;

  it('keeps each visit’s cell, the same cell once, an empty cell as -1, and visitors not listed', () => {
    const dir = writeCaseFolder({
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'],
      visits: [
        visit('V1', 'P1', 'I50.0|J44.9'),
        visit('V2', 'P1', 'I50.0|J44.9'),
        visit('V3', 'P1', ''),
        visit('V4', 'P9', 'C78.0'),
        visit('V5', 'P1', '"E11.2"'),
        visit('V6', 'P1', 'I50.0|J44.9'),
      ],
    });
    const v = loadDataFolder(dir, { require: ['visits.csv'] }).visits;
    expect(v.diagnoses?.cells).toEqual(['I50.0|J44.9', 'C78.0', 'E11.2']);
    expect([...v.diagnoses!.cell]).toEqual([0, 0, -1, 1, 2, 0]);
    expect([...v.person]).toEqual([0, 0, 0, -1, 0, 0]);
  });

  it('has no diagnoses when the file has no such column', () => {
    const dir = writeCaseFolder({ listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'] });
    writeFileSync(
      join(dir, 'visits.csv'),
      'visit_id,person_id,unit_id,date,profession,contact\nV1,P1,U1,2025-02-01,lakare,fysiskt\n',
    );
    expect(loadDataFolder(dir, { require: ['visits.csv'] }).visits.diagnoses).toBeUndefined();
  });
});
