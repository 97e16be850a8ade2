import { useId, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, fetchAll, type Run, type RulebookVersion } from '../api';
import { DataTable, type Column } from '../components/DataTable';
import { Card, ErrorMessage, Loading, PageHeader, SelectField, StatusBadge } from '../components/ui';
import { count, date, monthLabel, RUN_STATUS } from '../format';
import { useApi, useLoad, useTitle } from '../hooks';
import { Link, navigate, setQuery, useLocation } from '../router';
import { can, useSession } from '../session';
import { StatementsYear } from './StatementsYear';
import { amountColumn } from '../components/columns';

export function RunsPage() {
  useTitle('Utbetalningar');
  const { me } = useSession();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const runs = useLoad('runs', (signal) => fetchAll<Run>('/api/runs', signal));

  const rows = useMemo(
    () => (runs.data ?? []).filter((r) => !status || r.status === status),
    [runs.data, status],
  );
  const months = useMemo(() => new Set(rows.map((r) => r.month)).size, [rows]);

  const columns: Column<Run>[] = [
    {
      key: 'month',
      className: 'nowrap',
      header: 'Månad',
      value: (r) => r.month,
      render: (r) => monthLabel(r.month),
    },
    {
      key: 'id',
      className: 'nowrap',
      header: 'Körning',
      value: (r) => r.id,
      render: (r) => (
        <Link href={`/utbetalningar/${r.id}`} aria-label={`Körning ${r.id}, ${monthLabel(r.month)}`}>
          Körning {r.id}
        </Link>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      value: (r) => RUN_STATUS[r.status],
      render: (r) => (
        <>
          <StatusBadge status={r.status} />
          {r.corrects_run_id && (
            <>
              <br />
              korrigerar <Link href={`/utbetalningar/${r.corrects_run_id}`}>körning {r.corrects_run_id}</Link>
            </>
          )}
        </>
      ),
    },
    {
      key: 'rulebook',
      header: 'Regelbok',
      value: (r) => r.rulebook_id,
      render: (r) => <code>{r.rulebook_id}</code>,
    },
    amountColumn('total', me.role === 'provider' ? 'Summa (egna enheter)' : 'Summa', 'total_ore'),
    {
      key: 'approved',
      header: 'Skapad och godkänd',
      value: (r) => r.approved_at ?? '',
      render: (r) => (
        <>
          av {r.created_by ?? 'okänd'}
          <br />
          {r.approved_at ? `godkänd ${date(r.approved_at)} av ${r.approved_by ?? 'okänd'}` : 'inte godkänd'}
        </>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Utbetalningar"
        lead="Månadens körningar: utkast som väntar på godkännande, godkända utbetalningar och korrigeringar."
      />
      {can(me.role, 'changeRuns') && <NewRun onCreated={(id) => navigate(`/utbetalningar/${id}`)} />}
      {me.role === 'provider' && runs.data && (
        <StatementsYear
          years={[...new Set(runs.data.filter((r) => r.status !== 'draft').map((r) => r.month.slice(0, 4)))]
            .sort()
            .reverse()}
        />
      )}
      <Card title="Körningar">
        {runs.error && <ErrorMessage error={runs.error} />}
        {runs.loading && <Loading what="körningarna" />}
        {runs.data && (
          <DataTable
            caption={`Körningar (${count(rows.length, 'körning', 'körningar')} för ${count(months, 'månad', 'månader')})`}
            captionHidden
            columns={columns}
            rows={rows}
            rowKey={(r) => String(r.id)}
            initialSort={{ key: 'id', dir: 'desc' }}
            tools={
              <SelectField
                label="Status"
                value={status}
                onChange={(v) => setQuery({ status: v })}
                options={[
                  ['', 'Alla'],
                  ['draft', 'Utkast'],
                  ['approved', 'Godkända'],
                  ['superseded', 'Ersatta av korrigering'],
                ]}
              />
            }
            empty="Inga körningar."
          />
        )}
      </Card>
    </>
  );
}

/** An officer computes a new draft (a correction when the month is already approved). */
function NewRun({ onCreated }: { onCreated: (id: number) => void }) {
  const versions = useApi<{ items: RulebookVersion[] }>('/api/rulebooks');
  const published = (versions.data?.items ?? []).filter((v) => v.status === 'published');
  const [month, setMonth] = useState('');
  const [versionId, setVersionId] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const monthId = useId();
  const chosen = versionId || String(published[0]?.id ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!/^\d{4}-\d{2}$/.test(month)) {
      setError(new ApiError(400, 'Ange månaden', 'Månaden skrivs ÅÅÅÅ-MM, till exempel 2025-12.'));
      return;
    }
    setBusy(true);
    try {
      const run = await api<Run>('/api/runs', {
        method: 'POST',
        json: { month, rulebook_version_id: Number(chosen) },
      });
      onCreated(run.id);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card no-print" aria-labelledby="new-run">
      <h2 id="new-run">Ny körning</h2>
      <p>
        Beräknar ett utkast ur den senaste importen. Finns redan en godkänd körning för månaden blir utkastet
        en korrigering som betalar skillnaden.
      </p>
      {error && <ErrorMessage error={error} title="Körningen kunde inte skapas" />}
      <form onSubmit={submit} className="form-row" noValidate>
        <div className="field">
          <label htmlFor={monthId}>Månad</label>
          <span className="hint" id={`${monthId}-hint`}>
            ÅÅÅÅ-MM
          </span>
          <input
            id={monthId}
            value={month}
            onChange={(e) => setMonth(e.target.value.trim())}
            aria-describedby={`${monthId}-hint`}
            inputMode="numeric"
            size={10}
            required
          />
        </div>
        <SelectField
          label="Regelbok"
          value={chosen}
          onChange={setVersionId}
          options={published.map((v) => [String(v.id), `${v.title} (version ${v.version})`])}
        />
        <button className="button" type="submit" disabled={busy || published.length === 0}>
          {busy ? 'Beräknar …' : 'Beräkna utkast'}
        </button>
      </form>
    </section>
  );
}
