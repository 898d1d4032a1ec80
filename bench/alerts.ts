/**
 * `npm run bench:alerts`: live alert delivery at scale (ISSUE 4, item 7).
 *
 * Starts a PostgreSQL (embedded in a temporary folder, or a fresh database on DATABASE_URL), two
 * hub instances as separate processes (`src/main.ts`, as in production) on one database with a
 * generated membership of 20 agencies and 10 agreements, and 2,000 WebSocket subscribers split
 * over both instances and all agencies with mixed roles, purposes and filters. It then publishes
 * alerts of mixed marking over HTTP from nine agencies, alternating instances, at a fixed rate,
 * and records when each delivery arrives.
 *
 * Every delivery is checked against an independent model of the access model
 * (bench/alerts-model.ts, written from the spec, not from src/policy): no missed delivery, none
 * unauthorized, none outside the subscriber's filter, no duplicates, order kept, and the basis,
 * agreement and redaction of intelligenceSummary as the model says.
 *
 * Settings (environment): BENCH_SUBSCRIBERS (2000), BENCH_RATE (alerts/s, 50), BENCH_SECONDS (30),
 * BENCH_SEED (42), BENCH_CPU_PROF=1 (write V8 CPU profiles of both hubs to bench/results/profiles/),
 * BENCH_OUT (results file; default bench/results/alerts-<date>.txt), DATABASE_URL.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { freePort } from './database';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { connectAndMigrate } from '../src/db/data-source';
import { streamPositions } from '../src/alert/stream-position';
import { startEmbeddedPostgres } from '../src/db/embedded';
import {
  AGENCIES,
  AGREEMENTS,
  agencyByCode,
  expectedView,
  makeAlerts,
  makeSubscribers,
  matches,
  PUBLISHERS,
  type BenchAlert,
  type BenchSubscriber,
} from './alerts-model';
import type { DeliveryRecord } from './alerts-subscribers';

const REPO = path.resolve(__dirname, '..');
const intEnv = (name: string, fallback: number) => {
  const v = process.env[name];
  return v ? Number.parseInt(v, 10) : fallback;
};
const SUBSCRIBERS = intEnv('BENCH_SUBSCRIBERS', 2000);
const RATE = intEnv('BENCH_RATE', 50);
const SECONDS = intEnv('BENCH_SECONDS', 30);
const SEED = intEnv('BENCH_SEED', 42);
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const TARGET_P99_MS = 250;
/** The drain goes on while deliveries still arrive, up to this long; then what is missing is missed. */
const DRAIN_MAX_MS = 240_000;
const DRAIN_STALL_MS = 10_000;
const WARMUP_ALERTS = 40;
/** The hub's V8 flags, as `npm start` and the Dockerfile run it (package.json "start"). */
const HUB_NODE_FLAGS = ['--max-semi-space-size=32'];
/** Seconds at the full rate with every subscriber connected before measuring; delivered and verified, not timed. */
const WARMUP_SECONDS = intEnv('BENCH_WARMUP_SECONDS', 5);

const SUBSCRIPTION = `subscription Bench($filter: AlertFilter, $after: String) {
  vesselAlerts(filter: $filter, after: $after) {
    sequence kind alertId
    alert { title tlp jurisdiction port intelligenceSummary access { basis agreementId redactedFields } }
  }
}`;
const PUBLISH = `mutation Publish($input: PublishAlertInput!) { publishAlert(input: $input) { id sequence } }`;

const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * POST over a fresh connection each time: with keep-alive, a hub that closes an idle connection
 * just as the next request goes out resets it, and a publishing POST must not be retried blindly.
 */
function post(url: string, bearer: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function procStatus(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** Median VmRSS (KiB) of a few samples: a single reading swings with the garbage collector. */
async function sampleRssKb(pid: number, samples = 7, gapMs = 300): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(procStatus(pid).rssKb);
    if (i < samples - 1) await sleep(gapMs);
  }
  return values.sort((a, b) => a - b)[Math.floor(samples / 2)];
}

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...f] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const v = f.map(Number); // user nice system idle iowait irq softirq steal ...
  return (v.reduce((a, b) => a + b, 0) - v[3] - v[4]) / 100;
}

