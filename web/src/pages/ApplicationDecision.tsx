import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorMessage, Loading, SelectField } from '../components/ui';
import { useApi } from '../hooks';
import { AssessmentForm, type Assessment } from './AssessmentForm';
import type { Procedure } from '../api/types';

/**
 * The officer's part of a LOV application: assess every exclusion ground and qualification
 * requirement (with evidence and a reason), then approve or reject with reasons. The API refuses an
 * approval until every requirement is assessed and met, and says which are missing.
 */
export function ApplicationDecision({
  applicationId,
  procedureId,
  assessments,
  onChanged,
}: {
  applicationId: number;
  procedureId: number;
  assessments: Assessment[];
  onChanged: () => void;
}) {
  const procedure = useApi<Procedure>(`/api/procedures/${procedureId}`);
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [contractStart, setContractStart] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const ids = useId();

  const send = async (what: string, call: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      await call();
      setSaved(what);
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Något gick fel', String(e)));
    } finally {
      setBusy(false);
    }
  };

  const assess = (filled: Assessment[]) =>
    void send('Bedömningen är sparad.', () =>
      api(`/api/applications/${applicationId}/assessments`, {
        method: 'POST',
        json: { assessments: filled },
      }),
    );

  const decide = (e: FormEvent) => {
    e.preventDefault();
    void send('Beslutet är fattat.', () =>
      api(`/api/applications/${applicationId}/decision`, {
        method: 'POST',
        json: {
          decision,
          reason,
          ...(decision === 'approve' && contractStart ? { contract_start: contractStart } : {}),
        },
      }),
    );
  };

  if (procedure.error) return <ErrorMessage error={procedure.error} />;
  if (!procedure.data) return <Loading what="kraven" />;
  if (procedure.data.kind !== 'lov') return null;

  return (
    <section className="card" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Bedöm och besluta</h2>
      {saved && !error && (
        <div className="alert info" role="status">
          <p>{saved}</p>
        </div>
      )}
      {error && <ErrorMessage error={error} title="Det gick inte att spara" />}
      <AssessmentForm
        requirements={procedure.data.requirements}
        assessments={assessments}
        busy={busy}
        onSave={assess}
      />
      <form className="form" onSubmit={decide} aria-label="Beslut om ansökan">
        <SelectField
          label="Beslut"
          value={decision}
          onChange={(v) => setDecision(v as 'approve' | 'reject')}
          options={[
            ['approve', 'Godkänn (blir avtal)'],
            ['reject', 'Avslå'],
          ]}
        />
        <div className="field">
          <label htmlFor={`${ids}-reason`}>Skäl</label>
          <textarea
            id={`${ids}-reason`}
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <p className="hint">Beslutsdatum blir dagens datum enligt servern.</p>
        {decision === 'approve' && (
          <div className="field">
            <label htmlFor={`${ids}-start`}>Avtalet börjar (valfritt)</label>
            <input
              id={`${ids}-start`}
              type="date"
              value={contractStart}
              onChange={(e) => setContractStart(e.target.value)}
            />
          </div>
        )}
        <div>
          <button type="submit" className="button" disabled={busy || !reason.trim()}>
            Fatta beslut
          </button>
        </div>
      </form>
    </section>
  );
}
