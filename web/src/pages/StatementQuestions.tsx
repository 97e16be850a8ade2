import { useId, useState } from 'react';
import { api } from '../api';
import type { Schemas } from '../api/types';
import { TextField } from '../components/TextField';
import { Card, ErrorMessage, SubmitButton } from '../components/ui';
import { useSubmit } from '../hooks';
import { date, ROLE } from '../format';
import { Link } from '../router';

export type QuestionThread = Schemas['StatementQuestion'];

const STATUS: Record<QuestionThread['status'], string> = {
  open: 'Väntar på svar',
  confirmed: 'Raden bekräftad',
  corrected: 'Korrigerad',
};
const KIND: Record<string, string> = {
  question: 'Fråga',
  answer: 'Svar',
  confirm: 'Svar: raden bekräftas',
  correction: 'Svar: korrigering',
};

/** The provider's form under a line of an approved statement: "Ifrågasätt raden" with a message. */
export function AskForm({
  runId,
  unitId,
  component,
  label,
  onDone,
  onCancel,
}: {
  runId: number;
  unitId: string;
  component: string;
  label: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api(`/api/runs/${runId}/statements/${encodeURIComponent(unitId)}/questions`, {
      method: 'POST',
      json: { component, text },
    });
    onDone();
  });
  return (
    <form className="form" onSubmit={submit} aria-label={`Ifrågasätt raden ${label}`}>
      <TextField label={`Vad ifrågasätter du i raden ${label}?`} rows={3} value={text} onChange={setText} />
      <div className="actions">
        <button type="submit" className="button" disabled={busy || !text.trim()}>
          Skicka frågan
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Avbryt
        </button>
      </div>
      {error && <ErrorMessage error={error} title="Frågan kunde inte skickas" />}
    </form>
  );
}

/** The officer's answer: reply, confirm the line, or make a correction run for the month. */
function AnswerForm({ thread, onDone }: { thread: QuestionThread; onDone: () => void }) {
  const ids = useId();
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<'reply' | 'confirm' | 'correct'>('reply');
  const { busy, error, submit } = useSubmit(async () => {
    await api(`/api/questions/${thread.id}/answer`, { method: 'POST', json: { text, outcome } });
    setText('');
    onDone();
  });
  const choices: [typeof outcome, string][] = [
    ['reply', 'Svara; frågan förblir öppen'],
    ['confirm', 'Bekräfta raden; frågan avslutas'],
    ['correct', 'Gör en korrigeringskörning för månaden och länka den; frågan avslutas'],
  ];
  return (
    <form className="form" onSubmit={submit} aria-label={`Svara på fråga ${thread.id}`}>
      <TextField label="Svar till vårdgivaren" rows={3} value={text} onChange={setText} />
      <fieldset>
        <legend>Beslut</legend>
        {choices.map(([value, text]) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name={`${ids}-outcome`}
              value={value}
              checked={outcome === value}
              onChange={() => setOutcome(value)}
            />{' '}
            {text}
          </label>
        ))}
      </fieldset>
      <SubmitButton busy={busy} disabled={!text.trim()}>
        Skicka svaret
      </SubmitButton>
      {error && <ErrorMessage error={error} title="Svaret kunde inte skickas" />}
    </form>
  );
}

/** The statement's question threads, as both sides see them. */
export function QuestionThreads({
  threads,
  mayAnswer,
  onChanged,
}: {
  threads: QuestionThread[];
  mayAnswer: boolean;
  onChanged: () => void;
}) {
  if (threads.length === 0) return null;
  return (
    <Card title="Frågor om underlaget" testId="questions">
      {threads.map((q) => (
        <article key={q.id} id={`fraga-${q.id}`} aria-labelledby={`fraga-${q.id}-h`} className="thread">
          <h3 id={`fraga-${q.id}-h`}>
            Fråga {q.id}: {q.label}{' '}
            <span className={`badge ${q.status === 'open' ? 'draft' : 'approved'}`}>{STATUS[q.status]}</span>
          </h3>
          <ol className="messages">
            {q.messages.map((m, i) => (
              <li key={i}>
                <p className="meta">
                  {KIND[m.kind] ?? m.kind} · {m.author} ({ROLE[m.role] ?? m.role}) · {date(m.written_on)}
                </p>
                <p>{m.text}</p>
              </li>
            ))}
          </ol>
          {q.correction_run_id !== null && (
            <p>
              Korrigeringen:{' '}
              <Link href={`/utbetalningar/${q.correction_run_id}`} data-testid={`correction-${q.id}`}>
                körning {q.correction_run_id}
              </Link>{' '}
              (betalar skillnaden när den är godkänd)
            </p>
          )}
          {mayAnswer && q.status === 'open' && <AnswerForm thread={q} onDone={onChanged} />}
        </article>
      ))}
    </Card>
  );
}
