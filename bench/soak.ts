/**
 * `npm run soak -- --minutes 5`: a hub under steady mixed load, to see that it neither fails nor
 * grows (issue 12, item 10).
 *
 * A hub on an embedded PostgreSQL of its own (bench/own-hub.ts, loopback only), 200 live
 * subscribers over graphql-ws (three agencies), and requests at a fixed rate, sent whether or
 * not earlier ones have answered (an open loop): per second 4 screenings, 4 watchlist lists, 1
 * alert published and 1 suspicious-activity report. It prints the errors, p50 and p99 per
 * operation, and RSS and heap after a warm-up and at the end (after a full GC both times), with
 * samples in between. Target: 0 errors, every published alert delivered to every subscriber of
 * the publishing agency, and heap used at the end within 20 % + 16 MiB of the warm-up's.
 *
 * The load generator and the subscribers run in the hub's process: RSS and heap are of all
 * three, which the load keeps constant. Exit status 1 when a target is missed.
 *
 * Options: --minutes N (default 5, at most 120), --out FILE (default bench/results/soak-<date>.txt).
 */
import path from 'node:path';
import { mintDevToken } from '../src/auth/dev-token';
import { gql, LiveSubscriber, machine, pct, runDrill, sleep, startOwnHub, writeReport } from './own-hub';

const REPO = path.resolve(__dirname, '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const MINUTES = Number(arg('minutes') ?? 5);
if (!Number.isFinite(MINUTES) || MINUTES <= 0 || MINUTES > 120) throw new Error('--minutes must be a number above 0, at most 120');
const OUT = arg('out') ?? path.join(REPO, 'bench', 'results', `soak-${new Date().toISOString().slice(0, 10)}.txt`);
const WARMUP_MS = Math.min(30_000, (MINUTES * 60_000) / 5);
const SUBSCRIBERS = 200;
const MAX_IN_FLIGHT = 200;
const HEAP_MARGIN = { ratio: 0.2, bytes: 16 * 2 ** 20 };

const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
};

const nl = mintDevToken({ agency: 'nl-customs', roles: ['analyst'] });
const be = mintDevToken({ agency: 'be-customs', roles: ['analyst'] });
const de = mintDevToken({ agency: 'de-customs', roles: ['analyst'] });
const terminal = mintDevToken({ agency: 'nl-ect-terminal', roles: ['analyst'] });
const IMOS = ['9074729', '9321483', '9252539', '9811000', '9398008'];

let published = 0;
let reported = 0;
/** One operation each: the request and when its answer counts as an error. */
const OPERATIONS = {
  screening: {
    perSecond: 4,
    send: (url: string, i: number) =>
      gql(url, [nl, be, de][i % 3], `query($imo: IMONumber) { screenVessel(imo: $imo) { totalHits } }`, { imo: IMOS[i % IMOS.length] }),
  },
  lists: {
    perSecond: 4,
    send: (url: string, i: number) =>
      gql(url, [nl, be, de][i % 3], `{ watchlists(first: 20) { totalCount edges { node { id name tlp } } } }`),
  },
  publish: {
    perSecond: 1,
    send: (url: string) =>
      gql(url, nl, `mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id } }`, {
        input: {
          vessel: { imo: IMOS[published % IMOS.length], name: 'SOAK VESSEL' },
          category: 'DRUG_TRAFFICKING',
          severity: 'HIGH',
          title: `soak alert ${++published}`,
          description: 'soak',
          port: 'NLRTM',
          tlp: 'AMBER',
        },
      }),
  },
  report: {
    perSecond: 1,
    send: (url: string) =>
      gql(url, terminal, `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id } }`, {
        input: {
          port: 'NLRTM',
          category: 'UNAUTHORIZED_ACCESS',
          observedAt: new Date(Date.now() - 3600_000).toISOString(),
          description: `Soak report ${++reported}: a person climbed the fence at the reefer yard`,
        },
      }),
  },
} as const;
type Operation = keyof typeof OPERATIONS;

