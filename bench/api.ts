/**
 * `npm run bench:api`: what one request costs the hub, side by side in one run, on the same data
 * (generated, 100,000 watchlist entries) and the same queries:
 *
 *   (a) the hub as it runs in production (shield, field rules, redaction);
 *   (b) the same process serving the same schema without the shield (unshieldedSchemaForBenchmark:
 *       refused in production; the row filter in SQL stays), checked to answer the owner with the
 *       same JSON as (a);
 *   (c) the ceiling: a bare Node `http` handler that runs the statements (a) ran for the same
 *       request (captured from pg, replayed with the same values on one pooled client) and writes
 *       the same JSON (the answer of (a), serialised per request).
 *
 * Load comes from autocannon in a child process of its own; the hub's CPU per request is this
 * process's process.cpuUsage() over the phase divided by the requests answered (PostgreSQL runs
 * in processes of its own and is not counted). Prints req/s, p50, p99, CPU per request and the
 * ratios a/b and a/c, and writes them to bench/results/api-<date>.txt.
 *
 * Options: --entries N (100000) --vessels N (20000) --seconds S per phase (10) --connections N (10)
 *          --only a|b|c (one side only) --profile DIR (a CPU profile of each measured phase, for
 *          bench/profile-summary.ts) --out DIR
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { buildHubSchema, protectSchema, unshieldedSchemaForBenchmark } from '../src/api/schema';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { createLogger } from '../src/common/logger';
import { currentRequestId } from '../src/common/request-id';
import { connectAndMigrate } from '../src/db/data-source';
import { PolicyStore } from '../src/request/policy-store';
import { startHub, type Hub } from '../src/server/app';
import { openBenchDatabase } from './database';
import { generateDataset } from './dataset';
import { machine } from './own-hub';

const REPO = path.resolve(__dirname, '..');
const run = promisify(execFile);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}
const stringOption = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const ENTRIES = option('entries', 100_000);
const VESSELS = option('vessels', 20_000);
const SECONDS = option('seconds', 10);
const CONNECTIONS = option('connections', 10);
const ONLY = stringOption('only');
const PROFILE = stringOption('profile');
const OUT = path.resolve(stringOption('out') ?? path.join(REPO, 'bench', 'results'));
if (ONLY !== undefined && !['a', 'b', 'c'].includes(ONLY)) throw new Error('--only must be a, b or c');

const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

// ---------------------------------------------------------------------------------------------
// the queries

const ME = '{ me { subject agency { code } } }';
const LIST =
  '{ watchlistEntries(first: 50) { pageInfo { hasNextPage endCursor } edges { cursor node { id category riskLevel tlp ' +
  'vessel { imo name flag } ownerAgency { code name } access { basis agreementId redactedFields } } } } }';
const SCREEN =
  'query($imo: IMONumber) { screenVessel(imo: $imo) { totalHits hits { matchedOn score entry { id category riskLevel tlp validUntil } } } }';

interface Case {
  name: string;
  target: { reqPerSecond: number; p99Ms: number } | undefined;
  body: string;
  token: string;
}

// ---------------------------------------------------------------------------------------------
// the ceiling: the same statements, the same JSON, nothing else

interface Captured {
  /** pg's query arguments as (a) passed them: text and values, or a named (prepared) statement's config. */
  args: unknown[];
}
/** The request whose statements are captured (its x-request-id), and what it sent. */
let capture: { requestId: string; statements: Captured[] } | undefined;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (capture && currentRequestId() === capture.requestId && typeof args.at(-1) !== 'function') {
    capture.statements.push({ args: structuredClone(args) });
  }
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

interface Replay {
  statements: Captured[];
  answer: unknown;
}

async function startCeiling(dbUrl: string, replays: Map<string, Replay>) {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const answer = async () => {
      const replay = replays.get(Buffer.concat(chunks).toString('utf8'));
      if (!replay) {
        res.writeHead(404).end();
        return;
      }
      const client = await pool.connect();
      try {
        for (const s of replay.statements) await (client.query as (...a: unknown[]) => Promise<unknown>)(...s.args);
      } finally {
        client.release();
      }
      const body = JSON.stringify(replay.answer);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    };
    // A failed replay is a failed request (counted as non-2xx by autocannon), never a crash.
    req.on('end', () => void answer().catch(() => res.writeHead(500).end()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await pool.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// load (autocannon, its own process)

interface Measured {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
  cpuMicrosPerRequest: number;
}

async function post(url: string, token: string, body: string, requestId: string = randomUUID()) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
    body,
  });
  return { status: res.status, text: await res.text() };
}