/** A PostgreSQL postmaster and its children (backends, workers), from its data directory. */
function postgresPids(dataDir: string): number[] {
  try {
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = fs
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      });
    return [postmaster, ...children];
  } catch {
    return [];
  }
}

const cpuOf = (pids: number[]) =>
  pids.reduce((sum, pid) => {
    try {
      return sum + cpuSeconds(pid);
    } catch {
      return sum;
    }
  }, 0);

interface HubProcess {
  child: ChildProcess;
  url: string;
  logFile: string;
}

async function startHubProcess(n: number, env: Record<string, string>, tmp: string, profDir: string): Promise<HubProcess> {
  const port = await freePort();
  const logFile = path.join(tmp, `hub-${n}.log`);
  const out = fs.openSync(logFile, 'a');
  const execArgv = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-name', `hub-${n}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...execArgv, ...HUB_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: REPO,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`hub ${n} exited (${child.exitCode}); see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`hub ${n} did not become healthy; see ${logFile}`);
    await sleep(250);
  }
  return { child, url: `${url}/graphql`, logFile };
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', ms = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  await Promise.race([exited, sleep(ms)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A subscriber process and a promise for its next message of a type. */
class SubscriberProcess {
  readonly child: ChildProcess;
  private readonly waiting = new Map<string, (msg: Record<string, unknown>) => void>();

  constructor() {
    this.child = fork(path.join(__dirname, 'alerts-subscribers.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (msg: Record<string, unknown>) => {
      const resolve = this.waiting.get(msg.type as string);
      this.waiting.delete(msg.type as string);
      resolve?.(msg);
    });
  }

