/**
 * `npm run bench:ais [-- --vessels 20000 --seconds 10 --rates 2000,5000,8000,0]`: a synthetic AIS
 * feed (sentences made with src/ais/encode.ts, our own encoder) of 20,000 vessels, 1 % of them on a
 * watchlist, replayed over TCP into a hub's AIS listener at rising rates (0: as fast as it takes).
 * Each listed vessel is placed so that it enters a port's approach zone during the step; a graphql-ws
 * subscriber of the owning agency times each approach alert from the write of the sentence that
 * entered the zone. Prints, per step: sentences sent and decoded per second, the process's CPU
 * seconds per sentence (sentences per second per core), the approach-alert latency (p50, p99,
 * max), and the heap after a full GC (memory flat?). Before that, decode and evaluation alone, in
 * process, without sockets. Targets (issue 16): >= 5,000 sentences/s/core, approach p99 < 2 s.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { AisService } from '../src/ais/ais-service';
import { positionPayload, sentences, staticPayload } from '../src/ais/encode';
import { loadPorts, PortZones } from '../src/ais/ports';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { buildHubSchema, protectSchema } from '../src/api/schema';
import { createLogger } from '../src/common/logger';
import { connectAndMigrate } from '../src/db/data-source';
import { toGlobalId } from '../src/graphql/ids';
import { createContext } from '../src/request/context';
import { PolicyStore } from '../src/request/policy-store';
import { startHub } from '../src/server/app';
import { addEntry, createWatchlist } from '../src/watchlist/watchlist.service';
import { openBenchDatabase } from './database';

const { values: args } = parseArgs({
  options: {
    vessels: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '10' },
    rates: { type: 'string', default: '2000,5000,8000,0' },
  },
});
const VESSELS = Number(args.vessels);
const LISTED = Math.max(1, Math.round(VESSELS / 100));
const SECONDS = Number(args.seconds);
const RATES = args.rates.split(',').map(Number);
const REPO = path.resolve(__dirname, '..');
const HOUR = 3600_000;

const listedMmsi = (i: number) => String(273_000_000 + i);
const imoWithCheckDigit = (six: number) => {
  const d = String(six).padStart(6, '0').split('').map(Number);
  return `${d.join('')}${d.reduce((s, x, i) => s + x * (7 - i), 0) % 10}`;
};

const zones = new PortZones(loadPorts(), 20);

/** Where listed vessel i crosses into an approach zone going east along its latitude. */
function entryLon(lat: number): number {
  for (let lon = 2.5; lon < 5; lon += 0.002) if (zones.zonesAt({ lat, lon }).length > 0) return lon;
  throw new Error(`no zone east of 2.5 at latitude ${lat}`);
}
const listedLat = (i: number) => 51.9 + (i % 40) * 0.005;
const entries = new Map<number, number>();

/**
 * One step's lines: round 0 puts every listed vessel far out (closing the visit of the step
 * before) three hours earlier; round 1 just outside a zone; round 2 just inside. Each round is a
 * minute of recorded time, so no listed vessel moves faster than a ship can.
 */
