import { useMemo, type FormEvent } from 'react';
import { TextField } from '../components/TextField';
import { SelectField } from '../components/ui';
import { useDraft } from '../useDraft';
import type { Requirement } from '../api/types';

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
  const set = (id: string, patch: Partial<Assessment>) => edit(id, { ...patch, requirement_id: id });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(Object.values(draft).filter((a) => a.outcome));
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Bedömning av kraven">
      {requirements.map((r) => {
        const a = draft[r.id];
        return (
          <fieldset key={r.id} className="requirement">
            <legend>
              {r.kind === 'exclusion' ? 'Uteslutningsgrund' : 'Kvalificeringskrav'} {r.id}: {r.text}
            </legend>
            <SelectField
              label="Bedömning"
              value={a?.outcome ?? ''}
              onChange={(outcome) => set(r.id, { outcome })}
              options={[['', 'Inte bedömd'], ...OUTCOMES[r.kind]]}
            />
            <TextField
              label="Underlag"
              value={a?.evidence ?? ''}
              onChange={(evidence) => set(r.id, { evidence })}
            />
            <TextField
              label="Motivering"
              value={a?.reason ?? ''}
              onChange={(reason) => set(r.id, { reason })}
            />
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
