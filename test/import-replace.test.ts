/**
 * Lists that follow their source: replace mode, dry runs and related parties, on the real OFAC
 * files of 2024-05-02 and 2024-05-03. What each import should do is computed here from the files
 * themselves (which vessels each lists, which rows the import reports bad), never written down.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { addWatchlistEntry, createWatchlist, entryInput } from './support/builders';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';

const run = promisify(execFile);
const SHARED = path.resolve(__dirname, '../../shared/data');
const OFAC_0502 = path.join(SHARED, 'ofac-sdn-full-2024-05-02.csv');
const OFAC_0503 = path.join(SHARED, 'ofac-sdn-vessels-2024-05-03.csv');
const REPO = path.resolve(__dirname, '..');

const nl = tokenFor('nl-customs');
// Under nl-customs--de-customs-sanctions, which releases no sensitive field.
const deAgreement = tokenFor('de-customs', ['analyst'], { purpose: 'CUSTOMS' });
// Under nl-customs--be-customs-narcotics, which this test's policies make release relatedParties too.
const beAgreement = tokenFor('be-customs', ['analyst'], { purpose: 'LAW_ENFORCEMENT' });

/** The vessel rows of an OFAC sdn.csv: entity number, the line the row starts on, and its fields. */
interface VesselRow {
  ref: string;
  line: number;
  fields: string[];
}