async function autocannon(url: string, token: string, body: string, seconds: number) {
  const { stdout } = await run(
    process.execPath,
    [
      require.resolve('autocannon'), // its command line, run as a program of its own
      '--json',
      '--connections',
      String(CONNECTIONS),
      '--duration',
      String(seconds),
      '--method',
      'POST',
      '--headers',
      'content-type=application/json',
      '--headers',
      `authorization=Bearer ${token}`,
      '--body',
      body,
      url,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
  };
}

/** This process's CPU profile while `work` runs, written to `file` (--profile). */
async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

async function measure(url: string, c: Case, profile?: string): Promise<Measured> {
  await autocannon(url, c.token, c.body, Math.min(2, SECONDS)); // warm-up, not counted
  const cpu = process.cpuUsage();
  const r = await profiled(profile, () => autocannon(url, c.token, c.body, SECONDS));
  const used = process.cpuUsage(cpu);
  const requests = r.requests.total;
  return {
    requests,
    perSecond: requests / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.non2xx + r.errors + r.timeouts,
    cpuMicrosPerRequest: requests > 0 ? (used.user + used.system) / requests : NaN,
  };
}

// ---------------------------------------------------------------------------------------------

async function openHub(ds: DataSource, dbUrl: string, policies: PolicyStore, shielded: boolean): Promise<Hub> {
  const schema = await buildHubSchema();
  return startHub({
    db: ds,
    databaseUrl: dbUrl,
    policies,
    schema: shielded ? protectSchema(schema) : unshieldedSchemaForBenchmark(schema),
    log: createLogger('silent'),
    port: 0,
    host: '127.0.0.1',
    // It measures the cost of a request, not the read rate limit.
    limits: { reads: { max: 1_000_000_000, windowSeconds: 1 } },
  });
}

async function main() {
  say(`# npm run bench:api, ${new Date().toISOString()}`);
  say(`machine: ${machine()}`);
  say(`load: autocannon in its own process, ${CONNECTIONS} connections, ${SECONDS} s per phase after a warm-up`);
  const db = await openBenchDatabase(['shared_buffers=256MB', 'max_wal_size=4GB']);
  say(`database: ${db.describe}`);
  const ds = await connectAndMigrate(db.url, { poolSize: 10 });
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await generateDataset(ds, { vessels: VESSELS, entries: ENTRIES }, () => undefined);
    await ds.query('ANALYZE');
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM watchlist_entries');
    say(`data: ${n.toLocaleString('en')} watchlist entries on ${VESSELS.toLocaleString('en')} vessels (bench/dataset.ts)`);

    ensureDevKeys();
    const policies = new PolicyStore(path.join(REPO, 'policies'), await buildHubSchema(), 'portcullis');
    const a = await openHub(ds, db.url, policies, true);
    closers.push(() => a.stop());
    const b = await openHub(ds, db.url, policies, false);
    closers.push(() => b.stop());

    // be-customs reads Dutch Customs' entries through the counter-narcotics agreement.
    const partner = mintDevToken({ agency: 'be-customs', roles: ['analyst'], purpose: 'LAW_ENFORCEMENT', ttlSeconds: 3600 });
    const owner = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], purpose: 'CUSTOMS', ttlSeconds: 3600 });
    const [{ imo }] = await ds.query(
      `SELECT v.imo FROM watchlist_entries e JOIN watchlists w ON w.id = e.watchlist_id JOIN vessels v ON v.id = e.vessel_id
        WHERE w.owner_agency = 'nl-customs' AND w.tlp = 'AMBER' AND e.tlp = 'AMBER' AND e.jurisdiction = 'NL'
          AND e.valid_from <= now() AND (e.valid_until IS NULL OR e.valid_until > now()) ORDER BY v.imo LIMIT 1`,
    );
    const cases: Case[] = [
      { name: '{ me }', target: undefined, body: JSON.stringify({ query: ME }), token: partner },
      {
        name: 'watchlistEntries(first: 50)',
        target: { reqPerSecond: 2000, p99Ms: 20 },
        body: JSON.stringify({ query: LIST }),
        token: partner,
      },
      {
        name: 'screenVessel(imo:)',
        target: { reqPerSecond: 2000, p99Ms: 5 },
        body: JSON.stringify({ query: SCREEN, variables: { imo } }),
        token: partner,
      },
    ];

    // What the list shows the partner, and the same JSON for the owner with and without the shield.
    const listed = JSON.parse((await post(a.url, partner, cases[1].body)).text);
    if (listed.errors) throw new Error(`the list failed on (a): ${JSON.stringify(listed.errors).slice(0, 300)}`);
    const bases = new Map<string, number>();
    for (const e of listed.data.watchlistEntries.edges) {
      const k = `${e.node.access.basis}${e.node.access.agreementId ? ` (${e.node.access.agreementId})` : ''}`;
      bases.set(k, (bases.get(k) ?? 0) + 1);
    }
    say(`list as be-customs: ${[...bases].map(([k, v]) => `${v} rows by ${k}`).join(', ')}`);
    const ownerA = await post(a.url, owner, cases[1].body);
    const ownerB = await post(b.url, owner, cases[1].body);
    const sameForOwner = ownerA.status === 200 && ownerA.text === ownerB.text && !ownerA.text.includes('"errors"');
    say(`owner (nl-customs) gets the same JSON from (a) and (b): ${sameForOwner ? 'yes' : 'NO'}`);

    // The ceiling's statements: what (a) ran for one (warm) request of each case.
    const replays = new Map<string, Replay>();
    for (const c of cases) {
      await post(a.url, c.token, c.body);
      capture = { requestId: randomUUID(), statements: [] };
      const res = await post(a.url, c.token, c.body, capture.requestId);
      // The read rate limit's lease of tokens (now and then, not per request) is not the query's SQL.
      const statements = capture.statements.filter((st) => !JSON.stringify(st.args[0]).includes('take_rate_tokens'));
      capture = undefined;
      const answer = JSON.parse(res.text);
      if (answer.errors) throw new Error(`${c.name} failed on (a): ${JSON.stringify(answer.errors).slice(0, 300)}`);
      replays.set(c.body, { statements, answer });
      const textOf = (st: Captured) => (typeof st.args[0] === 'string' ? st.args[0] : String((st.args[0] as { text?: string }).text));
      const tables = statements.map((st) => /\bFROM "?(\w+)"?/.exec(textOf(st))?.[1] ?? '?');
      say(
        `${c.name}: ${statements.length} SQL statement(s) per request (from ${tables.join(', ') || '-'}), ${res.text.length} bytes of JSON`,
      );
      if (c.body.includes('screenVessel')) say(`  screening ${imo}: ${answer.data.screenVessel.totalHits} hit(s)`);
    }
    const ceiling = await startCeiling(db.url, replays);
    closers.push(() => ceiling.close());

    say('');
    const sides = [
      { key: 'a', label: '(a) hub', url: a.url },
      { key: 'b', label: '(b) no shield', url: b.url },
      { key: 'c', label: '(c) bare http', url: ceiling.url },
    ].filter((s) => ONLY === undefined || s.key === ONLY);
    const head = `${'query'.padEnd(28)} ${'side'.padEnd(15)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU µs/req'.padStart(11)} failed`;
    say(head);
    const results = new Map<string, Measured>();
    for (const c of cases) {
      for (const s of sides) {
        const slug = `${s.key}-${c.name.replace(/[^a-z]+/gi, '-').replace(/-+$/, '')}`;
        const m = await measure(s.url, c, PROFILE ? path.resolve(PROFILE, `${slug}.cpuprofile`) : undefined);
        results.set(`${c.name}|${s.key}`, m);
        say(
          `${c.name.padEnd(28)} ${s.label.padEnd(15)} ${m.perSecond.toFixed(0).padStart(7)} ${m.p50.toFixed(1).padStart(7)} ` +
            `${m.p99.toFixed(1).padStart(7)} ${m.cpuMicrosPerRequest.toFixed(0).padStart(11)} ${m.failed}`,
        );
      }
    }
    if (ONLY === undefined) {
      say('');
      say('ratios (req/s): a/b (authorization on/off), a/c (hub/ceiling)');
      for (const c of cases) {
        const [ra, rb, rc] = ['a', 'b', 'c'].map((k) => results.get(`${c.name}|${k}`)!.perSecond);
        say(`${c.name.padEnd(28)} a/b ${(ra / rb).toFixed(2)}   a/c ${(ra / rc).toFixed(2)}`);
      }
      say('');
      say('targets (issue #15):');
      const me = results.get(`${cases[0].name}|a`)!;
      const list = results.get(`${cases[1].name}|a`)!;
      const listB = results.get(`${cases[1].name}|b`)!;
      const listC = results.get(`${cases[1].name}|c`)!;
      const screen = results.get(`${cases[2].name}|a`)!;
      const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
      say(`  hub CPU for { me } <= 150 µs: ${me.cpuMicrosPerRequest.toFixed(0)} µs, ${verdict(me.cpuMicrosPerRequest <= 150)}`);
      say(
        `  list >= 2,000 req/s, p99 < 20 ms: ${list.perSecond.toFixed(0)} req/s, p99 ${list.p99.toFixed(1)} ms, ` +
          verdict(list.perSecond >= 2000 && list.p99 < 20),
      );
      say(`  list a/b >= 0.85: ${(list.perSecond / listB.perSecond).toFixed(2)}, ${verdict(list.perSecond / listB.perSecond >= 0.85)}`);
      say(`  list a/c >= 0.5: ${(list.perSecond / listC.perSecond).toFixed(2)}, ${verdict(list.perSecond / listC.perSecond >= 0.5)}`);
      say(
        `  IMO screening >= 2,000 req/s, p99 < 5 ms: ${screen.perSecond.toFixed(0)} req/s, p99 ${screen.p99.toFixed(1)} ms, ` +
          verdict(screen.perSecond >= 2000 && screen.p99 < 5),
      );
    }
    say('');
    say(machine().replace(/^.*load average/, 'load average') + ' after the run');
    if (!sameForOwner) throw new Error('(a) and (b) answered the owner differently');
    if ([...results.values()].some((m) => m.failed > 0)) throw new Error('some requests failed');
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await ds.destroy();
    await db.stop();
  }
  if (ONLY === undefined) {
    fs.mkdirSync(OUT, { recursive: true });
    const out = path.join(OUT, `api-${new Date().toISOString().slice(0, 10)}.txt`);
    fs.writeFileSync(out, lines.join('\n') + '\n');
    console.log(`written to ${path.relative(REPO, out)}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
