/**
 * Errors Express raises before GraphQL sees the request (the body parser's): answered as GraphQL
 * errors with the contract's codes. Express's own handler would answer HTML with a stack trace.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../common/logger';

export function bodyErrors(log: Logger, maxRequestBytes: number): ErrorRequestHandler {
  return (err: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(err);
    const answer = (status: number, message: string, code: string) =>
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    if (err.type === 'entity.too.large')
      return answer(413, `the request body is larger than ${maxRequestBytes} bytes, the limit`, 'BAD_USER_INPUT');
    if (err.type === 'entity.parse.failed') return answer(400, 'the request body is not valid JSON', 'BAD_USER_INPUT');
    if (err.status !== undefined && err.status >= 400 && err.status < 500)
      return answer(err.status, 'the request could not be read', 'BAD_USER_INPUT');
    log.error({ err }, 'unexpected error before GraphQL');
    return answer(500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
  };
}
