/**
 * Alert webhooks against real hubs and a real HTTP receiver on loopback (the insecure-loopback
 * flag on): signed delivery verified with the exported helper, redaction per registering agency,
 * filters, retry with backoff, GAVE_UP, REVOKED, secret rotation, state, isolation between
 * agencies, URL and address checks, and two instances sending one queue exactly once, in order.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, signWebhookBody } from '../src/webhook/signature';
import { checkTarget, classifyAddress, postWebhook } from '../src/webhook/target';
import { retryDelayMs, SecretCipher } from '../src/webhook/settings';
import { pruneWebhookHistory } from '../src/webhook/worker';
import { feedStep, revokedOnRecheck } from '../src/alert/alert-feed';
import { agreementWindowCrossed } from '../src/policy/agreements';
import { VesselAlert } from '../src/alert/vessel-alert.entity';
import { publishAlert, updateAlertStatus } from './support/builders';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { pollUntil } from './support/wait';

const REGISTER = `mutation($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) { secret webhook { id url active position roles purpose createdBy agency { code } filter { ports categories } } }
}`;
const STATE = `query($id: ID!) { webhook(id: $id) { id active deactivatedReason deliveries(first: 100) { totalCount edges { node {
  id sequence kind alertId status attempts lastAttemptAt nextAttemptAt deliveredAt lastStatusCode lastError } } } } }`;

const FAST = { allowInsecureLoopback: true, retryBaseMs: 100, retryMaxMs: 400, maxAttempts: 3, pollMs: 40, timeoutMs: 2_000 };

const nl = tokenFor('nl-customs');

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver on loopback: records every request; `respond` picks the status per path and count. */
class Receiver {
  readonly received: Received[] = [];
  respond: (path: string, nth: number) => number = () => 200;
  private server!: http.Server;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const status = this.respond(path, this.on(path).length);
        res.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/elsewhere' } : {});
        res.end('ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string) {
    return this.received.filter((r) => r.path === path);
  }

  /** The requests on `path` once one carries an event about an alert titled `title` (a marker). */
  waitForMarker(path: string, title: string, ms = 10_000): Promise<Received[]> {
    return pollUntil(
      () => this.on(path),
      (got) => got.some((r) => titleOf(r) === title),
      { timeoutMs: ms, intervalMs: 20 },
    );
  }

