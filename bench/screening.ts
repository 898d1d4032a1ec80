/**
 * `npm run bench:screening`: screening and import at national-list scale.
 *
 * 1. A fresh database (an embedded PostgreSQL in a temporary directory, or a new database in
 *    DATABASE_URL's server) filled with the synthetic data set of bench/dataset.ts: 200,000
 *    vessels, 1,000,000 entries in 20 watchlists of 10 demo agencies at every TLP level.
 * 2. The real hub (src/server/app.ts, demo policies) on loopback, and a load generator in a worker
 *    thread sending real HTTP requests as Belgian Customs with purpose LAW_ENFORCEMENT, which sees
 *    Dutch Customs' entries through the nl-customs--be-customs-narcotics agreement (besides its
 *    own, its jurisdiction's and the community's).
 * 3. Server time per request measured inside the hub process (Node's http diagnostics channels:
 *    request received to response finished), plus the time spent in SQL.
 * 4. The real importer (`npm run import`, a child process) loading a generated CSV file.
 * 5. EXPLAIN (ANALYZE, BUFFERS) of each hot query.
 *
 * Options: --vessels N --entries N --import-rows N --seconds S (per load phase) --out DIR --no-plans
 * Every phase is bounded in requests and time; the whole run stays well under 10 minutes.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { connectAndMigrate } from '../src/db/data-source';
import { buildHubSchema, protectSchema } from '../src/api/schema';
import { rowFilter } from '../src/policy/engine';
import { SCREENING_RUNTIME, screen } from '../src/screening/screening.service';
import { Semaphore } from '../src/common/semaphore';
import type { VesselQueryInput } from '../src/screening/screening.types';
import { SCREENING_RUNTIME as TRIGRAM_RUNTIME, screen as trigramScreen } from './trigram-screening';
import { createContext, HubSettings } from '../src/request/context';
import { PolicyStore } from '../src/request/policy-store';
import { startHub } from '../src/server/app';
import { createLogger } from '../src/common/logger';
import { openBenchDatabase } from './database';
import { generateDataset } from './dataset';

const REPO = path.resolve(__dirname, '..');
const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// options

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number, 0 or more`);
  return n;
}
const VESSELS = option('vessels', 200_000);
const ENTRIES = option('entries', 1_000_000);
const IMPORT_ROWS = option('import-rows', 1_000_000);
const SECONDS = option('seconds', 15);
const OUT = (() => {
  const i = process.argv.indexOf('--out');
  return i < 0 ? path.join(REPO, 'bench', 'results') : path.resolve(process.argv[i + 1]);
})();
const PLANS = !process.argv.includes('--no-plans');

const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

// ---------------------------------------------------------------------------------------------
// database

/** PostgreSQL settings of the embedded server: memory for a 1M-row working set, fewer checkpoints during the load. */
const PG_SETTINGS = [
  'shared_buffers=1GB',
  'effective_cache_size=4GB',
  'work_mem=16MB',
  'maintenance_work_mem=512MB',
  'max_wal_size=8GB',
  'checkpoint_timeout=15min',
];

// ---------------------------------------------------------------------------------------------
// measuring inside the hub

const START = Symbol('benchStart');
type Timed = IncomingMessage & { [START]?: bigint };
const serverTimes = new Map<string, number[]>();
const sqlTime = new Map<string, number>();
let currentKind: string | undefined;

diagnostics.subscribe('http.server.request.start', (msg) => {
  (msg as { request: Timed }).request[START] = process.hrtime.bigint();
});
diagnostics.subscribe('http.server.response.finish', (msg) => {
  const req = (msg as { request: Timed }).request;
  const kind = req.headers['x-bench-kind'];
  if (typeof kind !== 'string' || req[START] === undefined) return;
  const list = serverTimes.get(kind) ?? [];
  list.push(Number(process.hrtime.bigint() - req[START]) / 1e6);
  serverTimes.set(kind, list);
});

/**
 * Time spent waiting for PostgreSQL, per phase: every statement of the hub goes through a pg
 * Client (TypeORM's query runner, and the screening service's prepared statements).
 */
