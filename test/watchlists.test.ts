import { createWatchlist } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';

let hub: TestHub;
const nl = tokenFor('nl-customs');
const be = tokenFor('be-customs');

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const CREATE = `mutation($input: CreateWatchlistInput!) { createWatchlist(input: $input) { id name tlp jurisdiction ownerAgency { code } access { basis } } }`;
const ADD = `mutation($input: AddWatchlistEntryInput!) { addWatchlistEntry(input: $input) {
  id tlp jurisdiction reason source validUntil vessel { imo name formerNames } vesselAsGiven { imo name mmsi flag formerNames }
  watchlist { id } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWatchlistEntryInput!) { updateWatchlistEntry(id: $id, input: $input) { id riskLevel tlp notes } }`;
const REMOVE = `mutation($id: ID!) { removeWatchlistEntry(id: $id) { id validUntil } }`;

const newList = (tlp = 'AMBER') => createWatchlist(hub, nl, { tlp });

const vessel = { imo: 'IMO 9074729', name: 'OCEAN STAR', mmsi: '244123456', flag: 'NL' };

test('an analyst creates a watchlist owned by its agency', async () => {
  const res = await hub.gql(nl, CREATE, { input: { name: '  Rotterdam risk  ', tlp: 'AMBER', jurisdiction: 'NL' } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.createWatchlist).toMatchObject({
    name: 'Rotterdam risk',
    tlp: 'AMBER',
    jurisdiction: 'NL',
    ownerAgency: { code: 'nl-customs' },
    access: { basis: 'OWNER' },
  });
  expect(res.data!.createWatchlist.id).toMatch(/^Watchlist:[0-9a-f-]{36}$/);
});

test('an entry inherits TLP and jurisdiction from its list, and keeps the vessel as given, linked to the registry by IMO', async () => {
  const watchlistId = await newList('AMBER');
  const res = await hub.gql(nl, ADD, {
    input: { watchlistId, vessel, category: 'SMUGGLING', riskLevel: 'HIGH', reason: 'Cocaine in reefer containers', source: 'FIOD' },
  });
  expect(res.errors).toBeUndefined();
  expect(res.data!.addWatchlistEntry).toMatchObject({
    tlp: 'AMBER',
    jurisdiction: 'NL',
    source: 'FIOD',
    validUntil: null,
    // The registry learns nothing from a record: only its authorities name vessels.
    vessel: { imo: '9074729', name: null, formerNames: [] },
    vesselAsGiven: { imo: '9074729', name: 'OCEAN STAR', mmsi: '244123456', flag: 'NL', formerNames: [] },
    watchlist: { id: watchlistId },
  });

  // The same IMO under another name: each entry keeps its own, and both link to the one vessel.
  const renamed = await hub.gql(nl, ADD, {
    input: { watchlistId, vessel: { imo: '9074729', name: 'SEA STAR' }, category: 'SMUGGLING', riskLevel: 'LOW', reason: 'renamed' },
  });
  expect(renamed.errors).toBeUndefined();
  expect(renamed.data!.addWatchlistEntry.vessel).toEqual({ imo: '9074729', name: null, formerNames: [] });
  expect(renamed.data!.addWatchlistEntry.vesselAsGiven).toEqual({
    imo: '9074729',
    name: 'SEA STAR',
    mmsi: null,
    flag: null,
    formerNames: [],
  });
});

test('an entry may not be marked looser than its watchlist', async () => {
  const watchlistId = await newList('AMBER_STRICT');
  const res = await hub.gql(nl, ADD, {
    input: { watchlistId, vessel, category: 'SMUGGLING', riskLevel: 'HIGH', reason: 'x', tlp: 'GREEN' },
  });
  expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(res.errors?.[0].message).toMatch(/GREEN is looser than the watchlist's AMBER_STRICT/);
  const count = await hub.gql(nl, `query($id: ID!) { watchlist(id: $id) { entries { totalCount } } }`, { id: watchlistId });
  expect(count.data!.watchlist.entries.totalCount).toBe(0);
});

test('bad input is refused with a message naming the field, and nothing is written', async () => {
  const watchlistId = await newList();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ reason: '   ' }, /reason must not be empty/],
    [{ reason: 'x'.repeat(2001) }, /reason must be at most 2000 characters/],
    [{ recipients: ['no-such-agency'] }, /unknown agency code "no-such-agency"/],
    [{ validFrom: '2026-05-01T00:00:00Z', validUntil: '2026-04-01T00:00:00Z' }, /validUntil must not be before validFrom/],
  ];
  for (const [override, message] of cases) {
    const res = await hub.gql(nl, ADD, {
      input: { watchlistId, vessel, category: 'SMUGGLING', riskLevel: 'HIGH', reason: 'ok', ...override },
    });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(message);
  }
  const count = await hub.gql(nl, `query($id: ID!) { watchlist(id: $id) { entries { totalCount } } }`, { id: watchlistId });
  expect(count.data!.watchlist.entries.totalCount).toBe(0);
});

