import pino from 'pino';

/**
 * Identity numbers never reach a log line: paths and messages are masked before writing. Twelve
 * digits (`YYYYMMDD-NNNN`) always; ten (`YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`) when they read
 * as a birth date, which an organisationsnummer (month digits 20 and up) never does.
 */
const IDENTITY = /\b\d{8}-?\d{4}\b|\b(\d{2})(\d{2})(\d{2})(?:-|\+|%2B)?\d{4}\b/gi;

function birthDateLike(month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day) % 60 || Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

export function maskIdentity(text: string): string {
  return text.replace(
    IDENTITY,
    (whole, _yy: string | undefined, mm: string | undefined, dd: string | undefined) =>
      mm === undefined || birthDateLike(mm, dd!) ? '<personnummer>' : whole,
  );
}

/**
 * An error as a log line may show it. A failed database query's message carries its SQL and
 * parameters, and the database's own message quotes the offending value (free text, identity
 * numbers), so a query error keeps only its SQLSTATE code; any other error its first line, masked.
 * The stack frames say where without saying what.
 */
const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';

export function describeError(error: unknown): { message: string; code?: string; at?: string[] } {
  const e = error as { message?: unknown; stack?: unknown; code?: unknown; cause?: { code?: unknown } };
  const sqlState = [e?.code, e?.cause?.code].find((v) => typeof v === 'string' && /^[0-9A-Z]{5}$/.test(v));
  const fromDatabase = sqlState !== undefined || /^Failed query:/.test(String(e?.message));
  const message = fromDatabase
    ? 'Databasfrågan misslyckades'
    : maskIdentity(firstLine(String(e?.message ?? error)).slice(0, 300));
  const at =
    typeof e?.stack === 'string'
      ? e.stack
          .split('\n')
          .filter((l) => l.trimStart().startsWith('at '))
          .slice(0, 8)
          .map((l) => maskIdentity(l.trim()))
      : undefined;
  return { message, ...(sqlState !== undefined && { code: sqlState as string }), ...(at && { at }) };
}

export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: ['password', '*.password', 'person_id', '*.person_id', 'req.headers.cookie'],
        censor: '[dolt]',
      },
      formatters: { log: (obj) => JSON.parse(maskIdentity(JSON.stringify(obj))) as Record<string, unknown> },
    },
    destination,
  );
}