const captured: { text: string; values: unknown[] }[] = [];
const clientQuery = Client.prototype.query;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string; values?: unknown[] };
  const text = typeof first === 'string' ? first : first?.text;
  if (capturing && typeof text === 'string' && text.includes('WITH q AS')) {
    captured.push({ text, values: (typeof first === 'string' ? args[1] : first.values) as unknown[] });
  }
  const kind = currentKind;
  const t = process.hrtime.bigint();
  const result = (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (kind && result instanceof Promise) {
    result.finally(() => sqlTime.set(kind, (sqlTime.get(kind) ?? 0) + Number(process.hrtime.bigint() - t) / 1e6)).catch(() => undefined);
  }
  return result;
} as typeof clientQuery;
let capturing = false;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

// ---------------------------------------------------------------------------------------------
// load generator (a worker thread: its own event loop, so the hub's is not shared)

const CLIENT = `
const { parentPort, workerData: w } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: w.concurrency });
let sent = 0, done = 0, errors = 0, firstError;
const deadline = Date.now() + w.seconds * 1000;
const lat = [];
function one() {
  if (sent >= w.maxRequests || Date.now() > deadline) return Promise.resolve();
  const body = w.bodies[sent++ % w.bodies.length];
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: w.port, path: '/graphql', method: 'POST', agent, headers: {
      'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
      authorization: 'Bearer ' + w.token, 'x-bench-kind': w.kind } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        done++;
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200 || text.includes('"errors"')) { errors++; firstError ??= text.slice(0, 300); }
        resolve();
      });
    });
    req.on('error', (e) => { errors++; firstError ??= String(e); resolve(); });
    req.end(body);
  }).then(one);
}
const t0 = process.hrtime.bigint();
Promise.all(Array.from({ length: w.concurrency }, one)).then(() =>
  parentPort.postMessage({ done, errors, firstError, seconds: Number(process.hrtime.bigint() - t0) / 1e9, lat }));
`;

interface LoadResult {
  kind: string;
  requests: number;
  errors: number;
  perSecond: number;
  server: { p50: number; p99: number; max: number; mean: number };
  client: { p50: number; p99: number };
  sqlShare: number;
}