async function main(): Promise<boolean> {
  const started = new Date();
  say(`Soak, ${started.toISOString()}: ${MINUTES} min (${WARMUP_MS / 1000} s of it warm-up), ${SUBSCRIBERS} live subscribers`);
  say(machine());
  say(
    `rate per second: ${Object.entries(OPERATIONS)
      .map(([k, o]) => `${o.perSecond} ${k}`)
      .join(', ')}${gc ? '' : ' (no --expose-gc: memory read without a full GC)'}`,
  );
  const hub = await startOwnHub({
    maxSocketsPerPrincipal: SUBSCRIBERS,
    // The soak's reports are well within a day's, but over the default's 20 per 10 minutes.
    reportRateLimit: { max: 100_000, windowSeconds: 60 },
  });
  const targets: { ok: boolean; what: string }[] = [];
  const target = (ok: boolean, what: string) => {
    targets.push({ ok, what });
    say(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  };
  try {
    const tokens = [nl, be, de];
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => ({ agency: i % 3, s: new LiveSubscriber(hub.url, tokens[i % 3]) }));
    await sleep(2_000);

    const latencies = new Map<Operation, number[]>(Object.keys(OPERATIONS).map((k) => [k as Operation, []]));
    const errors = new Map<string, number>();
    const samples: string[] = [];
    let inFlight = 0;
    let sent = 0;
    let measuring = false;
    let baseline = memory();
    const endAt = Date.now() + MINUTES * 60_000;
    const warmEnd = Date.now() + WARMUP_MS;
    const pending = new Set<Promise<void>>();
    let tick = 0;
    let nextSample = warmEnd + 30_000;
    // Ticks of 100 ms; each operation is sent on the ticks its rate gives (open loop, bounded in flight).
    while (Date.now() < endAt) {
      const tickStart = Date.now();
      if (!measuring && tickStart >= warmEnd) {
        measuring = true;
        baseline = memory();
        say(`after warm-up: RSS ${mib(baseline.rss)}, heap used ${mib(baseline.heap)}`);
      }
      if (measuring && tickStart >= nextSample) {
        const m = memory();
        samples.push(`${Math.round((tickStart - warmEnd) / 1000)} s: RSS ${mib(m.rss)}, heap ${mib(m.heap)}`);
        nextSample += 30_000;
      }
      for (const [name, op] of Object.entries(OPERATIONS) as [Operation, (typeof OPERATIONS)[Operation]][]) {
        // This tick's share of the rate (4 a second: on ticks 2, 4, 7 and 9 of every ten).
        const due = Math.floor(((tick + 1) * op.perSecond) / 10) - Math.floor((tick * op.perSecond) / 10);
        if (due === 0) continue;
        if (inFlight >= MAX_IN_FLIGHT) {
          const key = `${name}: not sent (${MAX_IN_FLIGHT} in flight)`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
          continue;
        }
        inFlight++;
        sent++;
        const i = sent;
        const p = op.send(hub.url, i).then((a) => {
          inFlight--;
          if (measuring) latencies.get(name)!.push(a.ms);
          const failed = a.status !== 200 || a.errors !== undefined;
          if (failed) {
            const key = `${name}: ${a.status} ${a.errors?.[0]?.extensions?.code ?? ''} ${a.errors?.[0]?.message?.slice(0, 80) ?? ''}`;
            errors.set(key, (errors.get(key) ?? 0) + 1);
          }
        });
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      tick++;
      await sleep(Math.max(0, 100 - (Date.now() - tickStart)));
    }
    await Promise.all(pending);
    // Deliveries: every subscriber of the publishing agency gets every alert (the others, what they may see).
    const own = subscribers.filter((x) => x.agency === 0);
    for (let i = 0; i < 300 && !own.every((x) => x.s.titles.length >= published); i++) await sleep(100);
    const end = memory();

    say('');
    say(`requests: ${sent} sent, ${[...errors.values()].reduce((a, b) => a + b, 0)} errors`);
    for (const [k, n] of errors) say(`  ${n} x ${k}`);
    say('');
    say('| operation | answers measured | p50 ms | p99 ms |');
    say('|---|---|---|---|');
    for (const [name, xs] of latencies) say(`| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 99).toFixed(1)} |`);
    say('');
    const received = subscribers.map((x) => x.s.titles.length);
    say(
      `subscribers: ${SUBSCRIBERS} (${own.length} of the publisher's agency); events received ${Math.min(...received)} to ${Math.max(...received)} each, of ${published} published; error payloads ${subscribers.reduce((n, x) => n + x.s.errors, 0)}; closed ${subscribers.filter((x) => x.s.closed).length}`,
    );
    say('');
    say(`memory after warm-up: RSS ${mib(baseline.rss)}, heap used ${mib(baseline.heap)}`);
    for (const s of samples) say(`  ${s}`);
    say(`memory at the end:    RSS ${mib(end.rss)}, heap used ${mib(end.heap)}`);
    say('');
    target(errors.size === 0, '0 errors');
    target(
      own.every((x) => x.s.titles.length === published) && subscribers.every((x) => !x.s.closed && x.s.errors === 0),
      "every subscriber of the publisher's agency received every alert; none closed, no error payloads",
    );
    const limit = baseline.heap * (1 + HEAP_MARGIN.ratio) + HEAP_MARGIN.bytes;
    target(end.heap <= limit, `heap flat: ${mib(end.heap)} at the end, at most ${mib(limit)} (warm-up + 20 % + 16 MiB)`);
    for (const x of subscribers) await x.s.close();
  } finally {
    await hub.close();
  }
  const failed = targets.filter((t) => !t.ok).length;
  return writeReport(say, lines, failed, { passed: 'ALL TARGETS MET', failed: 'TARGET(S) MISSED' }, OUT);
}

runDrill(main);
