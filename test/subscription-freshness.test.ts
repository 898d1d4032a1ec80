/**
 * Every event of a live subscription is executed with what the hub holds when the event is
 * delivered, not with what it held at the subscription's first event: an owner watching alerts
 * on a listed vessel sees the entry's sightings and history as they are now. Loaders kept per
 * request context (sightings, entry history) must therefore not outlive the event they served.
 */
import { addWatchlistEntry, alertInput, createWatchlist, entryInput, PUBLISH_ALERT } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { tokenOf } from './support/stream';
import { Subscriber } from './support/subscriber';
import { imoFrom } from './support/vessels';

const WITH_ENTRIES = `subscription($after: String) {
  vesselAlerts(after: $after) {
    sequence kind alertId
    alert { id title vessel { imo watchlistEntries {
      id riskLevel
      sightings { id outcome reportedBy { code } }
      history { version operation }
    } } }
  }
}`;

type EntryView = {
  id: string;
  riskLevel: string;
  sightings: { id: string; outcome: string; reportedBy: { code: string } }[];
  history: { version: number; operation: string }[] | null;
};
type Event = {
  sequence: string;
  kind: string;
  alertId: string;
  alert: { id: string; title: string; vessel: { imo: string; watchlistEntries: EntryView[] } } | null;
};

const owner = tokenFor('nl-customs'); // an analyst of the entry's owner: owner-class fields are released to it
const partner = tokenFor('be-customs', ['analyst'], { purpose: 'LAW_ENFORCEMENT' }); // sees nl-customs' AMBER entries by agreement
const IMO = imoFrom(951753);

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.stop());

async function must(token: string, query: string, variables: Record<string, unknown>) {
  const res = await hub.gql(token, query, variables);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const reportSighting = (entryId: string, note: string) =>
  must(partner, `mutation($entryId: ID!, $input: SightingInput!) { reportSighting(entryId: $entryId, input: $input) { id } }`, {
    entryId,
    input: { port: 'BEANR', observedAt: new Date(Date.now() - 3_600_000).toISOString(), outcome: 'CONFIRMED', note },
  });

test("a subscriber's later event shows the entry's sightings and history as they are then, not as at its first event", async () => {
  const watchlistId = await createWatchlist(hub, owner, { name: 'Freshness' });
  const entryId = await addWatchlistEntry(hub, owner, entryInput(watchlistId, { imo: IMO, name: 'FRESH WATER' }));
  const first = (await reportSighting(entryId, 'first look')).reportSighting.id;

  // `after` the stream's start: replays anything published before the subscription is registered, so no wait for it.
  const sub = new Subscriber<Event>(hub, owner, { after: await tokenOf(hub, 0n) }, { query: WITH_ENTRIES });
  try {
    const one = await must(owner, PUBLISH_ALERT, { input: alertInput({ title: 'event 1' }, { imo: IMO, name: 'FRESH WATER' }) });
    const [event1] = await sub.waitFor(1);
    expect(sub.results[0]?.errors).toBeUndefined();
    expect(event1).toMatchObject({
      sequence: one.publishAlert.sequence,
      kind: 'PUBLISHED',
      alert: { title: 'event 1', vessel: { imo: IMO } },
    });
    expect(event1.alert!.vessel.watchlistEntries).toEqual([
      {
        id: entryId,
        riskLevel: 'HIGH',
        sightings: [{ id: first, outcome: 'CONFIRMED', reportedBy: { code: 'be-customs' } }],
        history: [{ version: 1, operation: 'CREATE' }],
      },
    ]);

    // Between the events: one more sighting (N + 1) and an update (version V + 1).
    const second = (await reportSighting(entryId, 'second look')).reportSighting.id;
    await must(owner, `mutation($id: ID!) { updateWatchlistEntry(id: $id, input: { riskLevel: CRITICAL }) { id } }`, { id: entryId });

    const two = await must(owner, PUBLISH_ALERT, { input: alertInput({ title: 'event 2' }, { imo: IMO, name: 'FRESH WATER' }) });
    const [, event2] = await sub.waitFor(2);
    expect(sub.results[1]?.errors).toBeUndefined();
    expect(event2).toMatchObject({
      sequence: two.publishAlert.sequence,
      kind: 'PUBLISHED',
      alert: { title: 'event 2', vessel: { imo: IMO } },
    });
    // The entry itself comes from a per-event loader, so its risk level is current either way.
    expect(event2.alert!.vessel.watchlistEntries).toEqual([
      {
        id: entryId,
        riskLevel: 'CRITICAL',
        sightings: [
          { id: second, outcome: 'CONFIRMED', reportedBy: { code: 'be-customs' } },
          { id: first, outcome: 'CONFIRMED', reportedBy: { code: 'be-customs' } },
        ],
        history: [
          { version: 1, operation: 'CREATE' },
          { version: 2, operation: 'UPDATE' },
        ],
      },
    ]);
  } finally {
    await sub.close();
  }
});
