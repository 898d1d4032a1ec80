import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createWatchlist } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { badImo, imoFrom } from './support/vessels';

const run = promisify(execFile);
const SHARED = path.resolve(__dirname, '../../shared/data');
const OFAC_VESSELS = path.join(SHARED, 'ofac-sdn-vessels-2024-05-03.csv');
const OFAC_FULL = path.join(SHARED, 'ofac-sdn-full-2024-05-02.csv');
const REPO = path.resolve(__dirname, '..');

let hub: TestHub;
const nl = tokenFor('nl-customs');

const IMPORT = `mutation($id: ID!, $format: ImportFormat!, $content: String!, $defaults: ImportDefaultsInput) {
  importWatchlistEntries(watchlistId: $id, format: $format, content: $content, defaults: $defaults) {
    watchlist { id } rows created updated unchanged failed skipped batches errors { line message } } }`;

const newList = (tlp = 'AMBER') => createWatchlist(hub, nl, { name: 'Import', tlp });

async function importAs(token: string, id: string, format: string, content: string, defaults?: Record<string, unknown>) {
  const res = await hub.gql(token, IMPORT, { id, format, content, defaults });
  return res;
}

const countEntries = async (id: string) =>
  (await hub.gql(nl, `query($id: ID!) { watchlist(id: $id) { entries { totalCount } } }`, { id })).data!.watchlist.entries.totalCount;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const CSV =
  [
    'imo,name,mmsi,flag,category,riskLevel,reason,formerNames,tlp,validUntil,notes', // line 1
    `IMO ${imoFrom(940001)},Lady Grey,244555111,NL,SMUGGLING,HIGH,Cocaine in reefers,Grey Lady;Old Grey,,,`, // 2
    `${badImo(940002)},Bad Check,,,SMUGGLING,HIGH,x,,,,`, // 3: wrong check digit
    `${imoFrom(940003)},No Category,,,,HIGH,x,,,,`, // 4: category missing
    '', // 5: empty line, skipped
    `${imoFrom(940004)},Looser,,,PIRACY,LOW,x,,GREEN,,`, // 6: TLP looser than the AMBER list
    `${imoFrom(940005)},"Multi`, // 7: a quoted field over two lines
    `Line",,,THEFT,MEDIUM,"reason, with comma",,RED,2030-12-31,"note ""quoted"""`, // 8
    `${imoFrom(940006)},Bad MMSI,12345,,THEFT,LOW,x,,,,`, // 9
    `${imoFrom(940007)},Bad Flag,,XX,THEFT,LOW,x,,,,`, // 10
    `${imoFrom(940001)},Lady Grey again,,,THEFT,LOW,x,,,,`, // 11: same vessel, so the same default ref
    `${imoFrom(940008)},Too few`, // 12
    `${imoFrom(940009)},Bad Date,,,THEFT,LOW,x,,,2030-02-30,`, // 13
    `${imoFrom(940010)},Weird Category,,,PARKING,LOW,x,,,,`, // 14
  ].join('\n') + '\n';

