import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { TextField } from '../../components/TextField';
import { ErrorMessage, Feedback, Loading } from '../../components/ui';
import { date } from '../../format';
import { useAction, useApi } from '../../hooks';
import type { Standstill } from '../../api/types';

/** The first day of the month after a date: a contract usually starts on a month's first day. */
function firstOfNextMonth(iso: string): string {
  const [y = NaN, m = NaN] = iso.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** "10 dagar från 2026-12-14 är 2026-12-24; sista dagen flyttas förbi …". */
export function StandstillDates({ s }: { s: Standstill }) {
  return (
    <>
      <p>
        Tilldelningsbeslutet skickades {date(s.sent_at)}
        {s.electronic ? ' elektroniskt' : ' med post'}; avtalsspärren är {s.days} dagar.
      </p>
      <dl className="facts">
        <dt>Avtalsspärren löper till och med</dt>
        <dd>{date(s.last_day)}</dd>
        <dt>Avtal får tecknas tidigast</dt>
        <dd>{date(s.earliest_signing)}</dd>
      </dl>
      {s.moved.length > 0 && (
        <>
          <p>
            Den {s.days}:e dagen, {date(s.nominal_last_day)}, är ingen vardag, så spärren löper till nästa
            vardag. Dagarna som flyttade den:
          </p>
          <ul>
            {s.moved.map((m) => (
              <li key={m.date}>
                {date(m.date)}: {m.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/**
 * The award's standstill and the signing. Signing is offered from the earliest signing day by the
 * server's date; the server dates the signing itself and refuses it during the standstill, and the
 * refusal is shown as it is worded.
 */
export function StandstillCard({
  procedureId,
  maySign,
  onSigned,
}: {
  procedureId: number;
  maySign: boolean;
  onSigned: () => void;
}) {
  const info = useApi<{ today: string; standstill: Standstill | null }>(
    `/api/procedures/${procedureId}/standstill`,
  );
  const [start, setStart] = useState('');
  const action = useAction();
  const ids = useId();
  const s = info.data?.standstill;
  const startDate = start || (s ? firstOfNextMonth(s.earliest_signing) : '');

  const sign = async (e: FormEvent) => {
    e.preventDefault();
    const done = await action.run('Avtalet är tecknat.', () =>
      api(`/api/procedures/${procedureId}/sign`, { method: 'POST', json: { start_date: startDate } }),
    );
    if (done) {
      info.reload();
      onSigned();
    }
  };

  if (info.error) return <ErrorMessage error={info.error} />;
  if (!info.data) return <Loading what="avtalsspärren" />;
  if (!s) return null;
  return (
    <section className="card" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Avtalsspärr och avtal</h2>
      <StandstillDates s={s} />
      {s.signed_at ? (
        <p>Avtalet tecknades {date(s.signed_at)}.</p>
      ) : (
        maySign && (
          <form className="form" onSubmit={sign} aria-label="Teckna avtal">
            <Feedback action={action} failed="Avtalet kunde inte tecknas" />
            {s.may_sign ? (
              <p>Avtalsspärren har löpt ut (i dag är det {date(info.data.today)}); avtalet kan tecknas.</p>
            ) : (
              <div className="alert warning" role="note">
                <p>
                  I dag är det {date(info.data.today)}. Avtalsspärren löper till och med {date(s.last_day)};
                  avtal får tecknas först {date(s.earliest_signing)}. Regionen nekar ett tidigare avtal.
                </p>
              </div>
            )}
            <TextField
              label="Avtalet börjar"
              type="date"
              value={startDate}
              onChange={setStart}
              hint="Avtalet löper i 7 år från startdagen; tecknandet dateras med dagens datum."
            />
            <div>
              <button
                type="submit"
                className={s.may_sign ? 'button' : 'button secondary'}
                disabled={action.busy}
              >
                Teckna avtal
              </button>
            </div>
          </form>
        )
      )}
    </section>
  );
}
