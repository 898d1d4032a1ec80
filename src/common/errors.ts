/**
 * The error codes of the contract. Resolvers throw these; anything else is masked as
 * INTERNAL_SERVER_ERROR by the server's error formatter, so no SQL or stack reaches a client.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'SHUTTING_DOWN'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, RATE_LIMITED: 429 };

export function clientError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
}

export const badInput = (message: string, field?: string) => clientError('BAD_USER_INPUT', message, field ? { field } : {});

/** Missing and hidden records answer alike, so their existence never leaks. */
export const notFound = (what: string, id: string) => clientError('NOT_FOUND', `${what} ${id.slice(0, 80)} not found`);

/**
 * Why the engine's answer was no, in a few fixed words (the `reason` label of
 * portcullis_authz_denials_total): an action the principal may not take, a record it may not
 * see, a field withheld from a record it sees, or a field with no rule at all.
 */
export type DenialReason = 'ACTION' | 'RECORD' | 'FIELD' | 'NO_RULE';

export const DENIAL_REASONS: readonly DenialReason[] = ['ACTION', 'RECORD', 'FIELD', 'NO_RULE'];

const DENIAL = Symbol('denial');

/** Marks a FORBIDDEN error with its reason; clients see nothing of it. */
export function markDenial<E extends GraphQLError>(error: E, reason: DenialReason): E {
  (error as E & { [DENIAL]?: DenialReason })[DENIAL] = reason;
  return error;
}

/** The reason of a denial, looking through the errors graphql-js wraps around it. */
export function denialReason(error: unknown): DenialReason | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = (e as GraphQLError).originalError, depth++) {
    const reason = (e as Error & { [DENIAL]?: DenialReason })[DENIAL];
    if (reason) return reason;
  }
  return undefined;
}

export const forbidden = (message: string, reason: DenialReason = 'ACTION') => markDenial(clientError('FORBIDDEN', message), reason);

/** HTTP 429 with a Retry-After header; `extensions.retryAfterSeconds` says when to try again. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new GraphQLError(message, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });

/**
 * A request that outlived REQUEST_TIMEOUT_MS: PostgreSQL cancelled its statement (the hub's
 * statement_timeout) or it gave up waiting. The contract has no timeout code; QUERY_TOO_COMPLEX
 * says "ask for less", and the message adds that a retry may also do.
 */
export const deadlineExceeded = () =>
  clientError(
    'QUERY_TOO_COMPLEX',
    'The request ran longer than the hub allows (REQUEST_TIMEOUT_MS) and was stopped. ' +
      'Ask for less (fewer vessels or names, smaller pages), or try again later.',
    { reason: 'TIMEOUT' },
  );

/** PostgreSQL's query_canceled (57014): statement_timeout, or a cancel on the deadline. */
export function isCancelledStatement(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; originalError?: unknown; driverError?: unknown };
  return e.code === '57014' || isCancelledStatement(e.originalError) || isCancelledStatement(e.driverError);
}

export const SAFE_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'SHUTTING_DOWN',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'SERVICE_UNAVAILABLE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** How long a client is told to wait (Retry-After) while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** HTTP 503 with Retry-After: the hub serves, but its database does not answer. Nothing of the cause is told. */
export const serviceUnavailable = () =>
  new GraphQLError('The hub cannot reach its database just now; try again shortly.', {
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
      http: { status: 503, headers: new Map([['retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS)]]) },
    },
  });

/** Socket errors of a connection that cannot be made or was cut. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * pg's own words for a connection it lost or could not make in time (it gives these no code):
 * the pool's connectionTimeoutMillis, a connection ended under a query, a client no longer usable;
 * and TypeORM's for a transaction whose connection failed under it (it releases the connection on
 * the client's error event, and the transaction's next statement meets this).
 */
const CONNECTION_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|Connection closed|Database connection provided by a query runner was already released|Query runner already released)/;

/**
 * Apollo and graphql-js wrap a thrown value that is not an Error of their own realm as
 * "Unexpected error value: <the value>", without it: under Jest, Node's own socket errors are such.
 */
const UNEXPECTED_VALUE = /^Unexpected error value: .*\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated)\b/;

/**
 * Does `error` say the database cannot be reached (rather than that a statement failed)? Socket
 * errors, pg's connection timeouts and cut connections, and PostgreSQL's codes for a server
 * going away: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown,
 * cannot connect now, as while it starts). Looks through TypeORM's and graphql-js's wrappers.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; originalError?: unknown; driverError?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_ERRNOS.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  if (typeof e.message === 'string' && (CONNECTION_MESSAGES.test(e.message) || UNEXPECTED_VALUE.test(e.message))) return true;
  if (error instanceof AggregateError && error.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return [e.originalError, e.driverError, e.cause].some((x) => x !== error && isDatabaseUnavailable(x, depth + 1));
}