function vesselRows(text: string): VesselRow[] {
  const records = parse(text, { info: true, relax_column_count: true, bom: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  return records
    .filter((r) => r.record.length === 12 && r.record[2].trim().toLowerCase() === 'vessel')
    .map((r) => ({ ref: `OFAC:${r.record[0].trim()}`, line: r.info.lines, fields: r.record.map((f) => f.trim()) }));
}

/** The entries a replace with `rows` should leave in force, and what it should create, update and end. */
function expectedReplace(before: Map<string, VesselRow>, rows: VesselRow[], badLines: Set<number>) {
  const good = rows.filter((r) => !badLines.has(r.line));
  const named = new Set(rows.map((r) => r.ref)); // a bad row still names its entry: kept
  const created = good.filter((r) => !before.has(r.ref)).map((r) => r.ref);
  // Every column but Title, Tonnage and GRT (which the import does not read) goes into the entry.
  const read = (f: string[]) => [1, 2, 3, 5, 6, 9, 10, 11].map((i) => f[i]).join('|');
  const updated = good.filter((r) => before.has(r.ref) && read(before.get(r.ref)!.fields) !== read(r.fields)).map((r) => r.ref);
  const ended = [...before.keys()].filter((ref) => !named.has(ref));
  return { created, updated, ended, unchanged: good.length - created.length - updated.length };
}

let hub: TestHub;
let listId: string;
const uuidOf = (id: string) => id.replace(/^Watchlist:/, '');

beforeAll(async () => {
  const policies = copyDemoPolicies();
  const narcotics = path.join(policies, 'agreements', 'nl-customs--be-customs-narcotics.yaml');
  fs.writeFileSync(
    narcotics,
    fs
      .readFileSync(narcotics, 'utf8')
      .replace('fields: [source, notes, intelligenceSummary]', 'fields: [source, notes, intelligenceSummary, relatedParties]'),
  );
  hub = await startTestHub({ policiesDir: policies });
  listId = await createWatchlist(hub, nl, { name: 'OFAC SDN vessels', tlp: 'AMBER', jurisdiction: 'NL' });
});
afterAll(() => hub.stop());

const cli = (args: string[]) =>
  run(path.join(REPO, 'node_modules/.bin/ts-node'), ['--transpile-only', path.join(REPO, 'scripts/import.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: hub.database.url, PORTCULLIS_TOKEN: nl },
    timeout: 120_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

const badLinesOf = (stdout: string) => new Set([...stdout.matchAll(/^ {4}line (\d+): /gm)].map((m) => Number(m[1])));

/** The list's entries in force now, by ref, straight from the database. */
async function inForce(): Promise<Set<string>> {
  const rows: { external_ref: string }[] = await hub.database.db.query(
    `SELECT external_ref FROM watchlist_entries WHERE watchlist_id = $1 AND feed = 'OFAC_SDN'
       AND valid_from <= now() AND (valid_until IS NULL OR valid_until > now())`,
    [uuidOf(listId)],
  );
  return new Set(rows.map((r) => r.external_ref));
}

/** Everything an import writes: entries (and when they last changed), versions and audit records. */
async function footprint() {
  const [row] = await hub.database.db.query(
    `SELECT (SELECT count(*) FROM watchlist_entries) AS entries,
            (SELECT max(updated_at)::text FROM watchlist_entries) AS last_change,
            (SELECT count(*) FROM watchlist_entry_versions) AS versions,
            (SELECT count(*) FROM vessels) AS vessels,
            (SELECT count(*) FROM audit_inbox) + (SELECT count(*) FROM audit_events) AS audit`,
  );
  return row;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const EBANO = vesselRows(fs.readFileSync(OFAC_0503, 'utf8')).find((r) => r.fields[1] === 'EBANO')!;
const ebano = () => EBANO;

const IMPORT = `mutation($id: ID!, $content: String!, $mode: ImportMode!, $dryRun: Boolean!, $format: ImportFormat!, $feed: String) {
  importWatchlistEntries(watchlistId: $id, format: $format, content: $content, mode: $mode, dryRun: $dryRun, feed: $feed) {
    mode dryRun feed rows created updated unchanged failed skipped ended
    examples { created { ref } updated { ref } ended { ref imo name } } errors { line message } } }`;

const importVia = (token: string, content: string, mode: string, dryRun: boolean, format = 'OFAC_SDN', feed?: string) =>
  hub.gql(token, IMPORT, { id: listId, content, mode, dryRun, format, feed });

describe('replace with the real OFAC files, 2024-05-02 then 2024-05-03 (npm run import)', () => {
  const rows0502 = vesselRows(fs.readFileSync(OFAC_0502, 'utf8'));
  const rows0503 = vesselRows(fs.readFileSync(OFAC_0503, 'utf8'));
  let loaded: Map<string, VesselRow>;

  test('--replace --dry-run of 2024-05-02 into the empty list reports what it would create and writes nothing', async () => {
    const before = await footprint();
    const dry = await cli(['--watchlist', listId, '--format', 'ofac', '--replace', '--dry-run', OFAC_0502]);
    expect(dry.stderr).not.toMatch(/import: /);
    const expected = expectedReplace(new Map(), rows0502, badLinesOf(dry.stdout));
    expect(expected.created.length).toBeGreaterThan(800);
    expect(dry.stdout).toMatch(/\(replace, feed OFAC_SDN\): DRY RUN, nothing written/);
    expect(dry.stdout).toContain(
      `would create ${expected.created.length}, would update 0, unchanged 0, skipped ${14973 - rows0502.length} (out of scope), ` +
        `failed ${rows0502.length - expected.created.length}, would end 0`,
    );
    // The first few it would create, by ref and name, as the file lists them.
    expect(dry.stdout).toContain(`created (first 10 of ${expected.created.length}):`);
    expect(dry.stdout).toContain(`    ${expected.created[0]}  `);
    expect(await footprint()).toEqual(before);
  }, 180_000);

  test('--replace of 2024-05-02 creates an entry for every vessel row the file holds, but the bad ones', async () => {
    const first = await cli(['--watchlist', listId, '--format', 'ofac', '--replace', OFAC_0502]);
    expect(first.stderr).not.toMatch(/import: /);
    expect(first.code).toBe(3); // loaded, with bad rows reported
    const bad = badLinesOf(first.stdout);
    expect(bad.size).toBeGreaterThan(0);
    const expected = expectedReplace(new Map(), rows0502, bad);
    expect(first.stdout).toContain(`created ${expected.created.length}, updated 0, unchanged 0`);
    expect(first.stdout).toContain(`ended 0`);
    expect(sorted(await inForce())).toEqual(sorted(expected.created));
    loaded = new Map(rows0502.filter((r) => !bad.has(r.line)).map((r) => [r.ref, r]));
  }, 180_000);

  test('--replace --dry-run, then --replace, of 2024-05-03: the counts are what the two files differ by', async () => {
    const before = await footprint();
    const dry = await cli(['--watchlist', listId, '--format', 'ofac', '--replace', '--dry-run', OFAC_0503]);
    expect(dry.stderr).not.toMatch(/import: /);
    const expected = expectedReplace(loaded, rows0503, badLinesOf(dry.stdout));
    const counts = (would: string) =>
      `${would}create${would ? '' : 'd'} ${expected.created.length}, ${would}update${would ? '' : 'd'} ${expected.updated.length}, ` +
      `unchanged ${expected.unchanged}, skipped 0 (out of scope), failed ${badLinesOf(dry.stdout).size}, ` +
      `${would}end${would ? '' : 'ed'} ${expected.ended.length}`;
    expect(dry.stdout).toContain(counts('would '));
    expect(await footprint()).toEqual(before);

    const real = await cli(['--watchlist', listId, '--format', 'ofac', '--replace', OFAC_0503]);
    expect(real.stderr).not.toMatch(/import: /);
    expect(real.stdout).toContain(counts(''));
    const stillIn = [...loaded.keys()].filter((ref) => !expected.ended.includes(ref));
    expect(sorted(await inForce())).toEqual(sorted(new Set([...stillIn, ...expected.created])));
  }, 180_000);
});

describe('a file with a ship removed (the mutation)', () => {
  const WITHOUT_EBANO = fs
    .readFileSync(OFAC_0503, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith(`${EBANO.ref.slice('OFAC:'.length)},`))
    .join('\n');
  const withoutEbano = () => WITHOUT_EBANO;
  let otherFeed: string;
  let byHand: string;

  const screenImo = async (token: string) => {
    const res = await hub.gql(token, `{ screenVessel(imo: "7406784") { hits { entry { id } } } }`);
    expect(res.errors).toBeUndefined();
    return sorted(res.data!.screenVessel.hits.map((h: { entry: { id: string } }) => h.entry.id));
  };
  const entryByRef = async (ref: string) => {
    const [row] = await hub.database.db.query(`SELECT id FROM watchlist_entries WHERE watchlist_id = $1 AND external_ref = $2`, [
      uuidOf(listId),
      ref,
    ]);
    return `WatchlistEntry:${row.id}`;
  };

  beforeAll(async () => {
    // The same ship from another feed of the same list, and added by hand: a replace leaves both alone.
    const csv = await importVia(
      nl,
      'imo,name,category,riskLevel,reason\n7406784,EBANO,SMUGGLING,HIGH,seen in Rotterdam with a false manifest\n',
      'MERGE',
      false,
      'CSV',
      'port-intel',
    );
    expect(csv.errors).toBeUndefined();
    otherFeed = await entryByRef('IMO:7406784');
    byHand = await addWatchlistEntry(hub, nl, entryInput(listId, { imo: '7406784', name: 'EBANO' }));
  });

  test('a dry run says it would end the ship and writes nothing', async () => {
    const before = await footprint();
    const res = await importVia(nl, withoutEbano(), 'REPLACE', true);
    expect(res.errors).toBeUndefined();
    expect(res.data!.importWatchlistEntries).toMatchObject({
      mode: 'REPLACE',
      dryRun: true,
      feed: 'OFAC_SDN',
      created: 0,
      updated: 0,
      ended: 1,
      examples: { ended: [{ ref: ebano().ref, imo: '7406784', name: 'EBANO' }] },
    });
    expect(await footprint()).toEqual(before);
  });

  test('a replace is refused, with nothing written, when a bad row names no entry', async () => {
    const before = await footprint();
    const res = await importVia(nl, `${withoutEbano()}"not","an","OFAC","row"\r\n`, 'REPLACE', false);
    expect(res.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^replace refused, nothing written: 1 bad row\(s\) name no entry.*line 851: has 4 fields/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await footprint()).toEqual(before);
  });

  test('a bad row that still names its entry keeps that entry as it is', async () => {
    const unknownFlag = fs
      .readFileSync(OFAC_0503, 'utf8')
      .replace(',"General Cargo","2595","1865","Panama",', ',"General Cargo","2595","1865","Atlantis",');
    const res = await importVia(nl, unknownFlag, 'REPLACE', true);
    expect(res.errors).toBeUndefined();
    const r = res.data!.importWatchlistEntries;
    expect(r.errors).toContainEqual({ line: ebano().line, message: 'unknown flag country "Atlantis"' });
    expect(r).toMatchObject({ ended: 0, updated: 0, created: 0 });
  });

  test("the replace ends the ship's entry with its history kept; it no longer hits; other feeds and hand entries stay", async () => {
    const ebanoEntry = await entryByRef(ebano().ref);
    expect(await screenImo(nl)).toEqual(sorted([ebanoEntry, otherFeed, byHand]));

    const res = await importVia(nl, withoutEbano(), 'REPLACE', false);
    expect(res.errors).toBeUndefined();
    const inFile = vesselRows(withoutEbano()).length;
    expect(res.data!.importWatchlistEntries).toMatchObject({ dryRun: false, ended: 1, created: 0, updated: 0, rows: inFile });
    expect(res.data!.importWatchlistEntries.unchanged).toBe(inFile - res.data!.importWatchlistEntries.failed);

    expect(await screenImo(nl)).toEqual(sorted([otherFeed, byHand]));
    const entry = await hub.gql(
      nl,
      `query($id: ID!) { node(id: $id) { ... on WatchlistEntry { validUntil history { operation changes { field from to } } } } }`,
      { id: ebanoEntry },
    );
    const node = entry.data!.node;
    expect(node.validUntil).not.toBeNull();
    // Created by the first import, ended by this one: neither the dry runs nor the refused replace left a version.
    expect(node.history.map((h: { operation: string }) => h.operation)).toEqual(['IMPORT_CREATE', 'IMPORT_END']);
    expect(node.history[1].changes).toEqual([{ field: 'validUntil', from: null, to: node.validUntil }]);

    // The same file again ends nothing more; the ship listed again is in force again.
    const again = await importVia(nl, withoutEbano(), 'REPLACE', false);
    expect(again.data!.importWatchlistEntries).toMatchObject({ ended: 0, updated: 0, created: 0 });
    const relisted = await importVia(nl, fs.readFileSync(OFAC_0503, 'utf8'), 'REPLACE', false);
    expect(relisted.data!.importWatchlistEntries).toMatchObject({
      ended: 0,
      updated: 1,
      created: 0,
      examples: { updated: [{ ref: ebano().ref }] },
    });
    expect(await screenImo(nl)).toEqual(sorted([ebanoEntry, otherFeed, byHand]));
  });

  test('only an analyst of the list owner may replace or dry-run', async () => {
    for (const token of [tokenFor('nl-customs', ['viewer']), tokenFor('de-customs'), beAgreement]) {
      for (const dryRun of [true, false]) {
        const res = await importVia(token, withoutEbano(), 'REPLACE', dryRun);
        expect(res.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
      }
    }
    expect((await inForce()).has(ebano().ref)).toBe(true);
  });

  test('a feed name is checked', async () => {
    const res = await importVia(nl, withoutEbano(), 'REPLACE', true, 'OFAC_SDN', 'no spaces please');
    expect(res.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^feed: a feed name is 1 to 64/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('related parties from "Linked To"', () => {
  /** The companies a row links the vessel to: its owner column, then each "Linked To". */
  const partiesOf = (r: VesselRow) => [
    ...(r.fields[10] !== '-0-' ? [{ name: r.fields[10], relation: 'owner' }] : []),
    ...[...r.fields[11].matchAll(/Linked To: ([^;]+?)\.?(?:;|$)/g)].map((m) => ({ name: m[1].trim(), relation: null })),
  ];
  const rows = () => vesselRows(fs.readFileSync(OFAC_0503, 'utf8'));
  const ENTRY = `query($imo: IMONumber) { watchlistEntries(filter: { imo: $imo }) { edges { node { id relatedParties { name relation } } } } }`;

  test('the entry keeps each company the row links its vessel to', async () => {
    const linked = rows().filter((r) => r.fields[11].includes('Linked To'));
    expect(linked.length).toBeGreaterThan(800);
    // The row linking its vessel to the most companies, and one with an owner column.
    const most = [...linked].sort((a, b) => partiesOf(b).length - partiesOf(a).length)[0];
    const owned = linked.find((r) => r.fields[10] !== '-0-' && /IMO (\d{7})/.test(r.fields[11]))!;
    for (const row of [most, owned]) {
      const imo = /IMO (\d{7})/.exec(row.fields[11])![1];
      const res = await hub.gql(nl, ENTRY, { imo });
      expect(res.errors).toBeUndefined();
      const ofac = res.data!.watchlistEntries.edges.filter(
        (e: { node: { relatedParties: unknown[] } }) => e.node.relatedParties.length > 0,
      );
      expect(ofac.map((e: { node: { relatedParties: unknown[] } }) => e.node.relatedParties)).toEqual([partiesOf(row)]);
    }
    expect(partiesOf(most).length).toBeGreaterThanOrEqual(5);
  });

  test("Portcullis' CSV layout: companies separated by ';', a known relation in parentheses, each company once", async () => {
    const own = await createWatchlist(hub, nl, { name: 'Parties by hand' });
    const csv =
      'imo,name,category,riskLevel,reason,relatedParties\n' +
      '9074729,OCEAN STAR,SMUGGLING,HIGH,r,ACME (HK) LTD;Blue Sea Shipping (Ship Manager);BLUE SEA SHIPPING;Red Owner SA (owner)\n';
    const res = await hub.gql(nl, IMPORT, { id: own, content: csv, mode: 'MERGE', dryRun: false, format: 'CSV' });
    expect(res.errors).toBeUndefined();
    const entry = await hub.gql(
      nl,
      `query($id: ID!) { watchlist(id: $id) { entries { edges { node { relatedParties { name relation } history { changes { field to } } } } } } }`,
      { id: own },
    );
    const node = entry.data!.watchlist.entries.edges[0].node;
    expect(node.relatedParties).toEqual([
      { name: 'ACME (HK) LTD', relation: null },
      { name: 'Blue Sea Shipping', relation: 'ship manager' },
      { name: 'Red Owner SA', relation: 'owner' },
    ]);
    expect(node.history[0].changes).toContainEqual({
      field: 'relatedParties',
      to: 'ACME (HK) LTD; Blue Sea Shipping (ship manager); Red Owner SA (owner)',
    });
  });

  test('screenParty finds every entry linked to a company, by its exact and by a looser name', async () => {
    const nitc = 'NATIONAL IRANIAN TANKER COMPANY';
    const inForceRefs = await inForce();
    const expected = rows().filter((r) => inForceRefs.has(r.ref) && partiesOf(r).some((p) => p.name === nitc)).length;
    expect(expected).toBeGreaterThan(20);
    const exact = await hub.gql(
      nl,
      `{ screenParty(name: "${nitc}", minSimilarity: 1, maxHits: 500) { totalHits hits { score party { name } } } }`,
    );
    expect(exact.errors).toBeUndefined();
    expect(exact.data!.screenParty.totalHits).toBe(expected);
    expect(new Set(exact.data!.screenParty.hits.map((h: { party: { name: string } }) => h.party.name))).toEqual(new Set([nitc]));

    const loose = await hub.gql(
      nl,
      `{ screenParty(name: "National Iranian Tanker Co.") { query { normalizedName } hits { score party { name } entry { reason } } } }`,
    );
    expect(loose.errors).toBeUndefined();
    const top = loose.data!.screenParty;
    expect(top.query.normalizedName).toBe('NATIONAL IRANIAN TANKER CO');
    expect(top.hits[0]).toMatchObject({ party: { name: nitc }, entry: { reason: expect.stringMatching(/^OFAC SDN designation under/) } });
    expect(top.hits[0].score).toBeGreaterThan(0.6);
    expect(top.hits[0].score).toBeLessThan(1);
  });

  test('related parties and party hits reach only those the field class allows', async () => {
    const nitc = `{ screenParty(name: "NATIONAL IRANIAN TANKER COMPANY", minSimilarity: 1, maxHits: 500) { totalHits } }`;
    const ownerHits = (await hub.gql(nl, nitc)).data!.screenParty.totalHits;
    expect(ownerHits).toBeGreaterThan(20);
    // An agreement that releases relatedParties: the same hits.
    expect((await hub.gql(beAgreement, nitc)).data!.screenParty.totalHits).toBe(ownerHits);
    // An agreement that releases no sensitive field: the entries are seen, their related parties are not, and no party hit.
    expect((await hub.gql(deAgreement, nitc)).data!.screenParty.totalHits).toBe(0);
    const entry = await hub.gql(
      deAgreement,
      `{ screenVessel(imo: "7406784") { hits { entry { reason relatedParties { name } access { basis redactedFields } } } } }`,
    );
    const seen = entry.data!.screenVessel.hits.find((h: { entry: { reason: string } }) => h.entry.reason.startsWith('OFAC'));
    expect(seen.entry).toMatchObject({
      relatedParties: null,
      access: { basis: 'AGREEMENT', redactedFields: expect.arrayContaining(['relatedParties']) },
    });
    expect(entry.errors?.map((e) => [e.extensions?.code, e.path?.at(-1)])).toContainEqual(['FORBIDDEN', 'relatedParties']);
    // An agency with no basis for the list sees neither.
    expect((await hub.gql(tokenFor('fr-affaires-maritimes'), nitc)).data!.screenParty.totalHits).toBe(0);
  });
});
