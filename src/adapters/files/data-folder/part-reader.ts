import { CsvSyntaxError, tokenizeCsvRange, type CsvRow } from '../csv-tokenizer.js';
import { ByteKeys } from './byte-keys.js';
import { Dictionary } from './dictionaries.js';
import { FileContext } from './file-context.js';
import { ListingColumns, listingReader } from './listings.js';
import { PersonIndex, PersonLog } from './person-index.js';
import type { PartReader } from './read-file.js';
import type { PartJob, PartResult } from './two-parts.js';
import { UniqueIds } from './unique-ids.js';
import { VisitColumns, visitReader } from './visits.js';

/** The second part, read by a worker thread. */
export function readPart(job: PartJob): PartResult {
  const ctx = new FileContext(job.file);
  ctx.header(job.names, job.delimiter);
  const doctors = new Dictionary([]);
  const unitKeys = ByteKeys.of(job.unitIds);
  const bytes = job.end - job.start;
  let reader: PartReader;
  let result: () => Pick<
    PartResult,
    'columns' | 'n' | 'ids' | 'persons' | 'personShape' | 'riskGroups' | 'diagnosisCells'
  >;
  if (job.file === 'visits.csv') {
    const v = new VisitColumns();
    const seen = new UniqueIds();
    reader = visitReader(ctx, bytes, unitKeys, PersonIndex.fromShared(job.persons!), doctors, seen, v);
    result = () => ({
      columns: v.arrays(),
      n: v.n,
      ids: seen.ascendingRun(),
      diagnosisCells: v.diagnosisCells.list,
    });
  } else {
    const v = new ListingColumns();
    const persons = new PersonIndex();
    const riskGroups = new Dictionary([]);
    const log = new PersonLog();
    const areaKeys = ByteKeys.of(job.areaCodes ?? []);
    reader = listingReader(ctx, bytes, { unitKeys, areaKeys, persons, doctors, riskGroups, log }, v);
    result = () => ({
      columns: v.arrays(),
      n: v.n,
      persons: log,
      personShape: persons.describeShape(),
      riskGroups: riskGroups.list,
    });
  }
  reader.header(job.names);
  let syntaxError: PartResult['syntaxError'];
  let rows = 0;
  let line = 1;
  const cells = new Int32Array(job.done);
  Atomics.store(cells, 1, 1);
  let count = 0;
  const onRow = (row: CsvRow): void => {
    reader.row(row);
    if ((++count & 0xffff) === 0) Atomics.add(cells, 1, 1);
  };
  try {
    const r = tokenizeCsvRange(
      job.path,
      { onHeader: () => {}, onRow },
      { start: job.start, end: job.end, delimiter: job.delimiter },
    );
    rows = r.rows;
    line = r.line;
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    syntaxError = { line: error.line, message: error.message };
  }
  return {
    ok: true,
    ...result(),
    errors: ctx.errors,
    errorCount: ctx.errorCount,
    syntaxError,
    rows,
    line,
    doctors: doctors.list,
  };
}