  request<T>(message: Record<string, unknown>, reply: string): Promise<T> {
    return new Promise((resolve) => {
      this.waiting.set(reply, resolve as never);
      this.child.send(message);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-bench-'));
  const resultsDir = path.join(REPO, 'bench/results');
  const profDir = path.join(resultsDir, 'profiles');
  if (CPU_PROF) fs.mkdirSync(profDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => log(`cleanup: ${String(e)}`));
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    // -- Database --------------------------------------------------------------------------
    let adminUrl = process.env.DATABASE_URL;
    let pgVersion = 'external';
    const pgDataDir = path.join(tmp, 'pg');
    if (!adminUrl) {
      log('starting an embedded PostgreSQL');
      const pg = await startEmbeddedPostgres({ dataDir: pgDataDir, port: await freePort() });
      cleanups.push(() => pg.stop());
      adminUrl = pg.url;
      pgVersion = 'embedded';
    }
    const dbName = `portcullis_bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    pgVersion = `${(await admin.query('SHOW server_version')).rows[0].server_version} (${pgVersion})`;
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const dbUrl = new URL(adminUrl);
    dbUrl.pathname = `/${dbName}`;
    if (process.env.DATABASE_URL) {
      cleanups.push(async () => {
        const c = new Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await c.end();
      });
    }
    const db = await connectAndMigrate(dbUrl.toString(), { poolSize: 2 });
    cleanups.push(() => db.destroy());

    // -- Membership ------------------------------------------------------------------------
    const policiesDir = path.join(tmp, 'policies');
    fs.mkdirSync(path.join(policiesDir, 'agreements'), { recursive: true });
    const { publicKeyPath } = ensureDevKeys();
    fs.writeFileSync(path.join(policiesDir, 'agencies.yaml'), stringify({ agencies: AGENCIES }));
    fs.writeFileSync(
      path.join(policiesDir, 'issuers.yaml'),
      stringify({
        issuers: [{ iss: 'portcullis-dev', algorithms: ['RS256'], publicKeyFile: publicKeyPath, agencies: AGENCIES.map((a) => a.code) }],
      }),
    );
    const fieldsYaml = fs.readFileSync(path.join(REPO, 'policies/fields.yaml'), 'utf8');
    fs.writeFileSync(path.join(policiesDir, 'fields.yaml'), fieldsYaml);
    for (const g of AGREEMENTS) {
      fs.writeFileSync(path.join(policiesDir, 'agreements', `${g.id}.yaml`), stringify({ ...g, purpose: 'Benchmark agreement' }));
    }

    // -- Hubs ------------------------------------------------------------------------------
    const hubEnv = {
      DATABASE_URL: dbUrl.toString(),
      POLICIES_DIR: policiesDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      // The benchmark measures delivery: its publishers' rates must not meet the per-agency limits.
      WRITE_RATE_LIMIT: '1000000',
      READ_RATE_LIMIT: '1000000',
      // The simulated subscribers of one agency share one subject, so one principal holds many sockets.
      WS_MAX_SOCKETS_PER_PRINCIPAL: String(Math.max(SUBSCRIBERS, 1)),
      WS_MAX_SOCKETS_PER_AGENCY: String(Math.max(SUBSCRIBERS, 1)),
    };
    log('starting two hub instances');
    const hubs = await Promise.all([0, 1].map((n) => startHubProcess(n, hubEnv, tmp, profDir)));
    for (const h of hubs) cleanups.push(() => stopProcess(h.child));
    const pids = hubs.map((h) => h.child.pid!);

    // -- Warm-up: the publish path on both instances (not measured, not subscribed) ----------
    const tokenCache = new Map<string, string>();
    const token = (agency: string, roles: string[], purpose?: string) => {
      const key = `${agency}|${roles.join(',')}|${purpose ?? ''}`;
      let t = tokenCache.get(key);
      if (!t) tokenCache.set(key, (t = mintDevToken({ agency, roles, purpose, ttlSeconds: 3600 })));
      return t;
    };
    const warmupLive = RATE * WARMUP_SECONDS;
    const alerts = makeAlerts(WARMUP_ALERTS + warmupLive + RATE * SECONDS, SEED);
    const publish = async (hub: HubProcess, a: BenchAlert, title: string) => {
      const res = await post(
        hub.url,
        token(a.owner, ['analyst']),
        JSON.stringify({
          query: PUBLISH,
          variables: {
            input: {
              vessel: a.vessel,
              category: a.category,
              severity: a.severity,
              title,
              description: 'Benchmark alert',
              port: a.port,
              tlp: a.tlp,
              recipients: a.recipients,
              intelligenceSummary: a.intelligenceSummary,
            },
          },
        }),
      );
      const body = JSON.parse(res) as { data?: { publishAlert: { sequence: string } }; errors?: { message: string }[] };
      if (!body.data) throw new Error(`publish failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
      return body.data.publishAlert.sequence;
    };
    let after = '';
    for (let i = 0; i < WARMUP_ALERTS; i++) after = await publish(hubs[i % 2], alerts[i], `warmup#${i}`);
    // Everything after the first warm-up is delivered and verified; latency and rate count from `warmupLive` on.
    const measured = alerts.slice(WARMUP_ALERTS).map((a, index) => ({ ...a, index }));
    const timed = (index: number) => index >= warmupLive;
    await sleep(1000);
    const rssBefore = await Promise.all(pids.map((p) => sampleRssKb(p)));

    // -- Subscribers -----------------------------------------------------------------------
    const subscribers = makeSubscribers(SUBSCRIBERS, SEED + 1);
    log(
      `connecting ${subscribers.length} subscribers (${subscribers.filter((s) => s.hub === 0).length} + ${subscribers.filter((s) => s.hub === 1).length})`,
    );
    const procs = [new SubscriberProcess(), new SubscriberProcess()];
    for (const p of procs) cleanups.push(() => stopProcess(p.child, 'SIGKILL', 1000));
    const connectStarted = Date.now();
    const readies = await Promise.all(
      procs.map((p, n) =>
        p.request<{ connected: number; failed: number; errors: string[] }>(
          {
            type: 'start',
            url: hubs[n].url.replace('http', 'ws'),
            query: SUBSCRIPTION,
            subscribers: subscribers
              .filter((s) => s.hub === n)
              .map((s) => ({
                index: s.index,
                token: token(s.agency, s.roles, s.purpose),
                variables: { filter: s.filter ?? null, after },
              })),
          },
          'ready',
        ),
      ),
    );
    const connectSeconds = (Date.now() - connectStarted) / 1000;
    for (const r of readies) if (r.failed > 0) throw new Error(`${r.failed} subscribers failed to connect: ${r.errors.join('; ')}`);
    await sleep(3000); // let every subscription reach its live wait
    const rssAfterConnect = await Promise.all(pids.map((p) => sampleRssKb(p)));
    const perHub = [0, 1].map((n) => subscribers.filter((s) => s.hub === n).length);

    // -- Expected deliveries (independent model) ---------------------------------------------
    const nowMs = Date.now();
    const expected = new Map<number, Map<number, ReturnType<typeof expectedView>>>();
    let expectedTotal = 0;
    for (const s of subscribers) {
      const mine = new Map<number, ReturnType<typeof expectedView>>();
      for (const a of measured) {
        const view = expectedView(s, a, nowMs);
        if (view && matches(s.filter, a)) mine.set(a.index, view);
      }
      expected.set(s.index, mine);
      expectedTotal += mine.size;
    }
    log(
      `publishing ${measured.length} alerts at ${RATE}/s: ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured; ${expectedTotal} deliveries expected`,
    );

    // -- Publish at a fixed rate ------------------------------------------------------------
    // CPU ledger of the measured part: the hubs, our PostgreSQL, this benchmark's own processes,
    // and whatever else runs on the machine (which would distort the figures).
    const benchPids = [process.pid, ...procs.map((p) => p.child.pid!)];
    const ledger = () => ({ machine: machineBusySeconds(), pg: cpuOf(postgresPids(pgDataDir)), bench: cpuOf(benchPids) });
    let cpuBefore = pids.map(cpuSeconds);
    let ledgerBefore = ledger();
    const sentAt = new Array<number>(measured.length);
    const sequenceOf = new Array<string>(measured.length);
    const publishLatency: number[] = [];
    let publishErrors = 0;
    const inflight = new Set<Promise<void>>();
    const t0 = wall() + 100;
    for (const a of measured) {
      const due = t0 + (a.index * 1000) / RATE;
      const wait = due - wall();
      if (wait > 1) await sleep(wait);
      if (a.index === warmupLive) {
        cpuBefore = pids.map(cpuSeconds);
        ledgerBefore = ledger();
      }
      sentAt[a.index] = wall();
      const p = publish(hubs[a.index % 2], a, `bench#${a.index}`)
        .then((seq) => {
          sequenceOf[a.index] = seq;
          publishLatency.push(wall() - sentAt[a.index]);
        })
        .catch((e) => {
          publishErrors++;
          if (publishErrors <= 5) log(`publish ${a.index}: ${String(e)} ${String((e as { cause?: unknown }).cause ?? '')}`);
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all([...inflight]);
    const publishSeconds = (wall() - sentAt[warmupLive]) / 1000;

    // -- Drain -------------------------------------------------------------------------------
    const drainStart = Date.now();
    let received = 0;
    let progressAt = Date.now();
    while (Date.now() - drainStart < DRAIN_MAX_MS && Date.now() - progressAt < DRAIN_STALL_MS) {
      const counts = await Promise.all(procs.map((p) => p.request<{ received: number }>({ type: 'count' }, 'count')));
      const now = counts.reduce((s, c) => s + c.received, 0);
      if (now > received) progressAt = Date.now();
      received = now;
      if (received >= expectedTotal) break;
      await sleep(250);
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    await sleep(1000); // anything beyond the expected (duplicates, unauthorized) gets a chance to show
    const cpuAfter = pids.map(cpuSeconds);
    const ledgerAfter = ledger();
    const rssEnd = pids.map((p) => procStatus(p));
    const [{ audited }] = await db.query(
      `SELECT ((SELECT count(*) FROM audit_events WHERE operation = 'readSensitiveFields') + (SELECT count(*) FROM audit_inbox WHERE operation = 'readSensitiveFields'))::int AS audited`,
    );

    const outFiles = procs.map((_, n) => path.join(tmp, `deliveries-${n}.json`));
    await Promise.all(procs.map((p, n) => p.request({ type: 'finish', outFile: outFiles[n] }, 'finished')));
    const records: DeliveryRecord[] = [];
    const clientProblems: string[] = [];
    for (const f of outFiles) {
      const parsed = JSON.parse(fs.readFileSync(f, 'utf8')) as { records: DeliveryRecord[]; problems: string[] };
      for (const r of parsed.records) records.push(r);
      clientProblems.push(...parsed.problems);
    }

    // -- Verify ------------------------------------------------------------------------------
    const bySub = new Map<number, BenchSubscriber>(subscribers.map((s) => [s.index, s]));
    const seen = new Map<number, Set<number>>();
    const lastSeq = new Map<number, bigint>();
    const latencies: number[] = [];
    const warmupLatencies: number[] = [];
    let timedDeliveries = 0;
    let lastTimedArrival = 0;
    const windows = new Map<number, number[]>();
    const faults = {
      missed: 0,
      unauthorized: 0,
      outsideFilter: 0,
      duplicates: 0,
      outOfOrder: 0,
      wrongBasis: 0,
      wrongRedaction: 0,
      wrongSequence: 0,
      unexpectedKind: 0,
    };
    const examples: string[] = [];
    const note = (what: string) => {
      if (examples.length < 15) examples.push(what);
    };
    // Sequences reach clients as opaque tokens; the hub's key reads their order back.
    const positions = await streamPositions(db);
    for (const [sub, alertIndex, at, sequence, kind, basis, agreementId, summary, errorPaths] of records) {
      const s = bySub.get(sub)!;
      const a = measured[alertIndex];
      if (!a) {
        faults.unexpectedKind++;
        note(`subscriber ${sub} received ${kind} seq ${sequence} that is not a measured alert`);
        continue;
      }
      const set = seen.get(sub) ?? new Set<number>();
      seen.set(sub, set);
      if (set.has(alertIndex)) {
        faults.duplicates++;
        note(`subscriber ${sub} received alert ${alertIndex} twice`);
        continue;
      }
      set.add(alertIndex);
      const seq = positions.decode(sequence, 'sequence');
      if (seq <= (lastSeq.get(sub) ?? -1n)) faults.outOfOrder++;
      lastSeq.set(sub, seq);
      if (kind !== 'PUBLISHED') faults.unexpectedKind++;
      if (sequenceOf[alertIndex] !== sequence) faults.wrongSequence++;
      const view = expectedView(s, a, nowMs);
      if (!view) {
        faults.unauthorized++;
        note(
          `UNAUTHORIZED: ${s.agency} (purpose ${s.purpose ?? '-'}) received alert ${alertIndex} (${a.owner} ${a.tlp} ${a.jurisdiction} rcpt ${a.recipients.join('/')}) basis ${basis}`,
        );
        continue;
      }
      if (!matches(s.filter, a)) {
        faults.outsideFilter++;
        note(`subscriber ${sub} ${JSON.stringify(s.filter)} received alert ${alertIndex} at ${a.port}`);
        continue;
      }
      if (basis !== view.basis || (agreementId ?? undefined) !== view.agreementId) {
        faults.wrongBasis++;
        note(`${s.agency} alert ${alertIndex}: basis ${basis}/${agreementId} but the model says ${view.basis}/${view.agreementId ?? '-'}`);
      }
      const withheldError = errorPaths.includes('vesselAlerts.alert.intelligenceSummary:FORBIDDEN');
      const redactionOk = view.summaryReleased
        ? summary === a.intelligenceSummary && !withheldError
        : summary === null && withheldError && errorPaths.length === 1;
      if (!redactionOk) {
        faults.wrongRedaction++;
        note(
          `${s.agency} alert ${alertIndex}: summary ${summary === null ? 'null' : 'shown'} errors [${errorPaths.join(', ')}], model: ${view.summaryReleased ? 'released' : 'withheld'}`,
        );
      }
      const latency = at - sentAt[alertIndex];
      if (timed(alertIndex)) {
        latencies.push(latency);
        timedDeliveries++;
        lastTimedArrival = Math.max(lastTimedArrival, at);
      } else {
        warmupLatencies.push(latency);
      }
      const w = Math.max(-1, Math.floor((sentAt[alertIndex] - sentAt[warmupLive]) / 5000)); // -1: the warm-up
      (windows.get(w) ?? windows.set(w, []).get(w)!).push(latency);
    }
    for (const [sub, mine] of expected) {
      const got = seen.get(sub) ?? new Set<number>();
      for (const alertIndex of mine.keys()) {
        // An alert whose publishing failed does not exist; it is counted under publish errors.
        if (!got.has(alertIndex) && sequenceOf[alertIndex] !== undefined) {
          faults.missed++;
          const a = measured[alertIndex];
          note(`MISSED: subscriber ${sub} (${bySub.get(sub)!.agency}) did not receive alert ${alertIndex} (${a.owner} ${a.tlp} ${a.port})`);
        }
      }
    }

    // -- Report ------------------------------------------------------------------------------
    latencies.sort((x, y) => x - y);
    warmupLatencies.sort((x, y) => x - y);
    const deliverySeconds = (lastTimedArrival - sentAt[warmupLive]) / 1000;
    const p = (q: number) => quantile(latencies, q);
    const pubSorted = [...publishLatency].sort((x, y) => x - y);
    const eventsPerSecond = (measured.length - warmupLive - publishErrors) / publishSeconds;
    const rssPerConnKb = [0, 1].map((n) => (rssAfterConnect[n] - rssBefore[n]) / perHub[n]);
    const cpuUse = [0, 1].map((n) => (cpuAfter[n] - cpuBefore[n]) / publishSeconds);
    // From the start of the measured part to the end of the drain.
    const ledgerSeconds = (wall() - sentAt[warmupLive]) / 1000;
    const hubsCpu = cpuAfter[0] - cpuBefore[0] + cpuAfter[1] - cpuBefore[1];
    const deliveredInLedger = records.filter((r) => r[2] >= sentAt[warmupLive]).length;
    const pgCpu = ledgerAfter.pg - ledgerBefore.pg;
    const benchCpu = ledgerAfter.bench - ledgerBefore.bench;
    const machineCpu = ledgerAfter.machine - ledgerBefore.machine;
    const otherCpu = Math.max(0, machineCpu - hubsCpu - pgCpu - benchCpu);
    const perCore = (x: number) => fmt(x / ledgerSeconds, 2);
    const allGood = Object.values(faults).every((v) => v === 0) && publishErrors === 0;
    const rows: [string, string, string, string][] = [
      ['publish-to-delivery p50', `${fmt(p(0.5))} ms`, '', ''],
      ['publish-to-delivery p95', `${fmt(p(0.95))} ms`, '', ''],
      ['publish-to-delivery p99', `${fmt(p(0.99))} ms`, `< ${TARGET_P99_MS} ms`, p(0.99) < TARGET_P99_MS ? 'PASS' : 'FAIL'],
      ['publish-to-delivery max', `${fmt(latencies.at(-1) ?? NaN)} ms`, '', ''],
      [
        'alerts published (events/s sustained)',
        `${fmt(eventsPerSecond)} /s over ${fmt(publishSeconds)} s`,
        `${RATE} /s`,
        eventsPerSecond >= RATE * 0.98 ? 'PASS' : 'FAIL',
      ],
      ['deliveries (warm-up and measured)', `${records.length} of ${expectedTotal} expected`, '', ''],
      ['deliveries/s (measured part)', `${fmt(timedDeliveries / deliverySeconds, 0)} /s`, '', ''],
      [
        'warm-up latency p50 / p99 (not counted)',
        `${fmt(quantile(warmupLatencies, 0.5))} / ${fmt(quantile(warmupLatencies, 0.99))} ms`,
        '',
        '',
      ],
      ['missed', String(faults.missed), '0', faults.missed === 0 ? 'PASS' : 'FAIL'],
      ['unauthorized', String(faults.unauthorized), '0', faults.unauthorized === 0 ? 'PASS' : 'FAIL'],
      ['outside the filter', String(faults.outsideFilter), '0', faults.outsideFilter === 0 ? 'PASS' : 'FAIL'],
      ['duplicates', String(faults.duplicates), '0', faults.duplicates === 0 ? 'PASS' : 'FAIL'],
      ['out of order', String(faults.outOfOrder), '0', faults.outOfOrder === 0 ? 'PASS' : 'FAIL'],
      ['wrong basis or agreement', String(faults.wrongBasis), '0', faults.wrongBasis === 0 ? 'PASS' : 'FAIL'],
      ['wrong redaction (intelligenceSummary)', String(faults.wrongRedaction), '0', faults.wrongRedaction === 0 ? 'PASS' : 'FAIL'],
      [
        'wrong sequence / kind / unknown',
        `${faults.wrongSequence} / ${faults.unexpectedKind}`,
        '0 / 0',
        faults.wrongSequence + faults.unexpectedKind === 0 ? 'PASS' : 'FAIL',
      ],
      ['publish errors', String(publishErrors), '0', publishErrors === 0 ? 'PASS' : 'FAIL'],
      [
        'sensitive reads on the audit trail (one row per delivery)',
        `${audited} (${fmt((100 * audited) / records.length, 1)} % of deliveries)`,
        '',
        '',
      ],
      ['publishAlert round trip p50 / p99', `${fmt(quantile(pubSorted, 0.5))} / ${fmt(quantile(pubSorted, 0.99))} ms`, '', ''],
      ['RSS per connection (hub 1 / hub 2)', `${fmt(rssPerConnKb[0])} / ${fmt(rssPerConnKb[1])} KiB`, '', ''],
      [
        'hub RSS idle -> 1,000 connections -> end',
        [0, 1]
          .map((n) => `${fmt(rssBefore[n] / 1024, 0)} -> ${fmt(rssAfterConnect[n] / 1024, 0)} -> ${fmt(rssEnd[n].rssKb / 1024, 0)} MiB`)
          .join('; '),
        '',
        '',
      ],
      ['hub CPU while publishing (1.0 = one core)', cpuUse.map((c) => fmt(c, 2)).join(' / '), '', ''],
      ['hub CPU per delivery (both hubs, incl. GC)', `${fmt((hubsCpu / deliveredInLedger) * 1e6, 0)} us`, '', ''],
      ['drain after the last publish', `${fmt(drainSeconds)} s`, '', ''],
      [
        `machine CPU, measured part + drain (${os.cpus().length} cores)`,
        `hubs ${perCore(hubsCpu)}, PostgreSQL ${perCore(pgCpu)}, bench clients ${perCore(benchCpu)}, other processes ${perCore(otherCpu)}`,
        'other < 0.10',
        otherCpu / ledgerSeconds < 0.1 ? 'ok' : 'DISTURBED',
      ],
      ['subscribers connected in', `${fmt(connectSeconds)} s`, '', ''],
    ];
    const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
    const table = rows.map((r) => `${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  ${r[2].padEnd(width[2])}  ${r[3]}`).join('\n');
    const windowLines = [...windows.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([w, ls]) => {
        ls.sort((x, y) => x - y);
        return `  ${w < 0 ? 'warm-up   ' : `${String(w * 5).padStart(3)}-${String(w * 5 + 5).padEnd(3)} s`}: p50 ${fmt(quantile(ls, 0.5)).padStart(7)} ms  p99 ${fmt(quantile(ls, 0.99)).padStart(7)} ms  (${ls.length} deliveries)`;
      });
    const tlpMix = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED']
      .map((t) => `${t} ${measured.filter((a) => a.tlp === t).length}`)
      .join(', ');
    const filtered = subscribers.filter((s) => s.filter).length;
    const cpuModel = os.cpus()[0]?.model ?? 'unknown';
    const report = [
      `Portcullis alert stream benchmark (npm run bench:alerts), ${new Date().toISOString()}`,
      '',
      `Machine: ${os.cpus().length} x ${cpuModel}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB; Node ${process.version}; PostgreSQL ${pgVersion}; everything on loopback`,
      `Setup: 2 hub instances (src/main.ts, separate processes) on one database; ${AGENCIES.length} agencies (${AGENCIES.filter((a) => a.kind === 'PRIVATE_OPERATOR').length} private operators), ${AGREEMENTS.length} agreements`,
      `Subscribers: ${subscribers.length} graphql-transport-ws connections, ${perHub[0]} + ${perHub[1]} over the two instances, ${subscribers.length / AGENCIES.length} per agency;`,
      `  mixed roles and purposes; ${filtered} with a filter (ports, jurisdiction, categories or minSeverity)`,
      `Load: ${measured.length - warmupLive} measured alerts at ${RATE}/s for ${SECONDS} s, after ${WARMUP_SECONDS} s at the same rate with every subscriber connected (delivered and verified, not timed), over HTTP from ${PUBLISHERS.length} publishing agencies, alternating instances (after ${WARMUP_ALERTS} warm-up alerts),`,
      `  about ${new Set(measured.map((a) => a.vessel.imo)).size} different vessels`,
      `  TLP mix: ${tlpMix}; ${measured.filter((a) => a.recipients.length).length} with named recipients; ${measured.filter((a) => a.port.slice(0, 2) !== agencyByCode.get(a.owner)!.country).length} in another country's port`,
      `  expected deliveries (independent model, bench/alerts-model.ts): ${expectedTotal} = ${fmt(expectedTotal / measured.length)} eligible subscribers per alert`,
      `Latency: from just before the publishing mutation is sent to the arrival of the subscriber's message, same clock (wall time, sub-ms)`,
      `Memory: VmRSS of each hub process (/proc/<pid>/status, median of 7 samples over 2 s) before and after its connections subscribed, idle`,
      '',
      table,
      '',
      'Latency by 5-second window of publishing (sustained, not a burst):',
      ...windowLines,
      '',
      allGood ? 'Every delivery matched the independent access model: none missed, none unauthorized, no duplicates.' : 'FAULTS:',
      ...examples.map((e) => `  ${e}`),
      ...(clientProblems.length ? ['Client notes:', ...clientProblems.slice(0, 10).map((e) => `  ${e}`)] : []),
      '',
      `Settings: BENCH_SUBSCRIBERS=${SUBSCRIBERS} BENCH_RATE=${RATE} BENCH_SECONDS=${SECONDS} BENCH_WARMUP_SECONDS=${WARMUP_SECONDS} BENCH_SEED=${SEED}${CPU_PROF ? ' BENCH_CPU_PROF=1' : ''}; run took ${fmt((Date.now() - started) / 1000, 0)} s`,
    ].join('\n');
    console.log(report);
    const outFile = process.env.BENCH_OUT ?? path.join(resultsDir, `alerts-${new Date().toISOString().slice(0, 10)}.txt`);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, report + '\n');
    log(`written to ${path.relative(REPO, outFile)}`);
    for (const h of hubs) {
      const errs = fs
        .readFileSync(h.logFile, 'utf8')
        .split('\n')
        .filter((l) => /"level":(50|60)/.test(l));
      if (errs.length) log(`${h.logFile}: ${errs.length} error lines, e.g. ${errs[0].slice(0, 300)}`);
    }
    process.exitCode = allGood && p(0.99) < TARGET_P99_MS ? 0 : 1;
  } finally {
    await cleanup();
    if (CPU_PROF) log(`CPU profiles in ${path.relative(REPO, profDir)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