  waitFor(path: string, n: number, ms = 10_000): Promise<Received[]> {
    return pollUntil(
      () => this.on(path),
      (got) => got.length >= n,
      { timeoutMs: ms, intervalMs: 20 },
    );
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

async function register(hub: TestHub, token: string, input: Record<string, unknown>) {
  const res = await hub.gql(token, REGISTER, { input });
  expect(res.errors).toBeUndefined();
  return res.data!.registerWebhook as { secret: string; webhook: { id: string; [k: string]: any } };
}

type State = { id: string; active: boolean; deactivatedReason: string | null; deliveries: Record<string, any>[] };

async function state(hub: TestHub, token: string, id: string): Promise<State> {
  const res = await hub.gql(token, STATE, { id });
  expect(res.errors).toBeUndefined();
  const w = res.data!.webhook;
  return { ...w, deliveries: w.deliveries.edges.map((e: { node: Record<string, any> }) => e.node).reverse() as Record<string, any>[] };
}

function waitForState(hub: TestHub, token: string, id: string, done: (deliveries: Record<string, any>[]) => boolean, ms = 10_000) {
  return pollUntil(
    () => state(hub, token, id),
    (s) => done(s.deliveries),
    { timeoutMs: ms, intervalMs: 50 },
  );
}

const json = (r: Received) => JSON.parse(r.body) as { webhookId: string; deliveryId: string; data: { event: any }; errors?: any[] };
const titleOf = (r: Received): string | undefined => json(r).data.event.alert?.title;

describe('webhooks on one hub', () => {
  let hub: TestHub;
  const receiver = new Receiver();
  beforeAll(async () => {
    await receiver.start();
    hub = await startTestHub({ webhooks: FAST });
  });
  afterAll(async () => {
    await hub.stop();
    await receiver.stop();
  });

  test('a delivery is signed, carries sequence and delivery id, verifies with the helper, and its state is queryable', async () => {
    const { secret, webhook } = await register(hub, nl, { url: receiver.url('/signed'), description: 'SOC intake' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhook).toMatchObject({ active: true, roles: ['analyst'], createdBy: 'dev-nl-customs', agency: { code: 'nl-customs' } });
    const { sequence, id: alertId } = await publishAlert(hub, nl, { title: 'signed one' });

    const [req] = await receiver.waitFor('/signed', 1);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['portcullis-event-sequence']).toBe(sequence);
    expect(req.headers['portcullis-webhook-id']).toBe(webhook.id);
    const deliveryId = req.headers['portcullis-delivery-id'] as string;
    expect(verifyWebhookSignature(secret, req.headers['portcullis-signature'] as string, req.body)).toMatchObject({ ok: true });
    expect(verifyWebhookSignature('whsec_wrong', req.headers['portcullis-signature'] as string, req.body)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const body = json(req);
    expect(body).toMatchObject({ webhookId: webhook.id, deliveryId });
    expect(body.errors).toBeUndefined();
    expect(body.data.event).toMatchObject({
      sequence,
      kind: 'PUBLISHED',
      alertId,
      alert: {
        id: alertId,
        title: 'signed one',
        tlp: 'AMBER',
        jurisdiction: 'NL',
        port: 'NLRTM',
        status: 'ACTIVE',
        intelligenceSummary: 'secret source',
        ownerAgency: { code: 'nl-customs' },
        // The registry's record (no authority has named this vessel) and the alert's own identification.
        vessel: { imo: '9074729', name: null },
        vesselAsGiven: { imo: '9074729', name: 'OCEAN STAR', mmsi: null, flag: null, callSign: null, vesselType: null, formerNames: [] },
        access: { basis: 'OWNER', redactedFields: [] },
      },
    });

    const s = await waitForState(hub, nl, webhook.id, (d) => d[0]?.status === 'DELIVERED');
    // Positions are the alert stream's opaque tokens: the webhook's counts no other agency's events.
    expect(sequence).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(webhook.position).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const position = await hub.gql(nl, 'query($id: ID!) { webhook(id: $id) { position } }', { id: webhook.id });
    expect(position.data!.webhook.position).toBe(sequence); // given events up to this one
    expect(s.deliveries).toHaveLength(1);
    expect(s.deliveries[0]).toMatchObject({
      id: deliveryId,
      sequence,
      kind: 'PUBLISHED',
      alertId,
      status: 'DELIVERED',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(s.deliveries[0].deliveredAt).toEqual(expect.any(String));
    // A later event with a timestamp far from now: the same helper refuses a replay of this one.
    const later = Date.now() + 10 * 60 * 1000;
    expect(verifyWebhookSignature(secret, req.headers['portcullis-signature'] as string, req.body, { now: later })).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  test('each registering agency gets its own redaction, and nothing it may not see', async () => {
    const byAgreement = await register(hub, tokenFor('be-customs', ['analyst'], { purpose: 'CUSTOMS' }), {
      url: receiver.url('/be-customs'),
    });
    const byJurisdiction = await register(hub, tokenFor('nl-coastguard'), { url: receiver.url('/nl-coastguard') });
    const outsider = await register(hub, tokenFor('fr-douane'), { url: receiver.url('/fr-douane') });
    const operator = await register(hub, tokenFor('nl-ect-terminal'), { url: receiver.url('/nl-ect-terminal') });
    expect(byAgreement.webhook.purpose).toBe('CUSTOMS');

    const { id } = await publishAlert(hub, nl, { title: 'amber in NL' });
    const [agreementReq] = await receiver.waitFor('/be-customs', 1);
    expect(json(agreementReq).data.event.alert).toMatchObject({
      id,
      intelligenceSummary: 'secret source',
      access: { basis: 'AGREEMENT', agreementId: 'nl-customs--be-customs-narcotics', redactedFields: [] },
    });
    expect(json(agreementReq).errors).toBeUndefined();
    const [jurisdictionReq] = await receiver.waitFor('/nl-coastguard', 1);
    const redacted = json(jurisdictionReq);
    expect(redacted.data.event.alert).toMatchObject({
      id,
      intelligenceSummary: null,
      access: { basis: 'JURISDICTION', redactedFields: ['intelligenceSummary'] },
    });
    expect(redacted.errors).toEqual([
      expect.objectContaining({ path: ['event', 'alert', 'intelligenceSummary'], extensions: { code: 'FORBIDDEN' } }),
    ]);
    expect(
      verifyWebhookSignature(byJurisdiction.secret, jurisdictionReq.headers['portcullis-signature'] as string, jurisdictionReq.body).ok,
    ).toBe(true);

    // A CLEAR alert proves the others were live and had simply not been sent the AMBER one.
    await publishAlert(hub, nl, { tlp: 'CLEAR', title: 'clear marker' });
    const [outsiderReq] = await receiver.waitFor('/fr-douane', 1);
    const [operatorReq] = await receiver.waitFor('/nl-ect-terminal', 1);
    expect(json(outsiderReq).data.event.alert).toMatchObject({ title: 'clear marker', access: { basis: 'COMMUNITY' } });
    expect(json(operatorReq).data.event.alert).toMatchObject({ title: 'clear marker', access: { basis: 'PUBLIC' } });
    // And they were sent nothing else: a later event arrives after anything still on its way.
    await publishAlert(hub, nl, { tlp: 'CLEAR', title: 'end marker' });
    for (const path of ['/fr-douane', '/nl-ect-terminal']) {
      expect((await receiver.waitForMarker(path, 'end marker')).map(titleOf)).toEqual(['clear marker', 'end marker']);
    }
    expect(verifyWebhookSignature(outsider.secret, outsiderReq.headers['portcullis-signature'] as string, outsiderReq.body).ok).toBe(true);
    expect(verifyWebhookSignature(operator.secret, outsiderReq.headers['portcullis-signature'] as string, outsiderReq.body).ok).toBe(false);

    // The agreement-based read of a sensitive field left the hub: the provider's auditor sees it.
    const trail = await hub.gql(
      tokenFor('nl-customs', ['auditor']),
      '{ auditTrail(first: 200) { edges { node { subject operation agency { code } basis agreementId recordIds } } } }',
    );
    expect(trail.data!.auditTrail.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      subject: `webhook:${byAgreement.webhook.id.split(':')[1]}`,
      operation: 'readSensitiveFields',
      agency: { code: 'be-customs' },
      basis: 'AGREEMENT',
      agreementId: 'nl-customs--be-customs-narcotics',
      recordIds: [id],
    });
    for (const w of [byAgreement, byJurisdiction, outsider, operator]) expect(w.webhook.active).toBe(true);
  });

  test('the filter narrows deliveries exactly as for a subscriber', async () => {
    const { webhook } = await register(hub, nl, {
      url: receiver.url('/filtered'),
      filter: { ports: ['NLAMS'], categories: ['SMUGGLING'] },
    });
    expect(webhook.filter).toEqual({ ports: ['NLAMS'], categories: ['SMUGGLING'] });
    await publishAlert(hub, nl, { port: 'NLRTM', category: 'SMUGGLING', title: 'wrong port' });
    await publishAlert(hub, nl, { port: 'NLAMS', category: 'PIRACY', title: 'wrong category' });
    await publishAlert(hub, nl, { port: 'NLAMS', category: 'SMUGGLING', title: 'match' });
    const got = await receiver.waitFor('/filtered', 1);
    // A later matching alert: anything else sent to the webhook would have arrived before it.
    await publishAlert(hub, nl, { port: 'NLAMS', category: 'SMUGGLING', title: 'filter marker' });
    expect((await receiver.waitForMarker('/filtered', 'filter marker')).map(titleOf)).toEqual(['match', 'filter marker']);
    expect(got).toHaveLength(1);
  });

  test('a receiver that fails twice then succeeds: retried with backoff, same delivery id, later events wait their turn', async () => {
    receiver.respond = (path, nth) => (path === '/flaky' && nth <= 2 ? 500 : 200);
    const { secret, webhook } = await register(hub, nl, { url: receiver.url('/flaky') });
    await publishAlert(hub, nl, { title: 'first' });
    await publishAlert(hub, nl, { title: 'second' });
    const reqs = await receiver.waitFor('/flaky', 4);
    expect(reqs.map((r) => json(r).data.event.alert.title)).toEqual(['first', 'first', 'first', 'second']);
    const ids = reqs.map((r) => r.headers['portcullis-delivery-id']);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    // Backoff: at least half the base delay, then at least half the doubled delay.
    expect(reqs[1].at - reqs[0].at).toBeGreaterThanOrEqual(FAST.retryBaseMs / 2 - 10);
    expect(reqs[2].at - reqs[1].at).toBeGreaterThanOrEqual(FAST.retryBaseMs - 10);
    // Each attempt is signed anew with its own timestamp.
    for (const r of reqs) expect(verifyWebhookSignature(secret, r.headers['portcullis-signature'] as string, r.body).ok).toBe(true);

    const s = await waitForState(
      hub,
      nl,
      webhook.id,
      (d) => d.length === 2 && d.every((x: Record<string, any>) => x.status === 'DELIVERED'),
    );
    expect(s.deliveries.map((d) => [d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['DELIVERED', 3, 200],
      ['DELIVERED', 1, 200],
    ]);
    expect(s.deliveries[0].lastError).toBeNull();
    receiver.respond = () => 200;
  });

  test('a receiver that keeps failing: FAILED with the next attempt shown, then GAVE_UP after the maximum attempts; the queue moves on', async () => {
    let failing = true;
    receiver.respond = (path) => (path === '/down' && failing ? 302 : 200);
    const { webhook } = await register(hub, nl, { url: receiver.url('/down') });
    await publishAlert(hub, nl, { title: 'never arrives' });
    const mid = await waitForState(hub, nl, webhook.id, (d) => d[0]?.status === 'FAILED');
    // Seen between attempts: which one depends on when the poll lands.
    expect(mid.deliveries[0]).toMatchObject({ status: 'FAILED', lastStatusCode: 302, lastError: 'HTTP 302: redirects are not followed' });
    expect([1, 2]).toContain(mid.deliveries[0].attempts);
    expect(mid.deliveries[0].nextAttemptAt).toEqual(expect.any(String));
    const given = await waitForState(hub, nl, webhook.id, (d) => d[0]?.status === 'GAVE_UP');
    expect(given.deliveries[0]).toMatchObject({
      status: 'GAVE_UP',
      attempts: 3,
      nextAttemptAt: null,
      lastError: 'HTTP 302: redirects are not followed (attempt 3 of 3)',
    });
    expect(receiver.on('/down')).toHaveLength(3);
    expect(receiver.on('/elsewhere')).toHaveLength(0);

    failing = false;
    await publishAlert(hub, nl, { title: 'after recovery' });
    const after = await waitForState(hub, nl, webhook.id, (d) => d[1]?.status === 'DELIVERED');
    expect(after.deliveries.map((d: Record<string, any>) => d.status)).toEqual(['GAVE_UP', 'DELIVERED']);
    receiver.respond = () => 200;
  });

  test('a withdrawn alert reaches the webhook as REVOKED; deleting a webhook stops it', async () => {
    const coastguard = tokenFor('nl-coastguard');
    const { webhook } = await register(hub, coastguard, { url: receiver.url('/revoke') });
    const { id } = await publishAlert(hub, nl, { title: 'to withdraw' });
    await receiver.waitFor('/revoke', 1);
    const withdrawn = await updateAlertStatus(hub, nl, id, 'WITHDRAWN');
    const reqs = await receiver.waitFor('/revoke', 2);
    expect(json(reqs[1]).data.event).toEqual({ sequence: withdrawn.sequence, kind: 'REVOKED', alertId: id, alert: null });

    // A deleted webhook receives no later event to prove its silence with, so a witness does: a
    // webhook of the same agency. Once the witness has the event, the fan-out (which queues an
    // event for every active webhook in one transaction) has passed it, and the deleted webhook
    // has nothing queued and nothing sent.
    await register(hub, coastguard, { url: receiver.url('/revoke-witness') });
    const deleted = await hub.gql(coastguard, 'mutation($id: ID!) { deleteWebhook(id: $id) { id active deactivatedReason } }', {
      id: webhook.id,
    });
    expect(deleted.data!.deleteWebhook).toEqual({ id: webhook.id, active: false, deactivatedReason: 'deleted by dev-nl-coastguard' });
    await publishAlert(hub, nl, { title: 'after delete' });
    expect((await receiver.waitForMarker('/revoke-witness', 'after delete')).map(titleOf)).toEqual(['after delete']);
    expect((await state(hub, coastguard, webhook.id)).deliveries).toHaveLength(2);
    expect(receiver.on('/revoke')).toHaveLength(2);
  });

  test('rotating the secret: both secrets verify during the overlap, only the new one without it', async () => {
    const { secret: old, webhook } = await register(hub, nl, { url: receiver.url('/rotate') });
    const ROTATE =
      'mutation($id: ID!, $keep: Int) { rotateWebhookSecret(id: $id, keepPreviousForSeconds: $keep) { secret webhook { secretRotatedAt previousSecretExpiresAt } } }';
    const rotated = (await hub.gql(nl, ROTATE, { id: webhook.id })).data!.rotateWebhookSecret;
    expect(rotated.secret).not.toBe(old);
    expect(rotated.webhook.previousSecretExpiresAt).toEqual(expect.any(String));
    await publishAlert(hub, nl, { title: 'overlap' });
    const [overlap] = await receiver.waitFor('/rotate', 1);
    const header = overlap.headers['portcullis-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhookSignature(old, header, overlap.body).ok).toBe(true);
    expect(verifyWebhookSignature(rotated.secret, header, overlap.body).ok).toBe(true);

    const again = (await hub.gql(nl, ROTATE, { id: webhook.id, keep: 0 })).data!.rotateWebhookSecret;
    await publishAlert(hub, nl, { title: 'no overlap' });
    const reqs = await receiver.waitFor('/rotate', 2);
    expect(verifyWebhookSignature(again.secret, reqs[1].headers['portcullis-signature'] as string, reqs[1].body).ok).toBe(true);
    expect(verifyWebhookSignature(rotated.secret, reqs[1].headers['portcullis-signature'] as string, reqs[1].body).ok).toBe(false);
  });

  test('another agency can neither see nor delete a webhook; viewers cannot manage webhooks', async () => {
    const { webhook } = await register(hub, nl, { url: receiver.url('/private') });
    const be = tokenFor('be-customs');
    expect((await hub.gql(be, 'query($id: ID!) { webhook(id: $id) { id url } }', { id: webhook.id })).data).toEqual({ webhook: null });
    const list = await hub.gql(be, '{ webhooks { totalCount edges { node { id } } } }');
    expect(list.data!.webhooks.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(webhook.id);
    const del = await hub.gql(be, 'mutation($id: ID!) { deleteWebhook(id: $id) { id } }', { id: webhook.id });
    expect(del.errors![0].extensions!.code).toBe('NOT_FOUND');
    const rot = await hub.gql(be, 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', { id: webhook.id });
    expect(rot.errors![0].extensions!.code).toBe('NOT_FOUND');
    expect((await state(hub, nl, webhook.id)).active).toBe(true);

    const viewer = tokenFor('nl-customs', ['viewer']);
    for (const [query, variables] of [
      ['{ webhooks { totalCount } }', {}],
      ['query($id: ID!) { webhook(id: $id) { id } }', { id: webhook.id }],
      [REGISTER, { input: { url: receiver.url('/viewer') } }],
    ] as const) {
      const res = await hub.gql(viewer, query, variables);
      expect(res.errors![0]).toMatchObject({ message: 'not allowed: webhooks need the analyst role', extensions: { code: 'FORBIDDEN' } });
    }
    expect((await hub.gql(nl, '{ webhooks { totalCount } }')).data!.webhooks.totalCount).toBeGreaterThan(0);
  });

  test('URL checks at registration: https only, no credentials, no private targets even with the loopback flag', async () => {
    const refused = async (url: string, message: RegExp) => {
      const res = await hub.gql(nl, REGISTER, { input: { url } });
      expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'url' } });
      expect(res.errors![0].message).toMatch(message);
    };
    await refused('http://receiver.example.org/hook', /must use https/);
    await refused('ftp://receiver.example.org/hook', /must use https/);
    await refused('not a url', /absolute URL/);
    await refused('https://user:pw@receiver.example.org/hook', /credentials/);
    for (const target of [
      'https://10.1.2.3/x',
      'https://192.168.0.10/x',
      'https://172.20.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00::1]/x',
      'https://[fe80::1]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://0.0.0.0/x',
      'https://100.64.0.1/x',
      // IPv4-compatible (::/96) and other IPv6 forms carrying an internal IPv4 address, refused
      // even though the loopback flag is on: only 127.0.0.0/8, ::1 and their mapped forms are loopback.
      'https://[::127.0.0.1]/x',
      'https://[::7f00:1]/x',
      'https://[::10.0.0.1]/x',
      'https://[::8.8.8.8]/x',
      'https://[::ffff:0:127.0.0.1]/x',
      'https://[::ffff:169.254.169.254]/x',
      'https://[0:0:0:0:0:ffff:a9fe:a9fe]/x',
      'https://[64:ff9b::7f00:1]/x',
    ]) {
      await refused(target, /public address/);
    }
  });
});

describe('webhook retention', () => {
  test('finished deliveries and shown rows of long-over alerts are pruned; queued deliveries and live alerts stay', async () => {
    const receiver = new Receiver();
    await receiver.start();
    receiver.respond = (path) => (path === '/retention-down' ? 503 : 200);
    const hub = await startTestHub({ webhooks: { ...FAST, maxAttempts: 100, retryBaseMs: 60_000, retryMaxMs: 60_000 } });
    const { database } = hub;
    try {
      const { webhook } = await register(hub, nl, { url: receiver.url('/retention') });
      const { webhook: down } = await register(hub, nl, { url: receiver.url('/retention-down') });
      const old = await publishAlert(hub, nl, { title: 'long over' });
      await publishAlert(hub, nl, { title: 'still active' });
      await updateAlertStatus(hub, nl, old.id, 'RESOLVED');
      await waitForState(hub, nl, webhook.id, (d) => d.length === 3 && d.every((x: Record<string, any>) => x.status === 'DELIVERED'));
      await waitForState(hub, nl, down.id, (d) => d[0]?.status === 'FAILED');
    } finally {
      // No worker from here on: only the pruning below touches the rows.
      await hub.stop({ keepDatabase: true });
      await receiver.stop();
    }
    const db = await database.db.initialize();
    try {
      // Forty days pass for the resolved alert and for every delivery; the live alert stays active.
      const old = (await db.query(`SELECT id FROM vessel_alerts WHERE title = 'long over'`))[0].id;
      const live = (await db.query(`SELECT id FROM vessel_alerts WHERE title = 'still active'`))[0].id;
      await db.query(`UPDATE vessel_alerts SET updated_at = now() - interval '40 days' WHERE id = $1`, [old]);
      await db.query(`UPDATE webhook_deliveries SET created_at = created_at - interval '40 days',
        delivered_at = delivered_at - interval '40 days', last_attempt_at = last_attempt_at - interval '40 days'`);
      const count = async (status: string) =>
        Number((await db.query('SELECT count(*) AS n FROM webhook_deliveries WHERE status = ANY($1::text[])', [status.split(',')]))[0].n);
      const delivered = await count('DELIVERED');
      const queued = await count('PENDING,FAILED');
      expect(delivered).toBe(3);
      expect(queued).toBeGreaterThanOrEqual(1);

      // Shown rows: the resolved alert's, one per webhook (both were sent it, or have it queued).
      expect(await pruneWebhookHistory(db, 30)).toEqual({ deliveries: 3, shown: 2 });
      expect(await count('DELIVERED')).toBe(0);
      expect(await count('PENDING,FAILED')).toBe(queued); // a queued delivery is not history, however old
      const shown = (await db.query('SELECT alert_id FROM webhook_shown')).map((r: { alert_id: string }) => r.alert_id);
      expect(shown).not.toContain(old);
      expect(shown).toContain(live);
      // Within the retention period nothing goes.
      expect(await pruneWebhookHistory(db, 30)).toEqual({ deliveries: 0, shown: 0 });
    } finally {
      await database.drop();
    }
  });
});

describe('webhooks and policy changes', () => {
  test('a reload that ends an agreement: REVOKED for what was delivered, WITHHELD for what was still queued; a membership change deactivates', async () => {
    const policiesDir = copyDemoPolicies();
    const receiver = new Receiver();
    await receiver.start();
    // Slow retries, so the reload lands between the first and the second attempt.
    const hub = await startTestHub({ policiesDir, webhooks: { ...FAST, retryBaseMs: 1_500, retryMaxMs: 1_500 } });
    try {
      let downUp = 500;
      receiver.respond = (path) => (path === '/down' ? downUp : 200);
      const be = tokenFor('be-customs', ['analyst'], { purpose: 'CUSTOMS' });
      const live = await register(hub, be, { url: receiver.url('/live') });
      const down = await register(hub, be, { url: receiver.url('/down') });
      const { id } = await publishAlert(hub, nl, { title: 'shared by agreement' });
      await receiver.waitFor('/live', 1);
      await waitForState(hub, be, down.webhook.id, (d) => d[0]?.status === 'FAILED');

      const agreement = path.join(policiesDir, 'agreements/nl-customs--be-customs-narcotics.yaml');
      const kept = fs.readFileSync(agreement);
      fs.rmSync(agreement);
      downUp = 200;
      expect(await hub.policies.reload()).toEqual({ ok: true });
      const [, revoked] = await receiver.waitFor('/live', 2);
      expect(json(revoked).data.event).toMatchObject({ kind: 'REVOKED', alertId: id, alert: null });
      const s = await waitForState(hub, be, down.webhook.id, (d) => d.length === 2 && d.every((x) => x.status === 'WITHHELD'));
      expect(s.deliveries.map((d) => [d.kind, d.status, d.lastError])).toEqual([
        ['PUBLISHED', 'WITHHELD', 'the alert was no longer visible to be-customs when the delivery was due'],
        ['REVOKED', 'WITHHELD', 'the alert never reached this webhook: nothing to revoke'],
      ]);
      expect(receiver.on('/down')).toHaveLength(1); // the first, failed attempt only
      fs.writeFileSync(agreement, kept);

      // The dev issuer no longer speaks for be-customs: its webhooks stop, as its connections would close.
      const issuers = path.join(policiesDir, 'issuers.yaml');
      const original = fs.readFileSync(issuers, 'utf8');
      fs.writeFileSync(issuers, original.replace('      - be-customs\n', ''));
      expect(await hub.policies.reload()).toEqual({ ok: true });
      const rows: { active: boolean; deactivated_reason: string }[] = await pollUntil(
        () => hub.database.db.query('SELECT active, deactivated_reason FROM webhooks WHERE id = $1', [live.webhook.id.split(':')[1]]),
        (r: { active: boolean }[]) => !r[0].active,
        { timeoutMs: 5_000, intervalMs: 50 },
      );
      expect(rows[0]).toEqual({
        active: false,
        deactivated_reason: 'membership changed: issuer portcullis-dev no longer speaks for be-customs',
      });
      fs.writeFileSync(issuers, original);
      expect(await hub.policies.reload()).toEqual({ ok: true });
    } finally {
      await hub.stop();
      await receiver.stop();
      fs.rmSync(policiesDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('webhook targets without the loopback flag', () => {
  const strict = { allowInsecureLoopback: false };
  test('loopback is refused like any non-public address, by literal and by name', async () => {
    await expect(checkTarget('http://127.0.0.1:8080/x', strict)).rejects.toThrow(/https/);
    await expect(checkTarget('https://127.0.0.1/x', strict)).rejects.toThrow(/public address/);
    await expect(checkTarget('https://[::1]/x', strict)).rejects.toThrow(/public address/);
    await expect(checkTarget('https://localhost/x', strict)).rejects.toThrow(/not public/);
    await expect(checkTarget('http://localhost:9/x', { allowInsecureLoopback: true })).resolves.toBe('http://localhost:9/x');
    await expect(checkTarget('https://203.0.113.7/x', { allowInsecureLoopback: true })).rejects.toThrow(/public address/);
    await expect(checkTarget('https://8.8.8.8/hook', strict)).resolves.toBe('https://8.8.8.8/hook');
  });

  test('address classes', () => {
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('2a00:1450:4001:80b::200e')).toBe('public');
    expect(classifyAddress('127.0.0.53')).toBe('loopback');
    expect(classifyAddress('::1')).toBe('loopback');
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
    for (const ip of [
      '10.0.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.100.100.100',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      'fc00::1',
      'fe80::1',
      '::',
      '::ffff:192.168.1.1',
      '64:ff9b::a00:1',
      '2001:db8::1',
    ]) {
      expect([ip, classifyAddress(ip)]).toEqual([ip, 'not-public']);
    }
  });

  // Every IPv6 spelling of an address that carries an IPv4 one: mapped forms are judged by the
  // IPv4 address, IPv4-compatible (::/96) and IPv4-translated forms are never public.
  test.each([
    ['::127.0.0.1', 'not-public'],
    ['::7f00:1', 'not-public'],
    ['0:0:0:0:0:0:7f00:1', 'not-public'],
    ['::8.8.8.8', 'not-public'],
    ['::808:808', 'not-public'],
    ['::2', 'not-public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:7F00:1', 'loopback'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'not-public'],
    ['::ffff:a00:1', 'not-public'],
    ['::ffff:a9fe:a9fe', 'not-public'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:808:808', 'public'],
    ['::ffff:0:127.0.0.1', 'not-public'],
    ['::ffff:0:808:808', 'not-public'],
    ['64:ff9b::7f00:1', 'not-public'],
    ['64:ff9b::8.8.8.8', 'not-public'],
    ['64:ff9b:1::a00:1', 'not-public'],
    ['::', 'not-public'],
    ['::1', 'loopback'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['2a00:1450:4001:80b::8.8.8.8', 'public'],
  ])('%s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  test('at delivery time the address is checked again: nothing is sent to a refused target', async () => {
    const receiver = new Receiver();
    await receiver.start();
    try {
      const refused = await postWebhook(receiver.url('/ssrf'), '{}', {}, { allowInsecureLoopback: false, timeoutMs: 1000 });
      expect(refused.error).toMatch(/https|not public/);
      const byName = await postWebhook(
        `https://localhost:${receiver.port}/ssrf`,
        '{}',
        {},
        { allowInsecureLoopback: false, timeoutMs: 1000 },
      );
      expect(byName.error).toMatch(/not public/);
      expect(receiver.received).toHaveLength(0);
      const allowed = await postWebhook(receiver.url('/ok'), '{}', {}, { allowInsecureLoopback: true, timeoutMs: 1000 });
      expect(allowed).toEqual({ status: 200 });
    } finally {
      await receiver.stop();
    }
  });
});

describe('the feed rule shared by subscriptions and webhooks', () => {
  const alert = (over: Partial<VesselAlert> = {}) =>
    Object.assign(new VesselAlert(), {
      id: 'a1',
      ownerAgency: 'nl-customs',
      tlp: 'AMBER',
      jurisdiction: 'NL',
      recipients: [],
      port: 'NLRTM',
      category: 'SMUGGLING',
      severity: 'HIGH',
      status: 'ACTIVE',
      ...over,
    });
  const event = (a: VesselAlert, kind: 'PUBLISHED' | 'UPDATED' = 'PUBLISHED') => ({
    kind,
    alertId: a.id,
    alert: a,
    vessel: { imo: '9074729' } as never,
  });

  test('visible and matching: delivered and remembered; later changes follow even outside the filter; loss of sight revokes once', () => {
    const shown = new Map<string, VesselAlert>();
    const filter = { ports: ['NLRTM'] };
    expect(feedStep(() => true, filter, event(alert({ port: 'NLAMS' })), shown)).toBeUndefined();
    expect(feedStep(() => true, filter, event(alert()), shown)).toMatchObject({ kind: 'PUBLISHED' });
    expect(feedStep(() => true, filter, event(alert({ port: 'NLAMS', status: 'ACKNOWLEDGED' }), 'UPDATED'), shown)).toMatchObject({
      kind: 'UPDATED',
    });
    expect(feedStep(() => false, filter, event(alert(), 'UPDATED'), shown)).toEqual({ kind: 'REVOKED', alert: null });
    expect(feedStep(() => false, filter, event(alert(), 'UPDATED'), shown)).toBeUndefined();
    expect(shown.size).toBe(0);
  });

  test('a withdrawal reaches everyone who may see the alert; never anyone who may not', () => {
    expect(feedStep(() => true, { ports: ['DEHAM'] }, event(alert({ status: 'WITHDRAWN' }), 'UPDATED'), new Map())).toEqual({
      kind: 'REVOKED',
      alert: null,
    });
    expect(feedStep(() => false, null, event(alert({ status: 'WITHDRAWN' }), 'UPDATED'), new Map())).toBeUndefined();
  });

  test('a recheck revokes exactly the shown alerts no longer visible', () => {
    const shown = new Map([
      ['a', alert({ id: 'a' })],
      ['b', alert({ id: 'b', tlp: 'CLEAR' })],
    ]);
    expect(revokedOnRecheck((a) => a.tlp === 'CLEAR', shown)).toEqual(['a']);
    expect([...shown.keys()]).toEqual(['b']);
  });

  test('time changes visibility only when an agreement window opens or closes', () => {
    const t = Date.parse('2026-11-24T12:00:00Z');
    const agreements = [{ validFrom: new Date('2026-01-01T00:00:00Z'), validUntil: new Date(t + 5_000) }];
    expect(agreementWindowCrossed(agreements, t - 15_000, t)).toBe(false);
    expect(agreementWindowCrossed(agreements, t, t + 15_000)).toBe(true);
    expect(agreementWindowCrossed(agreements, t + 15_000, t + 30_000)).toBe(false);
    expect(agreementWindowCrossed([{ validFrom: new Date(t + 1), validUntil: undefined }], t, t + 1)).toBe(true);
  });
});

describe('the signature helper', () => {
  const secret = 'whsec_test-secret';
  const body = '{"data":{"event":{"sequence":"7"}}}';
  const t = 1_790_000_000;
  const header = signWebhookBody([secret], body, t);
  const now = t * 1000;

  test('accepts a fresh, untampered request', () => {
    expect(verifyWebhookSignature(secret, header, body, { now })).toEqual({ ok: true, timestamp: t });
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), { now: new Date(now + 299_000) }).ok).toBe(true);
  });

  test('rejects a replay (old timestamp), a timestamp from the future, a tampered body or timestamp, and junk', () => {
    expect(verifyWebhookSignature(secret, header, body, { now: now + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(secret, header, body, { now: now + 61_000, toleranceSeconds: 60 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWebhookSignature(secret, header, body, { now: now - 301_000 })).toEqual({ ok: false, reason: 'future' });
    expect(verifyWebhookSignature(secret, header, body.replace('7', '8'), { now })).toEqual({ ok: false, reason: 'mismatch' });
    // Moving the timestamp forward to get past the replay check breaks the signature.
    const moved = header.replace(`t=${t}`, `t=${t + 600}`);
    expect(verifyWebhookSignature(secret, moved, body, { now: now + 600_000 })).toEqual({ ok: false, reason: 'mismatch' });
    for (const junk of [undefined, '', 'v1=abc', `t=${t}`, `t=x,v1=${'0'.repeat(64)}`]) {
      expect(verifyWebhookSignature(secret, junk, body, { now })).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  test('backoff grows exponentially with jitter and is capped', () => {
    const s = { retryBaseMs: 1000, retryMaxMs: 8000 };
    expect(retryDelayMs(s, 1, () => 0)).toBe(500);
    expect(retryDelayMs(s, 1, () => 1)).toBe(1000);
    expect(retryDelayMs(s, 3, () => 1)).toBe(4000);
    expect(retryDelayMs(s, 10, () => 1)).toBe(8000);
    expect(retryDelayMs(s, 10, () => 0)).toBe(4000);
  });

  test('secrets at rest: encrypted, bound to their webhook, and refused under another key', () => {
    const cipher = new SecretCipher(Buffer.alloc(32, 7));
    const stored = cipher.encrypt('whsec_abc', 'w1');
    expect(stored).not.toContain('whsec_abc');
    expect(cipher.decrypt(stored, 'w1')).toBe('whsec_abc');
    expect(() => cipher.decrypt(stored, 'w2')).toThrow();
    expect(() => new SecretCipher(Buffer.alloc(32, 8)).decrypt(stored, 'w1')).toThrow(/another WEBHOOK_SECRET_KEY/);
  });
});

describe('two hub instances, one queue', () => {
  test('every event is delivered once, in sequence order, whichever instance sends it', async () => {
    const receiver = new Receiver();
    await receiver.start();
    const first = await startTestHub({ webhooks: FAST });
    const second = await startTestHub({ database: first.database, webhooks: FAST });
    try {
      const { secret } = await register(first, nl, { url: receiver.url('/shared') });
      const sequences: string[] = [];
      for (let i = 0; i < 12; i++) {
        const hub = i % 2 === 0 ? first : second;
        sequences.push((await publishAlert(hub, nl, { title: `multi ${i}` })).sequence);
      }
      const reqs = await receiver.waitFor('/shared', 12);
      // A thirteenth event: a second sending of any of the twelve would have arrived before it.
      const marker = (await publishAlert(second, nl, { title: 'multi marker' })).sequence;
      const upToMarker = await receiver.waitForMarker('/shared', 'multi marker');
      expect(upToMarker.map((r) => r.headers['portcullis-event-sequence'])).toEqual([...sequences, marker]);
      expect(reqs.map((r) => r.headers['portcullis-event-sequence'])).toEqual(sequences);
      expect(new Set(reqs.map((r) => r.headers['portcullis-delivery-id'])).size).toBe(12);
      for (const r of reqs) expect(verifyWebhookSignature(secret, r.headers['portcullis-signature'] as string, r.body).ok).toBe(true);
    } finally {
      await second.stop();
      await first.stop();
      await receiver.stop();
    }
  }, 60_000);
});