describe('own CSV layout, through the mutation', () => {
  let list: string;

  test('bad rows are reported with their line and reason while good rows load', async () => {
    list = await newList();
    const res = await importAs(nl, list, 'CSV', CSV);
    expect(res.errors).toBeUndefined();
    const r = res.data!.importWatchlistEntries;
    expect(r).toMatchObject({ rows: 11, created: 2, updated: 0, unchanged: 0, failed: 9, skipped: 0, batches: 1 });
    const lines = r.errors.map((e: { line: number; message: string }) => `${e.line}: ${e.message}`);
    expect(lines).toEqual([
      expect.stringMatching(/^3: imo: IMO number "\d{7}" has a wrong check digit: expected \d$/),
      '4: category is required',
      "6: tlp GREEN is looser than the watchlist's AMBER",
      '9: mmsi: MMSI must be exactly 9 digits, got "12345"',
      '10: flag: country code "XX" is not an assigned ISO 3166-1 alpha-2 code',
      `11: duplicate of line 2 (same ref "IMO:${imoFrom(940001)}")`,
      '12: has 2 fields, the header has 11',
      '13: validUntil: "2030-02-30" is not a real date',
      expect.stringMatching(/^14: category "PARKING" is not one of SMUGGLING, DRUG_TRAFFICKING, /),
    ]);
    expect(await countEntries(list)).toBe(2);
  });

  test('a record over two lines is loaded with its quoted commas and quotes', async () => {
    const res = await hub.gql(
      nl,
      `query($imo: IMONumber) { watchlistEntries(filter: { imo: $imo }) { edges { node {
      reason tlp notes validUntil vesselAsGiven { name formerNames } } } } }`,
      { imo: imoFrom(940005) },
    );
    expect(res.data!.watchlistEntries.edges[0].node).toEqual({
      reason: 'reason, with comma',
      tlp: 'RED',
      notes: 'note "quoted"',
      validUntil: '2030-12-31T23:59:59.999Z',
      vesselAsGiven: { name: 'Multi\nLine', formerNames: [] },
    });
    // The entry keeps the vessel as its row gives it; the registry is not written from a watchlist.
    const grey = await hub.gql(
      nl,
      `query($imo: IMONumber!) { vessel(imo: $imo) { name mmsi flag formerNames watchlistEntries { vesselAsGiven { name mmsi flag formerNames } } } }`,
      { imo: imoFrom(940001) },
    );
    expect(grey.data!.vessel).toEqual({
      name: null,
      mmsi: null,
      flag: null,
      formerNames: [],
      watchlistEntries: [{ vesselAsGiven: { name: 'Lady Grey', mmsi: '244555111', flag: 'NL', formerNames: ['Grey Lady', 'Old Grey'] } }],
    });
  });

  test('loading the same file again duplicates nothing and changes nothing', async () => {
    const again = await importAs(nl, list, 'CSV', CSV);
    expect(again.data!.importWatchlistEntries).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 9 });
    expect(await countEntries(list)).toBe(2);
  });

  test('a changed row updates its entry and adds a version', async () => {
    const changed = CSV.replace('Cocaine in reefers', 'Cocaine in reefers (twice)');
    const res = await importAs(nl, list, 'CSV', changed);
    expect(res.data!.importWatchlistEntries).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const entry = await hub.gql(
      nl,
      `query($imo: IMONumber) { watchlistEntries(filter: { imo: $imo }) { edges { node {
      reason history { operation changedBy changes { field from to } } } } } }`,
      { imo: imoFrom(940001) },
    );
    const node = entry.data!.watchlistEntries.edges[0].node;
    expect(node.reason).toBe('Cocaine in reefers (twice)');
    expect(node.history.map((h: { operation: string }) => h.operation)).toEqual(['IMPORT_CREATE', 'IMPORT_UPDATE']);
    expect(node.history[1]).toMatchObject({
      changedBy: 'dev-nl-customs',
      changes: [{ field: 'reason', from: 'Cocaine in reefers', to: 'Cocaine in reefers (twice)' }],
    });
  });

  test('an unknown column refuses the file before anything loads', async () => {
    const res = await importAs(nl, list, 'CSV', 'imo,name,colour\n9074729,X,red\n');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/line 1: unknown column "colour"/);
  });

  test("only an analyst of the list's agency may import into it", async () => {
    const viewer = await importAs(tokenFor('nl-customs', ['viewer']), list, 'CSV', CSV);
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const green = await newList('GREEN'); // visible to Belgian Customs, but not its list
    const other = await importAs(tokenFor('be-customs'), green, 'CSV', CSV);
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const hidden = await importAs(tokenFor('be-customs'), list, 'CSV', CSV);
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test("the owner's auditor sees each import batch", async () => {
    const res = await hub.gql(tokenFor('nl-customs', ['auditor']), `{ auditTrail(first: 200) { edges { node { operation recordIds } } } }`);
    const imports = res
      .data!.auditTrail.edges.map((e: { node: { operation: string } }) => e.node)
      .filter((n: { operation: string }) => n.operation === 'importWatchlistEntries');
    expect(imports.length).toBeGreaterThanOrEqual(3);
    // the first load wrote the list's two entries; the re-run wrote none; the changed row one
    expect(imports.map((i: { recordIds: string[] }) => i.recordIds.length).sort()).toEqual(expect.arrayContaining([1, 2, 3]));
    const first = imports.find((i: { recordIds: string[] }) => i.recordIds.length === 3);
    expect(first.recordIds).toEqual([list, expect.stringMatching(/^WatchlistEntry:/), expect.stringMatching(/^WatchlistEntry:/)]);
  });
});

