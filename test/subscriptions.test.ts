/**
 * Live alerts over WebSocket with a real graphql-ws client against real hubs: delivery, filters,
 * per-subscriber authorization and redaction, REVOKED, resume across a restart, two instances
 * on one database, token expiry, and events whose transactions commit out of order.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { publishAlertIn, sequenced } from '../src/alert/alert.service';
import type { VesselAlert } from '../src/alert/vessel-alert.entity';
import { mintDevToken } from '../src/auth/dev-token';
import { createContext } from '../src/request/context';
import fs from 'node:fs';
import path from 'node:path';
import { alertInput, PUBLISH_ALERT, publishAlert, UPDATE_ALERT_STATUS, updateAlertStatus } from './support/builders';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { positionOf, tokenOf } from './support/stream';
import { Subscriber, titled } from './support/subscriber';
import { pollUntil, sleep } from './support/wait';

const nl = tokenFor('nl-customs');

describe('one hub', () => {
  let hub: TestHub;
  let policiesDir: string;
  beforeAll(async () => {
    policiesDir = copyDemoPolicies();
    hub = await startTestHub({ policiesDir });
  });
  afterAll(async () => {
    await hub.stop();
    fs.rmSync(policiesDir, { recursive: true, force: true });
  });

  test('delivers live to eligible subscribers only, each with its own redaction, narrowed by filters', async () => {
    const agreement = new Subscriber(hub, tokenFor('be-customs', ['viewer'], { purpose: 'CUSTOMS' }));
    const jurisdiction = new Subscriber(hub, tokenFor('nl-coastguard', ['viewer']));
    const outsider = new Subscriber(hub, tokenFor('fr-douane', ['viewer']));
    const operator = new Subscriber(hub, tokenFor('nl-ect-terminal', ['viewer']));
    const otherPort = new Subscriber(hub, tokenFor('nl-coastguard', ['viewer']), { filter: { ports: ['NLAMS'] } });
    const owner = new Subscriber(hub, nl);
    const all = [agreement, jurisdiction, outsider, operator, otherPort, owner];
    await Promise.all(all.map((s) => s.ready()));

    const published = await hub.gql(nl, PUBLISH_ALERT, { input: alertInput({ title: 'live one' }) });
    expect(published.errors).toBeUndefined();
    const { id, sequence } = published.data!.publishAlert;

    const [ownerEvent] = await owner.waitFor(1);
    expect(ownerEvent).toMatchObject({
      sequence,
      kind: 'PUBLISHED',
      alertId: id,
      alert: { title: 'live one', intelligenceSummary: 'secret source', access: { basis: 'OWNER' } },
    });
    const [viaAgreement] = await agreement.waitFor(1);
    expect(viaAgreement.alert).toMatchObject({
      intelligenceSummary: 'secret source',
      access: { basis: 'AGREEMENT', agreementId: 'nl-customs--be-customs-narcotics', redactedFields: [] },
    });
    const [viaJurisdiction] = await jurisdiction.waitFor(1);
    expect(viaJurisdiction.alert).toMatchObject({
      intelligenceSummary: null,
      access: { basis: 'JURISDICTION', redactedFields: ['intelligenceSummary'] },
    });
    const withheld = jurisdiction.results[0].errors!;
    expect(withheld).toHaveLength(1);
    expect(withheld[0]).toMatchObject({ path: ['vesselAlerts', 'alert', 'intelligenceSummary'], extensions: { code: 'FORBIDDEN' } });

    // A later event proves the ineligible subscribers were live and still got nothing.
    await publishAlert(hub, nl, { tlp: 'CLEAR', port: 'NLAMS', title: 'clear one' });
    await Promise.all([outsider, operator, otherPort].map((s) => s.waitUntil(titled('clear one'))));
    expect(outsider.events.map((e) => e.alert?.title)).toEqual(['clear one']);
    expect(operator.events.map((e) => e.alert?.title)).toEqual(['clear one']);
    expect(otherPort.events.map((e) => e.alert?.title)).toEqual(['clear one']);
    await Promise.all(all.map((s) => s.close()));
  });

  test('a withdrawn alert is REVOKED for those who saw it, and only them', async () => {
    const seer = new Subscriber(hub, tokenFor('nl-coastguard', ['viewer']));
    const outsider = new Subscriber(hub, tokenFor('fr-douane', ['viewer']));
    await Promise.all([seer.ready(), outsider.ready()]);
    const { id } = await publishAlert(hub, nl);
    await seer.waitFor(1);
    const withdrawn = await updateAlertStatus(hub, nl, id, 'WITHDRAWN');
    const events = await seer.waitFor(2);
    expect(events[1]).toEqual({ sequence: withdrawn.sequence, kind: 'REVOKED', alertId: id, alert: null });
    await publishAlert(hub, nl, { tlp: 'CLEAR', title: 'marker' });
    expect((await outsider.waitFor(1)).map((e) => e.alert?.title)).toEqual(['marker']);
    await Promise.all([seer.close(), outsider.close()]);
  });

  test('a connection without a valid token is closed with 4401', async () => {
    const none = new Subscriber(hub, undefined);
    const forged = new Subscriber(hub, 'not-a-jwt');
    await Promise.all([none.waitFor(1, 3000), forged.waitFor(1, 3000)]);
    expect(none.closed?.code).toBe(4401);
    expect(none.closed?.reason).toMatch(/not authenticated/);
    expect(forged.closed?.code).toBe(4401);
    expect(none.events).toEqual([]);
  });

  test('queries and mutations are refused over WebSocket', async () => {
    const client = createClient({
      url: hub.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${nl}` },
    });
    const result = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: '{ me { subject } }' }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(JSON.stringify(result)).toMatch(/only subscriptions over WebSocket/);
    await client.dispose();
  });

  test('a token that expires during a subscription ends it with a clear error', async () => {
    const shortLived = mintDevToken({ agency: 'nl-coastguard', roles: ['viewer'], ttlSeconds: 2 });
    const sub = new Subscriber(hub, shortLived);
    await sub.ready();
    await pollUntil(
      () => sub.closed,
      (closed) => closed !== undefined,
      { timeoutMs: 8000, intervalMs: 50 },
    );
    expect(sub.closed).toEqual({ code: 4401, reason: 'token expired' });
  });

  test('a policy reload that removes an agreement revokes what it had shown', async () => {
    const partner = new Subscriber(hub, tokenFor('be-customs', ['viewer'], { purpose: 'CUSTOMS' }));
    await partner.ready();
    const { id } = await publishAlert(hub, nl, { title: 'shared by agreement' });
    await partner.waitFor(1);
    const file = path.join(policiesDir, 'agreements/nl-customs--be-customs-narcotics.yaml');
    const kept = fs.readFileSync(file);
    fs.rmSync(file);
    expect(await hub.policies.reload()).toEqual({ ok: true });
    const events = await partner.waitFor(2);
    expect(events[1]).toMatchObject({ kind: 'REVOKED', alertId: id, alert: null });
    fs.writeFileSync(file, kept);
    expect(await hub.policies.reload()).toEqual({ ok: true });
    await partner.close();
  });

  test('events of transactions that commit out of order all arrive, in sequence order; an open writer blocks no one', async () => {
    const sub = new Subscriber(hub, nl);
    await sub.ready();
    const db = hub.database.db;
    const policy = hub.policies.current.policy;
    const principal = {
      subject: 'late-writer',
      agency: policy.agencies.get('nl-customs')!,
      roles: ['analyst' as const],
      issuer: 'test',
      expiresAt: 0,
    };
    let releaseA!: () => void;
    const stallA = new Promise<void>((r) => (releaseA = r));
    let alertA: VesselAlert | undefined;
    const a = db.transaction(async (m) => {
      alertA = await publishAlertIn(m, createContext(db, policy, principal, 'a'), alertInput({ title: 'A (slow)' }) as never);
      await stallA; // A holds its transaction open after queueing its event
    });
    await sleep(200); // not an absence check: gives A time to publish and queue its event in its open transaction before B starts
    // B publishes, commits and is delivered while A is still open: A's queued event holds no lock.
    const b = await hub.gql(nl, PUBLISH_ALERT, { input: alertInput({ title: 'B (fast)' }) });
    expect(b.errors).toBeUndefined();
    expect((await sub.waitFor(1)).map((e) => e.alert?.title)).toEqual(['B (fast)']);
    releaseA();
    await a;
    await sequenced(db, alertA!);
    const events = await sub.waitFor(2);
    expect(events.map((e) => e.alert?.title)).toEqual(['B (fast)', 'A (slow)']);
    expect(await positionOf(hub, events[1].sequence)).toBeGreaterThan(await positionOf(hub, events[0].sequence));
    expect(events[1].sequence).toBe(await tokenOf(hub, alertA!.sequence));
    await sub.close();
  });

  test('an event whose writer stopped between its commit and sequencing it is delivered by the poll', async () => {
    const sub = new Subscriber(hub, nl);
    await sub.ready();
    const db = hub.database.db;
    const policy = hub.policies.current.policy;
    const principal = {
      subject: 'crashed-writer',
      agency: policy.agencies.get('nl-customs')!,
      roles: ['analyst' as const],
      issuer: 'test',
      expiresAt: 0,
    };
    // Committed with its queued event, but nobody calls sequenced() (as if the hub died right then).
    await db.transaction((m) => publishAlertIn(m, createContext(db, policy, principal, 'c'), alertInput({ title: 'orphan' }) as never));
    const [event] = await sub.waitFor(1, 10_000);
    expect(event.alert?.title).toBe('orphan');
    await sub.close();
  });

  test('subscribers of one view share one result, each audited as itself; another view gets its own', async () => {
    const beToken = (subject: string) => mintDevToken({ agency: 'be-customs', roles: ['viewer'], purpose: 'CUSTOMS', subject });
    // Same agency, roles and purpose; different subjects and different filters that both match.
    const alice = new Subscriber(hub, beToken('alice@douane.example.be'), { filter: { ports: ['NLRTM'] } });
    const bob = new Subscriber(hub, beToken('bob@douane.example.be'), {
      filter: { categories: ['DRUG_TRAFFICKING'], minSeverity: 'HIGH' },
    });
    // Another view: a jurisdiction reader, to whom the summary is not released.
    const coastguard = new Subscriber(hub, tokenFor('nl-coastguard', ['viewer']));
    const all = [alice, bob, coastguard];
    await Promise.all(all.map((s) => s.ready()));

    const published = await hub.gql(nl, PUBLISH_ALERT, { input: alertInput({ title: 'one view, two readers' }) });
    expect(published.errors).toBeUndefined();
    const { id, sequence } = published.data!.publishAlert;
    await Promise.all(all.map((s) => s.waitFor(1)));

    expect(alice.results).toHaveLength(1);
    expect(bob.results).toHaveLength(1);
    expect(alice.results[0].errors).toBeUndefined();
    expect(alice.results[0].data!.vesselAlerts).toEqual({
      sequence,
      kind: 'PUBLISHED',
      alertId: id,
      alert: {
        id,
        title: 'one view, two readers',
        tlp: 'AMBER',
        status: expect.any(String),
        intelligenceSummary: 'secret source',
        access: { basis: 'AGREEMENT', agreementId: 'nl-customs--be-customs-narcotics', redactedFields: [] },
      },
    });
    expect(bob.results[0]).toEqual(alice.results[0]);

    // Not shared across views: the jurisdiction reader's own execution, with the summary withheld.
    expect(coastguard.results).toHaveLength(1);
    const [other] = coastguard.results;
    expect(other.data!.vesselAlerts).toMatchObject({
      sequence,
      alertId: id,
      alert: {
        id,
        intelligenceSummary: null,
        access: { basis: 'JURISDICTION', agreementId: null, redactedFields: ['intelligenceSummary'] },
      },
    });
    expect(other.errors).toEqual([
      expect.objectContaining({
        path: ['vesselAlerts', 'alert', 'intelligenceSummary'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);

    // One sensitive read on record per receiver, under its own subject and request id.
    const trail = await hub.gql(
      tokenFor('nl-customs', ['auditor']),
      '{ auditTrail(first: 200) { edges { node { subject operation agency { code } basis agreementId purpose recordIds requestId } } } }',
    );
    expect(trail.errors).toBeUndefined();
    const reads = trail
      .data!.auditTrail.edges.map((e: { node: Record<string, any> }) => e.node)
      .filter((n: Record<string, any>) => n.operation === 'readSensitiveFields' && n.recordIds.includes(id));
    const sortBySubject = (a: Record<string, any>, b: Record<string, any>) => a.subject.localeCompare(b.subject);
    expect(reads.map(({ requestId: _r, ...rest }: Record<string, any>) => rest).sort(sortBySubject)).toEqual(
      ['alice@douane.example.be', 'bob@douane.example.be'].map((subject) => ({
        subject,
        operation: 'readSensitiveFields',
        agency: { code: 'be-customs' },
        basis: 'AGREEMENT',
        agreementId: 'nl-customs--be-customs-narcotics',
        purpose: 'CUSTOMS',
        recordIds: [id],
      })),
    );
    const requestIds = reads.map((n: Record<string, any>) => n.requestId);
    expect(requestIds.every((r: unknown) => typeof r === 'string' && r.length > 0)).toBe(true);
    expect(new Set(requestIds).size).toBe(2);
    await Promise.all(all.map((s) => s.close()));
  });
});

describe('several instances and restarts', () => {
  test('resume with `after` across a restart: no gap, no duplicate; and delivery across two instances', async () => {
    const first = await startTestHub();
    const database = first.database;
    const seqs: string[] = [];
    for (const title of ['r1', 'r2', 'r3']) {
      seqs.push((await publishAlert(first, nl, { title })).sequence);
    }
    // The client processed r1 and r2, then its hub went away for an upgrade.
    await first.stop({ keepDatabase: true });
    const second = await startTestHub({ database });
    const third = await startTestHub({ database });
    try {
      await publishAlert(second, nl, { title: 'r4 while away' });
      const resumed = new Subscriber(second, nl, { after: seqs[1] });
      const events = await resumed.waitFor(2);
      expect(events.map((e) => e.alert?.title)).toEqual(['r3', 'r4 while away']);
      // Published on the other instance: delivered here too, once.
      await publishAlert(third, nl, { title: 'r5 on instance 3' });
      const more = await resumed.waitFor(3);
      expect(more.map((e) => e.alert?.title)).toEqual(['r3', 'r4 while away', 'r5 on instance 3']);
      const sequences = await Promise.all(more.map((e) => positionOf(second, e.sequence)));
      expect([...sequences].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequences);
      // A later event: a duplicate of any of the three would have arrived before it.
      await publishAlert(third, nl, { title: 'r6 marker' });
      const upToMarker = await resumed.waitUntil(titled('r6 marker'));
      expect(upToMarker.map((e) => e.alert?.title)).toEqual(['r3', 'r4 while away', 'r5 on instance 3', 'r6 marker']);
      await resumed.close();
    } finally {
      await third.stop();
      await second.stop();
      await database.drop();
    }
  }, 60_000);

  test('racing status changes of one alert on two instances: its events keep the order of the changes', async () => {
    const one = await startTestHub();
    const two = await startTestHub({ database: one.database });
    try {
      const sub = new Subscriber(one, nl);
      await sub.ready();
      const { id } = await publishAlert(one, nl, { title: 'contested' });
      // Twenty changes at once, alternating instances; some are refused ("already ..."), the
      // others commit one after another on the alert's row lock.
      const statuses = ['ACKNOWLEDGED', 'ACTIVE'];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? two : one).gql(nl, UPDATE_ALERT_STATUS, { id, status: statuses[Math.floor(i / 2) % 2] }),
        ),
      );
      const applied = results.filter((r) => !r.errors).length;
      expect(applied).toBeGreaterThan(0);
      const events = await sub.waitFor(1 + applied);
      expect(events).toHaveLength(1 + applied);
      expect(events[0].kind).toBe('PUBLISHED');
      const seen = events.map((e) => e.alert!.status as string);
      // Each applied change flipped the status, so consecutive events never repeat one, and the
      // last event shows the status the alert ended with.
      for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
      const final = await one.gql(nl, 'query($id: ID!) { alert(id: $id) { status sequence } }', { id });
      expect(seen.at(-1)).toBe(final.data!.alert.status);
      expect(events.at(-1)!.sequence).toBe(final.data!.alert.sequence);
      const sequences = await Promise.all(events.map((e) => positionOf(one, e.sequence)));
      expect([...sequences].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequences);
      await sub.close();
    } finally {
      await two.stop({ keepDatabase: true });
      await one.stop();
    }
  }, 60_000);
});
