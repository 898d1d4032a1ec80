/** Assertions on GraphQL responses shared by the HTTP tests. */
import type { GraphQLResponse } from './hub';

/** What must never show in an error a client receives: stack traces, SQL, driver and token-library internals, keys. */
const INTERNALS: readonly RegExp[] = [
  /stack/i,
  /QueryFailedError/,
  /SELECT/,
  /\bINSERT\b/,
  /\bUPDATE\s/,
  /at \//,
  /node_modules/,
  /\.ts:\d+/,
  /TypeORM/i,
  /EntityPropertyNotFound/,
  /postgres/i,
  /relation "/,
  /syntax error/i,
  /TokenExpiredError|JsonWebTokenError|jwt (expired|malformed)/,
  /-----BEGIN/,
];

/** The response's errors (if any) show none of INTERNALS. */
export function expectNoInternals(res: GraphQLResponse): void {
  const text = JSON.stringify(res.errors ?? []);
  for (const pattern of INTERNALS) expect(text).not.toMatch(pattern);
}

/**
 * The response failed: its first error has `code` and a message matching `message` (any message
 * when absent), and no error shows internals. Returns that first error.
 */
export function expectError(res: GraphQLResponse, code: string, message?: RegExp | string) {
  expect(res.errors).toBeDefined();
  const err = res.errors![0];
  expect({ code: err.extensions?.code, message: err.message }).toEqual({
    code,
    message: message === undefined ? expect.any(String) : expect.stringMatching(message),
  });
  expectNoInternals(res);
  return err;
}