async function load(
  kind: string,
  port: number,
  token: string,
  bodies: string[],
  opts: { concurrency: number; seconds: number; maxRequests: number },
): Promise<LoadResult> {
  serverTimes.set(kind, []);
  sqlTime.set(kind, 0);
  currentKind = kind;
  const result = await new Promise<{ done: number; errors: number; firstError?: string; seconds: number; lat: number[] }>(
    (resolve, reject) => {
      const w = new Worker(CLIENT, { eval: true, workerData: { port, token, bodies, kind, ...opts } });
      w.once('message', resolve);
      w.once('error', reject);
    },
  );
  currentKind = undefined;
  if (result.errors > 0) console.error(`  ${kind}: ${result.errors} failed requests, e.g. ${result.firstError}`);
  const server = [...(serverTimes.get(kind) ?? [])].sort((a, b) => a - b);
  const client = result.lat.sort((a, b) => a - b);
  const total = server.reduce((s, x) => s + x, 0);
  return {
    kind,
    requests: result.done,
    errors: result.errors,
    perSecond: result.done / result.seconds,
    server: { p50: pct(server, 0.5), p99: pct(server, 0.99), max: server[server.length - 1], mean: total / server.length },
    client: { p50: pct(client, 0.5), p99: pct(client, 0.99) },
    sqlShare: total > 0 ? (sqlTime.get(kind) ?? 0) / total : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// queries

const IMO_QUERY =
  'query($imo: IMONumber) { screenVessel(imo: $imo) { totalHits hits { matchedOn score entry { id category riskLevel tlp validUntil } } } }';
const NAME_QUERY =
  'query($name: String) { screenVessel(name: $name) { totalHits hits { matchedOn score matchedName entry { id category riskLevel tlp } } } }';
const BATCH_QUERY =
  'query($vessels: [VesselQueryInput!]!) { screenVessels(vessels: $vessels) { totalHits hits { matchedOn score entry { id riskLevel } } warnings { code } } }';

/** How an arrival might spell a registry name: prefixes, case, punctuation, lost accents, a typo. */
function variant(name: string, i: number): string {
  const plain = name.normalize('NFKD').replace(/\p{M}/gu, '');
  switch (i % 6) {
    case 0:
      return `M/V ${name}`;
    case 1:
      return name.toLowerCase();
    case 2:
      return plain.replace(/ /g, '-');
    case 3:
      return name.length > 5 ? name.slice(0, 3) + name[4] + name[3] + name.slice(5) : name; // swapped letters
    case 4:
      return `MT. ${plain}`;
    default:
      return name;
  }
}

// ---------------------------------------------------------------------------------------------
// import

async function importPhase(ds: DataSource, dbUrl: string): Promise<string[]> {
  const out: string[] = [];
  const registry: { imo: string; mmsi: string; name: string }[] = await ds.query(`SELECT imo, mmsi, name FROM vessels ORDER BY imo`);
  const [list] = await ds.query(
    `INSERT INTO watchlists (name, owner_agency, tlp, jurisdiction) VALUES ('Bench import', 'nl-customs', 'AMBER', 'NL') RETURNING id`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-bench-import-'));
  const file = path.join(dir, 'entries.csv');
  const ws = fs.createWriteStream(file);
  const write = (s: string) => (ws.write(s) ? Promise.resolve() : new Promise<void>((r) => ws.once('drain', () => r())));
  await write('ref,imo,mmsi,name,flag,category,riskLevel,reason,validUntil,source,formerNames\n');
  const cats = ['SANCTIONS_EVASION', 'SMUGGLING', 'DRUG_TRAFFICKING', 'IDENTITY_FRAUD'];
  const risks = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  const check = (six: string) => [7, 6, 5, 4, 3, 2].reduce((s, w, i) => s + w * Number(six[i]), 0) % 10;
  for (let i = 0; i < IMPORT_ROWS; i++) {
    // 60% vessels already in the registry (as the registry knows them), 40% new ones; every row a
    // new entry of the list
    const known = i % 5 < 3 ? registry[(i * 7919) % registry.length] : undefined;
    const six = known ? known.imo.slice(0, 6) : String(600000 + (i % 390000));
    const imo = six + check(six);
    const name = known ? known.name : `NEW VESSEL ${i % 390000}`;
    const mmsi = known ? known.mmsi : String(244000000 + (i % 390000));
    const former = !known && i % 7 === 0 ? `EX ${i % 1000} NAME` : '';
    await write(
      `B:${i},${imo},${mmsi},${name},,${cats[i % 4]},${risks[(i >> 2) % 4]},Imported risk ${i},${i % 9 === 0 ? '2030-12-31' : ''},National list 2026-11,${former}\n`,
    );
  }
  await new Promise<void>((r) => ws.end(() => r()));
  const size = fs.statSync(file).size;
  const token = mintDevToken({ agency: 'nl-customs', roles: ['analyst'] });
  const t0 = Date.now();
  // The real `npm run import` of the file into the new list; its output, also when it fails.
  const importFile = () =>
    run(
      path.join(REPO, 'node_modules/.bin/ts-node'),
      ['--transpile-only', path.join(REPO, 'scripts/import.ts'), '--watchlist', `Watchlist:${list.id}`, '--format', 'csv', file],
      {
        cwd: REPO,
        env: { ...process.env, DATABASE_URL: dbUrl, PORTCULLIS_TOKEN: token },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      },
    ).catch((e: { stdout?: string; stderr?: string; message: string }) => ({
      stdout: e.stdout ?? '',
      stderr: `${e.stderr ?? ''} ${e.message}`,
    }));
  const res = await importFile();
  const wall = (Date.now() - t0) / 1000;
  const summary = res.stdout
    .split('\n')
    .filter((l) => /read|created/.test(l))
    .map((l) => l.trim());
  const m = /read (\d+) rows in ([\d.]+) s \((\d+) rows\/s\)/.exec(res.stdout);
  out.push(
    `file: ${IMPORT_ROWS.toLocaleString('en')} rows, ${(size / 1e6).toFixed(0)} MB (own CSV layout; 60% of the rows name vessels of the registry as it knows them, 40% new vessels; a new list)`,
  );
  out.push(...summary.map((s) => `importer: ${s}`));
  if (!m) out.push(`importer failed: ${res.stderr.slice(0, 500)}`);
  out.push(`wall time of \`npm run import\` including start-up: ${wall.toFixed(1)} s`);
  const rerun = Date.now();
  const again = await importFile();
  out.push(
    `re-run of the same file (idempotent): ${again.stdout
      .split('\n')
      .filter((l) => /created/.test(l))
      .map((l) => l.trim())
      .join(' ')} in ${((Date.now() - rerun) / 1000).toFixed(1)} s`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  importRate = m ? Number(m[3]) : 0;
  importSeconds = m ? Number(m[2]) : NaN;
  return out;
}
let importRate = 0;
let importSeconds = NaN;

// ---------------------------------------------------------------------------------------------
// plans

async function plans(ds: DataSource, policies: PolicyStore, sample: { imo: string; mmsi: string; name: string }): Promise<string[]> {
  const policy = policies.current.policy;
  const principal = {
    subject: 'bench',
    agency: policy.agencies.get('be-customs')!,
    roles: ['analyst' as const],
    purpose: 'LAW_ENFORCEMENT' as const,
    issuer: 'bench',
    expiresAt: 0,
  };
  const acl = rowFilter(policy, principal, 'WatchlistEntry', 'e');
  const out: string[] = [];
  const explain = async (title: string, sql: string, params: Record<string, unknown>, setup?: string) => {
    const [q, p] = ds.driver.escapeQueryWithParameters(sql, { ...acl.params, ...params });
    const qr = ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      if (setup) await qr.query(setup);
      const rows: { 'QUERY PLAN': string }[] = await qr.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q}`, p);
      await qr.rollbackTransaction();
      out.push(`--- ${title}`, ...rows.map((r) => r['QUERY PLAN']), '');
    } finally {
      await qr.release();
    }
  };
  // The screening statements as the service sends them.
  captured.length = 0;
  capturing = true;
  const ctx = createContext(ds, policy, principal, 'bench-plans');
  await screen(ctx, [{ imo: sample.imo }]);
  await screen(ctx, [{ name: `M/V ${sample.name}` }]);
  capturing = false;
  const raw = async (title: string, c: { text: string; values: unknown[] }, setup?: string) => {
    const qr = ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      if (setup) await qr.query(setup);
      const rows: { 'QUERY PLAN': string }[] = await qr.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${c.text}`, c.values);
      await qr.rollbackTransaction();
      out.push(`--- ${title}`, ...rows.map((r) => r['QUERY PLAN']), '');
    } finally {
      await qr.release();
    }
  };
  await raw(`screenVessel(imo: "${sample.imo}")`, captured[0]);
  await raw(
    `screenVessel(name: "M/V ${sample.name}") (pg_trgm.similarity_threshold 0.5, set by the service for its transaction)`,
    captured[1],
    `SELECT set_config('pg_trgm.similarity_threshold', '0.5', true)`,
  );
  await explain(
    'watchlistEntries { totalCount }: the row filter over 1M entries',
    `SELECT count(*) FROM watchlist_entries e WHERE ${acl.sql}`,
    {},
  );
  await explain(
    'watchlistEntries(first: 50): first page in creation order',
    `SELECT e.id FROM watchlist_entries e WHERE ${acl.sql} ORDER BY e.created_at, e.id LIMIT 51`,
    {},
  );
  await explain(
    `watchlistEntries(filter: { imo: "${sample.imo}" })`,
    `SELECT e.id FROM watchlist_entries e JOIN vessels v ON v.id = e.vessel_id WHERE ${acl.sql} AND v.imo = :imo ORDER BY e.created_at, e.id LIMIT 51`,
    { imo: sample.imo },
  );
  await explain(
    "watchlist(id).entries(first: 50): one list's page",
    `SELECT e.id FROM watchlist_entries e WHERE ${acl.sql} AND e.watchlist_id = (SELECT id FROM watchlists WHERE owner_agency = 'nl-customs' AND tlp = 'AMBER' LIMIT 1) ORDER BY e.created_at, e.id LIMIT 51`,
    {},
  );
  await explain(
    'vessels(filter: { nameContains: "OCEAN" })',
    `SELECT v.id FROM vessels v WHERE v.name ILIKE :pat ORDER BY v.name, v.id LIMIT 51`,
    { pat: '%OCEAN%' },
  );
  await explain(
    'import upsert: an entry by its natural key',
    `SELECT e.id FROM watchlist_entries e WHERE e.watchlist_id = (SELECT id FROM watchlists LIMIT 1) AND e.external_ref = :ref`,
    { ref: 'GEN:42' },
  );
  return out;
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// side by side: today's name-v2 path and the trigram path before it, in process, same data

interface PathFigures {
  single: { p50: number; p99: number; perSecond: number; requests: number };
  batchMs: number[];
}

async function sideBySide(
  ds: DataSource,
  policies: PolicyStore,
  screenFn: typeof screen,
  singles: string[],
  batches: VesselQueryInput[][],
): Promise<PathFigures> {
  const policy = policies.current.policy;
  const principal = {
    subject: 'bench',
    agency: policy.agencies.get('be-customs')!,
    roles: ['analyst' as const],
    purpose: 'LAW_ENFORCEMENT' as const,
    issuer: 'bench',
    expiresAt: 0,
  };
  // As the hub in this bench: batches of 1,000 names within a long deadline.
  const runtime = () => ({ slots: new Semaphore(2, 100), timeoutMs: 600_000 });
  const settings = new HubSettings([
    [SCREENING_RUNTIME, runtime()],
    [TRIGRAM_RUNTIME, runtime()],
  ]);
  const ctx = () => createContext(ds, policy, principal, 'bench-side-by-side', new Date(), settings);
  // Warm: plans and caches.
  for (const n of singles.slice(0, 50)) await screenFn(ctx(), [{ name: n }]);
  const lat: number[] = [];
  let next = 0;
  const until = Date.now() + SECONDS * 1000;
  const t0 = Date.now();
  const worker = async () => {
    while (Date.now() < until && next < 20_000) {
      const n = singles[next++ % singles.length];
      const s = process.hrtime.bigint();
      await screenFn(ctx(), [{ name: n }]);
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  };
  await Promise.all([worker(), worker()]);
  const elapsed = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const batchMs: number[] = [];
  for (const b of batches) {
    const s = Date.now();
    await screenFn(ctx(), b, { maxHits: 50 });
    batchMs.push(Date.now() - s);
  }
  return { single: { p50: pct(lat, 0.5), p99: pct(lat, 0.99), perSecond: lat.length / elapsed, requests: lat.length }, batchMs };
}

async function main() {
  const started = Date.now();
  const date = new Date().toISOString().slice(0, 10);
  say(`Portcullis screening benchmark, ${new Date().toISOString()}`);
  say(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  say(
    `load average before the run (1, 5, 15 min): ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (anything else running shares the 2 cores)`,
  );
  const db = await openBenchDatabase(PG_SETTINGS);
  say(`database: ${db.describe}`);
  const ds = await connectAndMigrate(db.url, { poolSize: 10 });
  try {
    say('');
    say(`generating ${VESSELS.toLocaleString('en')} vessels and ${ENTRIES.toLocaleString('en')} entries (SQL, generate_series):`);
    await generateDataset(ds, { vessels: VESSELS, entries: ENTRIES }, say);
    const [counts] = await ds.query(
      `SELECT (SELECT count(*) FROM vessel_names)::int AS names, pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    say(`  ${counts.names.toLocaleString('en')} searchable names (current and former); database ${counts.size}`);

    ensureDevKeys();
    const schema = await buildHubSchema();
    const policies = new PolicyStore(path.join(REPO, 'policies'), schema, 'portcullis');
    const hub = await startHub({
      db: ds,
      databaseUrl: db.url,
      policies,
      schema: protectSchema(schema),
      log: createLogger('silent'),
      port: 0,
      host: '127.0.0.1',
      // It measures screening itself, batches of 1,000 names included: above the per-request
      // limits of a default hub (QUERY_MAX_COST, SCREENING_MAX_NAMES, REQUEST_TIMEOUT_MS, READ_RATE_LIMIT).
      limits: { maxCost: 10_000_000, screeningNames: 1000, timeoutMs: 600_000, reads: { max: 1_000_000, windowSeconds: 1 } },
    });
    const token = mintDevToken({ agency: 'be-customs', roles: ['analyst'], purpose: 'LAW_ENFORCEMENT', ttlSeconds: 3600 });

    const policy = policies.current.policy;
    const principal = {
      subject: 'bench',
      agency: policy.agencies.get('be-customs')!,
      roles: ['analyst' as const],
      purpose: 'LAW_ENFORCEMENT' as const,
      issuer: 'bench',
      expiresAt: 0,
    };
    const acl = rowFilter(policy, principal, 'WatchlistEntry', 'e');
    const [vis] = await ds.query(
      ...ds.driver.escapeQueryWithParameters(
        `SELECT count(*) FILTER (WHERE ${acl.sql})::int AS visible, count(*) FILTER (WHERE ${acl.sql} AND e.owner_agency = 'nl-customs' AND e.tlp IN ('CLEAR','GREEN','AMBER') AND e.jurisdiction = 'NL')::int AS by_agreement,
              count(*)::int AS total FROM watchlist_entries e`,
        acl.params,
      ),
    );
    say(
      `caller: be-customs, analyst, purpose LAW_ENFORCEMENT: sees ${vis.visible.toLocaleString('en')} of ${vis.total.toLocaleString('en')} entries, ` +
        `${vis.by_agreement.toLocaleString('en')} of them Dutch Customs' through the agreement (or more widely shared)`,
    );

    const samples: { imo: string; mmsi: string; name: string }[] = await ds.query(
      `SELECT imo, mmsi, name FROM vessels TABLESAMPLE BERNOULLI (5) REPEATABLE (7) LIMIT 5000`,
    );
    const port = hub.port;
    const imoBodies = samples.map((s) => JSON.stringify({ query: IMO_QUERY, variables: { imo: s.imo } }));
    const nameBodies = samples.map((s, i) => JSON.stringify({ query: NAME_QUERY, variables: { name: variant(s.name, i) } }));

    say('');
    say('warming up (caches, plans, JIT of the hub)...');
    await load('warm-imo', port, token, imoBodies, { concurrency: 8, seconds: 5, maxRequests: 3000 });
    await load('warm-name', port, token, nameBodies, { concurrency: 2, seconds: 5, maxRequests: 200 });

    const imo = await load('imo', port, token, imoBodies, { concurrency: 8, seconds: SECONDS, maxRequests: 60_000 });
    const name = await load('name', port, token, nameBodies, { concurrency: 2, seconds: SECONDS, maxRequests: 3000 });

    const batchOf = (n: number, withNames: boolean, offset: number) =>
      JSON.stringify({
        query: BATCH_QUERY,
        variables: {
          vessels: Array.from({ length: n }, (_, k) => samples[(offset + k) % samples.length]).map((s, i) =>
            withNames ? { imo: s.imo, mmsi: s.mmsi, name: variant(s.name, i) } : { imo: s.imo, mmsi: s.mmsi },
          ),
        },
      });
    const batchIds = await load(
      'batch-ids',
      port,
      token,
      [0, 1, 2, 3, 4].map((k) => batchOf(1000, false, k * 1000)),
      { concurrency: 1, seconds: 60, maxRequests: 5 },
    );
    const batchNames = await load(
      'batch-names',
      port,
      token,
      [0, 1, 2].map((k) => batchOf(1000, true, k * 1000)),
      { concurrency: 1, seconds: 120, maxRequests: 3 },
    );
    const batch100 = await load(
      'batch-names-100',
      port,
      token,
      [0, 1, 2, 3, 4].map((k) => batchOf(100, true, k * 100)),
      { concurrency: 1, seconds: 60, maxRequests: 5 },
    );
    await hub.stop();

    // The same names, in process (no HTTP), through today's path and the trigram path before it.
    say('');
    say('side by side in process: name-v2 (token and phonetic keys) and the trigram path before it...');
    const singleNames = samples.map((sm, i) => variant(sm.name, i));
    const nameBatches = [0, 1, 2].map((k) =>
      Array.from({ length: 1000 }, (_, j) => samples[(k * 1000 + j) % samples.length]).map((sm, i) => ({ name: variant(sm.name, i) })),
    );
    const v2 = await sideBySide(ds, policies, screen, singleNames, nameBatches);
    const trigram = await sideBySide(ds, policies, trigramScreen, singleNames, nameBatches.slice(0, 1));

    // Plans on the generated data set, before the import adds its million rows.
    const planLines = PLANS ? await plans(ds, policies, samples[0]) : [];
    say('');
    say(`import through \`npm run import\` (the real CLI, a child process):`);
    const imp = IMPORT_ROWS > 0 ? await importPhase(ds, db.url) : ['skipped (--import-rows 0)'];
    imp.forEach((l) => say(`  ${l}`));

    const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    say('');
    say('results (server time = hub process, request received to response sent; SQL = share of it waiting for PostgreSQL)');
    say('| measure | p50 | p99 | max | rate | SQL | target | |');
    say('|---|---|---|---|---|---|---|---|');
    say(
      `| IMO screening (${imo.requests} requests, 8 concurrent) | ${ms(imo.server.p50)} ms | ${ms(imo.server.p99)} ms | ${ms(imo.server.max)} ms | ${imo.perSecond.toFixed(0)} req/s | ${(imo.sqlShare * 100).toFixed(0)}% | p99 < 5 ms, >= 2,000 req/s | ${verdict(imo.server.p99 < 5)} / ${verdict(imo.perSecond >= 2000)} |`,
    );
    say(
      `| name screening (${name.requests} requests, 2 concurrent, fuzzy) | ${ms(name.server.p50)} ms | ${ms(name.server.p99)} ms | ${ms(name.server.max)} ms | ${name.perSecond.toFixed(0)} req/s | ${(name.sqlShare * 100).toFixed(0)}% | p99 < 25 ms, >= 300 req/s | ${verdict(name.server.p99 < 25)} / ${verdict(name.perSecond >= 300)} |`,
    );
    say(
      `| batch of 1,000: IMO + MMSI (${batchIds.requests} requests) | ${ms(batchIds.server.p50)} ms | | ${ms(batchIds.server.max)} ms | | ${(batchIds.sqlShare * 100).toFixed(0)}% | < 1 s | ${verdict(batchIds.server.max < 1000)} |`,
    );
    say(
      `| batch of 1,000: IMO + MMSI + fuzzy name (${batchNames.requests} requests) | ${ms(batchNames.server.p50)} ms | | ${ms(batchNames.server.max)} ms | | ${(batchNames.sqlShare * 100).toFixed(0)}% | < 1 s | ${verdict(batchNames.server.max < 1000)} |`,
    );
    say(
      `| batch of 100: IMO + MMSI + fuzzy name (${batch100.requests} requests) | ${ms(batch100.server.p50)} ms | | ${ms(batch100.server.max)} ms | | ${(batch100.sqlShare * 100).toFixed(0)}% | | |`,
    );
    const projected = importRate > 0 ? 1_000_000 / importRate : NaN;
    say(
      `| import (${IMPORT_ROWS.toLocaleString('en')} rows, CLI) | | | | ${importRate.toLocaleString('en')} rows/s | | 1M rows < 2 min | ${verdict(projected < 120)} (${Number.isFinite(importSeconds) && IMPORT_ROWS === 1_000_000 ? `${importSeconds.toFixed(0)} s measured` : `${projected.toFixed(0)} s projected for 1M`}) |`,
    );
    say('');
    say('side by side, in process (screen() called directly, 2 concurrent, no HTTP), the same names on the same data:');
    say('| path | single name p50 | p99 | rate | batch of 1,000 names | target |');
    say('|---|---|---|---|---|---|');
    for (const [label, f] of [
      ['name-v2 (token and phonetic keys)', v2],
      ['trigram (before name-v2)', trigram],
    ] as const) {
      say(
        `| ${label} | ${ms(f.single.p50)} ms | ${ms(f.single.p99)} ms | ${f.single.perSecond.toFixed(0)} req/s (${f.single.requests} requests) | ${f.batchMs.map((x) => `${x} ms`).join(', ')} | p99 < 25 ms, >= 300 req/s, batch < 1 s |`,
      );
    }
    say(
      `ratios (trigram / name-v2): single p99 ${(trigram.single.p99 / v2.single.p99).toFixed(1)}x, rate ${(v2.single.perSecond / trigram.single.perSecond).toFixed(1)}x, batch ${(trigram.batchMs[0] / v2.batchMs[0]).toFixed(1)}x`,
    );
    say('');
    say(
      `client-side latency (worker thread, keep-alive HTTP): IMO p50 ${ms(imo.client.p50)} ms p99 ${ms(imo.client.p99)} ms; name p50 ${ms(name.client.p50)} ms p99 ${ms(name.client.p99)} ms`,
    );
    say(`failed requests: ${[imo, name, batchIds, batchNames, batch100].reduce((s, r) => s + r.errors, 0)}`);

    if (PLANS) {
      say('');
      say('query plans (EXPLAIN ANALYZE on the generated data set, before the import, as be-customs/LAW_ENFORCEMENT):');
      planLines.forEach((l) => say(l));
    }
    say(
      `total bench time ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    fs.mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, `screening-${date}.txt`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
