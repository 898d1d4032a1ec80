/**
 * `npm run bench:audit`: what recording every read of another agency's record on the audit trail
 * costs (issue 13 item 1, issue 15 item 4), side by side in one run.
 *
 * Two hubs in this process on the same PostgreSQL and data, identical but for the benchmark-only
 * switch `benchmark.auditReadsOff` (refused outside NODE_ENV=benchmark, which the npm script sets):
 *   - on:  every partner read is noted per record and queued for the audit inbox (the hub as deployed);
 *   - off: nothing is noted or written.
 * The data: the demo, plus 200 AMBER entries of Dutch Customs in NL, which Belgian Customs
 * (purpose CUSTOMS) reads through the agreement nl-customs--be-customs-narcotics. Three requests
 * as Belgian Customs: `watchlistEntries(first: 50)` with vessel, owner and access; the same with
 * `source` (a sensitive field the agreement releases, so also readSensitiveFields); and
 * `screenVessel(imo:)` with one hit. The load comes from autocannon in its own process; rounds
 * alternate between the hubs (on, off, then off, on) so drift of the machine spreads over both.
 * After the run the hubs stop (writing what they queued) and the audit records are counted, so
 * the "on" figures are known to include every read recorded.
 *
 * Options (environment): BENCH_SECONDS per round (default 5), BENCH_ROUNDS (3), BENCH_CONCURRENCY
 * (8), BENCH_OUT (default bench/results/audit-<date>.txt).
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { buildHubSchema, protectSchema } from '../src/api/schema';
import { createLogger } from '../src/common/logger';
import { connectAndMigrate } from '../src/db/data-source';
import { seedDemoData } from '../src/demo/seed';
import { PolicyStore } from '../src/request/policy-store';
import { startHub } from '../src/server/app';
import { openBenchDatabase } from './database';

const REPO = path.resolve(__dirname, '..');
/** autocannon's command-line program, run in a process of its own. */
const AUTOCANNON = require.resolve('autocannon/autocannon.js');
const num = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number`);
  return n;
};
const SECONDS = num('BENCH_SECONDS', 5);
const ROUNDS = num('BENCH_ROUNDS', 3);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const ENTRIES = 200;
/** Auditing may cost at most this share of throughput (issue 13 item 1). */
const TARGET_RATIO = 0.9;

const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

/** A valid IMO number from six digits (the seventh is the check digit). */
const imoOf = (n: number) => {
  const six = String(n).padStart(6, '0');
  const check = [...six].reduce((sum, d, i) => sum + Number(d) * (7 - i), 0) % 10;
  return `${six}${check}`;
};
const BENCH_IMO = (i: number) => imoOf(810_000 + i);

/** The list of Dutch Customs' bench watchlist (so every row comes through the agreement). */
const LIST = (watchlistId: string, extra: string) =>
  `{ watchlistEntries(first: 50, filter: { watchlistId: "${watchlistId}" }) { edges { node { id reason ${extra} vessel { imo name flag } ownerAgency { code } access { basis agreementId } } } } }`;
const scenarios = (watchlistId: string) => [
  { name: 'list of 50 (agreement partner)', query: LIST(watchlistId, '') },
  { name: 'list of 50 with source (audited field)', query: LIST(watchlistId, 'source') },
  {
    name: 'screenVessel(imo:), one hit',
    query: `{ screenVessel(imo: "${BENCH_IMO(7)}") { totalHits hits { score matchedOn entry { id reason ownerAgency { code } access { basis } } } } }`,
  },
];

interface Run {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
}

/** autocannon in its own process against `url`; its JSON summary. */
function cannon(url: string, token: string, query: string, seconds: number): Promise<Run> {
  const args = [
    AUTOCANNON,
    '-c',
    String(CONCURRENCY),
    '-d',
    String(seconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-H',
    `authorization=Bearer ${token}`,
    '-b',
    JSON.stringify({ query }),
    '-j',
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.slice(0, 500)}`));
      const r = JSON.parse(out);
      resolve({
        requests: r.requests.total,
        seconds: r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        failed: (r.non2xx ?? 0) + (r.errors ?? 0) + (r.timeouts ?? 0),
      });
    });
  });
}

