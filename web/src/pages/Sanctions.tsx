import { useState } from 'react';
import { api, fetchAll, type Run } from '../api';
import type { ResponseOf, Schemas } from '../api/types';
import { TextField } from '../components/TextField';
import {
  Card,
  ErrorMessage,
  Feedback,
  Loading,
  PageHeader,
  SelectField,
  SubmitButton,
} from '../components/ui';
import { date, kr, monthLabel } from '../format';
import { useApi, useLoad, useSubmit, useTitle } from '../hooks';
import { can, useSession } from '../session';
import { linkColumn } from '../components/columns';
import { NumberedTable } from '../components/NumberedTable';

/**
 * Sanctions with due process (vite efter yttrande): the region proposes from the follow-up of a
 * month, the provider answers within the rulebook's period, an officer decides, and a confirmed or
 * reduced sanction is deducted in the payment of its settlement month.
 */

type Sanction = Schemas['Sanction'];

export const SANCTION_STATUS: Record<Sanction['status'], string> = {
  proposed: 'Föreslagen',
  answered: 'Yttrande inkommet',
  confirmed: 'Fastställd',
  reduced: 'Nedsatt',
  cancelled: 'Avskriven',
};

type Choice = ResponseOf<'/api/followup/systems', 'get'>['items'][number];

function ProposeForm({ onDone }: { onDone: () => void }) {
  const setup = useLoad('sanction-setup', async (signal) => {
    const [choices, runs] = await Promise.all([
      api<{ items: Choice[] }>('/api/followup/systems', { signal }),
      fetchAll<Run>('/api/runs', signal),
    ]);
    return { choices: choices.items, months: [...new Set(runs.map((r) => r.month))].sort().reverse() };
  });
  const [system, setSystem] = useState('');
  const [month, setMonth] = useState('');
  const ids = system || setup.data?.choices[0]?.version_ids.join(',') || '';
  const m = month || setup.data?.months[0] || '';
  const proposal = useSubmit(async () => {
    let created = 0;
    let existing = 0;
    for (const id of ids.split(',').map(Number)) {
      const r = await api<{ created: Sanction[]; existing: number }>('/api/sanctions/proposals', {
        method: 'POST',
        json: { version_id: id, month: m },
      });
      created += r.created.length;
      existing += r.existing;
    }
    onDone();
    return `${created} nya förslag till vite för ${monthLabel(m)}; ${existing} var redan föreslagna.`;
  });
  if (setup.error) return <ErrorMessage error={setup.error} />;
  if (!setup.data) return <Loading what="vårdvalssystemen" />;
  return (
    <form className="form" onSubmit={proposal.submit} aria-label="Föreslå viten">
      <div className="form-row">
        <SelectField
          label="Vårdvalssystem"
          value={ids}
          onChange={setSystem}
          options={setup.data.choices.map((c) => [c.version_ids.join(','), c.label])}
        />
        <SelectField
          label="Uppföljd månad"
          value={m}
          onChange={setMonth}
          options={setup.data.months.map((x) => [x, monthLabel(x)])}
          hint="Ett vite per ej uppfyllt ska-krav och per händelse som regelboken sanktionerar."
        />
      </div>
      <SubmitButton busy={proposal.busy} disabled={!ids || !m}>
        Föreslå viten
      </SubmitButton>
      <Feedback action={proposal} failed="Vitena kunde inte föreslås" />
    </form>
  );
}

export function SanctionsPage() {
  useTitle('Sanktioner');
  const { me } = useSession();
  const list = useApi<{ items: Sanction[] }>('/api/sanctions');
  const region = can(me.role, 'decideSanctions');
  return (
    <>
      <PageHeader
        title="Sanktioner"
        lead={
          region
            ? 'Viten föreslås ur uppföljningen; vårdgivaren får yttra sig inom regelbokens svarstid, därefter beslutar handläggaren. Bara fastställda och nedsatta viten dras av, i den månad regelboken anger.'
            : 'Föreslagna och beslutade viten för dina enheter. Du kan yttra dig över ett förslag innan regionen beslutar.'
        }
      />
      {region && (
        <Card title="Föreslå viten ur uppföljningen">
          <ProposeForm onDone={list.reload} />
        </Card>
      )}
      {list.error && <ErrorMessage error={list.error} />}
      {list.loading && !list.data && <Loading what="sanktionerna" />}
      {list.data && (
        <Card title="Viten">
          {list.data.items.length === 0 ? (
            <p>Inga viten.</p>
          ) : (
            <NumberedTable
              order="desc"
              caption="Viten"
              rows={list.data.items}
              columns={[
                linkColumn<Sanction>(
                  'unit',
                  'Enhet',
                  (s) => s.unit_id,
                  (s) => `/sanktioner/${s.id}`,
                ),
                { key: 'subject', header: 'Avser', value: (s) => `${s.sanction}: ${s.subject}` },
                { key: 'period', header: 'Period', value: (s) => s.period },
                {
                  key: 'amount',
                  header: 'Belopp',
                  numeric: true,
                  value: (s) => s.decided_ore ?? s.proposed_ore,
                  render: (s) => kr(s.decided_ore ?? s.proposed_ore),
                },
                { key: 'status', header: 'Status', value: (s) => SANCTION_STATUS[s.status] },
                { key: 'due', header: 'Yttra senast', value: (s) => date(s.answer_due) },
                {
                  key: 'settle',
                  header: 'Dras av',
                  value: (s) => s.settle_month ?? '',
                  render: (s) => (s.settle_month ? monthLabel(s.settle_month) : '–'),
                },
              ]}
            />
          )}
        </Card>
      )}
    </>
  );
}

