/** A real hub on a real port over a fresh database, and a real HTTP client for it. */
import fs from 'node:fs';
import { Writable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { mintDevToken } from '../../src/auth/dev-token';
import { seedDemoData } from '../../src/demo/seed';
import { CONSOLE_DIR, DEFAULT_REQUEST_LIMITS, type RateLimit, type RequestLimits, type TransportLimits } from '../../src/config';
import type { WebhookSettings } from '../../src/webhook/settings';
import { ensureDevKeys } from '../../src/auth/dev-keys';
import { buildHubSchema, protectSchema } from '../../src/api/schema';
import { PolicyStore } from '../../src/request/policy-store';
import type { RemoteKeyOptions } from '../../src/auth/remote-keys';
import { startHub } from '../../src/server/app';
import { createLogger } from '../../src/common/logger';
import { connectAndMigrate } from '../../src/db/data-source';
import { createTestDatabase, type TestDatabase } from './db';

export const DEMO_POLICIES = path.resolve(__dirname, '../../policies');

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** The hub's log lines, parsed, as they are written (startTestHub's `captureLog`). */
class CapturedLog extends Writable {
  readonly lines: Record<string, any>[] = [];
  /** Everything written, as written: to search for what must never be there. */
  raw = '';

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const text = chunk.toString('utf8');
    this.raw += text;
    for (const line of text.split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }

  /** Lines with msg `msg` (and every field of `fields`). */
  find(msg: string, fields: Record<string, unknown> = {}): Record<string, any>[] {
    return this.lines.filter((l) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v));
  }
}

export interface TestHub {
  url: string;
  /** Where /metrics is served (the main listener, or `metricsPort`'s). */
  metricsUrl: string;
  /** The log, when started with `captureLog`. */
  log?: CapturedLog;
  database: TestDatabase;
  policies: PolicyStore;
  /** The local port of an AIS feed's listener or UDP socket (policies/ais.yaml). */
  aisPort(feedId: string): number | undefined;
  /** POST a GraphQL request as `token` (undefined: no Authorization header). */
  gql<T = Record<string, any>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Stops the hub; `keepDatabase` leaves its database for a restart. */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * `database`: run on another hub's database (a second instance, or a restart) with a connection
 * pool of its own; the database then stays when this hub stops.
 */
export async function startTestHub(
  opts: {
    policiesDir?: string;
    database?: TestDatabase;
    reportRateLimit?: RateLimit;
    webhooks?: Partial<WebhookSettings>;
    limits?: Partial<RequestLimits>;
    transport?: Partial<TransportLimits>;
    shutdownGraceMs?: number;
    /** The pool's statement_timeout; the request deadline (limits.timeoutMs) when left out, as main.ts sets it. */
    statementTimeoutMs?: number;
    /**
     * Serve the web console (web/dist, built by the global setup, unless `dir`); `devSignIn` and
     * `explorer` (GraphiQL at /explorer, off unless given) as NODE_ENV=development would.
     */
    console?: { devSignIn: boolean; dir?: string; explorer?: boolean };
    /** Load the demo data, as `npm start` does on first run. */
    seedDemo?: boolean;
    /** Keep the hub's log lines (at `level`, default debug) in `hub.log`; otherwise the hub logs nothing. */
    captureLog?: { level?: string };
    /** /metrics on a listener of its own (0: any free port). */
    metricsPort?: number;
    authFailureLog?: { max: number; intervalMs: number };
    /** Issuers' fetched keys (jwksUri, discovery): refetch interval and the like. */
    remoteKeys?: Partial<RemoteKeyOptions>;
    revocationRefreshMs?: number;
    auditCheckpointMs?: number;
    /** Records of reads that may wait to be written before responses wait for theirs. */
    auditReadBacklog?: number;
  } = {},
): Promise<TestHub> {
  ensureDevKeys();
  const shared = opts.database;
  // As main.ts: every statement of the hub's pool bounded by the request deadline.
  const statementTimeoutMs = opts.statementTimeoutMs ?? opts.limits?.timeoutMs ?? DEFAULT_REQUEST_LIMITS.timeoutMs;
  const database: TestDatabase = shared
    ? { url: shared.url, db: await connectAndMigrate(shared.url, { poolSize: 5, statementTimeoutMs }), drop: shared.drop }
    : await createTestDatabase({ statementTimeoutMs });
  const schema = await buildHubSchema();
  const policies = new PolicyStore(opts.policiesDir ?? DEMO_POLICIES, schema, 'portcullis', opts.remoteKeys);
  if (opts.seedDemo) await seedDemoData(database.db, policies.current.policy);
  const captured = opts.captureLog ? new CapturedLog() : undefined;
  let hub: Awaited<ReturnType<typeof startHub>>;
  try {
    hub = await startHub({
      db: database.db,
      databaseUrl: database.url,
      policies,
      schema: protectSchema(schema),
      log: captured ? createLogger(opts.captureLog?.level ?? 'debug', captured) : createLogger('silent'),
      port: 0,
      host: '127.0.0.1',
      metricsPort: opts.metricsPort,
      authFailureLog: opts.authFailureLog,
      reportRateLimit: opts.reportRateLimit,
      webhooks: opts.webhooks,
      transport: opts.transport,
      limits: opts.limits,
      shutdownGraceMs: opts.shutdownGraceMs,
      revocationRefreshMs: opts.revocationRefreshMs,
      auditCheckpointMs: opts.auditCheckpointMs,
      auditReadBacklog: opts.auditReadBacklog,
      console: opts.console && {
        dir: opts.console.dir ?? CONSOLE_DIR,
        devSignIn: opts.console.devSignIn,
        explorer: opts.console.explorer ?? false,
      },
    });
  } catch (err) {
    // A hub that refused to start leaves no connections behind.
    if (shared) await database.db.destroy();
    else await database.drop();
    throw err;
  }
  return {
    url: hub.url,
    metricsUrl: hub.metricsUrl,
    log: captured,
    database,
    policies,
    aisPort: (feedId) => hub.aisPort(feedId),
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
    async stop({ keepDatabase = false } = {}) {
      await hub.stop();
      if (shared || keepDatabase) await database.db.destroy();
      else await database.drop();
    },
  };
}

/** A writable copy of the demo policies (the dev key path made absolute), for reload tests. */
export function copyDemoPolicies(): string {
  ensureDevKeys();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-policies-'));
  fs.cpSync(DEMO_POLICIES, dir, { recursive: true });
  const issuers = path.join(dir, 'issuers.yaml');
  const devKey = path.resolve(DEMO_POLICIES, '../.keys/dev-issuer.pub.pem');
  fs.writeFileSync(issuers, fs.readFileSync(issuers, 'utf8').replace('../.keys/dev-issuer.pub.pem', devKey));
  return dir;
}

/** A development token for a demo agency. */
export const tokenFor = (agency: string, roles: string[] = ['analyst'], extra: { purpose?: string } = {}) =>
  mintDevToken({ agency, roles, ...extra });