test('updates and removal keep every version, with who and what', async () => {
  const watchlistId = await newList();
  const added = await hub.gql(nl, ADD, {
    input: { watchlistId, vessel, category: 'SMUGGLING', riskLevel: 'MEDIUM', reason: 'first' },
  });
  const id = added.data!.addWatchlistEntry.id;
  const updated = await hub.gql(nl, UPDATE, { id, input: { riskLevel: 'CRITICAL', tlp: 'RED', notes: 'escalated' } });
  expect(updated.errors).toBeUndefined();
  expect(updated.data!.updateWatchlistEntry).toMatchObject({ riskLevel: 'CRITICAL', tlp: 'RED', notes: 'escalated' });

  const removed = await hub.gql(nl, REMOVE, { id });
  expect(removed.errors).toBeUndefined();
  expect(Date.parse(removed.data!.removeWatchlistEntry.validUntil)).toBeLessThanOrEqual(Date.now());
  const again = await hub.gql(nl, REMOVE, { id });
  expect(again.errors?.[0].message).toMatch(/already ended/);

  const versions = await hub.database.db.query(
    `SELECT version, operation, changed_by, changed_by_agency, snapshot->>'riskLevel' AS risk
     FROM watchlist_entry_versions WHERE entry_id = $1 ORDER BY version`,
    [id.split(':')[1]],
  );
  expect(versions).toEqual([
    { version: 1, operation: 'CREATE', changed_by: 'dev-nl-customs', changed_by_agency: 'nl-customs', risk: 'MEDIUM' },
    { version: 2, operation: 'UPDATE', changed_by: 'dev-nl-customs', changed_by_agency: 'nl-customs', risk: 'CRITICAL' },
    { version: 3, operation: 'REMOVE', changed_by: 'dev-nl-customs', changed_by_agency: 'nl-customs', risk: 'CRITICAL' },
  ]);

  const active = await hub.gql(
    nl,
    `query($id: ID!) { watchlistEntries(filter: { watchlistId: $id, activeOnly: true }) { totalCount }
    all: watchlistEntries(filter: { watchlistId: $id }) { totalCount } }`,
    { id: watchlistId },
  );
  expect(active.data).toEqual({ watchlistEntries: { totalCount: 0 }, all: { totalCount: 1 } });
});

test('another agency cannot add to, change or remove a list it can see but does not own', async () => {
  const watchlistId = await newList('GREEN'); // GREEN: every public agency sees it
  const added = await hub.gql(nl, ADD, { input: { watchlistId, vessel, category: 'THEFT', riskLevel: 'LOW', reason: 'r' } });
  const id = added.data!.addWatchlistEntry.id;
  const foreignAdd = await hub.gql(be, ADD, { input: { watchlistId, vessel, category: 'THEFT', riskLevel: 'LOW', reason: 'r' } });
  expect(foreignAdd.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const foreignUpdate = await hub.gql(be, UPDATE, { id, input: { riskLevel: 'HIGH' } });
  expect(foreignUpdate.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const foreignRemove = await hub.gql(be, REMOVE, { id });
  expect(foreignRemove.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const viewer = await hub.gql(tokenFor('nl-customs', ['viewer']), UPDATE, { id, input: { riskLevel: 'HIGH' } });
  expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('filters narrow the entries list, and totalCount follows the filter', async () => {
  const watchlistId = await newList();
  for (const [imo, category, riskLevel] of [
    ['9176187', 'SMUGGLING', 'LOW'],
    ['9187629', 'PIRACY', 'HIGH'],
    ['9187655', 'PIRACY', 'CRITICAL'],
  ]) {
    await hub.gql(nl, ADD, { input: { watchlistId, vessel: { imo, name: `V${imo}` }, category, riskLevel, reason: 'r' } });
  }
  const q = `query($f: WatchlistEntryFilter) { watchlistEntries(filter: $f) { totalCount edges { node { vessel { imo } } } } }`;
  const piracyHigh = await hub.gql(nl, q, { f: { watchlistId, categories: ['PIRACY'], minRiskLevel: 'CRITICAL' } });
  expect(piracyHigh.data!.watchlistEntries.totalCount).toBe(1);
  expect(piracyHigh.data!.watchlistEntries.edges[0].node.vessel.imo).toBe('9187655');
  const byImo = await hub.gql(nl, q, { f: { watchlistId, imo: '9176187' } });
  expect(byImo.data!.watchlistEntries.totalCount).toBe(1);
});

test('first: 0 returns no edges but tells whether there are any', async () => {
  await newList();
  const res = await hub.gql(nl, '{ watchlists(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }');
  expect(res.data!.watchlists.edges).toEqual([]);
  expect(res.data!.watchlists.totalCount).toBeGreaterThan(0);
  expect(res.data!.watchlists.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
});
