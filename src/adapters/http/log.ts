import pino from 'pino';

/** Identity numbers never reach a log line: paths and messages are masked before writing. */
const IDENTITY = /\b(\d{8})-?(\d{4})\b/g;

export function maskIdentity(text: string): string {
  return text.replace(IDENTITY, '<personnummer>');
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
