import type { ProblemItem } from '../api';

/** Offset in the text of the start and end of a 1-based line. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end === -1 ? text.length : end];
}

/** Selects a line of a YAML text area and scrolls it into view (its lines are of equal height). */
export function selectLine(area: HTMLTextAreaElement | null, text: string, line: number | undefined): void {
  if (!area || !line) return;
  const [start, end] = lineRange(text, line);
  area.focus();
  area.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/** The message without the "file:line:column: path:" prefix that the structured fields already show. */
export function messageOf(e: ProblemItem): string {
  const prefix = /^[^:]+:\d+(?::\d+)?: /;
  let m = e.detail.replace(prefix, '');
  if (e.where && m.startsWith(`${e.where}: `)) m = m.slice(e.where.length + 2);
  return m;
}

/** "Ett fel" or "3 fel". */
export const errorCount = (errors: ProblemItem[]) =>
  errors.length === 1 ? 'Ett fel' : `${errors.length} fel`;

/**
 * The server's errors in a rulebook's YAML, each with its place: line and column (a button that
 * selects the line in the text area), the path in the rulebook, and the message.
 */
export function YamlErrorList({
  errors,
  onGoTo,
}: {
  errors: ProblemItem[];
  onGoTo: (e: ProblemItem) => void;
}) {
  return (
    <ul className="error-list">
      {errors.map((e, i) => (
        <li key={i}>
          {e.line ? (
            <button type="button" className="link-button" onClick={() => onGoTo(e)}>
              Rad {e.line}
              {e.column ? `, kolumn ${e.column}` : ''}
            </button>
          ) : null}{' '}
          {e.where && <code>{e.where}</code>}
          {e.where ? ': ' : ''}
          {messageOf(e)}
        </li>
      ))}
    </ul>
  );
}
