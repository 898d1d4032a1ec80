/**
 * `npm run fault:db`: stops and restarts the hub's PostgreSQL under load, and prints what it
 * checked (issue 12, items 5 and 10).
 *
 * A hub on an embedded PostgreSQL of its own (bench/own-hub.ts, loopback only), 20 live
 * subscribers over graphql-ws, writers adding watchlist entries with an idempotencyKey each and
 * readers listing watchlists. After a few seconds of load an alert is published and the database
 * is stopped at once (the subscribers may not have it yet); it stays down for OUTAGE_SECONDS, is
 * started again on the same data directory and port, and the load goes on a while. Checked:
 *   - during the outage every answer came within 5 s, as 503 with Retry-After and code
 *     SERVICE_UNAVAILABLE, and /readyz said 503;
 *   - recovery: the time from the restart to /readyz 200 and to the first acknowledged write;
 *   - every acknowledged write is in the database, once, and every failed one succeeds when
 *     retried with its key (then also once);
 *   - every subscriber, still connected, received the alert of just before the outage and one
 *     published after;
 *   - the hub logged the outage twice (down, up), not once per failure.
 * Loops are bounded in count and time. Exit status 1 when a check failed.
 *
 * Options (environment): FAULT_OUTAGE_SECONDS (8), FAULT_OUT (default bench/results/fault-db-<date>.txt).
 */
import path from 'node:path';
import { mintDevToken } from '../src/auth/dev-token';
import { gql, LiveSubscriber, machine, pct, runDrill, sleep, startOwnHub, writeReport, type GqlAnswer } from './own-hub';

const REPO = path.resolve(__dirname, '..');
const OUTAGE_SECONDS = Number(process.env.FAULT_OUTAGE_SECONDS ?? 8);
const SUBSCRIBERS = 20;
const WRITERS = 4;
const READERS = 2;
const MAX_REQUESTS_PER_LOOP = 5_000;

const ADD_ENTRY = `mutation($input: AddWatchlistEntryInput!, $key: String) { addWatchlistEntry(input: $input, idempotencyKey: $key) { id } }`;
const PUBLISH = `mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id } }`;
const READ = `{ watchlists(first: 5) { totalCount edges { node { id name } } } }`;

const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

const alert = (title: string) => ({
  vessel: { imo: '9074729', name: 'OCEAN STAR' },
  category: 'DRUG_TRAFFICKING',
  severity: 'HIGH',
  title,
  description: 'fault drill',
  port: 'NLRTM',
  tlp: 'AMBER',
});

type Phase = 'before' | 'outage' | 'after';

