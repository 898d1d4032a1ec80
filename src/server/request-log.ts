/**
 * Request logs: one JSON line per HTTP request and per WebSocket operation, with the request id,
 * the principal's agency and subject, the operation's name and type, the outcome, the error
 * codes and the duration. Never the token, the variables, the query text, a query string or any
 * value of the request: only the fields below, each ours or bounded.
 *
 * Authentication failures are logged at warn through a rate limit (`RateLimitedLog`), so a flood
 * of bad tokens cannot fill the disk: at most `max` lines per interval, then one summary line.
 * Unexpected errors are logged once, at error, by the error formatter (src/graphql/format-error.ts)
 * with the request id; the request's own line stays at info.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { denialReason, type DenialReason } from '../common/errors';
import type { Logger } from '../common/logger';
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from '../common/request-id';
import type { RequestContext } from '../request/context';
import { headerValue } from './authenticate';

/** What the log line and the metrics of one request (or one WebSocket operation) are made of. */
export interface RequestRecord {
  requestId: string;
  startedAt: number;
  agency?: string;
  subject?: string;
  operationName?: string;
  operationType?: string;
  errorCodes: Set<string>;
  /** The reason a token was refused (our own words, from src/auth/tokens.ts). */
  authFailure?: string;
}

export const newRecord = (requestId: string): RequestRecord => ({ requestId, startedAt: performance.now(), errorCodes: new Set() });

const RECORD = 'portcullisRequest';

/** The record of the request `res` answers (set by `requestLog`). */
export const requestRecord = (res: Response): RequestRecord | undefined => res.locals[RECORD] as RequestRecord | undefined;

/** Error codes, gravest first: the one that names a request's outcome. */
const GRAVITY = [
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
  'SHUTTING_DOWN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_COMPLEX',
  'BAD_USER_INPUT',
  'CONFLICT',
  'NOT_FOUND',
  'FORBIDDEN',
];

/**
 * The outcome of a request in one word of a fixed set: `ok`, or the code of its gravest error
 * (lower case), or `bad_request` / `error` for an answer with no code of ours. (The HTTP line
 * says `aborted` when the client hung up before any answer.)
 */
export function outcomeOf(codes: ReadonlySet<string>, status?: number): string {
  if (codes.size === 0) {
    if (status === undefined || status < 400) return 'ok';
    return status < 500 ? 'bad_request' : 'error';
  }
  const gravest = GRAVITY.find((c) => codes.has(c));
  return gravest ? gravest.toLowerCase() : 'error';
}

/** Clipped, so no field of a line grows with what a client sends. */
const clip = (s: string | undefined, max = 100) => (s === undefined ? undefined : s.length > max ? `${s.slice(0, max)}…` : s);

/** The line's fields: a fixed set, none of them a value the client sent but its own request id and operation name. */
export function lineOf(record: RequestRecord, outcome: string) {
  return {
    requestId: record.requestId,
    agency: record.agency,
    subject: clip(record.subject),
    operationName: clip(record.operationName),
    operationType: record.operationType,
    outcome,
    errorCodes: record.errorCodes.size ? [...record.errorCodes] : undefined,
    durationMs: Math.round((performance.now() - record.startedAt) * 10) / 10,
  };
}

/**
 * Warn lines that a client can cause at will (refused tokens): at most `max` per `intervalMs`;
 * past that they are counted, and one summary line says how many were left out.
 */
export class RateLimitedLog {
  private windowStart = -Infinity;
  private logged = 0;
  private suppressed = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly what: string,
    readonly limits: { max: number; intervalMs: number },
  ) {}

  warn(fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    if (now - this.windowStart >= this.limits.intervalMs) {
      this.flush();
      this.windowStart = now;
      this.logged = 0;
    }
    if (this.logged < this.limits.max) {
      this.logged++;
      this.log.warn(fields, message);
      return;
    }
    this.suppressed++;
    this.timer ??= setTimeout(() => this.flush(), this.windowStart + this.limits.intervalMs - now).unref();
  }

  /** The summary of what this interval left out, if anything was. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.suppressed === 0) return;
    this.log.warn(
      { suppressed: this.suppressed, max: this.limits.max, intervalSeconds: this.limits.intervalMs / 1000 },
      `${this.what}: ${this.suppressed} more not logged (at most ${this.limits.max} lines per ${this.limits.intervalMs / 1000} s)`,
    );
    this.suppressed = 0;
  }
}

/** By default at most 20 authentication-failure lines a minute, then one summary line. */
export const DEFAULT_AUTH_FAILURE_LOG = { max: 20, intervalMs: 60_000 };

/** Probes and scrapes run every few seconds: their lines are at debug. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/health', '/metrics']);

export interface RequestLogOptions {
  log: Logger;
  authFailures: RateLimitedLog;
  /** Called once per /graphql request when its answer is done (the metrics). */
  onGraphqlRequest?: (record: RequestRecord, outcome: string, seconds: number) => void;
}

/**
 * The first middleware: gives the request its id (the caller's `x-request-id` when well formed),
 * returns it in the `x-request-id` header, runs the rest as that request's work, and writes the
 * line when the answer is done (or the client hung up).
 */
export function requestLog(opts: RequestLogOptions) {
  const { log, authFailures } = opts;
  return (req: Request, res: Response, next: NextFunction): void => {
    const record = newRecord(requestIdFrom(headerValue(req.headers[REQUEST_ID_HEADER])));
    res.locals[RECORD] = record;
    res.setHeader(REQUEST_ID_HEADER, record.requestId);
    const path = req.path;
    const method = req.method;
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      const status = res.writableFinished ? res.statusCode : undefined;
      const outcome = status === undefined && record.errorCodes.size === 0 ? 'aborted' : outcomeOf(record.errorCodes, status);
      const line = { ...lineOf(record, outcome), transport: 'http', method, path: clip(path, 200), status };
      if (path === '/graphql') opts.onGraphqlRequest?.(record, outcome, (performance.now() - record.startedAt) / 1000);
      if (record.authFailure !== undefined) authFailures.warn({ ...line, reason: record.authFailure }, 'authentication failed');
      else if (QUIET_PATHS.has(path)) log.debug(line, 'request');
      else log.info(line, 'request');
    };
    res.once('finish', write);
    res.once('close', write);
    withRequestId(record.requestId, next);
  };
}

/**
 * Links a request's context to its record, for the Apollo plugin (which sees only the context).
 * A symbol property rather than a WeakMap: Apollo runs each operation on a shallow copy of the
 * context, which copies it.
 */
const RECORD_OF_CONTEXT = Symbol('requestRecord');
type WithRecord = RequestContext & { [RECORD_OF_CONTEXT]?: RequestRecord };

export function bindRecord(ctx: RequestContext, record: RequestRecord | undefined): void {
  (ctx as WithRecord)[RECORD_OF_CONTEXT] = record;
}

/** Fills the record from inside Apollo: the operation, the error codes, and each denial by reason. */
export function requestLogPlugin(onDenial: (reason: DenialReason) => void): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const record = (contextValue as WithRecord | undefined)?.[RECORD_OF_CONTEXT];
      return {
        async didResolveOperation({ operation }) {
          if (!record) return;
          record.operationName = operation?.name?.value;
          record.operationType = operation?.operation;
        },
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            const reason = denialReason(e);
            if (reason) onDenial(reason);
          }
        },
        async willSendResponse({ response }) {
          if (!record || response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) {
            const code = e.extensions?.code;
            if (typeof code === 'string') record.errorCodes.add(code);
          }
        },
      };
    },
  };
}
