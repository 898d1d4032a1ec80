/**
 * Migration 1764000000800-VesselRegistry on a database written by the hub before it: records take
 * the vessel row as it stood as their own identity, and the registry keeps the IMO number alone,
 * so a name that hidden records had put there stops being served to everyone.
 */
import { addWatchlistEntry, createWatchlist, entryInput, PUBLISH_ALERT, alertInput } from './support/builders';
import { createTestDatabase, type TestDatabase } from './support/db';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { imoFrom } from './support/vessels';

const MIGRATION = 'VesselRegistry1764000000800';
const IMO = imoFrom(932001);
const nl = tokenFor('nl-customs');
const be = tokenFor('be-customs');

let database: TestDatabase;
let hub: TestHub;
let entryId: string;
let alertId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const before = await startTestHub({ database });
  const wl = await createWatchlist(before, nl, { tlp: 'RED' });
  entryId = await addWatchlistEntry(before, nl, entryInput(wl, { imo: IMO, name: 'PLACEHOLDER' }, { tlp: 'RED' }));
  const published = await before.gql(nl, PUBLISH_ALERT, { input: alertInput({ tlp: 'RED' }, { imo: IMO, name: 'PLACEHOLDER' }) });
  expect(published.errors).toBeUndefined();
  alertId = published.data!.publishAlert.id;
  await before.stop();

  // Back to the schema before the migration (undoing any later one first), with the vessel row as
  // the old hub left it: rewritten by the last record that named the vessel, here a RED one.
  const ran = async () => (await database.db.query('SELECT name FROM migrations')).map((r: { name: string }) => r.name);
  while ((await ran()).includes(MIGRATION)) await database.db.undoLastMigration();
  await database.db.query(
    `UPDATE vessels SET name = 'RED SECRET', mmsi = '244777001', flag = 'KP', call_sign = 'XYZ1', vessel_type = 'Tanker',
       former_names = '{OLD SECRET}' WHERE imo = $1`,
    [IMO],
  );
  // The old hub's entry versions did not carry the vessel as given.
  await database.db.query(`UPDATE watchlist_entry_versions SET snapshot = snapshot - 'vesselAsGiven'`);
  await database.db.runMigrations({ transaction: 'each' });
  hub = await startTestHub({ database });
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  await database?.drop();
});

test('the registry keeps the IMO number alone: no name or identifier, no origin', async () => {
  const res = await hub.gql(
    be,
    `query($imo: IMONumber!) { vessel(imo: $imo) { imo name mmsi flag callSign vesselType formerNames provenance { field } } }`,
    {
      imo: IMO,
    },
  );
  expect(res.errors).toBeUndefined();
  // be-customs sees no record about it: a vessel the registry does not name is not shown to it at all.
  expect(res.data!.vessel).toBeNull();
  const owner = await hub.gql(
    nl,
    `query($imo: IMONumber!) { vessel(imo: $imo) { imo name mmsi flag callSign vesselType formerNames provenance { field } } }`,
    { imo: IMO },
  );
  expect(owner.data!.vessel).toEqual({
    imo: IMO,
    name: null,
    mmsi: null,
    flag: null,
    callSign: null,
    vesselType: null,
    formerNames: [],
    provenance: [],
  });
  const screened = await hub.gql(be, `{ screenVessel(name: "Red Secret") { totalHits hits { matchedName } } }`);
  expect(screened.data!.screenVessel).toEqual({ totalHits: 0, hits: [] });
});

test('each record takes the row as it stood as the vessel as given, seen by those who see the record', async () => {
  const given = {
    imo: IMO,
    name: 'RED SECRET',
    mmsi: '244777001',
    flag: 'KP',
    callSign: 'XYZ1',
    vesselType: 'Tanker',
    formerNames: ['OLD SECRET'],
  };
  const SELECTION = 'vesselAsGiven { imo name mmsi flag callSign vesselType formerNames }';
  const entry = await hub.gql(nl, `query($id: ID!) { node(id: $id) { ... on WatchlistEntry { ${SELECTION} } } }`, { id: entryId });
  expect(entry.errors).toBeUndefined();
  expect(entry.data!.node.vesselAsGiven).toEqual(given);
  const alert = await hub.gql(nl, `query($id: ID!) { alert(id: $id) { ${SELECTION} } }`, { id: alertId });
  expect(alert.data!.alert.vesselAsGiven).toEqual(given);
  // So does each saved version of the entry, which a sighting's reporter may be shown.
  const versions: { given: unknown }[] = await database.db.query(
    `SELECT snapshot->'vesselAsGiven' AS given FROM watchlist_entry_versions WHERE entry_id = $1`,
    [entryId.replace(/^WatchlistEntry:/, '')],
  );
  expect(versions.length).toBeGreaterThan(0);
  for (const v of versions) expect(v.given).toEqual(given);
  // Screening by the names the entry now gives, current and former, finds it for its owner.
  for (const name of ['Red Secret', 'Old Secret']) {
    const screened = await hub.gql(nl, `query($name: String!) { screenVessel(name: $name) { hits { matchedName entry { id } } } }`, {
      name,
    });
    expect(screened.data!.screenVessel.hits).toEqual([{ matchedName: name.toUpperCase(), entry: { id: entryId } }]);
  }
});