async function main(): Promise<boolean> {
  const started = new Date();
  say(`Database fault drill, ${started.toISOString()}`);
  say(machine());
  const hub = await startOwnHub();
  const checks: { ok: boolean; what: string }[] = [];
  const check = (ok: boolean, what: string) => {
    checks.push({ ok, what });
    say(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  };
  try {
    const token = mintDevToken({ agency: 'nl-customs', roles: ['analyst'] });
    const created = await gql(
      hub.url,
      token,
      `mutation { createWatchlist(input: { name: "fault drill", tlp: AMBER, jurisdiction: "NL" }) { id } }`,
    );
    const watchlistId = created.data?.createWatchlist?.id as string;
    if (!watchlistId) throw new Error(`could not create the watchlist: ${JSON.stringify(created.errors)}`);
    const subscribers = Array.from({ length: SUBSCRIBERS }, () => new LiveSubscriber(hub.url, token));
    await sleep(1_000);

    let phase: Phase = 'before';
    let stop = false;
    const answers: { phase: Phase; kind: 'write' | 'read'; a: GqlAnswer }[] = [];
    const acknowledged = new Map<string, string>();
    const failed = new Set<string>();
    let firstAckAfterRestart: number | undefined;
    const writer = async (w: number) => {
      for (let i = 0; i < MAX_REQUESTS_PER_LOOP && !stop; i++) {
        const key = `fault-${w}-${i}`;
        const a = await gql(hub.url, token, ADD_ENTRY, {
          input: { watchlistId, vessel: { imo: '9074729', name: 'OCEAN STAR' }, category: 'SMUGGLING', riskLevel: 'HIGH', reason: key },
          key,
        });
        answers.push({ phase, kind: 'write', a });
        if (a.data?.addWatchlistEntry) {
          acknowledged.set(key, a.data.addWatchlistEntry.id);
          if (phase === 'after') firstAckAfterRestart ??= Date.now();
        } else failed.add(key);
        await sleep(50);
      }
    };
    const reader = async () => {
      for (let i = 0; i < MAX_REQUESTS_PER_LOOP && !stop; i++) {
        answers.push({ phase, kind: 'read', a: await gql(hub.url, token, READ) });
        await sleep(50);
      }
    };
    const loops = [...Array.from({ length: WRITERS }, (_, w) => writer(w)), ...Array.from({ length: READERS }, () => reader())];
    await sleep(3_000);

    const before = await gql(hub.url, token, PUBLISH, { input: alert('fault drill: just before the outage') });
    if (!before.data?.publishAlert) throw new Error(`publishing before the outage failed: ${JSON.stringify(before.errors)}`);
    const linesBefore = hub.logLines.length;
    await hub.stopDatabase();
    phase = 'outage';
    const downAt = Date.now();
    say(`database stopped under load; down for ${OUTAGE_SECONDS} s`);
    const readyz: number[] = [];
    const readyzMs: number[] = [];
    while (Date.now() - downAt < OUTAGE_SECONDS * 1000) {
      const t = performance.now();
      readyz.push(
        await fetch(hub.readyzUrl).then(
          (r) => r.status,
          () => 0,
        ),
      );
      readyzMs.push(performance.now() - t);
      await sleep(500);
    }
    await hub.startDatabase();
    phase = 'after';
    const restartedAt = Date.now();
    let readyAt: number | undefined;
    for (let i = 0; i < 600 && readyAt === undefined; i++) {
      if (
        (await fetch(hub.readyzUrl).then(
          (r) => r.status,
          () => 0,
        )) === 200
      )
        readyAt = Date.now();
      else await sleep(100);
    }
    await sleep(5_000);
    stop = true;
    await Promise.all(loops);

    const after = await gql(hub.url, token, PUBLISH, { input: alert('fault drill: after the outage') });
    const afterOk = Boolean(after.data?.publishAlert);
    for (let i = 0; i < 200 && !subscribers.every((s) => s.titles.includes('fault drill: after the outage')); i++) await sleep(100);

    // Answers during the outage.
    const during = answers.filter((x) => x.phase === 'outage');
    const duringMs = during.map((x) => x.a.ms);
    say('');
    say(
      `requests: ${answers.length} (${answers.filter((x) => x.phase === 'before').length} before, ${during.length} during, ${answers.filter((x) => x.phase === 'after').length} after the restart)`,
    );
    say(
      `during the outage: p50 ${pct(duringMs, 50).toFixed(1)} ms, p99 ${pct(duringMs, 99).toFixed(1)} ms, max ${Math.max(...duringMs).toFixed(1)} ms`,
    );
    const statuses = new Map<string, number>();
    for (const x of during) {
      const k = `${x.a.status} ${x.a.errors?.[0]?.extensions?.code ?? 'ok'}`;
      statuses.set(k, (statuses.get(k) ?? 0) + 1);
    }
    say(`answers during the outage: ${[...statuses].map(([k, n]) => `${n} x ${k}`).join(', ')}`);
    // A request under way at the moment of the stop may still have succeeded; every other is refused as unavailable.
    const refused = during.filter((x) => !x.a.data || Object.values(x.a.data).some((v) => v === null));
    check(during.length > 0, 'requests were made during the outage');
    check(Math.max(...duringMs) < 5_000, 'every request during the outage was answered within 5 s');
    check(
      refused.every(
        (x) => x.a.status === 503 && x.a.retryAfter === '5' && x.a.errors?.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE'),
      ),
      'every refusal during the outage was 503, Retry-After: 5, SERVICE_UNAVAILABLE',
    );
    check(
      !during.some((x) => /ECONN|terminat|postgres|127\.0\.0\.1/i.test(JSON.stringify(x.a.errors ?? []))),
      'no refusal carried a database message',
    );
    check(
      readyz.length > 0 && readyz.every((s) => s === 503),
      `/readyz answered 503 throughout (${readyz.length} probes, max ${Math.max(...readyzMs).toFixed(0)} ms)`,
    );

    // Recovery.
    say('');
    say(
      `recovery: /readyz 200 ${readyAt === undefined ? 'never' : `${((readyAt - restartedAt) / 1000).toFixed(1)} s`} after the restart; first acknowledged write ${firstAckAfterRestart === undefined ? 'never' : `${((firstAckAfterRestart - restartedAt) / 1000).toFixed(1)} s`} after it`,
    );
    check(readyAt !== undefined && readyAt - restartedAt < 40_000, 'ready again within 40 s of the restart, without restarting the hub');
    check(firstAckAfterRestart !== undefined, 'writes are acknowledged again after the restart');

    // Writes.
    let retriedOk = 0;
    const retryRefusals = new Map<string, number>();
    for (const key of failed) {
      const a = await gql(hub.url, token, ADD_ENTRY, {
        input: { watchlistId, vessel: { imo: '9074729', name: 'OCEAN STAR' }, category: 'SMUGGLING', riskLevel: 'HIGH', reason: key },
        key,
      });
      if (a.data?.addWatchlistEntry) retriedOk++;
      else {
        const code = `${a.status} ${a.errors?.[0]?.extensions?.code}`;
        retryRefusals.set(code, (retryRefusals.get(code) ?? 0) + 1);
      }
    }
    const listed = new Map<string, number>();
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const a = await gql(
        hub.url,
        token,
        `query($id: ID!, $after: String) { node(id: $id) { ... on Watchlist { entries(first: 100, after: $after) { edges { cursor node { id reason } } pageInfo { hasNextPage } } } } }`,
        { id: watchlistId, after: cursor },
      );
      const conn = a.data?.node?.entries;
      if (!conn) throw new Error(`could not list the entries: ${JSON.stringify(a.errors)}`);
      for (const e of conn.edges) listed.set(e.node.reason, (listed.get(e.node.reason) ?? 0) + 1);
      if (!conn.pageInfo.hasNextPage) break;
      cursor = conn.edges.at(-1).cursor;
    }
    say('');
    say(
      `writes: ${acknowledged.size} acknowledged, ${failed.size} refused (all retried with their key: ${retriedOk} succeeded${
        retryRefusals.size ? `; refused again: ${[...retryRefusals].map(([k, n]) => `${n} x ${k}`).join(', ')}` : ''
      })`,
    );
    check(
      [...acknowledged.keys()].every((k) => listed.get(k) === 1),
      'every acknowledged write is there, once',
    );
    check(
      retriedOk === failed.size && [...failed].every((k) => listed.get(k) === 1),
      'every refused write succeeded on retry with its key, and is there once',
    );
    check(listed.size === acknowledged.size + failed.size, `no other entries (${listed.size} listed)`);

    // Subscribers.
    say('');
    const gotBefore = subscribers.filter((s) => s.titles.includes('fault drill: just before the outage')).length;
    const gotAfter = subscribers.filter((s) => s.titles.includes('fault drill: after the outage')).length;
    say(
      `subscribers: ${SUBSCRIBERS}; received the alert of just before the outage: ${gotBefore}; the one after: ${gotAfter}; closed: ${subscribers.filter((s) => s.closed).length}; error payloads: ${subscribers.reduce((n, s) => n + s.errors, 0)}`,
    );
    check(afterOk, 'an alert is published after the restart');
    check(gotBefore === SUBSCRIBERS && gotAfter === SUBSCRIBERS, 'every subscriber caught up: both alerts received');
    check(
      subscribers.every((s) => !s.closed),
      'no subscriber was disconnected',
    );
    for (const s of subscribers) await s.close();

    // The log.
    // From the stop on (the start-up lines are not the drill's).
    const down = hub.logLines.filter((l) => l.msg === 'database unreachable').length;
    const up = hub.logLines.filter((l) => l.msg === 'database reachable again').length;
    const noisyLines = hub.logLines
      .slice(linesBefore)
      .filter((l) => Number(l.level) >= 40 && l.msg !== 'database unreachable' && l.msg !== 'request');
    const noisy = noisyLines.length;
    say('');
    say(`log: ${down} x "database unreachable", ${up} x "database reachable again", ${noisy} other warnings or errors`);
    for (const l of noisyLines.slice(0, 10))
      say(`  ${JSON.stringify({ level: l.level, msg: l.msg, err: (l.err as { message?: string } | undefined)?.message })}`);
    check(down === 1 && up === 1 && noisy === 0, 'the outage was logged once down and once up, nothing per failure');
  } finally {
    await hub.close();
  }
  const out = process.env.FAULT_OUT ?? path.join(REPO, 'bench', 'results', `fault-db-${started.toISOString().slice(0, 10)}.txt`);
  const failed = checks.filter((c) => !c.ok).length;
  return writeReport(say, lines, failed, { passed: 'ALL CHECKS PASSED', failed: 'CHECK(S) FAILED' }, out);
}

runDrill(main);
