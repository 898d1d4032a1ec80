import pino from 'pino';

/**
 * Structured logs. Tokens, keys and report contents never belong in them: headers are redacted
 * and errors are reduced to name, code and message (a database error's detail holds values).
 */
export function createLogger(level = process.env.LOG_LEVEL || 'info') {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token', '*.secret'], censor: '[redacted]' },
    serializers: {
      err: (err: unknown) => {
        if (!(err instanceof Error)) return { message: String(err) };
        const { code } = err as { code?: unknown };
        return { type: err.name, message: err.message, code, stack: err.stack };
      },
    },
  });
}
export type { Logger } from 'pino';
