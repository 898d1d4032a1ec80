/**
 * The console's only way to the hub: GraphQL over HTTP on its own origin (urql), with the
 * session's bearer token and purpose of use as headers. Every answer keeps both its data and its
 * errors, because a withheld field is a `null` with a FORBIDDEN error at its path while the rest
 * of the record is there (ACCESS-MODEL.md).
 */
import { Client, fetchExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import type { OperationDefinitionNode } from 'graphql';

export interface Credentials {
  token: string;
  purpose?: string;
}

interface ApiError {
  message: string;
  code?: string;
  /** The input the hub found wrong (BAD_USER_INPUT's `field`), e.g. `input.title`. */
  field?: string;
  path?: readonly (string | number)[];
}

interface ApiResult<T> {
  data?: T;
  errors: ApiError[];
}

/** An answer the caller cannot use: no data, or an error that is not a withheld field. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A field of a record the caller sees, withheld by the access model: deeper than the operation's own field. */
function isWithheldField(e: ApiError): boolean {
  return e.code === 'FORBIDDEN' && (e.path?.length ?? 0) > 1;
}

export const GRAPHQL_PATH = '/graphql';

function authHeaders(c: Credentials): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${c.token}` };
  if (c.purpose) headers['x-purpose-of-use'] = c.purpose;
  return headers;
}

export interface Api {
  /** Runs a query or mutation; resolves with data and errors, rejects only when nothing came back. */
  run<T, V extends AnyVariables>(doc: TypedDocumentNode<T, V>, variables: V, extraHeaders?: Record<string, string>): Promise<ApiResult<T>>;
  /** As run, and fails unless there is data and every error is a withheld field. */
  must<T, V extends AnyVariables>(doc: TypedDocumentNode<T, V>, variables: V, extraHeaders?: Record<string, string>): Promise<T>;
}

export function createApi(credentials: Credentials, onUnauthenticated: () => void): Api {
  const client = new Client({
    url: GRAPHQL_PATH,
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: authHeaders(credentials), credentials: 'omit' }),
  });

  async function run<T, V extends AnyVariables>(doc: TypedDocumentNode<T, V>, variables: V, extraHeaders?: Record<string, string>) {
    const context = extraHeaders
      ? { fetchOptions: { headers: { ...authHeaders(credentials), ...extraHeaders }, credentials: 'omit' as const } }
      : {};
    const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const source = operation?.operation === 'mutation' ? client.mutation(doc, variables, context) : client.query(doc, variables, context);
    const result = await source.toPromise();
    const errors: ApiError[] = (result.error?.graphQLErrors ?? []).map((e) => ({
      message: e.message,
      code: typeof e.extensions?.code === 'string' ? e.extensions.code : undefined,
      field: typeof e.extensions?.field === 'string' ? e.extensions.field : undefined,
      path: e.path,
    }));
    if (errors.some((e) => e.code === 'UNAUTHENTICATED')) onUnauthenticated();
    if (!result.data && errors.length === 0) {
      throw new ApiFailure(result.error?.networkError ? 'the hub cannot be reached' : 'the hub gave no answer', 'NETWORK');
    }
    return { data: result.data, errors };
  }

  async function must<T, V extends AnyVariables>(doc: TypedDocumentNode<T, V>, variables: V, extraHeaders?: Record<string, string>) {
    const { data, errors } = await run(doc, variables, extraHeaders);
    const failure = errors.find((e) => !isWithheldField(e));
    if (failure || !data) throw new ApiFailure(failure?.message ?? 'no data', failure?.code, failure?.field);
    return data;
  }

  return { run, must };
}
