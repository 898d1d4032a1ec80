/**
 * `npm run bench:rate-limit`: what the per-agency rate limit (src/server/rate-limit.ts) costs a
 * request, side by side on one database and one machine.
 *
 * Three hubs on the same PostgreSQL, identical but for how often the limiter goes to the database:
 *   - baseline:  a lease of 10,000 tokens, so no round trip during a round (the limiter's own
 *                bookkeeping only);
 *   - lease 1:   one take_rate_tokens round trip per request (the simple design);
 *   - lease 30:  the default lease (a hundredth of the default READ_RATE_LIMIT of 3,000).
 * Each bucket refills faster than requests arrive, so nothing is refused: only the cost is seen.
 * Rounds alternate between the hubs so drift of the machine spreads over all three. Two reads:
 * `{ me { subject } }` (no other SQL: the worst case) and a one-statement watchlist count.
 * Round trips are counted where they leave the hub (pg's Client.query).
 *
 * Options (environment): BENCH_SECONDS per round (default 4), BENCH_ROUNDS (3),
 * BENCH_CONCURRENCY (8), BENCH_OUT (default bench/results/rate-limit-<date>.txt).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { buildHubSchema, protectSchema } from '../src/api/schema';
import { createLogger } from '../src/common/logger';
import type { RateLimit } from '../src/config';
import { connectAndMigrate } from '../src/db/data-source';
import { PolicyStore } from '../src/request/policy-store';
import { startHub } from '../src/server/app';
import { openBenchDatabase } from './database';

const REPO = path.resolve(__dirname, '..');
const num = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};
const SECONDS = num('BENCH_SECONDS', 4);
const ROUNDS = num('BENCH_ROUNDS', 3);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);

const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

/** The limiter's round trips: every statement of the hubs goes through a pg Client. */
let trips = 0;
const clientQuery = Client.prototype.query;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  if ((typeof first === 'string' ? first : (first?.text ?? '')).includes('take_rate_tokens')) trips++;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof Client.prototype.query;

/** Reads per agency whose bucket never runs dry here, leased `lease` tokens at a time (a hundredth of max). */
const unrefused = (lease: number): RateLimit => ({ max: lease * 100, windowSeconds: 1e-4 });

const CONFIGS = [
  { name: 'baseline', lease: 10_000 },
  { name: 'lease 1', lease: 1 },
  { name: 'lease 30', lease: 30 },
];

const QUERIES = [
  { name: '{ me { subject } }', query: '{ me { subject } }' },
  { name: 'watchlists totalCount', query: '{ watchlists(first: 1) { totalCount } }' },
];

async function load(url: string, token: string, query: string): Promise<{ count: number; latencies: number[] }> {
  const body = JSON.stringify({ query });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const latencies: number[] = [];
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        const res = await fetch(url, { method: 'POST', headers, body });
        const json = (await res.json()) as { errors?: unknown[] };
        if (json.errors) throw new Error(`request failed: ${JSON.stringify(json.errors).slice(0, 300)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { count: latencies.length, latencies };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  const db = await openBenchDatabase();
  const cleanups: (() => Promise<unknown>)[] = [() => db.stop()];
  try {
    ensureDevKeys();
    const schema = await buildHubSchema();
    const policies = new PolicyStore(path.join(REPO, 'policies'), schema, 'portcullis');
    const hubs = [];
    for (const c of CONFIGS) {
      const ds = await connectAndMigrate(db.url, { poolSize: 10, statementTimeoutMs: 10_000 });
      const hub = await startHub({
        db: ds,
        databaseUrl: db.url,
        policies,
        schema: protectSchema(schema),
        log: createLogger('silent'),
        port: 0,
        host: '127.0.0.1',
        limits: { reads: unrefused(c.lease) },
      });
      cleanups.unshift(async () => {
        await hub.stop();
        await ds.destroy();
      });
      hubs.push({ ...c, url: hub.url });
    }
    const loadBefore = os.loadavg()[0];
    say(`Rate limit cost, ${new Date().toISOString()}`);
    say(
      `${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} before the run; ${db.describe}`,
    );
    say(`${CONCURRENCY} concurrent clients in the hubs' own process, ${ROUNDS} rounds of ${SECONDS} s per hub and query, alternating hubs`);
    say();
    // Each agency has its own bucket: one per hub, so no hub draws on another's tokens.
    const tokens = ['nl-customs', 'de-customs', 'be-customs'].map((agency) =>
      mintDevToken({ agency, roles: ['analyst'], ttlSeconds: 3600 }),
    );
    for (const q of QUERIES) {
      await Promise.all(hubs.map((h, i) => load(h.url, tokens[i], q.query))); // warm-up
      const results = hubs.map(() => ({ count: 0, latencies: [] as number[], trips: 0 }));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, h] of hubs.entries()) {
          const before = trips;
          const r = await load(h.url, tokens[i], q.query);
          results[i].trips += trips - before;
          results[i].count += r.count;
          results[i].latencies.push(...r.latencies);
        }
      }
      say(`${q.name}`);
      say('| hub | requests/s | vs baseline | p50 ms | p99 ms | limiter round trips per request |');
      say('|---|---|---|---|---|---|');
      const base = results[0].count;
      for (const [i, h] of hubs.entries()) {
        const r = results[i];
        say(
          `| ${h.name} | ${(r.count / (ROUNDS * SECONDS)).toFixed(0)} | ${(r.count / base).toFixed(3)} | ${pct(r.latencies, 50).toFixed(2)} | ${pct(r.latencies, 99).toFixed(2)} | ${(r.trips / r.count).toFixed(3)} |`,
        );
      }
      say();
    }
    say(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} after the run`,
    );
    if (loadBefore > os.cpus().length / 2) {
      say(
        `DISTURBED: other work kept the machine busy (load ${loadBefore.toFixed(1)} on ${os.cpus().length} cores): the round trips are exact, the ratios rough`,
      );
    }
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
  const out = process.env.BENCH_OUT ?? path.join(REPO, 'bench', 'results', `rate-limit-${new Date().toISOString().slice(0, 10)}.txt`);
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`written to ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