function stepLines(step: number, rounds: number): { lines: string[]; entering: Map<number, string> } {
  const base = Date.parse('2026-11-29T00:00:00Z') + step * 11 * HOUR;
  const lines: string[] = [];
  const entering = new Map<number, string>();
  for (let r = 0; r < rounds; r++) {
    const at = new Date(r === 0 ? base - 3 * HOUR : base + r * 60_000);
    for (let v = 0; v < VESSELS; v++) {
      if (v < LISTED) {
        const lat = listedLat(v);
        const edge = entries.get(v) ?? entries.set(v, entryLon(lat)).get(v)!;
        const lon = r === 0 ? 2.4 : edge + (r === 1 ? -0.01 : 0.01 + (r - 2) * 0.01);
        if (r === 2) entering.set(lines.length, listedMmsi(v));
        lines.push(...sentences(positionPayload({ mmsi: listedMmsi(v), lat, lon, sog: 11, cog: 90 }), { at }));
      } else if (v % 10 === 0 && r === 1) {
        lines.push(
          ...sentences(staticPayload({ mmsi: 230_000_000 + v, name: `BENCH ${v}`, shipType: 70, destination: 'AT SEA' }), {
            at,
            sequenceId: v % 10,
          }),
        );
      } else {
        // Spread over the open Atlantic and Norwegian Sea: far from the listed vessels' ports.
        const lat = 45 + ((v * 7919) % 1500) / 100;
        const lon = -30 + ((v * 104729) % 2000) / 100 + step * 0.01 + r * 0.002;
        lines.push(...sentences(positionPayload({ mmsi: 230_000_000 + v, lat, lon, sog: 8, cog: 45 }), { at, channel: 'B' }));
      }
    }
  }
  return { lines, entering };
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const gcHeapMb = () => {
  (global as unknown as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
};

async function main() {
  ensureDevKeys();
  const database = await openBenchDatabase();
  const out: string[] = [];
  const say = (line: string) => {
    console.log(line);
    out.push(line);
  };
  const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-bench-ais-'));
  fs.cpSync(path.join(REPO, 'policies'), policiesDir, { recursive: true });
  fs.writeFileSync(
    path.join(policiesDir, 'issuers.yaml'),
    fs
      .readFileSync(path.join(policiesDir, 'issuers.yaml'), 'utf8')
      .replace('../.keys/dev-issuer.pub.pem', path.join(REPO, '.keys/dev-issuer.pub.pem')),
  );
  fs.writeFileSync(
    path.join(policiesDir, 'ais.yaml'),
    'feeds:\n  - { id: bench, agency: nl-coastguard, tlp: GREEN, listen: { tcp: 0 } }\n',
  );
  const db = await connectAndMigrate(database.url, { poolSize: 10, statementTimeoutMs: 10_000 });
  const schema = await buildHubSchema();
  const policies = new PolicyStore(policiesDir, schema, 'portcullis');
  const policy = policies.current.policy;
  const owner = createContext(
    db,
    policy,
    { subject: 'bench', agency: policy.agencies.get('nl-customs')!, roles: ['analyst'], issuer: 'bench', expiresAt: 0 },
    'bench',
  );
  const list = await createWatchlist(owner, { name: 'bench list', tlp: 'AMBER', jurisdiction: 'NL' });
  for (let i = 0; i < LISTED; i++) {
    await addEntry(owner, {
      watchlistId: toGlobalId('Watchlist', list.id),
      vessel: { imo: imoWithCheckDigit(100_000 + i), mmsi: listedMmsi(i), name: `LISTED ${i}` },
      category: 'SANCTIONS_EVASION',
      riskLevel: 'HIGH',
      reason: 'bench',
    });
  }
  say(
    `bench:ais ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0].model}), node ${process.version}; ${database.describe}`,
  );
  say(
    `${VESSELS} vessels, ${LISTED} listed (nl-customs, AMBER); steps of about ${SECONDS} s at ${RATES.map((r) => r || 'max').join(', ')} sentences/s`,
  );

  // 1. Decode and evaluate alone, in this process: what one core does per second.
  const quiet = createLogger('silent');
  const cpuOnly = new AisService(db, { current: { policy }, onReload: () => () => undefined }, quiet, {
    retentionDays: 90,
    maxVessels: 200_000,
  });
  const warm = stepLines(0, 2).lines;
  for (const line of warm) cpuOnly.accept('bench', line);
  const sample = stepLines(1, 3).lines;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const line of sample) cpuOnly.accept('bench', line);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  say(
    `\ndecode + evaluate in process (no sockets, no database): ${sample.length} sentences in ${wallS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU`,
  );
  say(`  ${Math.round(sample.length / cpuS)} sentences per CPU-second (per core)   target >= 5000`);

  // 2. Over TCP into a hub, alerts to a live subscriber.
  const hub = await startHub({
    db,
    databaseUrl: database.url,
    policies,
    schema: protectSchema(schema),
    log: quiet,
    port: 0,
    host: '127.0.0.1',
  });
  const received = new Map<string, number>();
  const client = createClient({
    url: hub.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${mintDevToken({ agency: 'nl-customs', roles: ['analyst'] })}` },
  });
  client.subscribe<{
    vesselAlerts: { kind: string; alert: { vesselAsGiven: { mmsi: string }; detection: { rule: string } | null } | null };
  }>(
    { query: 'subscription { vesselAlerts { kind alert { vesselAsGiven { mmsi } detection { rule } } } }' },
    {
      next: ({ data }) => {
        const e = data?.vesselAlerts;
        if (e?.kind === 'PUBLISHED' && e.alert?.detection?.rule === 'WATCHLIST_APPROACH')
          received.set(e.alert.vesselAsGiven.mmsi, performance.now());
      },
      error: (e) => console.error('subscription failed', e),
      complete: () => undefined,
    },
  );
  await new Promise((r) => setTimeout(r, 500));
  const port = hub.aisPort('bench')!;
  say(
    '\nrate (s/s) | sent/s | wall s | CPU s/1000 sentences | sentences/CPU-s | approach alerts | p50 ms | p99 ms | max ms | heap MB after GC',
  );
  for (const [i, rate] of RATES.entries()) {
    const rounds = Math.max(3, Math.ceil(((rate || 20_000) * SECONDS) / VESSELS));
    const { lines, entering } = stepLines(i + 2, rounds);
    received.clear();
    const sentAt = new Map<string, number>();
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise((r) => socket.once('connect', r));
    const c0 = process.cpuUsage();
    const start = performance.now();
    for (let n = 0; n < lines.length; n++) {
      if (rate && n % 100 === 0) {
        const due = start + (n * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      if (!socket.write(lines[n] + '\n')) await new Promise((r) => socket.once('drain', r));
      const mmsi = entering.get(n);
      if (mmsi) sentAt.set(mmsi, performance.now());
    }
    await new Promise<void>((r) => socket.end(r));
    const deadline = performance.now() + 30_000;
    while (received.size < entering.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const wall = (performance.now() - start) / 1000;
    const used = process.cpuUsage(c0);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const latencies = [...sentAt].filter(([m]) => received.has(m)).map(([m, t]) => received.get(m)! - t);
    say(
      [
        String(rate || 'max').padStart(10),
        String(Math.round(lines.length / wall)).padStart(6),
        wall.toFixed(1).padStart(6),
        ((cpuSeconds / lines.length) * 1000).toFixed(3).padStart(20),
        String(Math.round(lines.length / cpuSeconds)).padStart(15),
        `${received.size}/${entering.size}`.padStart(15),
        percentile(latencies, 50).toFixed(0).padStart(6),
        percentile(latencies, 99).toFixed(0).padStart(6),
        Math.max(...latencies)
          .toFixed(0)
          .padStart(6),
        String(gcHeapMb()).padStart(17),
      ].join(' | '),
    );
  }
  const counts = (await (await fetch(hub.metricsUrl)).text()).split('\n').filter((l) => l.startsWith('portcullis_ais_detections_total{'));
  say(`\ndetections: ${counts.map((l) => l.replace('portcullis_ais_detections_total', '')).join(', ')}`);
  say('CPU figures are the whole process (hub, PostgreSQL client, subscriber and this sender): the hub alone uses less.');
  await client.dispose();
  await cpuOnly.stop();
  await hub.stop();
  await db.destroy();
  await database.stop();
  fs.mkdirSync(path.join(REPO, 'bench/results'), { recursive: true });
  const file = path.join(REPO, `bench/results/ais-${new Date().toISOString().slice(0, 10)}.txt`);
  fs.writeFileSync(file, out.join('\n') + '\n');
  console.log(`\nwritten to ${path.relative(REPO, file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
