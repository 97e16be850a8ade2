/** An error the user can act on: where (file:line:column, and a YAML path or column name), and what. */
export interface LocatedError {
  file: string;
  line?: number;
  column?: number;
  /** YAML path (`compensation.components[2].type`) or CSV column name. */
  where?: string;
  code: string;
  message: string;
}

export function formatLocated(e: LocatedError): string {
  const position =
    e.line === undefined ? e.file : `${e.file}:${e.line}${e.column === undefined ? '' : `:${e.column}`}`;
  return `${position}: ${e.where ? `${e.where}: ` : ''}${e.message} [${e.code}]`;
}

/** Thrown by adapters when a file cannot be used; carries every located error found. */
export class InputErrors extends Error {
  constructor(
    readonly errors: LocatedError[],
    summary = 'Indata innehåller fel',
  ) {
    super(`${summary} (${errors.length} st):\n${errors.map(formatLocated).join('\n')}`);
    this.name = 'InputErrors';
  }
}
