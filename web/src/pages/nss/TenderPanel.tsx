import { useId, useMemo, type FormEvent } from 'react';
import { api, errorAt } from '../../api';
import { DataTable } from '../../components/DataTable';
import { TextField } from '../../components/TextField';
import { ErrorMessage, Feedback } from '../../components/ui';
import { useAction, useApi } from '../../hooks';
import { can, useSession } from '../../session';
import { AssessmentForm, type Assessment } from '../AssessmentForm';
import { StandstillDates } from './StandstillCard';
import type { Procedure as NssProcedure, TenderView } from '../../api/types';
import { useDraft } from '../../useDraft';
import { nameColumn } from '../../components/columns';

const EMPTY_SCORE = { score: '', motivation: '' };

/**
 * An NSS tender on its page. The officer assesses the requirements and scores each quality
 * criterion with a short motivation; the tenderer reads its scores and motivations once the award
 * decision is sent, with the decision, the standstill and how to seek review.
 */
export function TenderPanel({
  applicationId,
  procedureId,
  status,
  assessments,
  onChanged,
}: {
  applicationId: number;
  procedureId: number;
  status: string;
  assessments: Assessment[];
  onChanged: () => void;
}) {
  const { me } = useSession();
  const proc = useApi<NssProcedure>(`/api/procedures/${procedureId}`);
  const nss = proc.data?.kind === 'nss';
  const view = useApi<TenderView>(nss ? `/api/applications/${applicationId}/tender` : null);
  const assess = useAction();
  const ids = useId();
  if (proc.error) return <ErrorMessage error={proc.error} />;
  if (!nss || !proc.data) return null;
  const open = (status === 'submitted' || status === 'assessed') && proc.data.status === 'published';
  const officer = can(me.role, 'decideProcurement');
  const changed = () => {
    view.reload();
    onChanged();
  };
  const v = view.data;

  return (
    <>
      {officer && open && (
        <section className="card" aria-labelledby={`${ids}-assess`}>
          <h2 id={`${ids}-assess`}>Bedöm kraven</h2>
          <Feedback action={assess} failed="Bedömningen kunde inte sparas" />
          <AssessmentForm
            requirements={proc.data.requirements}
            assessments={assessments}
            busy={assess.busy}
            onSave={async (filled) => {
              const done = await assess.run('Bedömningen är sparad.', () =>
                api(`/api/applications/${applicationId}/assessments`, {
                  method: 'POST',
                  json: { assessments: filled },
                }),
              );
              if (done) changed();
            }}
          />
        </section>
      )}
      {officer && open && v && <ScoringForm applicationId={applicationId} view={v} onScored={changed} />}
      {view.error && <ErrorMessage error={view.error} />}
      {v && (
        <section className="card" aria-labelledby={`${ids}-scores`}>
          <h2 id={`${ids}-scores`}>Poäng per kvalitetskriterium</h2>
          {v.criteria.every((c) => c.score === null) ? (
            <p>
              {officer
                ? 'Inte poängsatt ännu.'
                : 'Poängen och motiveringarna visas när tilldelningsbeslutet har skickats.'}
            </p>
          ) : (
            <DataTable
              caption="Poäng och motivering"
              captionHidden
              rows={v.criteria}
              rowKey={(c) => c.id}
              columns={[
                nameColumn('name', 'Kriterium', 'name'),
                { key: 'weight', header: 'Vikt (%)', value: (c) => c.weight, numeric: true },
                {
                  key: 'score',
                  header: 'Poäng',
                  value: (c) => (c.score === null ? '–' : `${c.score} av ${c.max_score}`),
                },
                { key: 'motivation', header: 'Motivering', value: (c) => c.motivation ?? '–' },
              ]}
            />
          )}
        </section>
      )}
      {v?.decision && (
        <section className="card" aria-labelledby={`${ids}-decision`}>
          <h2 id={`${ids}-decision`}>
            Tilldelningsbeslut: {v.decision.outcome === 'awarded' ? 'anbudet antas' : 'anbudet antas inte'}
          </h2>
          {v.decision.reason && <p>Skäl: {v.decision.reason}.</p>}
          {v.decision.standstill && <StandstillDates s={v.decision.standstill} />}
          <h3>Överprövning</h3>
          <p>
            {v.decision.review.text} <small>({v.decision.review.source})</small>
          </p>
        </section>
      )}
    </>
  );
}

function ScoringForm({
  applicationId,
  view,
  onScored,
}: {
  applicationId: number;
  view: TenderView;
  onScored: () => void;
}) {
  const saved = useMemo(
    () =>
      Object.fromEntries(
        view.criteria.map((c) => [
          c.id,
          { score: c.score === null ? '' : String(c.score), motivation: c.motivation ?? '' },
        ]),
      ),
    [view],
  );
  const { rows, edit: set } = useDraft(saved, EMPTY_SCORE);
  const action = useAction();
  const ids = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await action.run('Poängen är sparade.', () =>
      api(`/api/applications/${applicationId}/scoring`, {
        method: 'POST',
        json: {
          scores: view.criteria.map((c) => ({
            criterion_id: c.id,
            score: Number(rows[c.id]?.score || NaN),
            motivation: rows[c.id]?.motivation ?? '',
          })),
        },
      }),
    );
    if (done) onScored();
  };

  return (
    <section className="card" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Poängsätt anbudet</h2>
      <form className="form" onSubmit={submit} aria-label="Poäng per kriterium">
        <Feedback action={action} failed="Poängen kunde inte sparas" />
        {view.criteria.map((c, i) => (
          <fieldset className="requirement" key={c.id}>
            <legend>
              {c.name} (vikt {c.weight} %)
            </legend>
            <div className="field">
              <label htmlFor={`${ids}-${c.id}`}>Poäng</label>
              <select
                id={`${ids}-${c.id}`}
                value={rows[c.id]?.score ?? ''}
                onChange={(e) => set(c.id, { score: e.target.value })}
              >
                <option value="">Välj</option>
                {Array.from({ length: c.max_score + 1 }, (_, s) => (
                  <option key={s} value={s}>
                    {s} av {c.max_score}
                  </option>
                ))}
              </select>
            </div>
            <TextField
              label="Motivering"
              value={rows[c.id]?.motivation ?? ''}
              onChange={(v) => set(c.id, { motivation: v })}
              error={errorAt(action.error, `/scores/${i}`)}
            />
          </fieldset>
        ))}
        <div>
          <button type="submit" className="button" disabled={action.busy}>
            Spara poäng
          </button>
        </div>
      </form>
    </section>
  );
}