async function gql(url: string, token: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, { id: string }>; errors?: { message: string }[] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const db = await openBenchDatabase();
  const cleanups: (() => Promise<unknown>)[] = [() => db.stop()];
  try {
    ensureDevKeys();
    const schema = await buildHubSchema();
    const policies = new PolicyStore(path.join(REPO, 'policies'), schema, 'portcullis');
    const hubs: { name: 'on' | 'off'; url: string; stop: () => Promise<void> }[] = [];
    for (const name of ['on', 'off'] as const) {
      const ds = await connectAndMigrate(db.url, { poolSize: 10, statementTimeoutMs: 10_000 });
      if (name === 'on') await seedDemoData(ds, policies.current.policy);
      const hub = await startHub({
        db: ds,
        databaseUrl: db.url,
        policies,
        schema: protectSchema(schema),
        log: createLogger('warn'),
        port: 0,
        host: '127.0.0.1',
        limits: { reads: { max: 1_000_000, windowSeconds: 1 }, screeningQueue: 1_000 },
        benchmark: name === 'off' ? { auditReadsOff: true } : undefined,
      });
      let stopped: Promise<void> | undefined;
      const stop = () =>
        (stopped ??= (async () => {
          await hub.stop();
          await ds.destroy();
        })());
      cleanups.unshift(stop);
      hubs.push({ name, url: hub.url, stop });
    }
    const [on] = hubs;

    // 200 AMBER entries of Dutch Customs in NL, through the API.
    const nl = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], ttlSeconds: 3600 });
    const created = await gql(
      on.url,
      nl,
      'mutation { createWatchlist(input: { name: "Bench list", tlp: AMBER, jurisdiction: "NL" }) { id } }',
    );
    const watchlistId = created.data!.createWatchlist.id;
    for (let i = 0; i < ENTRIES; i++) {
      const added = await gql(on.url, nl, 'mutation($input: AddWatchlistEntryInput!) { addWatchlistEntry(input: $input) { id } }', {
        input: {
          watchlistId,
          vessel: { imo: BENCH_IMO(i), name: `BENCH VESSEL ${i}` },
          category: 'SMUGGLING',
          riskLevel: 'HIGH',
          reason: 'Bench entry',
          source: 'Bench source',
        },
      });
      if (added.errors) throw new Error(`addWatchlistEntry: ${JSON.stringify(added.errors)}`);
    }

    const tokenOf = (subject: string) =>
      mintDevToken({ agency: 'be-customs', roles: ['analyst'], purpose: 'CUSTOMS', subject, ttlSeconds: 3600 });
    const SCENARIOS = scenarios(watchlistId);
    for (const s of SCENARIOS) {
      const res = await gql(on.url, tokenOf('bench-check'), s.query);
      if (res.errors) throw new Error(`${s.name}: ${JSON.stringify(res.errors).slice(0, 300)}`);
    }

    const loadBefore = os.loadavg();
    say(`Audit of reads: cost side by side, ${new Date().toISOString()}`);
    say(`${os.cpus().length} cores, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before the run; ${db.describe}`);
    say(
      `both hubs in one process; autocannon in its own, ${CONCURRENCY} connections, ${ROUNDS} rounds of ${SECONDS} s per hub and request, alternating`,
    );
    say(`caller: be-customs, analyst, purpose CUSTOMS; ${ENTRIES} Dutch Customs entries (AMBER, NL) besides the demo data`);
    say();
    say('| request | audit | requests/s | p50 ms | p99 ms | on/off throughput | target (>= 0.90) |');
    say('|---|---|---|---|---|---|---|');
    const summary: { scenario: string; ratio: number }[] = [];
    /** Requests sent to the "on" hub per scenario during the rounds. */
    const sentOn: number[] = [];
    for (const [si, s] of SCENARIOS.entries()) {
      const runs: Record<'on' | 'off', Run[]> = { on: [], off: [] };
      // Warm-up, not counted (and under a subject of its own).
      for (const h of hubs) await cannon(h.url, tokenOf('bench-warmup'), s.query, Math.min(2, SECONDS));
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? hubs : [...hubs].reverse();
        for (const h of order) runs[h.name].push(await cannon(h.url, tokenOf(`bench-${h.name}-${si}`), s.query, SECONDS));
      }
      const rate = (rs: Run[]) => rs.reduce((n, r) => n + r.requests, 0) / rs.reduce((n, r) => n + r.seconds, 0);
      const ratio = rate(runs.on) / rate(runs.off);
      summary.push({ scenario: s.name, ratio });
      for (const name of ['on', 'off'] as const) {
        const rs = runs[name];
        const failed = rs.reduce((n, r) => n + r.failed, 0);
        say(
          `| ${s.name} | ${name} | ${rate(rs).toFixed(0)}${failed ? ` (${failed} failed)` : ''} | ${median(rs.map((r) => r.p50)).toFixed(1)} | ${median(
            rs.map((r) => r.p99),
          ).toFixed(1)} | ${name === 'on' ? ratio.toFixed(3) : ''} | ${name === 'on' ? (ratio >= TARGET_RATIO ? 'met' : 'MISSED') : ''} |`,
        );
      }
      sentOn[si] = runs.on.reduce((n, r) => n + r.requests, 0);
    }
    say();
    say(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} after the run`,
    );

    // Stopping writes what each hub still queued; then every read of the "on" hub is on record.
    for (const h of hubs) await h.stop();
    const counter = await connectAndMigrate(db.url, { poolSize: 1 });
    try {
      say();
      say('What the "on" hub recorded (inbox and chain), per request sent during the rounds:');
      say('(requests still in flight when a round ends are recorded but not counted by autocannon: slightly above 1 per request)');
      for (const [si, s] of SCENARIOS.entries()) {
        const [on, off] = await Promise.all(
          ['on', 'off'].map(async (name) => {
            const [r] = await counter.query(
              `SELECT count(*)::int AS records, coalesce(sum(cardinality(record_ids)), 0)::int AS ids,
                      coalesce(array_agg(DISTINCT operation), '{}') AS operations
               FROM (SELECT operation, record_ids FROM audit_events WHERE subject = $1
                     UNION ALL SELECT operation, record_ids FROM audit_inbox WHERE subject = $1) AS a`,
              [`bench-${name}-${si}`],
            );
            return r as { records: number; ids: number; operations: string[] };
          }),
        );
        const sent = sentOn[si];
        say(
          `  ${s.name}: ${(on.records / sent).toFixed(2)} audit records and ${(on.ids / sent).toFixed(1)} record ids per request (${on.operations.join(', ')}); the "off" hub: ${off.records} records`,
        );
      }
    } finally {
      await counter.destroy();
    }
    say();
    const missed = summary.filter((x) => x.ratio < TARGET_RATIO);
    say(
      missed.length === 0
        ? `Target met: auditing costs at most ${Math.round((1 - TARGET_RATIO) * 100)}% of throughput on every request measured.`
        : `Target MISSED on: ${missed.map((m) => `${m.scenario} (on/off ${m.ratio.toFixed(3)}, ${((1 - m.ratio) * 100).toFixed(1)}% of throughput)`).join('; ')}.`,
    );
    if (loadBefore[0] > os.cpus().length / 2) {
      say(`DISTURBED: other work kept the machine busy (load ${loadBefore[0].toFixed(1)} on ${os.cpus().length} cores): ratios are rough`);
    }
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
  const out = process.env.BENCH_OUT ?? path.join(REPO, 'bench', 'results', `audit-${new Date().toISOString().slice(0, 10)}.txt`);
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`written to ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
