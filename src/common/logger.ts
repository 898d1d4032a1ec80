import pino, { type DestinationStream } from 'pino';

/**
 * Structured logs. Tokens, keys and report contents never belong in them: headers are redacted
 * and errors are reduced to name, code and message (a database error's detail holds values).
 * JSON lines on stdout, or on `destination` (tests capture them).
 */
export function createLogger(level = process.env.LOG_LEVEL || 'info', destination?: DestinationStream) {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token', '*.secret'], censor: '[redacted]' },
    serializers: {
      err: (err: unknown) => {
        if (!(err instanceof Error)) return { message: String(err) };
        const { code } = err as { code?: unknown };
        return { type: err.name, message: err.message, code, stack: err.stack };
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger } from 'pino';
