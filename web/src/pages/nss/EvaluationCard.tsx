import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { DataTable } from '../../components/DataTable';
import { CheckboxField, TextField } from '../../components/TextField';
import { ErrorMessage, Feedback, Loading } from '../../components/ui';
import { useAction, useApi } from '../../hooks';
import { nameColumn } from '../../components/columns';
import type { Evaluation } from '../../api/types';

const points = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 });

/**
 * The evaluation of the tenders: qualified first, ranked by weighted quality score. A tie at the last
 * place to award is shown, and the award asks the officer to choose among the tied with a reason;
 * the award decision goes to every tenderer and starts the standstill.
 */
export function EvaluationCard({
  procedureId,
  mayAward,
  onAwarded,
}: {
  procedureId: number;
  mayAward: boolean;
  onAwarded: () => void;
}) {
  const evaluation = useApi<Evaluation>(`/api/procedures/${procedureId}/evaluation`);
  const [chosen, setChosen] = useState<number[]>([]);
  const [reason, setReason] = useState('');
  const [electronic, setElectronic] = useState(true);
  const action = useAction();
  const ids = useId();
  const e = evaluation.data;

  const award = async (ev: FormEvent) => {
    ev.preventDefault();
    const done = await action.run('Tilldelningsbeslutet är skickat.', () =>
      api(`/api/procedures/${procedureId}/award`, {
        method: 'POST',
        json: {
          electronic,
          // Nothing chosen: the API's refusal says what a tie needs.
          ...(e?.ok && e.tie && (chosen.length > 0 || reason.trim())
            ? { tie_break: { application_ids: chosen, reason } }
            : {}),
        },
      }),
    );
    if (done) onAwarded();
  };

  return (
    <section className="card" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Utvärdering</h2>
      {evaluation.error && <ErrorMessage error={evaluation.error} />}
      {evaluation.loading && <Loading what="utvärderingen" />}
      {e && !e.ok && (
        <div className="alert info" role="status">
          <p>Anbuden kan inte rangordnas ännu:</p>
          <ul>
            {e.errors.map((x) => (
              <li key={x.pointer}>{x.message}</li>
            ))}
          </ul>
        </div>
      )}
      {e?.ok && (
        <>
          <DataTable
            caption="Rangordning på viktad kvalitetspoäng"
            rows={e.ranking}
            rowKey={(r) => String(r.application_id)}
            columns={[
              { key: 'rank', header: 'Plats', value: (r) => r.rank ?? '–' },
              nameColumn('tenderer', 'Anbudsgivare', 'tenderer'),
              { key: 'nr', header: 'Anbud nr', value: (r) => r.application_id, numeric: true },
              {
                key: 'qualified',
                header: 'Kvalificerat',
                value: (r) => (r.qualified ? 'Ja' : `Nej (${r.failed.join(', ')})`),
              },
              {
                key: 'score',
                header: 'Viktad poäng (av 100)',
                value: (r) => (r.qualified ? points.format(r.weighted_score) : '–'),
                numeric: true,
              },
            ]}
          />
          {e.tie && (
            <div className="alert warning" role="note">
              <p className="alert-title">Lika poäng</p>
              <p>
                Anbuden {e.tie.application_ids.join(' och ')} har lika viktad poäng om {e.tie.places}{' '}
                kontrakt. Välj bland dem och motivera valet; motiveringen står i tilldelningsbeslutet.
              </p>
            </div>
          )}
          {mayAward && (
            <form className="form" onSubmit={award} aria-label="Tilldelningsbeslut">
              <Feedback action={action} failed="Tilldelningsbeslutet kunde inte skickas" />
              {e.tie && (
                <>
                  <fieldset className="rows">
                    <legend>Välj {e.tie.places} bland anbuden med lika poäng</legend>
                    {e.tie.application_ids.map((appId) => {
                      const r = e.ranking.find((x) => x.application_id === appId);
                      return (
                        <div className="field checkbox" key={appId}>
                          <input
                            id={`${ids}-tie-${appId}`}
                            type="checkbox"
                            checked={chosen.includes(appId)}
                            onChange={(x) =>
                              setChosen(
                                x.target.checked ? [...chosen, appId] : chosen.filter((c) => c !== appId),
                              )
                            }
                          />
                          <label htmlFor={`${ids}-tie-${appId}`}>
                            Anbud {appId}: {r?.tenderer}
                          </label>
                        </div>
                      );
                    })}
                  </fieldset>
                  <TextField
                    label="Motivering av valet vid lika poäng"
                    rows={3}
                    value={reason}
                    onChange={setReason}
                  />
                </>
              )}
              <CheckboxField
                label="Beslutet skickas elektroniskt (avtalsspärr 10 dagar, annars 15)"
                checked={electronic}
                onChange={setElectronic}
              />
              <div>
                <button type="submit" className="button" disabled={action.busy}>
                  Skicka tilldelningsbeslut
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
