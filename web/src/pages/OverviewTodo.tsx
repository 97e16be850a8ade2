import { date, kr, monthLabel, num } from '../format';
import type { Schemas } from '../api/types';
import { useApi } from '../hooks';
import { Link } from '../router';

type Todo = Schemas['UiTodo'];

const SHOWN = 8;

/**
 * The region's own items in the overview's "Att hantera" list: runs waiting for approval, imports
 * with no run, and units that do not meet a requirement in the month.
 */
export function OverviewTodo({ month }: { month: string | null }) {
  const todo = useApi<Todo>(`/api/ui/todo${month ? `?month=${month}` : ''}`);
  if (!todo.data) return null;
  const {
    runs_awaiting_approval: runs,
    imports_without_run: imports,
    requirements_not_met: notMet,
    questions_open: questions = [],
  } = todo.data;
  return (
    <>
      <li data-testid="todo-questions">
        {questions.length === 0
          ? 'Inga ifrågasatta rader väntar på svar.'
          : `${questions.length === 1 ? 'En ifrågasatt rad väntar' : `${num(questions.length)} ifrågasatta rader väntar`} på svar:`}
        {questions.length > 0 && (
          <ul>
            {questions.slice(0, SHOWN).map((q) => (
              <li key={q.id}>
                <Link
                  href={`/utbetalningar/${q.run_id}/enheter/${encodeURIComponent(q.unit_id)}#fraga-${q.id}`}
                >
                  {q.unit_id}, {q.label}
                </Link>{' '}
                ({monthLabel(q.month)}, ifrågasatt {date(q.asked_on)})
              </li>
            ))}
          </ul>
        )}
      </li>
      <li data-testid="todo-runs">
        {runs.length === 0
          ? 'Inga körningar väntar på godkännande.'
          : `${runs.length === 1 ? 'En körning väntar' : `${num(runs.length)} körningar väntar`} på godkännande:`}
        {runs.length > 0 && (
          <ul>
            {runs.slice(0, SHOWN).map((r) => (
              <li key={r.id}>
                <Link href={`/utbetalningar/${r.id}`}>
                  {monthLabel(r.month)}, körning {r.id}
                </Link>{' '}
                ({r.corrects_run_id ? 'korrigering, ' : ''}
                {kr(r.total_ore)}, beräknad av {r.created_by ?? 'okänd'})
              </li>
            ))}
          </ul>
        )}
      </li>
      <li data-testid="todo-imports">
        {imports.length === 0 ? (
          'Alla importer har en körning.'
        ) : (
          <>
            <Link href="/import">
              {imports.length === 1 ? 'En import' : `${num(imports.length)} importer`} utan körning
            </Link>
            :{' '}
            {imports
              .slice(0, SHOWN)
              .map((b) => `nr ${b.id} (${date(b.created_at)}${b.label ? `, ${b.label}` : ''})`)
              .join(', ')}
          </>
        )}
      </li>
      {notMet && (
        <li data-testid="todo-requirements">
          {notMet.units.length === 0 ? (
            `Alla enheter uppfyller de mätbara kraven ${monthLabel(notMet.month)}.`
          ) : (
            <>
              <Link href="/uppfoljning">
                {notMet.units.length === 1 ? 'En enhet' : `${num(notMet.units.length)} enheter`} uppfyller
                inte alla krav {monthLabel(notMet.month)}
              </Link>
              :
              <ul>
                {notMet.units.slice(0, SHOWN).map((u) => (
                  <li key={`${u.rulebook_id}|${u.unit_id}`}>
                    <Link href={`/enheter/${encodeURIComponent(u.unit_id)}`}>{u.name}</Link>:{' '}
                    {u.requirements.join('; ')}
                  </li>
                ))}
              </ul>
            </>
          )}
        </li>
      )}
    </>
  );
}
