import pino, { type DestinationStream } from 'pino';

/**
 * Structured logs. Tokens, keys and report contents never belong in them: headers are redacted
 * and errors are reduced to name, code and message (a database error's detail holds values).
 * JSON lines on stdout, or on `destination` (tests capture them).
 */
/** A PostgreSQL error's SQLSTATE: five digits or capitals. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * PostgreSQL's messages quote the values they choke on (`invalid input syntax for type uuid:
 * "..."`, `Key (imo)=(...) already exists`), which may be personal data: a database error's
 * message and stack keep their words, with every quoted or bracketed value replaced.
 */
const withoutValues = (text: string) =>
  text
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/=\([^)]*\)/g, '=(…)');

export function createLogger(level = process.env.LOG_LEVEL || 'info', destination?: DestinationStream) {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token', '*.secret'], censor: '[redacted]' },
    serializers: {
      err: (err: unknown) => {
        if (!(err instanceof Error)) return { message: String(err) };
        const { code } = err as { code?: unknown };
        if (typeof code === 'string' && SQLSTATE.test(code)) {
          return { type: err.name, message: withoutValues(err.message), code, stack: err.stack && withoutValues(err.stack) };
        }
        return { type: err.name, message: err.message, code, stack: err.stack };
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger } from 'pino';
