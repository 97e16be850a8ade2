import { Worker } from 'node:worker_threads';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import type { PreparedImport, ReadProgress } from './import-prepare.js';

/**
 * Reads and prepares an import folder on a worker thread (import-worker.ts), so the server's
 * event loop keeps answering requests while a large folder is tokenised, checked and encoded.
 */

export const IMPORT_WORKER_KIND = 'vardval.import';

export interface ImportJob {
  kind: typeof IMPORT_WORKER_KIND;
  dir: string;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ReadProgress }
  | { type: 'done'; prepared: PreparedImport }
  | { type: 'input-errors'; errors: LocatedError[]; message: string }
  | { type: 'failed'; message: string };

const ENTRY = new URL('./import-worker.js', import.meta.url);

/**
 * The worker: compiled JavaScript as shipped; under a TypeScript test runner (the module is .ts)
 * the same entry is loaded through tsx, which the tests have as a development dependency.
 */
function startWorker(job: ImportJob): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(ENTRY, { workerData: job });
  const entry = new URL('./import-worker.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true, workerData: job },
  );
}

export function prepareImportOffThread(
  dir: string,
  onProgress?: (p: ReadProgress) => void,
): Promise<PreparedImport> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ kind: IMPORT_WORKER_KIND, dir });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') settle(() => resolve(m.prepared));
      else if (m.type === 'input-errors') {
        const cut = m.message.lastIndexOf(` (${m.errors.length} st):`);
        settle(() => reject(new InputErrors(m.errors, cut > 0 ? m.message.slice(0, cut) : undefined)));
      } else settle(() => reject(new Error(`Importen kunde inte läsas: ${m.message}`)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`Importens arbetstråd avslutades oväntat (kod ${code})`))),
    );
  });
}
