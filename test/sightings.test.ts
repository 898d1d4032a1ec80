import { addWatchlistEntry, createWatchlist, entryInput } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { imoFrom } from './support/vessels';

let hub: TestHub;
const nl = tokenFor('nl-customs');
const nlAuditor = tokenFor('nl-customs', ['auditor']);
const be = tokenFor('be-customs', ['analyst'], { purpose: 'LAW_ENFORCEMENT' }); // sees nl entries by agreement
const beViewer = tokenFor('be-customs', ['viewer'], { purpose: 'LAW_ENFORCEMENT' });
const bc = tokenFor('be-coastguard', ['analyst'], { purpose: 'LAW_ENFORCEMENT' }); // same agreement
const de = tokenFor('de-customs', ['analyst']); // no purpose: sees nothing of the AMBER list

let entryId: string;
let redEntryId: string;

const REPORT = `mutation($entryId: ID!, $input: SightingInput!) { reportSighting(entryId: $entryId, input: $input) {
  id port observedAt outcome note reportedBy { code } entry { id access { basis } } } }`;
const ENTRY = `query($id: ID!) { node(id: $id) { ... on WatchlistEntry { id falsePositiveCount
  sightings { id outcome reportedBy { code } } access { basis redactedFields } } } }`;

beforeAll(async () => {
  hub = await startTestHub();
  const watchlistId = await createWatchlist(hub, nl, { name: 'Sightings' });
  const vessel = { imo: imoFrom(912345), name: 'GREY GOOSE' };
  entryId = await addWatchlistEntry(hub, nl, entryInput(watchlistId, vessel));
  redEntryId = await addWatchlistEntry(hub, nl, entryInput(watchlistId, vessel, { tlp: 'RED' }));
});
afterAll(() => hub.stop());

const observedAt = '2026-11-20T08:30:00Z';

