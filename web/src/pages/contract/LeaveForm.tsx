import { useId, useState, type FormEvent } from 'react';
import { api, errorAt } from '../../api';
import { TextField } from '../../components/TextField';
import { ErrorMessage, Feedback } from '../../components/ui';
import type { ContractMember as Member, LeavePreview } from '../../api/types';
import { useAction } from '../../hooks';

/**
 * A group member leaves the contract. The officer names the member and its last day and first sees
 * what follows, by the contract's own rule: the new shares, or that the contract ends, and what
 * happens to the units. Only then is the leaving registered.
 */
export function LeaveForm({
  contractId,
  members,
  onLeft,
}: {
  contractId: number;
  members: Member[];
  onLeft: () => void;
}) {
  const current = members.filter((m) => m.left_at === null);
  const [chosen, setOrgNr] = useState('');
  // A member who has left is no longer offered; the choice falls back to the first other member.
  const orgNr = current.some((m) => m.org_nr === chosen)
    ? chosen
    : (current.find((m) => !m.lead)?.org_nr ?? current[0]?.org_nr ?? '');
  const [leftAt, setLeftAt] = useState('');
  const [preview, setPreview] = useState<LeavePreview | undefined>();
  const check = useAction();
  const leave = useAction();
  const ids = useId();
  const body = { org_nr: orgNr, left_at: leftAt };
  const error = check.error ?? leave.error;

  const show = async (e: FormEvent) => {
    e.preventDefault();
    setPreview(
      await check.run('', () =>
        api<LeavePreview>(`/api/contracts/${contractId}/members/leave-preview`, {
          method: 'POST',
          json: body,
        }),
      ),
    );
  };
  const confirm = async () => {
    const done = await leave.run('Att medlemmen lämnar är registrerat.', () =>
      api(`/api/contracts/${contractId}/members/leave`, { method: 'POST', json: body }),
    );
    if (done) {
      setPreview(undefined);
      setLeftAt('');
      onLeft();
    }
  };
  const leaver = current.find((m) => m.org_nr === orgNr);

  return (
    <section className="card" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>En medlem lämnar gruppen</h2>
      <Feedback action={leave} failed="Det gick inte att registrera" />
      {check.error && <ErrorMessage error={check.error} title="Följderna kunde inte visas" />}
      <form className="form" onSubmit={show} aria-label="Medlem som lämnar">
        <div className="field">
          <label htmlFor={`${ids}-member`}>Medlem</label>
          <select
            id={`${ids}-member`}
            value={orgNr}
            aria-invalid={errorAt(error, '/org_nr') ? true : undefined}
            onChange={(e) => {
              setOrgNr(e.target.value);
              setPreview(undefined);
            }}
          >
            {current.map((m) => (
              <option key={m.org_nr} value={m.org_nr}>
                {m.name} ({m.org_nr}){m.lead ? ', huvudman' : ''}
              </option>
            ))}
          </select>
          {errorAt(error, '/org_nr') && <span className="field-error">{errorAt(error, '/org_nr')}</span>}
        </div>
        <TextField
          label="Sista dag som medlem"
          type="date"
          value={leftAt}
          onChange={(v) => {
            setLeftAt(v);
            setPreview(undefined);
          }}
          error={errorAt(error, '/left_at')}
        />
        <div>
          <button type="submit" className="button secondary" disabled={check.busy}>
            Visa följderna
          </button>
        </div>
      </form>
      {preview && leaver && (
        <div className="preview" aria-live="polite">
          <h3>
            Om {leaver.name} lämnar efter {leftAt}
          </h3>
          <p>{preview.explanation}.</p>
          {preview.outcome === 'reallocated' ? (
            <>
              <p>Nya andelar från dagen efter:</p>
              <ul>
                {preview.members.map((m) => (
                  <li key={m.org_nr}>
                    {m.name} ({m.org_nr}): {m.share_percent} % av åtagandet
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>Avtalet upphör {leftAt}.</p>
          )}
          {preview.units.length > 0 && (
            <>
              <p>Enheterna:</p>
              <ul>
                {preview.units.map((u) => (
                  <li key={u.unit_id}>{u.consequence}</li>
                ))}
              </ul>
            </>
          )}
          <button type="button" className="button" onClick={confirm} disabled={leave.busy}>
            Registrera att {leaver.name} lämnar
          </button>
        </div>
      )}
    </section>
  );
}
