/**
 * The shared vessel registry (issue 10, item 4): records keep the vessel as their author gave it,
 * only registry authorities write the registry (each value with its origin), and a name or
 * identifier given in a hidden record never reaches an agency that cannot see the record.
 */
import { addWatchlistEntry, alertInput, createWatchlist, entryInput, PUBLISH_ALERT } from './support/builders';
import { expectError } from './support/expect';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { badImo, imoFrom } from './support/vessels';

let hub: TestHub;
const nl = tokenFor('nl-customs');
const be = tokenFor('be-customs');
const de = tokenFor('de-customs');
const fr = tokenFor('fr-douane');
/** The demo registry authority (policies/agencies.yaml registryAuthority: true). */
const authority = tokenFor('nl-rotterdam-pa');

const LADY_LEILA = '9683740';

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const IMPORT_REGISTRY = `mutation($format: RegistryFormat!, $content: String!, $source: String!) {
  importRegistry(format: $format, content: $content, source: $source) { rows created updated unchanged failed errors { line message } } }`;
const VESSEL = `query($imo: IMONumber!) { vessel(imo: $imo) {
  id imo name mmsi flag callSign vesselType formerNames provenance { field agencyCode source recordedAt } } }`;
const NODE_VESSEL = `query($id: ID!) { node(id: $id) { ... on Vessel { imo name mmsi flag formerNames } } }`;
const VESSELS = `query($name: String!) { vessels(filter: { nameContains: $name }) { totalCount edges { node { imo name } } } }`;

const readVessel = async (token: string, imo: string) => {
  const res = await hub.gql(token, VESSEL, { imo });
  expect(res.errors).toBeUndefined();
  return res.data!.vessel;
};

const importRegistry = (token: string, content: string, source = 'Register extract 2026-11-29', format = 'CSV') =>
  hub.gql(token, IMPORT_REGISTRY, { format, content, source });

