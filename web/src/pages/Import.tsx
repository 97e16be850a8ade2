import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, upload, type ImportBatch, type ImportJob } from '../api';
import { DataTable, type Column } from '../components/DataTable';
import { Card, ErrorMessage, PageHeader, WhenLoaded } from '../components/ui';
import { dateTime, num } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link } from '../router';
import { numberColumn, timeColumn } from '../components/columns';

const COUNT_LABEL: Record<string, string> = {
  units: 'vårdenheter',
  areas: 'områden',
  listings: 'listningar',
  visits: 'besök',
  indicators: 'indikatorvärden',
  events: 'händelser',
};

const FILE_LABEL: Record<string, string> = {
  'units.csv': 'Vårdenheter',
  'areas.csv': 'Områden',
  'listings.csv': 'Listningar',
  'visits.csv': 'Besök',
  'indicators.csv': 'Indikatorer',
  'events.csv': 'Händelser',
};

/** A file of the data folder by its name, and what it holds. */
const FILE_COLUMN: Column<{ name: string }> = {
  key: 'name',
  header: 'Fil',
  value: (f) => f.name,
  rowHeader: true,
  render: (f) => (
    <>
      <code>{f.name}</code> {FILE_LABEL[f.name] ? `(${FILE_LABEL[f.name]})` : ''}
    </>
  ),
};

function Summary({ batch }: { batch: ImportBatch }) {
  return (
    <DataTable
      caption={`Import ${batch.id}: filer och rader`}
      rows={batch.files}
      rowKey={(f) => f.name}
      columns={[
        FILE_COLUMN,
        numberColumn('rows', 'Rader', 'rows'),
        {
          key: 'sha',
          header: 'SHA-256',
          value: (f) => f.sha256,
          render: (f) => <code>{f.sha256.slice(0, 16)}…</code>,
        },
      ]}
    />
  );
}

const PHASE_TEXT: Record<ImportJob['phase'], string> = {
  unpacking: 'packar upp zip-filen',
  reading: 'läser och granskar filerna',
  writing: 'sparar importen i databasen',
  'saving-rows': 'klar att beräkna; listnings- och besöksraderna sparas i bakgrunden',
  done: 'klar',
  failed: 'avbruten',
};

/** Still worth asking about: running, or done with its listing and visit rows still being saved. */
const stillGoing = (job: ImportJob): boolean => job.status === 'running' || job.phase === 'saving-rows';

/** How far a running (or just finished) import has come: rows read and written per file. */
function JobProgress({ job }: { job: ImportJob }) {
  const percent = (done: number, of: number | null) =>
    of ? Math.min(100, Math.round((done / of) * 100)) : 0;
  return (
    <section className="card" aria-labelledby="job-heading" data-testid="import-job">
      <h2 id="job-heading">
        {job.status === 'running'
          ? 'Import pågår'
          : job.status === 'done'
            ? 'Senaste import'
            : 'Senaste import avbröts'}
      </h2>
      <p role="status" aria-live="polite">
        Startad {dateTime(job.started_at)} av {job.started_by}
        {job.label ? ` (${job.label})` : ''}: {PHASE_TEXT[job.phase]}
        {stillGoing(job) ? ' …' : '.'} Du kan lämna sidan; importen fortsätter och visas här när du kommer
        tillbaka.
      </p>
      <DataTable
        caption="Förlopp per fil"
        rows={job.files}
        rowKey={(f) => f.name}
        columns={[
          FILE_COLUMN,
          {
            key: 'read',
            header: 'Lästa rader',
            value: (f) => f.rows_read,
            numeric: true,
            render: (f) =>
              f.rows !== null || job.phase !== 'reading'
                ? num(f.rows ?? f.rows_read)
                : `${num(f.rows_read)} (${percent(f.bytes_read, f.bytes)} %)`,
          },
          numberColumn('written', 'Sparade rader', 'rows_written'),
          {
            key: 'bar',
            header: 'Förlopp',
            render: (f) => {
              const read = f.rows !== null || job.phase !== 'reading' ? 100 : percent(f.bytes_read, f.bytes);
              const written = percent(f.rows_written, f.rows);
              const value = Math.round((read + written) / 2);
              return (
                <progress
                  max={100}
                  value={value}
                  aria-label={`${f.name}: läst ${read} %, sparat ${written} %`}
                />
              );
            },
          },
        ]}
      />
    </section>
  );
}