describe('JSON', () => {
  test('an array of objects, bad elements reported by the line they start on', async () => {
    const list = await newList();
    const content = `[
  { "imo": "${imoFrom(950001)}", "name": "Jason", "category": "PIRACY", "riskLevel": "LOW", "reason": "r",
    "formerNames": ["Argo"], "recipients": ["be-customs"] },
  { "imo": 9500028, "name": "Number" },
  {
    "imo": "${imoFrom(950003)}", "name": "Unknown key", "colour": "red"
  }
]`;
    const res = await importAs(nl, list, 'JSON', content, { category: 'OTHER' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.importWatchlistEntries).toMatchObject({ rows: 3, created: 1, failed: 2 });
    expect(res.data!.importWatchlistEntries.errors).toEqual([
      { line: 4, message: 'imo must be a string (leading zeros matter), got a number' },
      {
        line: 5,
        message: expect.stringMatching(/^unknown key "colour" \(the keys are ref, imo, mmsi, name, .*, notes, relatedParties\)$/),
      },
    ]);
  });

  test('JSON Lines', async () => {
    const list = await newList();
    const content = `{"imo":"${imoFrom(950004)}","name":"One","category":"THEFT","riskLevel":"LOW","reason":"r"}\n\n{"imo":"${imoFrom(950005)}"\n`;
    const res = await importAs(nl, list, 'JSON', content);
    expect(res.data!.importWatchlistEntries).toMatchObject({ created: 1, failed: 1 });
    expect(res.data!.importWatchlistEntries.errors[0]).toMatchObject({ line: 3 });
  });
});

describe('OFAC SDN sdn.csv', () => {
  test('the published vessel rows: IMO, MMSI and former names from the remarks, programme as reason', async () => {
    const list = await newList();
    const res = await importAs(nl, list, 'OFAC_SDN', fs.readFileSync(OFAC_VESSELS, 'utf8'), { source: 'OFAC SDN list, 2024-05-03' });
    expect(res.errors).toBeUndefined();
    const r = res.data!.importWatchlistEntries;
    // 842 rows say "IMO nnnnnnn"; four more give it with two spaces or as a bare 7-digit number with a
    // valid check digit; five have none (or only a national registration number).
    expect(r).toMatchObject({ rows: 851, created: 846, failed: 5, skipped: 0 });
    expect(r.errors.map((e: { message: string }) => e.message.replace(/ \(ent_num.*/, ''))).toEqual([
      'vessel MAR AZUL',
      'vessel BONU 5',
      'vessel ST. VITAMIN',
      'vessel SHELLEST',
      'vessel NEGA',
    ]);
    expect(r.errors[0]).toEqual({
      line: 1,
      message: 'vessel MAR AZUL (ent_num 4238) has no IMO number in its remarks; vessels are keyed by IMO',
    });

    // EBANO: IMO 7406784, f.k.a. 'ANA I' and 'SAND SWAN', CUBA programme, flag Panama
    const ebano = await hub.gql(
      nl,
      `{ watchlistEntries(filter: { imo: "7406784" }) { edges { node {
      category riskLevel reason source vesselAsGiven { name flag formerNames vesselType } } } } }`,
    );
    expect(ebano.data!.watchlistEntries.edges[0].node).toEqual({
      category: 'SANCTIONS_EVASION',
      riskLevel: 'HIGH',
      reason: 'OFAC SDN designation under CUBA',
      source: 'OFAC SDN list, 2024-05-03 (ent_num 4243)',
      vesselAsGiven: { name: 'EBANO', flag: 'PA', formerNames: ['ANA I', 'SAND SWAN'], vesselType: 'General Cargo' },
    });
    // and a former name is screened
    const screened = await hub.gql(nl, `{ screenVessel(name: "Sand Swan") { hits { matchedOn matchedName entry { vessel { imo } } } } }`);
    expect(screened.data!.screenVessel.hits[0]).toEqual({
      matchedOn: 'NAME',
      matchedName: 'SAND SWAN',
      entry: { vessel: { imo: '7406784' } },
    });

    const again = await importAs(nl, list, 'OFAC_SDN', fs.readFileSync(OFAC_VESSELS, 'utf8'), { source: 'OFAC SDN list, 2024-05-03' });
    expect(again.data!.importWatchlistEntries).toMatchObject({ created: 0, updated: 0, unchanged: 846 });
    expect(await countEntries(list)).toBe(846);
  });
});

describe('npm run import (CLI)', () => {
  const cli = (args: string[], env: Record<string, string | undefined>) =>
    run(path.join(REPO, 'node_modules/.bin/ts-node'), ['--transpile-only', path.join(REPO, 'scripts/import.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: hub.database.url, ...env },
      timeout: 120_000,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  test('the full published file: non-vessel rows skipped and counted, bad rows listed; re-run changes nothing', async () => {
    const list = await newList();
    const first = await cli(['--watchlist', list, '--format', 'ofac', OFAC_FULL], { PORTCULLIS_TOKEN: nl });
    expect(first.stderr).not.toMatch(/import: /);
    expect(first.code).toBe(3); // loaded, with bad rows reported
    expect(first.stdout).toMatch(/read 14973 rows/);
    expect(first.stdout).toMatch(/created 846, updated 0, unchanged 0, skipped 14122 \(out of scope\), failed 5/);
    expect(first.stdout).toMatch(/line \d+: vessel MAR AZUL \(ent_num 4238\) has no IMO number/);
    const second = await cli(['--watchlist', list, '--format', 'ofac', OFAC_FULL], { PORTCULLIS_TOKEN: nl });
    expect(second.stdout).toMatch(/created 0, updated 0, unchanged 846, skipped 14122 \(out of scope\), failed 5/);
    expect(await countEntries(list)).toBe(846);
  }, 180_000);

  test('without a valid analyst token of the agency nothing is loaded', async () => {
    const list = await newList();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-import-')), 'list.csv');
    fs.writeFileSync(file, `imo,name,category,riskLevel,reason\n${imoFrom(960001)},X,OTHER,LOW,r\n`);
    const none = await cli(['--watchlist', list, '--format', 'csv', file], { PORTCULLIS_TOKEN: undefined });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/a token is required/);
    const forged = await cli(['--watchlist', list, '--format', 'csv', '--token', `${nl.slice(0, -4)}AAAA`, file], {});
    expect(forged.code).toBe(2);
    expect(forged.stderr).toMatch(/the token was refused: bad signature/);
    const viewer = await cli(['--watchlist', list, '--format', 'csv', file], { PORTCULLIS_TOKEN: tokenFor('nl-customs', ['viewer']) });
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toMatch(/not allowed: publishing needs the analyst role/);
    expect(await countEntries(list)).toBe(0);
    const ok = await cli(['--watchlist', list, '--format', 'csv', file], { PORTCULLIS_TOKEN: nl });
    expect(ok.code).toBe(0);
    expect(await countEntries(list)).toBe(1);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }, 180_000);

  test('--registry: a registry authority records vessels with their origin; anyone else is refused', async () => {
    const imo = imoFrom(960002);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-registry-')), 'register.csv');
    fs.writeFileSync(file, `imo,name,flag,formerNames\n${imo},CLI STAR,MT,OLD STAR\n`);
    const registry = async () =>
      (
        await hub.gql(
          nl,
          `query($imo: IMONumber!) { vessel(imo: $imo) { name flag formerNames provenance { field agencyCode source } } }`,
          {
            imo,
          },
        )
      ).data!.vessel;
    const refused = await cli(['--registry', '--format', 'csv', file], { PORTCULLIS_TOKEN: nl });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not allowed: agency nl-customs is not a registry authority/);
    expect(await registry()).toBeNull();
    const ok = await cli(['--registry', '--format', 'csv', file], { PORTCULLIS_TOKEN: tokenFor('nl-rotterdam-pa') });
    expect(ok.stderr).not.toMatch(/import: /);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/created 1, updated 0, unchanged 0, failed 0/);
    const origin = { agencyCode: 'nl-rotterdam-pa', source: 'register.csv' };
    expect(await registry()).toEqual({
      name: 'CLI STAR',
      flag: 'MT',
      formerNames: ['OLD STAR'],
      provenance: [
        { field: 'name', ...origin },
        { field: 'flag', ...origin },
        { field: 'formerNames', ...origin },
      ],
    });
    const ofac = await cli(['--registry', '--format', 'ofac', file], { PORTCULLIS_TOKEN: tokenFor('nl-rotterdam-pa') });
    expect(ofac.code).toBe(2);
    expect(ofac.stderr).toMatch(/--format must be one of csv, json/);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }, 180_000);
});
