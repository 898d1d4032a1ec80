/**
 * A hub on an embedded PostgreSQL of its own, in one process, for the soak and fault scripts:
 * the server in a temporary folder on a free loopback port (src/db/embedded.ts, as `npm start`
 * runs it), which `stopDatabase` and `startDatabase` stop and start again on the same data
 * directory and port, and the hub's log lines kept (parsed) for counting.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { buildHubSchema, protectSchema } from '../src/api/schema';
import { createLogger } from '../src/common/logger';
import type { RateLimit } from '../src/config';
import { connectAndMigrate } from '../src/db/data-source';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { PolicyStore } from '../src/request/policy-store';
import { startHub } from '../src/server/app';
import { freePort } from './database';

const REPO = path.resolve(__dirname, '..');

export interface OwnHub {
  url: string;
  readyzUrl: string;
  /** The hub's log lines, parsed. */
  logLines: Record<string, unknown>[];
  stopDatabase(): Promise<void>;
  startDatabase(): Promise<void>;
  /** Stops the hub and the database and removes the folder. */
  close(): Promise<void>;
}

export async function startOwnHub(
  opts: { poolSize?: number; maxSocketsPerAgency?: number; maxSocketsPerPrincipal?: number; reportRateLimit?: RateLimit } = {},
): Promise<OwnHub> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-own-pg-'));
  fs.chmodSync(dir, 0o755); // as root, the postgres user must reach the data directory
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  let pg: EmbeddedDatabase | undefined = await startEmbeddedPostgres({ dataDir, port });
  const url = pg.url;
  ensureDevKeys();
  const db = await connectAndMigrate(url, { poolSize: opts.poolSize ?? 10, statementTimeoutMs: 10_000 });
  const schema = await buildHubSchema();
  const policies = new PolicyStore(path.join(REPO, 'policies'), schema, 'portcullis');
  const logLines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
      done();
    },
  });
  const hub = await startHub({
    db,
    databaseUrl: url,
    policies,
    schema: protectSchema(schema),
    log: createLogger('info', sink),
    port: 0,
    host: '127.0.0.1',
    reportRateLimit: opts.reportRateLimit,
    // The drills write faster than an agency's default 600 writes a minute (and retry what the outage refused).
    limits: { writes: { max: 1_000_000, windowSeconds: 60 }, reads: { max: 1_000_000, windowSeconds: 60 } },
    transport: {
      ...(opts.maxSocketsPerAgency ? { maxSocketsPerAgency: opts.maxSocketsPerAgency } : {}),
      ...(opts.maxSocketsPerPrincipal ? { maxSocketsPerPrincipal: opts.maxSocketsPerPrincipal } : {}),
    },
  });
  return {
    url: hub.url,
    readyzUrl: hub.url.replace(/\/graphql$/, '/readyz'),
    logLines,
    stopDatabase: async () => {
      await pg?.stop();
      pg = undefined;
    },
    startDatabase: async () => {
      pg = await startEmbeddedPostgres({ dataDir, port });
    },
    close: async () => {
      await hub.stop();
      await db.destroy();
      await pg?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface GqlAnswer {
  status: number;
  retryAfter: string | null;
  ms: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several operations, read by shape
  data?: Record<string, any>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlAnswer> {
  const t = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as Omit<GqlAnswer, 'status' | 'ms' | 'retryAfter'>;
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: performance.now() - t, ...body };
  } catch (err) {
    return {
      status: 0,
      retryAfter: null,
      ms: performance.now() - t,
      errors: [{ message: String(err), extensions: { code: 'NO_ANSWER' } }],
    };
  }
}

const SUBSCRIPTION = `subscription { vesselAlerts { sequence alert { title } } }`;

/** A live subscriber over graphql-ws: the titles it received, and whether its socket closed. */
export class LiveSubscriber {
  readonly titles: string[] = [];
  errors = 0;
  closed = false;
  private readonly client: WsClient;

  constructor(url: string, token: string) {
    this.client = createClient({
      url: url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { closed: () => (this.closed = true) },
    });
    this.client.subscribe<{ vesselAlerts: { alert: { title: string } | null } }>(
      { query: SUBSCRIPTION },
      {
        next: (r) => {
          if (r.errors) this.errors++;
          const title = r.data?.vesselAlerts.alert?.title;
          if (title) this.titles.push(title);
        },
        error: () => this.errors++,
        complete: () => undefined,
      },
    );
  }

  close(): Promise<void> {
    return this.client.dispose() as Promise<void>;
  }
}

export const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The machine, for the results file. */
export const machine = () =>
  `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
  `Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

/**
 * The end of a drill: the load after the run and the verdict, said and written to `out`
 * (bench/results/); true when nothing failed.
 */
export function writeReport(
  say: (line: string) => void,
  lines: string[],
  failed: number,
  verdict: { passed: string; failed: string },
  out: string,
) {
  say('');
  say(machine().replace(/^.*load average/, 'load average') + ' after the run');
  say(failed === 0 ? verdict.passed : `${failed} ${verdict.failed}`);
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`written to ${path.relative(REPO, out)}`);
  return failed === 0;
}

/** Runs a drill's main and exits 0 when it passed, 1 when a check failed or it threw. */
export function runDrill(main: () => Promise<boolean>): void {
  main().then(
    (ok) => process.exit(ok ? 0 : 1),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
