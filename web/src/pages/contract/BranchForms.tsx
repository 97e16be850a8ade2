import { useId, useState, type FormEvent } from 'react';
import { api, errorAt } from '../../api';
import { TextField } from '../../components/TextField';
import { ErrorMessage, Feedback } from '../../components/ui';
import { date } from '../../format';
import type { Branch, ContractDetails } from './types';
import { useAction } from '../../hooks';

const today = () => new Date().toISOString().slice(0, 10);

export const BRANCH_STATUS: Record<Branch['status'], string> = {
  reported: 'Anmäld, väntar på beslut',
  approved: 'Godkänd',
  refused: 'Avslagen',
};

/** A provider (or the region for it) reports a new branch (filial) under the contract. */
export function BranchReportForm({
  contract,
  onReported,
}: {
  contract: ContractDetails;
  onReported: () => void;
}) {
  const mains = contract.units.filter((u) => !u.branch_of);
  const [unitId, setUnitId] = useState('');
  const [branchOf, setBranchOf] = useState(mains[0]?.unit_id ?? contract.unit_id ?? '');
  const [name, setName] = useState('');
  const [kommun, setKommun] = useState('');
  const action = useAction();
  const ids = useId();
  const err = (p: string) => errorAt(action.error, p);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await action.run('Filialen är anmäld; regionen beslutar om den.', () =>
      api(`/api/contracts/${contract.id}/branches`, {
        method: 'POST',
        json: { unit_id: unitId, branch_of: branchOf, name, kommun: kommun || null, reported_at: today() },
      }),
    );
    if (done) {
      setUnitId('');
      setName('');
      setKommun('');
      onReported();
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${ids}-heading`} noValidate>
      <h3 id={`${ids}-heading`}>Anmäl en ny filial</h3>
      <Feedback action={action} failed="Filialen kunde inte anmälas" />
      <TextField label="Filialens HSA-id" value={unitId} onChange={setUnitId} error={err('/unit_id')} />
      <TextField label="Filialens namn" value={name} onChange={setName} error={err('/name')} />
      {mains.length > 0 ? (
        <div className="field">
          <label htmlFor={`${ids}-of`}>Filial till</label>
          <select id={`${ids}-of`} value={branchOf} onChange={(e) => setBranchOf(e.target.value)}>
            {mains.map((u) => (
              <option key={u.unit_id} value={u.unit_id}>
                {u.name} ({u.unit_id})
              </option>
            ))}
          </select>
        </div>
      ) : (
        <TextField
          label="Filial till (HSA-id)"
          value={branchOf}
          onChange={setBranchOf}
          error={err('/branch_of')}
        />
      )}
      <TextField
        label="Kommun (kod, valfritt)"
        inputMode="numeric"
        value={kommun}
        onChange={setKommun}
        error={err('/kommun')}
      />
      <div>
        <button type="submit" className="button" disabled={action.busy}>
          Anmäl filialen
        </button>
      </div>
    </form>
  );
}

/** The region's decision on a reported branch: approved (it enters the registry) or refused, with a reason. */
export function BranchDecisionForm({ branch, onDecided }: { branch: Branch; onDecided: () => void }) {
  const [decision, setDecision] = useState<'approved' | 'refused'>('approved');
  const [reason, setReason] = useState('');
  const action = useAction();
  const ids = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await action.run('Beslutet om filialen är fattat.', () =>
      api(`/api/branches/${branch.id}/decision`, {
        method: 'POST',
        json: { decision, reason, decided_at: today() },
      }),
    );
    if (done) onDecided();
  };

  return (
    <form className="form" onSubmit={submit} aria-label={`Beslut om filialen ${branch.name}`} noValidate>
      {action.error && <ErrorMessage error={action.error} title="Beslutet kunde inte sparas" />}
      <div className="field">
        <label htmlFor={`${ids}-decision`}>Beslut om {branch.name}</label>
        <select
          id={`${ids}-decision`}
          value={decision}
          onChange={(e) => setDecision(e.target.value as 'approved' | 'refused')}
        >
          <option value="approved">Godkänn (filialen förs in i registret)</option>
          <option value="refused">Avslå</option>
        </select>
      </div>
      <TextField
        label={`Skäl (${branch.name})`}
        rows={2}
        value={reason}
        onChange={setReason}
        error={errorAt(action.error, '/reason')}
      />
      <div>
        <button type="submit" className="button" disabled={action.busy}>
          Besluta om filialen
        </button>
      </div>
    </form>
  );
}

export function BranchList({ branches }: { branches: Branch[] }) {
  if (branches.length === 0) return <p>Inga filialer anmälda under avtalet.</p>;
  return (
    <ul>
      {branches.map((b) => (
        <li key={b.id}>
          {b.name} ({b.unit_id}), filial till {b.branch_of}: {BRANCH_STATUS[b.status]}, anmäld{' '}
          {date(b.reported_at)}
          {b.decided_at ? `, beslut ${date(b.decided_at)}` : ''}
          {b.reason ? `. Skäl: ${b.reason}` : ''}
        </li>
      ))}
    </ul>
  );
}
