import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { InputErrors } from '../files/located-error.js';
import type { Connection } from '../store/connection.js';
import { ROWS_AFTER_IMPORT, type BatchRowsProgress } from '../store/batch-rows.js';
import { importFolderInto, type BatchSummary } from '../store/import-batch.js';
import { writeAudit, type AuditEntry } from '../store/users.js';
import { HttpError } from './problem.js';
import { startInflating } from './zip-inflate.js';
import { declaredDataFiles, importWorkFolder, type ZipLimits } from './zip-upload.js';

/**
 * Imports as jobs: the upload is unpacked while the folder is read on a worker thread (which
 * follows each file as it is inflated) and written a chunk at a time, and what has happened so far
 * (rows read and written per file) can be asked for while it runs, from any page load. Jobs live
 * in the server's memory: a restart forgets them, and a job cut off by a restart wrote nothing (its
 * batch is written in one transaction). Once the batch is stored the job is done and the month can
 * be run; its listing and visit rows are then written in the background (phase 'saving-rows',
 * listings.csv's and visits.csv's rows_written counting), and a restart goes on with them.
 */

export interface ImportJobFile {
  name: string;
  /** The file's size unpacked. */
  bytes: number;
  bytes_read: number;
  rows_read: number;
  rows_written: number;
  /** The file's rows, once read. */
  rows: number | null;
}

export interface ImportJobState {
  id: string;
  status: 'running' | 'done' | 'failed';
  /** 'saving-rows': done and usable, the listing and visit rows still being written in the background. */
  phase: 'unpacking' | 'reading' | 'writing' | 'saving-rows' | 'done' | 'failed';
  label: string | null;
  started_by: string;
  started_at: string;
  finished_at: string | null;
  files: ImportJobFile[];
  batch_id: number | null;
  /** Located errors of a refused folder (file:line:column), as the 422 answer has them. */
  errors: { detail: string; code: string }[];
  /** Why the job failed otherwise. */
  error: string | null;
}

/** Finished jobs kept for the page to show. */
const KEEP_FINISHED = 20;

export interface StartImport {
  zip: Uint8Array;
  limits: ZipLimits;
  label?: string;
  user: { username: string; role: string };
  audit: AuditEntry;
}

export function locatedDetail(e: InputErrors['errors'][number]): string {
  return `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}: ${e.where ? `${e.where}: ` : ''}${e.message}`;
}

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJobState>();

  constructor(private readonly conn: Connection) {}

  get(id: string): ImportJobState | undefined {
    return this.jobs.get(id);
  }

  /** Newest first. */
  list(): ImportJobState[] {
    return [...this.jobs.values()].reverse();
  }

  /**
   * Starts an import. The zip's declared sizes are checked here, before the job is returned, so a
   * bomb is refused at once; the files are then unpacked off the event loop (zip-inflate.ts) while
   * they are read, and a zip that is not what it says fails the job with its own error.
   */
  start(request: StartImport): { job: ImportJobState; done: Promise<BatchSummary> } {
    const names = [
      ...new Set(declaredDataFiles(request.zip, request.limits).map((f) => basename(f.name).toLowerCase())),
    ];
    const dir = importWorkFolder();
    const job: ImportJobState = {
      id: randomUUID(),
      status: 'running',
      phase: 'unpacking',
      label: request.label ?? null,
      started_by: request.user.username,
      started_at: new Date().toISOString(),
      finished_at: null,
      files: names.sort().map((name) => ({
        name,
        bytes: 0,
        bytes_read: 0,
        rows_read: 0,
        rows_written: 0,
        rows: null,
      })),
      batch_id: null,
      errors: [],
      error: null,
    };
    this.jobs.set(job.id, job);
    this.prune();
    const file = (name: string): ImportJobFile | undefined => job.files.find((f) => f.name === name);
    // The rows' writing may report before the job has seen its batch; the visit rows come last.
    const rows = { done: false };
    const batchRows: BatchRowsProgress = (name, written, of) => {
      const f = file(name);
      if (f) f.rows_written = written;
      rows.done = name === 'visits.csv' && written === of;
      if (rows.done && job.phase === 'saving-rows') job.phase = 'done';
    };
    const done = startInflating(request.zip, dir, request.limits)
      .then(async (inflating) => {
        job.phase = 'reading';
        const imported = importFolderInto(this.conn, dir, request.user.username, {
          label: request.label,
          audit: request.audit,
          arriving: inflating.arriving,
          progress: {
            read: (p) => {
              const f = file(p.file);
              if (!f) return;
              f.bytes = p.bytes;
              f.bytes_read = p.bytesRead;
              f.rows_read = Math.max(f.rows_read, p.rowsRead);
            },
            folderRead: () => {
              job.phase = 'writing';
              for (const f of job.files) {
                f.bytes_read = f.bytes;
                f.rows_read = f.rows ?? f.rows_read;
              }
            },
            written: (name, rows, of) => {
              const f = file(name);
              if (!f) return;
              f.rows = of;
              f.rows_read = of;
              f.bytes_read = f.bytes;
              f.rows_written = rows;
            },
            batchRows,
            batchRowsFailed: () => {
              job.error =
                'Listnings- och besöksraderna kunde inte sparas nu; de sparas vid nästa start av tjänsten';
              if (job.phase === 'saving-rows') job.phase = 'done';
              rows.done = true;
            },
          },
        });
        // A folder with errors stops the unpacking; a zip that is not what it says stops the
        // reading, and its own error (too large, broken) is the one the user sees.
        imported.catch(() => inflating.stop());
        const [unpacked, batch] = await Promise.allSettled([inflating.done, imported]);
        if (unpacked.status === 'rejected' && unpacked.reason instanceof HttpError) throw unpacked.reason;
        if (batch.status === 'rejected') throw batch.reason;
        return batch.value;
      })
      .then(
        (batch) => {
          for (const f of batch.files) {
            const entry = file(f.name);
            // The large files' rows written are counted by their writing after the import (batchRows).
            const written = (ROWS_AFTER_IMPORT as string[]).includes(f.name)
              ? (entry?.rows_written ?? 0)
              : f.rows;
            if (entry) Object.assign(entry, { rows: f.rows, rows_read: f.rows, rows_written: written });
          }
          Object.assign(job, {
            status: 'done',
            phase: rows.done ? 'done' : 'saving-rows',
            batch_id: batch.id,
            finished_at: new Date().toISOString(),
          });
          return batch;
        },
        async (error: unknown) => {
          Object.assign(job, { status: 'failed', phase: 'failed', finished_at: new Date().toISOString() });
          if (error instanceof InputErrors)
            job.errors = error.errors.map((e) => ({ detail: locatedDetail(e), code: e.code }));
          else if (error instanceof HttpError)
            job.error = error.detail ? `${error.title}: ${error.detail}` : error.title;
          else job.error = 'Importen kunde inte sparas; felet är loggat';
          await writeAudit(this.conn.db, { ...request.audit, action: 'import_rejected' }).catch(() => {});
          // The server's temporary folder means nothing to the user: name the upload instead.
          if (error instanceof InputErrors)
            throw new InputErrors(
              error.errors,
              'Datamappen i zip-filen innehåller fel; inget har importerats',
            );
          throw error;
        },
      );
    const cleaned = done.finally(() => rmSync(dir, { recursive: true, force: true }));
    // The caller may not wait (an asynchronous job): its failure is in the job, not unhandled.
    cleaned.catch(() => {});
    return { job, done: cleaned };
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id);
  }
}