/** How often the page asks how a running import is doing. */
const POLL_MS = 1000;

export function ImportPage() {
  useTitle('Import');
  const batches = useApi<{ items: ImportBatch[] }>('/api/imports');
  const [file, setFile] = useState<File | undefined>();
  const [label, setLabel] = useState('');
  const [progress, setProgress] = useState<{ sent: number; total: number } | undefined>();
  const [phase, setPhase] = useState<'idle' | 'sending'>('idle');
  const [error, setError] = useState<ApiError | undefined>();
  const [job, setJob] = useState<ImportJob | undefined>();
  const [finished, setFinished] = useState<number | undefined>();
  const result = batches.data?.items.find((b) => b.id === finished);
  const resultRef = useRef<HTMLDivElement>(null);
  const fileId = useId();
  const labelId = useId();

  useEffect(() => {
    if (error || result) resultRef.current?.focus();
  }, [error, result]);

  const { reload } = batches;
  /** A job's end: its batch in the list below and as the result, or its errors. */
  const ended = useCallback(
    (j: ImportJob, announce: boolean) => {
      if (j.status === 'done' && j.batch_id !== null) {
        reload();
        if (announce) setFinished(j.batch_id);
      } else if (j.status === 'failed' && announce) {
        setError(
          j.errors.length > 0
            ? new ApiError(422, 'Indata innehåller fel', undefined, j.errors)
            : new ApiError(500, 'Importen kunde inte sparas', j.error ?? undefined),
        );
      }
    },
    [reload],
  );

  // A page that comes back finds the newest import, running or just finished.
  useEffect(() => {
    const controller = new AbortController();
    api<{ items: ImportJob[] }>('/api/import-jobs', { signal: controller.signal }).then(
      (list) => setJob((current) => current ?? list.items[0]),
      () => {},
    );
    return () => controller.abort();
  }, []);

  // While it runs, and while its visit rows are saved after it, ask how it is doing.
  const running = job && stillGoing(job) ? job.id : undefined;
  const announced = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    const controller = new AbortController();
    const poll = async () => {
      while (!stopped) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (stopped) return;
        try {
          const next = await api<ImportJob>(`/api/import-jobs/${running}`, { signal: controller.signal });
          if (stopped) return;
          setJob(next);
          if (next.status !== 'running' && announced.current !== next.id) {
            announced.current = next.id;
            ended(next, true);
          }
          if (!stillGoing(next)) {
            if (next.status === 'done') reload();
            return;
          }
        } catch {
          if (stopped) return;
        }
      }
    };
    void poll();
    return () => {
      stopped = true;
      controller.abort();
    };
  }, [running, ended, reload]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setFinished(undefined);
    if (!file) {
      setError(new ApiError(400, 'Välj en fil', 'Välj en zip-fil med datamappens CSV-filer.'));
      return;
    }
    setPhase('sending');
    setProgress({ sent: 0, total: file.size });
    try {
      const started = await upload<ImportJob>(
        `/api/imports${label ? `?label=${encodeURIComponent(label)}` : ''}`,
        file,
        'application/zip',
        (sent, total) => setProgress({ sent, total }),
        { prefer: 'respond-async' },
      );
      setJob(started);
      if (started.status !== 'running') {
        announced.current = started.id;
        ended(started, true);
      }
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setPhase('idle');
      setProgress(undefined);
    }
  };

  const busy = phase !== 'idle' || job?.status === 'running';
  const percent = progress && progress.total ? Math.round((progress.sent / progress.total) * 100) : 0;

  return (
    <>
      <PageHeader
        title="Import"
        lead="Ladda upp månadens datamapp som en zip-fil. Allt granskas först; importen sparas helt eller inte alls."
      />
      <Card title="Ladda upp en datamapp">
        <p>
          Zip-filen ska innehålla datamappens filer: <code>units.csv</code>, <code>areas.csv</code>,{' '}
          <code>listings.csv</code> och vid behov <code>visits.csv</code>, <code>indicators.csv</code> och{' '}
          <code>events.csv</code>. Varje fel visas med fil, rad och kolumn.
        </p>
        <form onSubmit={submit} className="form" noValidate>
          <div className="field">
            <span className="label" id={`${fileId}-label`}>
              Zip-fil
            </span>
            <div className="file-picker">
              <input
                id={fileId}
                className="visually-hidden"
                type="file"
                accept=".zip,application/zip"
                aria-labelledby={`${fileId}-label ${fileId}-name`}
                onChange={(e) => setFile(e.target.files?.[0])}
                disabled={busy}
              />
              <label htmlFor={fileId} className="button secondary" aria-hidden="true">
                Välj fil …
              </label>
              <span id={`${fileId}-name`} className="file-name">
                {file ? `${file.name} (${num(Math.ceil(file.size / 1024))} KiB)` : 'Ingen fil vald'}
              </span>
            </div>
          </div>
          <div className="field">
            <label htmlFor={labelId}>Benämning (valfri)</label>
            <input
              id={labelId}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              maxLength={200}
              disabled={busy}
            />
          </div>
          <div>
            <button className="button" type="submit" disabled={busy}>
              {busy ? 'Importerar …' : 'Importera'}
            </button>
          </div>
        </form>
        {phase === 'sending' && (
          <div role="status" aria-live="polite" style={{ marginTop: '1rem' }}>
            <label htmlFor="upload-progress">{`Laddar upp … ${percent} %`}</label>
            <progress id="upload-progress" max={100} value={percent} aria-valuetext={`${percent} procent`} />
          </div>
        )}
      </Card>

      {job && <JobProgress job={job} />}

      <div ref={resultRef} tabIndex={-1} data-testid="import-result">
        {error && error.errors.length > 0 && (
          <div className="alert error" role="alert">
            <h2>Importen avvisades: {num(error.errors.length)} fel i datamappen</h2>
            <p>
              Inget har sparats. Rätta felen i filerna och ladda upp mappen igen. Varje fel anges som
              fil:rad:kolumn.
            </p>
            <ul className="error-list">
              {error.errors.map((e, i) => (
                <li key={i}>{e.detail}</li>
              ))}
            </ul>
          </div>
        )}
        {error && error.errors.length === 0 && <ErrorMessage error={error} title="Importen avvisades" />}
        {result && (
          <section className="alert success" aria-labelledby="done-heading">
            <h2 id="done-heading">Import {result.id} är klar</h2>
            <p>
              {Object.entries(result.counts)
                .map(([k, v]) => `${num(v)} ${COUNT_LABEL[k] ?? k}`)
                .join(', ')}
              . Nästa steg: <Link href="/utbetalningar">beräkna månadens körning</Link> på de nya uppgifterna.
              {(result.listing_rows_written !== null || result.visit_rows_written !== null) &&
                ' Listnings- och besöksraderna sparas i databasen i bakgrunden; månaden kan beräknas redan nu.'}
            </p>
            <Summary batch={result} />
          </section>
        )}
      </div>

      <Card title="Tidigare importer">
        <WhenLoaded state={batches} what="importerna">
          {(data) => (
            <DataTable
              caption="Tidigare importer"
              captionHidden
              rows={data.items}
              rowKey={(b) => String(b.id)}
              initialSort={{ key: 'id', dir: 'desc' }}
              columns={[
                { key: 'id', header: 'Nr', value: (b) => b.id, rowHeader: true },
                timeColumn('at', 'Importerad', 'created_at'),
                { key: 'by', header: 'Av', value: (b) => b.created_by ?? '' },
                { key: 'label', header: 'Benämning', value: (b) => b.label ?? '' },
                {
                  key: 'rows',
                  header: 'Innehåll (rader per fil)',
                  className: 'wrap',
                  render: (b) => b.files.map((f) => `${f.name} ${num(f.rows)}`).join(', '),
                },
                {
                  key: 'saved',
                  header: 'Sparad',
                  value: (b) => (b.listing_rows_written !== null ? -2 : (b.visit_rows_written ?? -1)),
                  render: (b) =>
                    b.listing_rows_written !== null
                      ? `listningsrader sparas: ${num(b.listing_rows_written)} av ${num(b.counts.listings ?? 0)}`
                      : b.visit_rows_written !== null
                        ? `besöksrader sparas: ${num(b.visit_rows_written)} av ${num(b.counts.visits ?? 0)}`
                        : 'helt',
                },
              ]}
            />
          )}
        </WhenLoaded>
      </Card>
    </>
  );
}
