/**
 * What clients see of errors: codes from the contract, messages we wrote, nothing internal, and
 * the request's id (`extensions.requestId`) to quote to the hub's operators. Anything unexpected
 * is logged once, with the request id, and answered as INTERNAL_SERVER_ERROR.
 */
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from '../common/logger';
import { deadlineExceeded, isCancelledStatement, isDatabaseUnavailable, SAFE_CODES, serviceUnavailable } from '../common/errors';
import { currentRequestId } from '../common/request-id';

const MAX_MESSAGE = 500;

/** graphql-js prefixes variable errors with the whole offending value: keep messages short. */
const clip = (message: string) => (message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message);

function originalCode(error: unknown): string | undefined {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  return original instanceof GraphQLError ? (original.extensions?.code as string | undefined) : undefined;
}

/** graphql-js's parser, stopped by `maxTokens` (its wording, typo included). */
const TOKEN_LIMIT = /^Syntax Error: Document contains more that (\d+) tokens\. Parsing aborted\.$/;

/** graphql-js appends these to validation and variable errors; Apollo's own plugin strips them the same way. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * `suggestions`: keep graphql-js's "Did you mean ...?" hints, which spell out the schema (development only).
 * `requestId`: the request the error belongs to; by default the one whose work is running
 * (src/common/request-id.ts). Outside a request (a webhook's body) errors carry none.
 */
export function createErrorFormatter(
  log: Logger,
  {
    suggestions = false,
    onUnavailable,
  }: {
    suggestions?: boolean;
    /** Told of an error that says the database is unreachable (the hub's DatabaseAvailability logs it once). */
    onUnavailable?: (error: unknown) => void;
  } = {},
) {
  return (formatted: GraphQLFormattedError, error: unknown, requestId = currentRequestId()): GraphQLFormattedError => {
    const withId = (e: GraphQLFormattedError): GraphQLFormattedError =>
      requestId === undefined ? e : { ...e, extensions: { ...e.extensions, requestId } };
    if (isCancelledStatement(error)) return withId({ ...deadlineExceeded().toJSON(), path: formatted.path });
    if (isDatabaseUnavailable(error)) {
      // Not the caller's fault and nothing of pg's message: SERVICE_UNAVAILABLE, answered as 503
      // with Retry-After by the transport (src/server/app.ts).
      onUnavailable?.(error);
      const { message, extensions } = serviceUnavailable();
      return withId({
        message,
        path: formatted.path,
        extensions: { code: extensions.code, retryAfterSeconds: extensions.retryAfterSeconds },
      });
    }
    const code = (formatted.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR';
    const tokenLimit = code === 'GRAPHQL_PARSE_FAILED' ? TOKEN_LIMIT.exec(formatted.message) : null;
    if (tokenLimit) {
      return withId({
        message: `the operation has more than ${tokenLimit[1]} tokens, the limit`,
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      });
    }
    // A scalar that refused a literal, or a query over the limits, surfaces as a validation
    // failure: report it with the contract's code.
    const original = code === 'GRAPHQL_VALIDATION_FAILED' ? originalCode(error) : undefined;
    const effective = original === 'BAD_USER_INPUT' || original === 'QUERY_TOO_COMPLEX' ? original : code;
    if (SAFE_CODES.has(effective)) {
      const { http: _http, stacktrace: _stack, requestId: _id, ...extensions } = formatted.extensions ?? {};
      const message = suggestions ? formatted.message : formatted.message.replace(SUGGESTION, '');
      return withId({ ...formatted, message: clip(message), extensions: { ...extensions, code: effective } });
    }
    log.error(
      { err: error instanceof GraphQLError ? (error.originalError ?? error) : error, path: formatted.path, requestId },
      'unexpected error',
    );
    return withId({ message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}
