/**
 * What clients see of errors: codes from the contract, messages we wrote, nothing internal.
 * Anything unexpected is logged with the request id and answered as INTERNAL_SERVER_ERROR.
 */
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from '../common/logger';
import { deadlineExceeded, isCancelledStatement, SAFE_CODES } from '../common/errors';

const MAX_MESSAGE = 500;

/** graphql-js prefixes variable errors with the whole offending value: keep messages short. */
const clip = (message: string) => (message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message);

function originalCode(error: unknown): string | undefined {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  return original instanceof GraphQLError ? (original.extensions?.code as string | undefined) : undefined;
}

export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (isCancelledStatement(error)) return { ...deadlineExceeded().toJSON(), path: formatted.path };
    const code = (formatted.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR';
    // A scalar that refused a literal, or a query over the limits, surfaces as a validation
    // failure: report it with the contract's code.
    const original = code === 'GRAPHQL_VALIDATION_FAILED' ? originalCode(error) : undefined;
    const effective = original === 'BAD_USER_INPUT' || original === 'QUERY_TOO_COMPLEX' ? original : code;
    if (SAFE_CODES.has(effective)) {
      const { http: _http, stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, message: clip(formatted.message), extensions: { ...extensions, code: effective } };
    }
    log.error({ err: error instanceof GraphQLError ? (error.originalError ?? error) : error, path: formatted.path }, 'unexpected error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
