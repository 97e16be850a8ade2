import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type RunDetail } from '../api';
import { TextField } from '../components/TextField';
import { ErrorMessage } from '../components/ui';
import { count, kr, monthLabel } from '../format';
import type { Schemas } from '../api/types';
import { useApi } from '../hooks';
import { useSession } from '../session';

type Control = Schemas['ControlSettings'];

/**
 * Approval (attest) of a draft, with the approver's comment. The server decides who may approve
 * (not the one who computed the run or published its rulebook) and in which order months go; its
 * reason is shown as it is. When the month before has no run, the approver writes why.
 */
export function RunApprove({ run, onApproved }: { run: RunDetail; onApproved: () => void }) {
  const { me } = useSession();
  const control = useApi<Control>('/api/control');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [needsReason, setNeedsReason] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const approve = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/runs/${run.id}/approve`, {
        method: 'POST',
        json: { comment, ...(reason.trim() && { missing_month_reason: reason }) },
      });
      onApproved();
    } catch (err) {
      const e = err as ApiError;
      setError(e);
      if (/saknar körning/.test(e.detail ?? '')) setNeedsReason(true);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <>
      <TextField
        label="Kommentar till godkännandet"
        rows={3}
        maxLength={2000}
        value={comment}
        onChange={setComment}
      />
      {needsReason && (
        <TextField
          label="Skäl till att månaden före saknar körning"
          rows={2}
          maxLength={2000}
          value={reason}
          onChange={setReason}
        />
      )}
      {!confirming ? (
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          Godkänn körningen
        </button>
      ) : (
        <>
          <p>
            Godkänn utbetalningen för {monthLabel(run.month)} på <strong>{kr(run.total_ore)}</strong> till{' '}
            {count(run.units.length, 'enhet', 'enheter')}?
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={approve} disabled={busy} ref={confirmRef}>
              {busy ? 'Godkänner …' : 'Ja, godkänn'}
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => setConfirming(false)}
              disabled={busy}
            >
              Avbryt
            </button>
          </div>
        </>
      )}
    </>
  );

  return (
    <section className="alert warning no-print" aria-labelledby="approve-heading">
      <h2 id="approve-heading">Utkastet väntar på godkännande</h2>
      <p>
        Beräknad av <strong>{run.created_by ?? 'okänd'}</strong>. Enligt attestordningen godkänner en annan
        person: granska de flaggade enheterna nedan och skriv vad du har kontrollerat. En godkänd körning kan
        bara ändras med en korrigering.
      </p>
      {error && <ErrorMessage error={error} title="Körningen kunde inte godkännas" />}
      {control.data && !mayApprove(control.data, me, run) ? (
        <p data-testid="approve-not-you">
          <strong>
            {control.data.four_eyes && run.created_by === me.username
              ? 'Du beräknade körningen och kan inte själv godkänna den.'
              : 'Du har inte attesträtt.'}
          </strong>{' '}
          Be en kollega med attesträtt att granska och godkänna den.
        </p>
      ) : (
        form
      )}
    </section>
  );
}

/** What the page can tell beforehand (the server decides, also on the publisher of the rulebook). */
function mayApprove(control: Control, me: { username: string; role: string }, run: RunDetail): boolean {
  if (control.four_eyes && run.created_by === me.username) return false;
  return (
    control.approver_roles.includes(me.role) || control.approvers.some((a) => a.username === me.username)
  );
}
