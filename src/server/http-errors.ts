/**
 * Answers the hub gives before GraphQL sees a request: a body that is not JSON (400
 * `BAD_REQUEST`), one over MAX_BODY_BYTES (413 `PAYLOAD_TOO_LARGE`), a path the hub does not serve
 * (404 `NOT_FOUND`). Each is a JSON GraphQL error with the request's id, never Express's HTML page,
 * a stack or a server path.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from '../common/logger';
import { requestRecord } from './request-log';

/** One GraphQL error as the whole answer, with the request's id. */
function answerError(res: Response, status: number, message: string, code: string): void {
  const requestId = requestRecord(res)?.requestId;
  requestRecord(res)?.errorCodes.add(code);
  res.status(status).json({ errors: [{ message, extensions: { code, ...(requestId ? { requestId } : {}) } }] });
}

/** The hub's answer to a path it does not serve: JSON, like every other answer, never a page. */
export function notFound(_req: Request, res: Response): void {
  answerError(res, 404, 'not found', 'NOT_FOUND');
}

export function bodyErrors(log: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (err: { type?: string; status?: number }, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.too.large') {
      return answerError(
        res,
        413,
        `the request body is larger than ${maxBodyBytes} bytes, the limit (MAX_BODY_BYTES); import larger files with npm run import (README, Bulk import)`,
        'PAYLOAD_TOO_LARGE',
      );
    }
    if (err.type === 'entity.parse.failed') return answerError(res, 400, 'the request body is not valid JSON', 'BAD_REQUEST');
    if (err.status === 404) return notFound(req, res);
    if (err.status !== undefined && err.status >= 400 && err.status < 500) {
      return answerError(res, err.status, 'the request could not be read', 'BAD_REQUEST');
    }
    log.error({ err, requestId: requestRecord(res)?.requestId }, 'unexpected error before GraphQL');
    return answerError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
  };
}
