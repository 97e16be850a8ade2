import { useId, useMemo, type FormEvent } from 'react';
import { useDraft } from '../useDraft';
import type { Requirement } from './nss/types';

export interface Assessment {
  requirement_id: string;
  outcome: string;
  evidence: string;
  reason: string;
}

const OUTCOMES: Record<Requirement['kind'], [string, string][]> = {
  exclusion: [
    ['clear', 'Gäller inte (ingen uteslutning)'],
    ['excluded', 'Utesluten'],
  ],
  qualification: [
    ['met', 'Uppfyllt'],
    ['not_met', 'Inte uppfyllt'],
  ],
};

const EMPTY: Assessment = { requirement_id: '', outcome: '', evidence: '', reason: '' };

/**
 * Every exclusion ground and qualification requirement, each with an outcome, the evidence and a
 * reason: the same form for a LOV application and an NSS tender. The caller saves what is filled in.
 */
export function AssessmentForm({
  requirements,
  assessments,
  busy,
  onSave,
}: {
  requirements: Requirement[];
  assessments: Assessment[];
  busy: boolean;
  onSave: (filled: Assessment[]) => void;
}) {
  const saved = useMemo(
    () => Object.fromEntries(assessments.map((a) => [a.requirement_id, a])),
    [assessments],
  );
  const { rows: draft, edit } = useDraft<Assessment>(saved, EMPTY);
  const ids = useId();
  const set = (id: string, patch: Partial<Assessment>) => edit(id, { ...patch, requirement_id: id });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(Object.values(draft).filter((a) => a.outcome));
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Bedömning av kraven">
      {requirements.map((r) => {
        const a = draft[r.id];
        const base = `${ids}-${r.id}`;
        return (
          <fieldset key={r.id} className="requirement">
            <legend>
              {r.kind === 'exclusion' ? 'Uteslutningsgrund' : 'Kvalificeringskrav'} {r.id}: {r.text}
            </legend>
            <div className="field">
              <label htmlFor={`${base}-outcome`}>Bedömning</label>
              <select
                id={`${base}-outcome`}
                value={a?.outcome ?? ''}
                onChange={(e) => set(r.id, { outcome: e.target.value })}
              >
                <option value="">Inte bedömd</option>
                {OUTCOMES[r.kind].map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${base}-evidence`}>Underlag</label>
              <input
                id={`${base}-evidence`}
                value={a?.evidence ?? ''}
                onChange={(e) => set(r.id, { evidence: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${base}-reason`}>Motivering</label>
              <input
                id={`${base}-reason`}
                value={a?.reason ?? ''}
                onChange={(e) => set(r.id, { reason: e.target.value })}
              />
            </div>
            <p className="hint">Källa: {r.source}</p>
          </fieldset>
        );
      })}
      <div>
        <button type="submit" className="button secondary" disabled={busy}>
          Spara bedömning
        </button>
      </div>
    </form>
  );
}
