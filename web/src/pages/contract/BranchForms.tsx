import { useId, useState, type FormEvent } from 'react';
import { api, errorAt } from '../../api';
import { TextField } from '../../components/TextField';
import { ErrorMessage, Feedback, SelectField, SubmitButton } from '../../components/ui';
import { date } from '../../format';
import type { BranchReport as Branch, ContractDetails } from '../../api/types';
import { useAction, useFields } from '../../hooks';

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
  const action = useAction();
  const empty = { unit_id: '', name: '', kommun: '' };
  const form = useFields({ ...empty, branch_of: mains[0]?.unit_id ?? contract.unit_id ?? '' }, action.error);
  const { unit_id: unitId, branch_of: branchOf, name, kommun } = form.values;
  const ids = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await action.run('Filialen är anmäld; regionen beslutar om den.', () =>
      api(`/api/contracts/${contract.id}/branches`, {
        method: 'POST',
        json: { unit_id: unitId, branch_of: branchOf, name, kommun: kommun || null, reported_at: today() },
      }),
    );
    if (done) {
      form.setValues((v) => ({ ...v, ...empty }));
      onReported();
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${ids}-heading`} noValidate>
      <h3 id={`${ids}-heading`}>Anmäl en ny filial</h3>
      <Feedback action={action} failed="Filialen kunde inte anmälas" />
      <TextField label="Filialens HSA-id" {...form.bind('unit_id')} />
      <TextField label="Filialens namn" {...form.bind('name')} />
      {mains.length > 0 ? (
        <SelectField
          label="Filial till"
          {...form.bind('branch_of')}
          options={mains.map((u) => [u.unit_id, `${u.name} (${u.unit_id})`])}
        />
      ) : (
        <TextField label="Filial till (HSA-id)" {...form.bind('branch_of')} />
      )}
      <TextField label="Kommun (kod, valfritt)" inputMode="numeric" {...form.bind('kommun')} />
      <SubmitButton busy={action.busy}>Anmäl filialen</SubmitButton>
    </form>
  );
}

/** The region's decision on a reported branch: approved (it enters the registry) or refused, with a reason. */
export function BranchDecisionForm({ branch, onDecided }: { branch: Branch; onDecided: () => void }) {
  const [decision, setDecision] = useState<'approved' | 'refused'>('approved');
  const [reason, setReason] = useState('');
  const action = useAction();

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
      <SelectField
        label={`Beslut om ${branch.name}`}
        value={decision}
        onChange={(v) => setDecision(v as 'approved' | 'refused')}
        options={[
          ['approved', 'Godkänn (filialen förs in i registret)'],
          ['refused', 'Avslå'],
        ]}
      />
      <TextField
        label={`Skäl (${branch.name})`}
        rows={2}
        value={reason}
        onChange={setReason}
        error={errorAt(action.error, '/reason')}
      />
      <SubmitButton busy={action.busy}>Besluta om filialen</SubmitButton>
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
