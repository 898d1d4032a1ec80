/**
 * Feedback reaches the owner (src/watchlist/entry-feedback.ts, src/screening/false-positive-memory.ts),
 * against a running hub: Dutch Customs owns an AMBER entry that the Belgian services see under the
 * narcotics agreement.
 *
 * - a partner's sighting reaches the owner's analysts live (entryFeedback); a third agency that
 *   sees the entry gets nothing (its first event is a later sighting on its own entry); viewers
 *   may not subscribe;
 * - and reaches the owner's webhook, signed, as ENTRY_FEEDBACK; a third agency's webhook gets
 *   nothing (its first delivery is a later sighting on its own entry);
 * - a false positive reported with the identifiers screened marks the next screening of the same
 *   identity (falsePositiveReported { at by }) for the reporter and the owner, not for a third
 *   agency, and not for another identity.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../src/webhook/signature';
import { expectError } from './support/expect';
import { addWatchlistEntry, createWatchlist, entryInput } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { LiveSubscriber } from './support/live-subscriber';
import { imoFrom } from './support/vessels';
import { pollUntil } from './support/wait';

let hub: TestHub;
const nl = tokenFor('nl-customs');
const be = tokenFor('be-customs', ['analyst'], { purpose: 'LAW_ENFORCEMENT' }); // sees nl entries by agreement
const bc = tokenFor('be-coastguard', ['analyst'], { purpose: 'LAW_ENFORCEMENT' }); // same agreement: a third agency here
const IMO = imoFrom(934567);
const OTHER_IMO = imoFrom(934568);

let entryId: string;
let coastguardEntryId: string;

const REPORT = `mutation($entryId: ID!, $input: SightingInput!) { reportSighting(entryId: $entryId, input: $input) { id } }`;
const FEEDBACK = `subscription { entryFeedback { id outcome note port reportedBy { code } entry { id } } }`;
const SCREEN = `query($imo: IMONumber, $name: String) { screenVessel(imo: $imo, name: $name) {
  hits { entry { id } falsePositiveReported { at by { code } } } } }`;

type Feedback = { id: string; outcome: string; note: string | null; reportedBy: { code: string }; entry: { id: string } };
type Hit = { entry: { id: string }; falsePositiveReported: { at: string; by: { code: string } } | null };

const observedAt = '2026-11-20T08:30:00Z';

beforeAll(async () => {
  hub = await startTestHub({ webhooks: { allowInsecureLoopback: true, pollMs: 40, retryBaseMs: 100, retryMaxMs: 400 } });
  const watchlistId = await createWatchlist(hub, nl, { name: 'Feedback' });
  entryId = await addWatchlistEntry(hub, nl, entryInput(watchlistId, { imo: IMO, name: 'GREY HERON' }));
  // Belgian Coast Guard's own entry, GREEN: every public agency sees it.
  const bcList = await createWatchlist(hub, bc, { name: 'Coast guard', tlp: 'GREEN', jurisdiction: 'BE' });
  coastguardEntryId = await addWatchlistEntry(hub, bc, entryInput(bcList, { imo: OTHER_IMO, name: 'BLUE HERON' }));
}, 60_000);
afterAll(() => hub.stop());

const hitOn = async (token: string, vars: Record<string, unknown>, id = entryId): Promise<Hit | undefined> => {
  const res = await hub.gql(token, SCREEN, vars);
  expect(res.errors).toBeUndefined();
  return (res.data!.screenVessel.hits as Hit[]).find((h) => h.entry.id === id);
};

describe('a sighting reaches the entry owner', () => {
  it("live, for the owner's analysts; not for a third agency, whose first event is its own later feedback", async () => {
    const owner = new LiveSubscriber<Feedback>(hub, nl, 'entryFeedback', FEEDBACK);
    const third = new LiveSubscriber<Feedback>(hub, bc, 'entryFeedback', FEEDBACK);
    await Promise.all([owner.ready(), third.ready()]);
    try {
      const res = await hub.gql(be, REPORT, {
        entryId,
        input: { port: 'BEANR', observedAt, outcome: 'CONFIRMED', note: 'Berth 1742, crew list matches' },
      });
      expect(res.errors).toBeUndefined();
      const [event] = await owner.waitFor(1);
      expect(event).toEqual({
        id: res.data!.reportSighting.id,
        outcome: 'CONFIRMED',
        note: 'Berth 1742, crew list matches',
        port: 'BEANR',
        reportedBy: { code: 'be-customs' },
        entry: { id: entryId },
      });

      // A later sighting on Belgian Coast Guard's own entry: the first thing its subscriber gets.
      const later = await hub.gql(be, REPORT, { entryId: coastguardEntryId, input: { observedAt, outcome: 'CONFIRMED' } });
      expect(later.errors).toBeUndefined();
      const [first] = await third.waitFor(1);
      expect(first).toMatchObject({ id: later.data!.reportSighting.id, entry: { id: coastguardEntryId } });
      expect(third.events).toHaveLength(1);
      // And the Dutch owner heard of nothing but its own entry.
      expect(owner.events.map((e) => e.entry.id)).toEqual([entryId]);
    } finally {
      await Promise.all([owner.close(), third.close()]);
    }
  });

  it('is for analysts only', async () => {
    const viewer = new LiveSubscriber(hub, tokenFor('nl-customs', ['viewer']), 'entryFeedback', FEEDBACK);
    try {
      const [refusal] = await pollUntil(
        () => viewer.results,
        (r) => r.length > 0,
      );
      expect(refusal.data ?? null).toBeNull();
      expect(refusal.errors).toEqual([
        expect.objectContaining({ path: ['entryFeedback'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
      ]);
    } finally {
      await viewer.close();
    }
  });
});

/** A receiver on loopback that records every request by path. */
class Receiver {
  readonly received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
  }
  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  on(path: string) {
    return this.received.filter((r) => r.path === path);
  }
  waitFor(path: string, n: number) {
    return pollUntil(
      () => this.on(path),
      (got) => got.length >= n,
    );
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('entry feedback on webhooks', () => {
  const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret webhook { id } } }`;
  const DELIVERIES = `query($id: ID!) { webhook(id: $id) { deliveries(first: 10) { edges { node { kind alertId sightingId status } } } } }`;

  it("reaches the owner's webhook, signed; a third agency's webhook gets only its own later feedback", async () => {
    const receiver = new Receiver();
    await receiver.start();
    try {
      const owner = await hub.gql(nl, REGISTER, { input: { url: receiver.url('/nl') } });
      const third = await hub.gql(bc, REGISTER, { input: { url: receiver.url('/bc') } });
      expect(owner.errors ?? third.errors).toBeUndefined();
      const { secret, webhook } = owner.data!.registerWebhook;

      const sighting = await hub.gql(be, REPORT, {
        entryId,
        input: { port: 'BEZEE', observedAt, outcome: 'CONFIRMED', note: 'Seen at Zeebrugge' },
      });
      expect(sighting.errors).toBeUndefined();
      const sightingId = sighting.data!.reportSighting.id;
      const [delivery] = await receiver.waitFor('/nl', 1);
      expect(verifyWebhookSignature(secret, delivery.headers['portcullis-signature'] as string, delivery.body)).toMatchObject({ ok: true });
      expect(JSON.parse(delivery.body)).toMatchObject({
        webhookId: webhook.id,
        data: {
          feedback: {
            id: sightingId,
            outcome: 'CONFIRMED',
            port: 'BEZEE',
            note: 'Seen at Zeebrugge',
            reportedBy: { code: 'be-customs' },
            entry: { id: entryId, ownerAgency: { code: 'nl-customs' } },
          },
        },
      });
      const listed = await hub.gql(nl, DELIVERIES, { id: webhook.id });
      expect(listed.data!.webhook.deliveries.edges.map((e: { node: unknown }) => e.node)).toEqual([
        { kind: 'ENTRY_FEEDBACK', alertId: null, sightingId, status: 'DELIVERED' },
      ]);

      // The later event on the third agency's webhook: feedback on its own entry, and nothing before it.
      const later = await hub.gql(be, REPORT, { entryId: coastguardEntryId, input: { observedAt, outcome: 'CONFIRMED' } });
      expect(later.errors).toBeUndefined();
      const bcDeliveries = await receiver.waitFor('/bc', 1);
      expect(bcDeliveries.map((r) => JSON.parse(r.body).data.feedback.id)).toEqual([later.data!.reportSighting.id]);
      expect(receiver.on('/nl')).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });
});

describe('false-positive memory', () => {
  it('marks the next screening of the same identity, where the access model lets the caller see the report', async () => {
    expect(await hitOn(be, { imo: IMO })).toMatchObject({ falsePositiveReported: null });

    const fp = await hub.gql(be, REPORT, {
      entryId,
      input: { observedAt, outcome: 'FALSE_POSITIVE', note: 'Same name, other hull', screened: { imo: IMO, name: '  grey  heron ' } },
    });
    expect(fp.errors).toBeUndefined();

    // The reporter and the owner: marked, by Belgian Customs.
    for (const token of [be, nl]) {
      const hit = await hitOn(token, { imo: IMO });
      expect(hit?.falsePositiveReported).toEqual({ at: expect.any(String), by: { code: 'be-customs' } });
    }
    // Belgian Coast Guard sees the entry but is no party to the report: raised as before.
    expect(await hitOn(bc, { imo: IMO })).toMatchObject({ falsePositiveReported: null });
    // Another identity (the name alone, no IMO) is not the one reported on.
    expect(await hitOn(be, { name: 'GREY HERON' })).toMatchObject({ falsePositiveReported: null });
  });

  it('remembers by name when that was all that was screened', async () => {
    const fp = await hub.gql(bc, REPORT, {
      entryId: coastguardEntryId,
      input: { observedAt, outcome: 'FALSE_POSITIVE', note: 'A fishing boat of the same name', screened: { name: 'Blue Heron' } },
    });
    expect(fp.errors).toBeUndefined();
    // Belgian Coast Guard reported on its own entry: its own screening by that name is marked.
    expect((await hitOn(bc, { name: 'blue heron' }, coastguardEntryId))?.falsePositiveReported).toMatchObject({
      by: { code: 'be-coastguard' },
    });
    // The names compare through screening's one normalisation: accents and spacing do not matter.
    expect((await hitOn(bc, { name: 'BLUE  HÉRON' }, coastguardEntryId))?.falsePositiveReported).toMatchObject({
      by: { code: 'be-coastguard' },
    });
    // By IMO it is another identity.
    expect(await hitOn(bc, { imo: OTHER_IMO }, coastguardEntryId)).toMatchObject({ falsePositiveReported: null });
  });

  it('marks every hit of a batch, each by its own identity', async () => {
    const res = await hub.gql(
      be,
      `query($vessels: [VesselQueryInput!]!) { screenVessels(vessels: $vessels) { hits { entry { id } falsePositiveReported { by { code } } } } }`,
      { vessels: [{ imo: IMO }, { name: 'GREY HERON' }, { imo: IMO, name: 'GREY HERON' }] },
    );
    expect(res.errors).toBeUndefined();
    const marks = (res.data!.screenVessels as { hits: Hit[] }[]).map(
      (r) => r.hits.find((h) => h.entry.id === entryId)?.falsePositiveReported?.by.code ?? null,
    );
    expect(marks).toEqual(['be-customs', null, 'be-customs']);
  });

  it('checks the identifiers given', async () => {
    expectError(
      await hub.gql(be, REPORT, { entryId, input: { observedAt, outcome: 'FALSE_POSITIVE', note: 'n', screened: {} } }),
      'BAD_USER_INPUT',
    );
    expectError(
      await hub.gql(be, REPORT, {
        entryId,
        input: { observedAt, outcome: 'FALSE_POSITIVE', note: 'n', screened: { name: 'x'.repeat(201) } },
      }),
      'BAD_USER_INPUT',
    );
  });
});