describe('reporting', () => {
  let confirmedId: string;

  test('a partner that sees the entry reports a confirmed sighting', async () => {
    const res = await hub.gql(be, REPORT, {
      entryId,
      input: { port: 'BEANR', observedAt, outcome: 'CONFIRMED', note: 'Berth 1742, crew list matches' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.reportSighting).toMatchObject({
      port: 'BEANR',
      observedAt: '2026-11-20T08:30:00.000Z',
      outcome: 'CONFIRMED',
      reportedBy: { code: 'be-customs' },
      entry: { id: entryId, access: { basis: 'AGREEMENT' } },
    });
    confirmedId = res.data!.reportSighting.id;
    expect(confirmedId).toMatch(/^Sighting:/);
  });

  test('false positives need a note, and are counted for the owner', async () => {
    const noNote = await hub.gql(be, REPORT, { entryId, input: { observedAt, outcome: 'FALSE_POSITIVE' } });
    expect(noNote.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(noNote.errors?.[0].message).toMatch(/needs a note/);
    for (const token of [be, bc]) {
      const res = await hub.gql(token, REPORT, {
        entryId,
        input: { port: 'BEZEE', observedAt, outcome: 'FALSE_POSITIVE', note: 'Same name, other hull' },
      });
      expect(res.errors).toBeUndefined();
    }
    const owner = await hub.gql(nl, ENTRY, { id: entryId });
    expect(owner.errors).toBeUndefined();
    expect(owner.data!.node.falsePositiveCount).toBe(2);
    expect(owner.data!.node.sightings).toHaveLength(3);
    // owner-only fields are not "redacted intelligence": redactedFields stays about sensitive fields
    expect(owner.data!.node.access).toEqual({ basis: 'OWNER', redactedFields: [] });
  });

  test('the reporter sees its own sightings only, and not the count', async () => {
    const res = await hub.gql(be, ENTRY, { id: entryId });
    expect(res.data!.node.sightings.map((s: { reportedBy: { code: string } }) => s.reportedBy.code)).toEqual(['be-customs', 'be-customs']);
    expect(res.data!.node.falsePositiveCount).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['node', 'falsePositiveCount'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
    expect(res.data!.node.access.redactedFields).toEqual(['relatedParties']); // the agreement releases source and notes
  });

  test('nobody else sees them, by any path', async () => {
    const list = await hub.gql(de, `{ sightings { totalCount edges { node { id } } } }`);
    expect(list.data!.sightings).toEqual({ totalCount: 0, edges: [] });
    const byId = await hub.gql(de, `query($id: ID!) { node(id: $id) { id } }`, { id: confirmedId });
    expect(byId.data!.node).toBeNull();
    const fr = await hub.gql(tokenFor('fr-douane'), `{ sightings { totalCount } }`);
    expect(fr.data!.sightings.totalCount).toBe(0);
    // be-coastguard sees the entry too, but only its own sighting on it
    const other = await hub.gql(bc, `{ sightings { totalCount edges { node { reportedBy { code } } } } }`);
    expect(other.data!.sightings.totalCount).toBe(1);
  });

  test('the owner lists every sighting of its entries, newest first, and can filter', async () => {
    const all = await hub.gql(nl, `{ sightings { totalCount edges { node { outcome reportedBy { code } entry { id } } } } }`);
    expect(all.data!.sightings.totalCount).toBe(3);
    const fp = await hub.gql(nl, `{ sightings(filter: { outcome: FALSE_POSITIVE }) { totalCount } }`);
    expect(fp.data!.sightings.totalCount).toBe(2);
    const mine = await hub.gql(be, `{ sightings(filter: { reportedByMe: true }) { totalCount } }`);
    expect(mine.data!.sightings.totalCount).toBe(2);
    const node = await hub.gql(nl, `query($id: ID!) { node(id: $id) { ... on Sighting { id note } } }`, { id: confirmedId });
    expect(node.data!.node).toEqual({ id: confirmedId, note: 'Berth 1742, crew list matches' });
  });

  test('an entry the caller cannot see does not exist for it; viewers and future times are refused', async () => {
    const hidden = await hub.gql(be, REPORT, { entryId: redEntryId, input: { observedAt, outcome: 'CONFIRMED' } });
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const unseen = await hub.gql(de, REPORT, { entryId, input: { observedAt, outcome: 'CONFIRMED' } });
    expect(unseen.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const viewer = await hub.gql(beViewer, REPORT, { entryId, input: { observedAt, outcome: 'CONFIRMED' } });
    expect(viewer.errors?.[0]).toMatchObject({
      message: 'not allowed: reporting a sighting needs the analyst role',
      extensions: { code: 'FORBIDDEN' },
    });
    const future = await hub.gql(be, REPORT, { entryId, input: { observedAt: '2099-01-01T00:00:00Z', outcome: 'CONFIRMED' } });
    expect(future.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test("the owner's auditor sees who reported on its entries", async () => {
    const res = await hub.gql(nlAuditor, `{ auditTrail(first: 100) { edges { node { operation agency { code } recordIds } } } }`);
    const reports = res
      .data!.auditTrail.edges.map((e: { node: { operation: string } }) => e.node)
      .filter((n: { operation: string }) => n.operation === 'reportSighting');
    expect(reports).toHaveLength(3);
    expect(reports[0].recordIds).toContain(entryId);
  });
});

describe('entry history', () => {
  const HISTORY = `query($id: ID!) { node(id: $id) { ... on WatchlistEntry { history { version operation changedBy
    changedByAgency { code } changedAt changes { field from to } } } } }`;

  test('updates and removal keep earlier versions, queryable by the owner only', async () => {
    await hub.gql(nl, `mutation($id: ID!) { updateWatchlistEntry(id: $id, input: { riskLevel: CRITICAL, notes: "escalated" }) { id } }`, {
      id: entryId,
    });
    await hub.gql(nl, `mutation($id: ID!) { removeWatchlistEntry(id: $id) { id } }`, { id: entryId });
    const res = await hub.gql(nl, HISTORY, { id: entryId });
    expect(res.errors).toBeUndefined();
    const history = res.data!.node.history;
    expect(history.map((v: { version: number; operation: string }) => [v.version, v.operation])).toEqual([
      [1, 'CREATE'],
      [2, 'UPDATE'],
      [3, 'REMOVE'],
    ]);
    expect(history[0]).toMatchObject({ changedBy: 'dev-nl-customs', changedByAgency: { code: 'nl-customs' } });
    expect(history[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'riskLevel', from: null, to: 'HIGH' },
        { field: 'reason', from: null, to: 'r' },
      ]),
    );
    expect(history[1].changes).toEqual([
      { field: 'riskLevel', from: 'HIGH', to: 'CRITICAL' },
      { field: 'notes', from: null, to: 'escalated' },
    ]);
    expect(history[2].changes).toHaveLength(1);
    expect(history[2].changes[0]).toMatchObject({ field: 'validUntil', from: null });

    const partner = await hub.gql(be, HISTORY, { id: entryId });
    expect(partner.data!.node.history).toBeNull();
    expect(partner.errors?.[0]).toMatchObject({
      message: 'WatchlistEntry.history is shown only to the owning agency',
      extensions: { code: 'FORBIDDEN' },
    });
  });
});