describe('a RED watchlist entry on a new IMO number', () => {
  const imo = imoFrom(931001);
  let entryId: string;

  beforeAll(async () => {
    const wl = await createWatchlist(hub, nl, { tlp: 'RED' });
    entryId = await addWatchlistEntry(
      hub,
      nl,
      entryInput(wl, { imo, name: 'SECRET TARGET', mmsi: '244999001', flag: 'NL', callSign: 'PDXQ', vesselType: 'Tug' }, { tlp: 'RED' }),
    );
  });

  test('gives another agency no name or identifier of the entry, nor that a record names the IMO: by imo, node, federation, screening and the vessel list', async () => {
    // The owner reaches the vessel (its own entry names it): a row with the IMO alone.
    const own = await readVessel(nl, imo);
    expect(own).toMatchObject({
      imo,
      name: null,
      mmsi: null,
      flag: null,
      callSign: null,
      vesselType: null,
      formerNames: [],
      provenance: [],
    });
    const unknown = imoFrom(931999); // an IMO no record names
    for (const token of [be, de, tokenFor('nl-ect-terminal', ['viewer'])]) {
      // Answered as for an IMO the hub never heard of.
      expect(await readVessel(token, imo)).toBeNull();
      expect(await readVessel(token, unknown)).toBeNull();
      const byNode = await hub.gql(token, NODE_VESSEL, { id: own.id });
      expect(byNode.errors).toBeUndefined();
      expect(byNode.data!.node).toBeNull();
      const entities = await hub.gql(token, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Vessel { imo } } }`, {
        r: [{ __typename: 'Vessel', imo }],
      });
      expect(entities.data!._entities).toEqual([null]);
      const screened = await hub.gql(token, `query($imo: IMONumber!) { screenVessel(imo: $imo) { totalHits vessel { imo } } }`, { imo });
      expect(screened.data!.screenVessel).toEqual({ totalHits: 0, vessel: null });
      const listed = await hub.gql(token, VESSELS, { name: 'SECRET' });
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.vessels).toEqual({ totalCount: 0, edges: [] });
    }
  });

  test('keeps the vessel as given on the entry, for those who see the entry only', async () => {
    const ENTRY = `query($id: ID!) { node(id: $id) { ... on WatchlistEntry { vesselAsGiven { imo name mmsi flag callSign vesselType formerNames } } } }`;
    const own = await hub.gql(nl, ENTRY, { id: entryId });
    expect(own.errors).toBeUndefined();
    expect(own.data!.node.vesselAsGiven).toEqual({
      imo,
      name: 'SECRET TARGET',
      mmsi: '244999001',
      flag: 'NL',
      callSign: 'PDXQ',
      vesselType: 'Tug',
      formerNames: [],
    });
    const other = await hub.gql(be, ENTRY, { id: entryId });
    expect(other.errors).toBeUndefined();
    expect(other.data!.node).toBeNull();
    const throughVessel = await hub.gql(
      be,
      `query($imo: IMONumber!) { vessel(imo: $imo) { watchlistEntries { vesselAsGiven { name } } } }`,
      {
        imo,
      },
    );
    expect(throughVessel.data!.vessel).toBeNull();
  });

  test('screening by the name or MMSI it gives finds it for its owner and for no one else', async () => {
    const SCREEN = `query($name: String, $mmsi: MMSI) { screenVessel(name: $name, mmsi: $mmsi) {
      totalHits hits { matchedOn matchedName entry { id } } vessel { name } } }`;
    const mine = await hub.gql(nl, SCREEN, { name: 'Secret Target' });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.screenVessel.hits).toEqual([{ matchedOn: 'NAME', matchedName: 'SECRET TARGET', entry: { id: entryId } }]);
    const byMmsi = await hub.gql(nl, SCREEN, { mmsi: '244999001' });
    expect(byMmsi.data!.screenVessel.hits).toEqual([{ matchedOn: 'MMSI', matchedName: null, entry: { id: entryId } }]);
    for (const vars of [{ name: 'Secret Target' }, { mmsi: '244999001' }]) {
      const theirs = await hub.gql(be, SCREEN, vars);
      expect(theirs.errors).toBeUndefined();
      expect(theirs.data!.screenVessel).toEqual({ totalHits: 0, hits: [], vessel: null });
    }
  });
});

describe('a hidden RED alert naming LADY LEILA differently', () => {
  let alertId: string;

  beforeAll(async () => {
    const loaded = await importRegistry(
      authority,
      `imo,name,mmsi,flag,vesselType\n${LADY_LEILA},LADY LEILA,273340060,RU,Products Tanker\n`,
      'Port of Rotterdam arrival records',
    );
    expect(loaded.errors).toBeUndefined();
    expect(loaded.data!.importRegistry).toMatchObject({ rows: 1, created: 1, failed: 0 });
    const published = await hub.gql(fr, PUBLISH_ALERT, {
      input: alertInput(
        { tlp: 'RED', port: 'FRLEH', recipients: [] },
        { imo: LADY_LEILA, name: 'NORTHERN GHOST', mmsi: '123456789', flag: 'KP' },
      ),
    });
    expect(published.errors).toBeUndefined();
    alertId = published.data!.publishAlert.id;
  });

  test('changes nothing that others read of the vessel', async () => {
    for (const token of [nl, be, de, fr]) {
      const v = await readVessel(token, LADY_LEILA);
      expect(v).toMatchObject({ name: 'LADY LEILA', mmsi: '273340060', flag: 'RU', formerNames: [] });
      expect(JSON.stringify(v)).not.toMatch(/NORTHERN GHOST|123456789|"KP"/);
    }
    const listed = await hub.gql(be, VESSELS, { name: 'GHOST' });
    expect(listed.data!.vessels.totalCount).toBe(0);
  });

  test("keeps its author's identity on the alert, seen by its author alone", async () => {
    const ALERT = `query($id: ID!) { alert(id: $id) { vesselAsGiven { name mmsi flag } vessel { name } } }`;
    const own = await hub.gql(fr, ALERT, { id: alertId });
    expect(own.errors).toBeUndefined();
    expect(own.data!.alert).toEqual({
      vesselAsGiven: { name: 'NORTHERN GHOST', mmsi: '123456789', flag: 'KP' },
      vessel: { name: 'LADY LEILA' },
    });
    const other = await hub.gql(be, ALERT, { id: alertId });
    expect(other.errors).toBeUndefined();
    expect(other.data!.alert).toBeNull();
  });
});

describe('registry imports', () => {
  const imo = imoFrom(931002);

  test("an authority's import records values with their origin, and a rename keeps the former name", async () => {
    const first = await importRegistry(
      authority,
      `imo,name,mmsi,flag,callSign,vesselType\n${imo},BALTIC DAWN,244123001,NL,PBAA,Bulk Carrier\n`,
      'Register extract 2026-11-01',
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.importRegistry).toMatchObject({ rows: 1, created: 1, updated: 0, unchanged: 0, failed: 0 });
    const before = await readVessel(be, imo);
    expect(before).toMatchObject({ name: 'BALTIC DAWN', mmsi: '244123001', flag: 'NL', callSign: 'PBAA', vesselType: 'Bulk Carrier' });
    expect(before.provenance.map((p: { field: string }) => p.field)).toEqual(['name', 'mmsi', 'flag', 'callSign', 'vesselType']);
    for (const p of before.provenance) {
      expect(p).toMatchObject({ agencyCode: 'nl-rotterdam-pa', source: 'Register extract 2026-11-01' });
      expect(Date.parse(p.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
    }

    // The same file again changes nothing; a later source renames the vessel and keeps the rest.
    const again = await importRegistry(
      authority,
      `imo,name,mmsi,flag,callSign,vesselType\n${imo},BALTIC DAWN,244123001,NL,PBAA,Bulk Carrier\n`,
    );
    expect(again.data!.importRegistry).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const renamed = await importRegistry(
      authority,
      JSON.stringify([{ imo, name: 'NORTH DAWN', flag: 'PA' }]),
      'Register extract 2026-11-29',
      'JSON',
    );
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.importRegistry).toMatchObject({ updated: 1 });
    const after = await readVessel(de, imo);
    expect(after).toMatchObject({ name: 'NORTH DAWN', formerNames: ['BALTIC DAWN'], mmsi: '244123001', flag: 'PA', callSign: 'PBAA' });
    const origin = Object.fromEntries(after.provenance.map((p: { field: string; source: string }) => [p.field, p.source]));
    expect(origin).toEqual({
      name: 'Register extract 2026-11-29',
      mmsi: 'Register extract 2026-11-01',
      flag: 'Register extract 2026-11-29',
      callSign: 'Register extract 2026-11-01',
      vesselType: 'Register extract 2026-11-01',
      formerNames: 'Register extract 2026-11-29',
    });
  });

  test("a non-authority's import is FORBIDDEN, says why, and changes nothing", async () => {
    const content = `imo,name,flag\n${LADY_LEILA},HIJACKED NAME,KP\n`;
    for (const token of [nl, tokenFor('nl-ect-terminal', ['analyst'])]) {
      const res = await importRegistry(token, content);
      expectError(res, 'FORBIDDEN', /is not a registry authority \(registryAuthority in agencies\.yaml\)/);
      expect(res.data ?? null).toBeNull();
    }
    // An authority's viewer may read but not write.
    expectError(await importRegistry(tokenFor('nl-rotterdam-pa', ['viewer']), content), 'FORBIDDEN', /analyst role/);
    expect(await readVessel(be, LADY_LEILA)).toMatchObject({ name: 'LADY LEILA', flag: 'RU' });
  });

  test('bad rows are reported by line and the good ones load; a source is required', async () => {
    const res = await importRegistry(
      authority,
      `imo,name,mmsi\n${imoFrom(931003)},GOOD ONE,\n${badImo(931008)},BAD CHECK DIGIT,\n${imoFrom(931004)},,\n${imoFrom(931003)},TWICE,\n`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.importRegistry).toMatchObject({ rows: 4, created: 1, failed: 3 });
    expect(res.data!.importRegistry.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5]);
    expect(res.data!.importRegistry.errors[2].message).toMatch(/duplicate of line 2/);
    // A watchlist's column in a registry file: the file is refused whole, naming the registry's columns.
    const columns = await importRegistry(authority, `imo,name,reason\n${imoFrom(931005)},X,because\n`);
    expectError(
      columns,
      'BAD_USER_INPUT',
      /line 1: unknown column "reason"; the header names columns of: imo, mmsi, name, flag, callSign, vesselType, formerNames$/,
    );
    const keys = await importRegistry(
      authority,
      JSON.stringify([{ imo: imoFrom(931005), name: 'X', riskLevel: 'HIGH' }]),
      undefined,
      'JSON',
    );
    expect(keys.data!.importRegistry.errors[0].message).toMatch(/unknown key "riskLevel" \(the keys are imo, mmsi, name/);
    expectError(await importRegistry(authority, `imo,name\n${imoFrom(931006)},X\n`, '  '), 'BAD_USER_INPUT', /source must not be empty/);
  });
});

test('a watchlist import gives entries their vessel as the file names it and leaves the registry alone', async () => {
  const wl = await createWatchlist(hub, nl, { tlp: 'GREEN' });
  const imo = imoFrom(931007);
  await importRegistry(authority, `imo,name,flag\n${imo},TRUE NAME,MT\n`);
  const res = await hub.gql(
    nl,
    `mutation($id: ID!, $content: String!) { importWatchlistEntries(watchlistId: $id, format: CSV, content: $content) { created failed } }`,
    { id: wl, content: `imo,name,flag,formerNames,category,riskLevel,reason\n${imo},FILE NAME,PA,OLD FILE NAME,SMUGGLING,HIGH,r\n` },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.importWatchlistEntries).toEqual({ created: 1, failed: 0 });
  const v = await hub.gql(
    be,
    `query($imo: IMONumber!) { vessel(imo: $imo) { name flag formerNames watchlistEntries { vesselAsGiven { name flag formerNames } } } }`,
    {
      imo,
    },
  );
  expect(v.data!.vessel).toEqual({
    name: 'TRUE NAME',
    flag: 'MT',
    formerNames: [],
    watchlistEntries: [{ vesselAsGiven: { name: 'FILE NAME', flag: 'PA', formerNames: ['OLD FILE NAME'] } }],
  });
});
