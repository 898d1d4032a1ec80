/**
 * `npm run bench:matching`: how well screening by name finds the ship (name-v2), on real data.
 *
 * The listed ships are the OFAC SDN vessel rows of ../shared/data (name, IMO, former names), one
 * watchlist entry each in a fresh database. Each is then screened by name as arrivals spell it:
 * in Cyrillic or Greek letters, with a type prefix, words joined, a typo, Roman numerals for
 * numbers (and back), a word dropped, or a former name. Unlisted ships (names built from the
 * words real fleets use, none of them a listed name) are the negatives.
 *
 * Prints recall@5 (the ship among the first five hits), top-1 accuracy and the false-alarm rate
 * (an unlisted ship with any hit) at the default threshold, per kind of variation, and writes
 * bench/results/matching-DATE.txt. Seeded: every run screens the same names.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ofacRemarks } from '../src/import/formats';
import { connectAndMigrate } from '../src/db/data-source';
import { buildHubSchema } from '../src/api/schema';
import { createContext } from '../src/request/context';
import { PolicyStore } from '../src/request/policy-store';
import { DEFAULT_MIN_SIMILARITY, screen } from '../src/screening/screening.service';
import { NAME_ALGORITHM } from '../src/screening/name-match';
import { openBenchDatabase } from './database';
import { FIRST_WORDS, SECOND_WORDS } from './dataset';

const REPO = path.resolve(__dirname, '..');
const OFAC = path.join(REPO, '..', 'shared', 'data', 'ofac-sdn-vessels-2024-05-03.csv');
const NEGATIVES = 1000;

/** A seeded generator (mulberry32), so every run screens the same variations. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(14);
const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];

// How a Russian or Greek crew list writes a Latin name (digraphs first).
const CYRILLIC: [string, string][] = [
  ['SH', 'Ш'], ['CH', 'Ч'], ['ZH', 'Ж'], ['KH', 'Х'], ['TS', 'Ц'], ['YA', 'Я'], ['YU', 'Ю'],
  ['A', 'А'], ['B', 'Б'], ['C', 'К'], ['D', 'Д'], ['E', 'Е'], ['F', 'Ф'], ['G', 'Г'], ['H', 'Х'], ['I', 'И'], ['J', 'ДЖ'],
  ['K', 'К'], ['L', 'Л'], ['M', 'М'], ['N', 'Н'], ['O', 'О'], ['P', 'П'], ['Q', 'К'], ['R', 'Р'], ['S', 'С'], ['T', 'Т'],
  ['U', 'У'], ['V', 'В'], ['W', 'В'], ['X', 'КС'], ['Y', 'Й'], ['Z', 'З'],
]; // prettier-ignore
const GREEK: [string, string][] = [
  ['TH', 'Θ'], ['PS', 'Ψ'], ['CH', 'Χ'], ['A', 'Α'], ['B', 'Μπ'], ['C', 'Κ'], ['D', 'Ντ'], ['E', 'Ε'], ['F', 'Φ'], ['G', 'Γ'], ['H', 'Χ'],
  ['I', 'Ι'], ['J', 'Τζ'], ['K', 'Κ'], ['L', 'Λ'], ['M', 'Μ'], ['N', 'Ν'], ['O', 'Ο'], ['P', 'Π'], ['Q', 'Κ'], ['R', 'Ρ'], ['S', 'Σ'],
  ['T', 'Τ'], ['U', 'Ου'], ['V', 'Β'], ['W', 'Β'], ['X', 'Ξ'], ['Y', 'Υ'], ['Z', 'Ζ'],
]; // prettier-ignore

function transcribe(name: string, table: [string, string][]): string {
  let out = '';
  for (let i = 0; i < name.length;) {
    const hit = table.find(([latin]) => name.startsWith(latin, i));
    out += hit ? hit[1] : name[i];
    i += hit ? hit[0].length : 1;
  }
  return out;
}

const ROMAN = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** Each kind of variation: the spelling an arrival might give, or null when it does not apply. */
const VARIATIONS: Record<string, (name: string) => string | null> = {
  exact: (n) => n,
  cyrillic: (n) => transcribe(n, CYRILLIC),
  greek: (n) => transcribe(n, GREEK),
  'type prefix': (n) => `${pick(['M/V', 'MV', 'M.T.', 'MT'])} ${n.toLowerCase()}`,
  'joined words': (n) => {
    const w = n.split(' ');
    const word = (x: string) => /^[A-Z]{2,}$/.test(x) && !ROMAN.includes(x);
    const pairs = w.slice(0, -1).flatMap((x, i) => (word(x) && word(w[i + 1]) ? [i] : []));
    if (pairs.length === 0) return null;
    const i = pick(pairs);
    return [...w.slice(0, i), w[i] + w[i + 1], ...w.slice(i + 2)].join(' ');
  },
  typo: (n) => {
    const w = n.split(' ');
    const long = w.map((x, i) => [x, i] as const).filter(([x]) => x.length >= 5 && /^[A-Z]+$/.test(x));
    if (long.length === 0) return null;
    const [word, i] = pick(long);
    const k = 1 + Math.floor(random() * (word.length - 2));
    const typo = random() < 0.5 ? word.slice(0, k) + word[k + 1] + word[k] + word.slice(k + 2) : word.slice(0, k) + word.slice(k + 1);
    return [...w.slice(0, i), typo, ...w.slice(i + 1)].join(' ');
  },
  'roman numerals': (n) => {
    const m = /^(.*) (\d{1,2}|[IVX]+)$/.exec(n);
    if (!m) return null;
    const k = /^\d+$/.test(m[2]) ? Number(m[2]) : ROMAN.indexOf(m[2]);
    if (k < 1 || k >= ROMAN.length) return null;
    return `${m[1]} ${/^\d+$/.test(m[2]) ? ROMAN[k] : k}`;
  },
  'dropped word': (n) => {
    const w = n.split(' ');
    const words = w.map((x, i) => [x, i] as const).filter(([x, i]) => i > 0 && /^[A-Z]{3,}$/.test(x));
    if (w.length < 3 || words.length === 0) return null;
    const [, i] = pick(words);
    return [...w.slice(0, i), ...w.slice(i + 1)].join(' ');
  },
};