function AnswerForm({ sanction, onDone }: { sanction: Sanction; onDone: () => void }) {
  const [text, setText] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api(`/api/sanctions/${sanction.id}/answer`, { method: 'POST', json: { text } });
    onDone();
  });
  return (
    <form className="form" onSubmit={submit} aria-label="Yttra dig över vitet">
      <TextField
        label="Yttrande"
        hint={`Senast ${date(sanction.answer_due)}. Regionen beslutar efter ditt yttrande.`}
        rows={4}
        value={text}
        onChange={setText}
      />
      <SubmitButton busy={busy} disabled={!text.trim()}>
        Skicka yttrande
      </SubmitButton>
      {error && <ErrorMessage error={error} title="Yttrandet kunde inte skickas" />}
    </form>
  );
}

function DecisionForm({ sanction, onDone }: { sanction: Sanction; onDone: () => void }) {
  const [decision, setDecision] = useState<'confirm' | 'reduce' | 'cancel'>('confirm');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const kronor = Number(amount.replace(/\s/g, '').replace(',', '.'));
    await api(`/api/sanctions/${sanction.id}/decision`, {
      method: 'POST',
      json: {
        decision,
        reason,
        ...(decision === 'reduce' ? { amount_ore: Math.round(kronor * 100) } : {}),
      },
    });
    onDone();
  });
  return (
    <form className="form" onSubmit={submit} aria-label="Beslut om vite">
      <SelectField
        label="Beslut"
        value={decision}
        onChange={(v) => setDecision(v as typeof decision)}
        options={[
          ['confirm', `Fastställ (${kr(sanction.proposed_ore)})`],
          ['reduce', 'Sätt ned'],
          ['cancel', 'Avskriv'],
        ]}
      />
      {decision === 'reduce' && (
        <TextField label="Nytt belopp (kr)" inputMode="decimal" value={amount} onChange={setAmount} />
      )}
      <TextField label="Skäl" rows={3} value={reason} onChange={setReason} />
      <p className="hint">Beslutsdatum blir dagens datum enligt servern.</p>
      <SubmitButton busy={busy} disabled={!reason.trim()}>
        Fatta beslut
      </SubmitButton>
      {error && <ErrorMessage error={error} title="Beslutet kunde inte fattas" />}
    </form>
  );
}

export function SanctionPage({ params }: { params: { id: string } }) {
  const { me } = useSession();
  const s = useApi<Sanction>(`/api/sanctions/${encodeURIComponent(params.id)}`);
  const title = `Vite nr ${params.id}`;
  useTitle(title);
  const x = s.data;
  const open = x && (x.status === 'proposed' || x.status === 'answered');
  return (
    <>
      <PageHeader title={title} crumbs={[{ href: '/sanktioner', label: 'Sanktioner' }]} />
      {s.error && <ErrorMessage error={s.error} />}
      {s.loading && !x && <Loading what="vitet" />}
      {x && (
        <>
          <Card title={<>Status: {SANCTION_STATUS[x.status]}</>}>
            <dl className="facts">
              <dt>Enhet</dt>
              <dd>{x.unit_id}</dd>
              <dt>Avser</dt>
              <dd>
                {x.sanction}: {x.subject} ({x.period})
              </dd>
              <dt>Grund</dt>
              <dd>{x.grounds}</dd>
              <dt>Föreslaget belopp</dt>
              <dd>{kr(x.proposed_ore)}</dd>
              <dt>Föreslaget</dt>
              <dd>{date(x.proposed_at)}</dd>
              <dt>Yttra senast</dt>
              <dd>{date(x.answer_due)}</dd>
              <dt>Källa</dt>
              <dd>{x.source}</dd>
            </dl>
          </Card>
          <Card title="Vårdgivarens yttrande">
            {x.answer ? (
              <p>
                {x.answer} <small>(inkom {date(x.answered_at)})</small>
              </p>
            ) : x.status === 'proposed' && can(me.role, 'answerSanctions') && me.role === 'provider' ? (
              <AnswerForm sanction={x} onDone={s.reload} />
            ) : (
              <p>Inget yttrande.</p>
            )}
          </Card>
          <Card title="Regionens beslut">
            {x.decided_at ? (
              <p>
                {SANCTION_STATUS[x.status]} {date(x.decided_at)}
                {x.status !== 'cancelled' && x.decided_ore !== null ? `: ${kr(x.decided_ore)}` : ''}. Skäl:{' '}
                {x.decision_reason}
                {x.settle_month ? ` Dras av i utbetalningen för ${monthLabel(x.settle_month)}.` : ''}
              </p>
            ) : open && can(me.role, 'decideSanctions') ? (
              <DecisionForm sanction={x} onDone={s.reload} />
            ) : (
              <p>Inte beslutat ännu.</p>
            )}
          </Card>
        </>
      )}
    </>
  );
}
