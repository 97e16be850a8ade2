import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, upload, type ImportBatch } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorMessage, Loading, PageHeader } from '../components/ui';
import { dateTime, num } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link } from '../router';

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

function Summary({ batch }: { batch: ImportBatch }) {
  return (
    <DataTable
      caption={`Import ${batch.id}: filer och rader`}
      rows={batch.files}
      rowKey={(f) => f.name}
      columns={[
        {
          key: 'name',
          header: 'Fil',
          value: (f) => f.name,
          rowHeader: true,
          render: (f) => (
            <>
              <code>{f.name}</code> {FILE_LABEL[f.name] ? `(${FILE_LABEL[f.name]})` : ''}
            </>
          ),
        },
        { key: 'rows', header: 'Rader', value: (f) => f.rows, render: (f) => num(f.rows), numeric: true },
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

export function ImportPage() {
  useTitle('Import');
  const batches = useApi<{ items: ImportBatch[] }>('/api/imports');
  const [file, setFile] = useState<File | undefined>();
  const [label, setLabel] = useState('');
  const [progress, setProgress] = useState<{ sent: number; total: number } | undefined>();
  const [phase, setPhase] = useState<'idle' | 'sending' | 'checking'>('idle');
  const [error, setError] = useState<ApiError | undefined>();
  const [result, setResult] = useState<ImportBatch | undefined>();
  const resultRef = useRef<HTMLDivElement>(null);
  const fileId = useId();
  const labelId = useId();

  useEffect(() => {
    if (error || result) resultRef.current?.focus();
  }, [error, result]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    if (!file) {
      setError(new ApiError(400, 'Välj en fil', 'Välj en zip-fil med datamappens CSV-filer.'));
      return;
    }
    setPhase('sending');
    setProgress({ sent: 0, total: file.size });
    try {
      const batch = await upload<ImportBatch>(
        `/api/imports${label ? `?label=${encodeURIComponent(label)}` : ''}`,
        file,
        'application/zip',
        (sent, total) => {
          setProgress({ sent, total });
          if (sent >= total) setPhase('checking');
        },
      );
      setResult(batch);
      batches.reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setPhase('idle');
      setProgress(undefined);
    }
  };

  const busy = phase !== 'idle';
  const percent = progress && progress.total ? Math.round((progress.sent / progress.total) * 100) : 0;

  return (
    <>
      <PageHeader
        title="Import"
        lead="Ladda upp månadens datamapp som en zip-fil. Allt granskas först; importen sparas helt eller inte alls."
      />
      <section className="card" aria-labelledby="upload-heading">
        <h2 id="upload-heading">Ladda upp en datamapp</h2>
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
        {busy && (
          <div role="status" aria-live="polite" style={{ marginTop: '1rem' }}>
            <label htmlFor="upload-progress">
              {phase === 'sending'
                ? `Laddar upp … ${percent} %`
                : 'Filen är uppladdad; granskar och sparar …'}
            </label>
            <progress
              id="upload-progress"
              max={100}
              value={phase === 'sending' ? percent : undefined}
              aria-valuetext={phase === 'sending' ? `${percent} procent` : 'granskar'}
            />
          </div>
        )}
      </section>

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
            </p>
            <Summary batch={result} />
          </section>
        )}
      </div>

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">Tidigare importer</h2>
        {batches.error && <ErrorMessage error={batches.error} />}
        {batches.loading && <Loading what="importerna" />}
        {batches.data && (
          <DataTable
            caption="Tidigare importer"
            captionHidden
            rows={batches.data.items}
            rowKey={(b) => String(b.id)}
            initialSort={{ key: 'id', dir: 'desc' }}
            columns={[
              { key: 'id', header: 'Nr', value: (b) => b.id, rowHeader: true },
              {
                key: 'at',
                className: 'nowrap',
                header: 'Importerad',
                value: (b) => b.created_at,
                render: (b) => dateTime(b.created_at),
              },
              { key: 'by', header: 'Av', value: (b) => b.created_by ?? '' },
              { key: 'label', header: 'Benämning', value: (b) => b.label ?? '' },
              {
                key: 'rows',
                header: 'Innehåll (rader per fil)',
                className: 'wrap',
                render: (b) => b.files.map((f) => `${f.name} ${num(f.rows)}`).join(', '),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}
