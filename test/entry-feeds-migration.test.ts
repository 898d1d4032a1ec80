/**
 * Migration 1764000001800-EntryFeedsAndParties on a database written by the hub before it:
 * entries imported before feeds existed get the feed an import gives them today, so the first
 * replace after the upgrade ends the right ones; entries added by hand get none and stay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addWatchlistEntry, createWatchlist, entryInput } from './support/builders';
import { createTestDatabase, type TestDatabase } from './support/db';
import { startTestHub, tokenFor, type TestHub } from './support/hub';

const MIGRATION = 'EntryFeedsAndParties1764000001800';
const nl = tokenFor('nl-customs');
const OFAC_ROWS = fs
  .readFileSync(path.resolve(__dirname, '../../shared/data/ofac-sdn-vessels-2024-05-03.csv'), 'utf8')
  .split('\n')
  .filter((l) => /^(4243|4249),/.test(l)) // EBANO and TIFON
  .map((l) => `${l}\n`);
const IMPORT = `mutation($id: ID!, $format: ImportFormat!, $content: String!, $mode: ImportMode!) {
  importWatchlistEntries(watchlistId: $id, format: $format, content: $content, mode: $mode) { created ended examples { ended { ref } } } }`;

let database: TestDatabase;
let hub: TestHub;
let listId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const before = await startTestHub({ database });
  listId = await createWatchlist(before, nl);
  for (const [format, content] of [
    ['OFAC_SDN', OFAC_ROWS.join('')],
    ['CSV', 'imo,name,category,riskLevel,reason\n7406784,EBANO,SMUGGLING,HIGH,seen in Rotterdam\n'],
  ]) {
    const res = await before.gql(nl, IMPORT, { id: listId, format, content, mode: 'MERGE' });
    expect(res.errors).toBeUndefined();
  }
  await addWatchlistEntry(before, nl, entryInput(listId, { imo: '7206512', name: 'TIFON' }));
  await before.stop();

  // Back to the schema before the migration, then up again: the entries as the old hub left them.
  const ran = async () => (await database.db.query('SELECT name FROM migrations')).map((r: { name: string }) => r.name);
  while ((await ran()).includes(MIGRATION)) await database.db.undoLastMigration();
  await database.db.runMigrations({ transaction: 'each' });
  hub = await startTestHub({ database });
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  await database?.drop();
});

test('imported entries get the feed of their format, hand entries none, and no related parties yet', async () => {
  const rows = await database.db.query(
    `SELECT external_ref, feed, related_parties FROM watchlist_entries ORDER BY external_ref NULLS LAST`,
  );
  expect(rows).toEqual([
    { external_ref: 'IMO:7406784', feed: 'FILE', related_parties: [] },
    { external_ref: 'OFAC:4243', feed: 'OFAC_SDN', related_parties: [] },
    { external_ref: 'OFAC:4249', feed: 'OFAC_SDN', related_parties: [] },
    { external_ref: null, feed: null, related_parties: [] },
  ]);
});

test('the first replace after the upgrade ends only the OFAC entry the file no longer lists', async () => {
  const res = await hub.gql(nl, IMPORT, { id: listId, format: 'OFAC_SDN', content: OFAC_ROWS[1], mode: 'REPLACE' });
  expect(res.errors).toBeUndefined();
  expect(res.data!.importWatchlistEntries).toEqual({ created: 0, ended: 1, examples: { ended: [{ ref: 'OFAC:4243' }] } });
  const inForce = await database.db.query(
    `SELECT external_ref FROM watchlist_entries WHERE valid_until IS NULL OR valid_until > now() ORDER BY external_ref NULLS LAST`,
  );
  expect(inForce.map((r: { external_ref: string | null }) => r.external_ref)).toEqual(['IMO:7406784', 'OFAC:4249', null]);
});
