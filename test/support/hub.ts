/** A real hub on a real port over a fresh database, and a real HTTP client for it. */
import path from 'node:path';
import { mintDevToken } from '../../src/auth/dev-token';
import { ensureDevKeys } from '../../src/auth/dev-keys';
import { buildHubSchema, protectSchema } from '../../src/graphql/schema';
import { PolicyStore } from '../../src/policy/store';
import { startHub } from '../../src/server/app';
import { createLogger } from '../../src/server/logger';
import { createTestDatabase, type TestDatabase } from './db';

export const DEMO_POLICIES = path.resolve(__dirname, '../../policies');

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestHub {
  url: string;
  database: TestDatabase;
  policies: PolicyStore;
  /** POST a GraphQL request as `token` (undefined: no Authorization header). */
  gql<T = Record<string, any>>(
    token: string | undefined, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export async function startTestHub(opts: { policiesDir?: string } = {}): Promise<TestHub> {
  ensureDevKeys();
  const database = await createTestDatabase();
  const schema = await buildHubSchema();
  const policies = new PolicyStore(opts.policiesDir ?? DEMO_POLICIES, schema, 'portcullis');
  const hub = await startHub({
    db: database.db, policies, schema: protectSchema(schema), log: createLogger('silent'), port: 0, host: '127.0.0.1',
  });
  return {
    url: hub.url,
    database,
    policies,
    async gql(token, query, variables, headers = {}) {
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse;
      return { ...body, status: res.status } as never;
    },
    async stop() {
      await hub.stop();
      await database.drop();
    },
  };
}

/** A development token for a demo agency. */
export const tokenFor = (agency: string, roles: string[] = ['analyst'], extra: { purpose?: string } = {}) =>
  mintDevToken({ agency, roles, ...extra });