interface Listed {
  ref: string;
  name: string;
  imo: string;
  formerNames: string[];
}

function imoWithCheckDigit(base: number): string {
  const d = String(base).padStart(6, '0');
  const check = [...d].reduce((s, c, i) => s + Number(c) * (7 - i), 0) % 10;
  return d + check;
}

function readOfac(): Listed[] {
  const rows: string[][] = parse(fs.readFileSync(OFAC, 'utf8'), { relax_quotes: true, relax_column_count: true, trim: true });
  const seen = new Set<string>();
  return rows.flatMap((r, i) => {
    if (r[2] !== 'vessel' || !r[1]) return [];
    const { imo, formerNames } = ofacRemarks(r[11] === '-0-' ? null : r[11]);
    const chosen = imo && !seen.has(imo) ? imo : imoWithCheckDigit(700000 + i);
    seen.add(chosen);
    return [{ ref: r[0], name: r[1].toUpperCase(), imo: chosen, formerNames: formerNames.map((f) => f.toUpperCase()) }];
  });
}

async function main() {
  const started = Date.now();
  const db = await openBenchDatabase();
  const ds = await connectAndMigrate(db.url, { poolSize: 4 });
  const lines: string[] = [];
  const say = (s = '') => {
    console.log(s);
    lines.push(s);
  };
  try {
    const listed = readOfac();
    await ds.query(`INSERT INTO vessels (imo) SELECT unnest($1::text[])`, [listed.map((l) => l.imo)]);
    const [wl] = await ds.query(
      `INSERT INTO watchlists (name, owner_agency, tlp, jurisdiction) VALUES ('OFAC SDN vessels', 'nl-customs', 'GREEN', 'NL') RETURNING id`,
    );
    await ds.query(
      `INSERT INTO watchlist_entries (watchlist_id, vessel_id, vessel_as_given, category, risk_level, reason, owner_agency, tlp, jurisdiction,
         valid_from, source, external_ref)
       SELECT $1, v.id, jsonb_build_object('imo', t.imo, 'name', t.name, 'formerNames', t.former::jsonb),
         'SANCTIONS_EVASION', 'HIGH', 'OFAC SDN', 'nl-customs', 'GREEN', 'NL', now() - interval '1 day', 'OFAC SDN 2024-05-03', t.ref
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(ref, imo, name, former)
       JOIN vessels v ON v.imo = t.imo`,
      [
        wl.id,
        listed.map((l) => l.ref),
        listed.map((l) => l.imo),
        listed.map((l) => l.name),
        listed.map((l) => JSON.stringify(l.formerNames)),
      ],
    );
    await ds.query('ANALYZE');
    const entryOf = new Map<string, string>(
      (await ds.query(`SELECT external_ref, id FROM watchlist_entries`)).map((r: { external_ref: string; id: string }) => [
        r.external_ref,
        r.id,
      ]),
    );

    // The cases: each listed ship under each variation that applies, and by each former name.
    const cases: { kind: string; name: string; expect: string | null }[] = [];
    for (const l of listed) {
      for (const [kind, vary] of Object.entries(VARIATIONS)) {
        const name = vary(l.name);
        if (name !== null) cases.push({ kind, name, expect: entryOf.get(l.ref)! });
      }
      for (const f of l.formerNames) cases.push({ kind: 'former name', name: f, expect: entryOf.get(l.ref)! });
    }
    const listedNames = new Set(listed.flatMap((l) => [l.name, ...l.formerNames]));
    const negatives = new Set<string>();
    while (negatives.size < NEGATIVES) {
      const n = `${pick(FIRST_WORDS)} ${pick(SECOND_WORDS)}`.toUpperCase();
      if (!listedNames.has(n)) negatives.add(n);
    }
    for (const n of negatives) cases.push({ kind: 'unlisted ship', name: n, expect: null });

    const schema = await buildHubSchema();
    const policies = new PolicyStore(path.join(REPO, 'policies'), schema, 'portcullis');
    const policy = policies.current.policy;
    const principal = {
      subject: 'bench',
      agency: policy.agencies.get('nl-customs')!,
      roles: ['analyst' as const],
      issuer: 'bench',
      expiresAt: 0,
    };

    const stats = new Map<string, { n: number; top1: number; top5: number; alarms: number }>();
    const misses: string[] = [];
    const alarms: string[] = [];
    const t0 = Date.now();
    for (let i = 0; i < cases.length; i += 1000) {
      const batch = cases.slice(i, i + 1000);
      const ctx = createContext(ds, policy, principal, 'bench-matching');
      const results = await screen(
        ctx,
        batch.map((c) => ({ name: c.name })),
        { maxHits: 5 },
      );
      batch.forEach((c, k) => {
        const s = stats.get(c.kind) ?? { n: 0, top1: 0, top5: 0, alarms: 0 };
        stats.set(c.kind, s);
        s.n++;
        const ids = results[k].hits.map((h) => h.entry.id);
        if (c.expect === null) {
          if (ids.length > 0) {
            s.alarms++;
            if (alarms.length < 30) alarms.push(`  ${c.name} -> ${results[k].hits[0].matchedName} (${results[k].hits[0].score})`);
          }
          return;
        }
        if (ids[0] === c.expect) s.top1++;
        if (ids.includes(c.expect)) s.top5++;
        else if (misses.length < 40) misses.push(`  (${c.kind}) ${c.name}`);
      });
    }
    const seconds = (Date.now() - t0) / 1000;

    const positives = [...stats].filter(([k]) => k !== 'unlisted ship').map(([, s]) => s);
    const sum = (f: (s: { n: number; top1: number; top5: number }) => number) => positives.reduce((a, s) => a + f(s), 0);
    const recall5 = sum((s) => s.top5) / sum((s) => s.n);
    const top1 = sum((s) => s.top1) / sum((s) => s.n);
    const neg = stats.get('unlisted ship')!;
    const falseAlarms = neg.alarms / neg.n;
    const pctOf = (x: number) => `${(x * 100).toFixed(1)}%`;

    say(`Portcullis name matching benchmark (${NAME_ALGORITHM}), ${new Date().toISOString()}`);
    say(
      `listed: ${listed.length} OFAC SDN vessel rows (${path.basename(OFAC)}), one entry each; default threshold ${DEFAULT_MIN_SIMILARITY}`,
    );
    say(
      `screened: ${cases.length} names in batches of 1,000 (${(cases.length / seconds).toFixed(0)} names/s), ${neg.n} of them unlisted ships`,
    );
    say('');
    say('| variation | cases | recall@5 | top-1 |');
    say('|---|---|---|---|');
    for (const [kind, s] of stats)
      if (kind !== 'unlisted ship')
        say(`| ${kind} | ${s.n} | ${s.top5 / s.n === 1 ? '1.000' : (s.top5 / s.n).toFixed(3)} | ${(s.top1 / s.n).toFixed(3)} |`);
    say('');
    say(`recall@5: ${recall5.toFixed(3)} (target >= 0.99: ${recall5 >= 0.99 ? 'met' : 'NOT met'})`);
    say(`top-1 accuracy: ${top1.toFixed(3)}`);
    say(
      `false alarms: ${neg.alarms} of ${neg.n} unlisted ships, ${pctOf(falseAlarms)} (target <= 5%: ${falseAlarms <= 0.05 ? 'met' : 'NOT met'})`,
    );
    say('');
    say('first misses:');
    misses.forEach((m) => say(m));
    say('first false alarms (screened -> best hit, score):');
    alarms.forEach((m) => say(m));
    say(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const out = path.join(REPO, 'bench', 'results', `matching-${new Date().toISOString().slice(0, 10)}.txt`);
    fs.writeFileSync(out, `${lines.join('\n')}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
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
