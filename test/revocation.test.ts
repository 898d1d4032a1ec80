/**
 * Revocation against real hubs on one real database: a token (by jti) or a subject revoked by its
 * agency's auditor is refused over HTTP at once on the instance that took the revocation, within
 * its refresh on another instance, and its open subscription is closed with 4403; revoked.yaml
 * does the same for an emergency, reloaded with the policies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mintDevToken } from '../src/auth/dev-token';
import { revocationOf } from '../src/policy/revocation';
import type { Principal, Revocation } from '../src/policy/types';
import { publishAlert } from './support/builders';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { Subscriber, titled } from './support/subscriber';
import { pollUntil } from './support/wait';

const ME = '{ me { subject } }';
const REVOKE_TOKEN = `mutation($jti: String!, $reason: String!, $until: DateTime) {
  revokeToken(jti: $jti, reason: $reason, until: $until) { id kind value reason until revokedBy }
}`;
const REVOKE_SUBJECT = `mutation($subject: String!, $reason: String!) {
  revokeSubject(subject: $subject, reason: $reason) { id kind value }
}`;
const REVOCATIONS = `query($all: Boolean) { revocations(includeExpired: $all) { edges { node { kind value reason until revokedBy } } } }`;

const REFRESH_MS = 300;

describe('revocation', () => {
  let dir: string;
  let hub: TestHub;
  let second: TestHub;
  const nlAuditor = tokenFor('nl-customs', ['auditor']);

  beforeAll(async () => {
    dir = copyDemoPolicies();
    hub = await startTestHub({ policiesDir: dir, seedDemo: true, revocationRefreshMs: REFRESH_MS });
    second = await startTestHub({ policiesDir: dir, database: hub.database, revocationRefreshMs: REFRESH_MS });
  });

  afterAll(async () => {
    await second?.stop();
    await hub?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('only auditors of the same agency revoke, and see only their own agency’s revocations', async () => {
    const victim = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], tokenId: 'jti-guarded' });
    const analyst = await hub.gql(tokenFor('nl-customs', ['analyst']), REVOKE_TOKEN, { jti: 'jti-guarded', reason: 'r' });
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(analyst.errors?.[0].message).toMatch(/auditor role/);

    // Another agency's auditor revokes "the same" jti: it names a token of its own agency only.
    const beAuditor = tokenFor('be-customs', ['auditor']);
    const other = await hub.gql(beAuditor, REVOKE_TOKEN, { jti: 'jti-guarded', reason: 'not theirs' });
    expect(other.errors).toBeUndefined();
    expect((await hub.gql(victim, ME)).data?.me.subject).toBe('dev-nl-customs');
    expect((await second.gql(victim, ME)).data?.me.subject).toBe('dev-nl-customs');

    const nlList = await hub.gql(nlAuditor, REVOCATIONS);
    expect(nlList.data?.revocations.edges.map((e: { node: unknown }) => e.node)).toEqual([]);
    const beList = await hub.gql(beAuditor, REVOCATIONS);
    expect(beList.data?.revocations.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { kind: 'TOKEN', value: 'jti-guarded', reason: 'not theirs', until: null, revokedBy: 'dev-be-customs' },
    ]);
    const viewer = await hub.gql(tokenFor('nl-customs', ['viewer']), REVOCATIONS);
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('a revoked token is refused over HTTP on both instances and its subscription is closed with 4403', async () => {
    const stolen = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], tokenId: 'jti-stolen' });
    const sibling = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], tokenId: 'jti-sibling' });
    const sub = new Subscriber(hub, stolen);
    const subElsewhere = new Subscriber(second, stolen);
    const marker = await publishAlert(hub, sibling);
    await sub.waitUntil((events) => events.some((e) => e.alertId === marker.id));
    await subElsewhere.waitUntil((events) => events.some((e) => e.alertId === marker.id));
    expect(sub.closed).toBeUndefined();
    expect(subElsewhere.closed).toBeUndefined();
    // Both instances accept it before.
    expect((await second.gql(stolen, ME)).errors).toBeUndefined();

    const revoked = await hub.gql(nlAuditor, REVOKE_TOKEN, { jti: 'jti-stolen', reason: 'laptop stolen' });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data?.revokeToken).toMatchObject({
      kind: 'TOKEN',
      value: 'jti-stolen',
      reason: 'laptop stolen',
      revokedBy: 'dev-nl-customs',
    });

    // At once on the instance that took it.
    const refused = await hub.gql(stolen, ME);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]).toMatchObject({ message: 'not authenticated: token revoked', extensions: { code: 'UNAUTHENTICATED' } });
    // Its live subscription is closed.
    const closed = await pollUntil(
      () => sub.closed,
      (c) => c !== undefined,
    );
    expect(closed).toEqual({ code: 4403, reason: 'token revoked' });
    // Within the refresh on the other instance.
    const elsewhere = await pollUntil(
      () => second.gql(stolen, ME),
      (r) => r.status === 401,
      { timeoutMs: 5000, intervalMs: 50 },
    );
    expect(elsewhere.errors?.[0].message).toBe('not authenticated: token revoked');
    // And its subscription there is closed when that instance reads the list.
    const closedElsewhere = await pollUntil(
      () => subElsewhere.closed,
      (c) => c !== undefined,
      { timeoutMs: 5000 },
    );
    expect(closedElsewhere).toEqual({ code: 4403, reason: 'token revoked' });
    // A new subscription with it is refused too.
    const again = new Subscriber(second, stolen);
    await pollUntil(
      () => again.closed,
      (c) => c !== undefined,
    );
    expect(again.closed).toEqual({ code: 4401, reason: 'not authenticated: token revoked' });
    // The agency's other tokens are not touched.
    expect((await second.gql(sibling, ME)).errors).toBeUndefined();
  });

  test('revoking a subject refuses every token of it; an end in the past is refused', async () => {
    const one = mintDevToken({ agency: 'nl-customs', roles: ['viewer'], subject: 'officer-leaver' });
    const two = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], subject: 'officer-leaver' });
    expect((await hub.gql(one, ME)).errors).toBeUndefined();
    const past = await hub.gql(nlAuditor, REVOKE_TOKEN, { jti: 'x', reason: 'r', until: '2020-01-01T00:00:00Z' });
    expect(past.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'until' } });
    const blank = await hub.gql(nlAuditor, REVOKE_SUBJECT, { subject: '  ', reason: 'r' });
    expect(blank.errors?.[0].message).toBe('subject must not be empty');

    const res = await hub.gql(nlAuditor, REVOKE_SUBJECT, { subject: 'officer-leaver', reason: 'left the service' });
    expect(res.data?.revokeSubject).toMatchObject({ kind: 'SUBJECT', value: 'officer-leaver' });
    for (const token of [one, two]) expect((await hub.gql(token, ME)).errors?.[0].message).toBe('not authenticated: token revoked');
    const list = await hub.gql(nlAuditor, REVOCATIONS);
    expect(list.data?.revocations.edges.map((e: { node: { value: string } }) => e.node.value)).toEqual(['officer-leaver', 'jti-stolen']);
    // On the agency's audit trail.
    const trail = await hub.gql(nlAuditor, '{ auditTrail(first: 50) { edges { node { operation subject } } } }');
    const operations = trail.data?.auditTrail.edges.map((e: { node: { operation: string } }) => e.node.operation);
    expect(operations).toEqual(expect.arrayContaining(['revokeSubject', 'revokeToken']));
  });

  test('revoked.yaml: validated, reloaded with the policies, and closes live subscriptions', async () => {
    const token = mintDevToken({ agency: 'be-customs', roles: ['viewer'], purpose: 'CUSTOMS', tokenId: 'jti-emergency' });
    const sub = new Subscriber(hub, token);
    const marker = await publishAlert(hub, tokenFor('be-customs', ['analyst']), { port: 'BEANR', title: 'emergency marker' });
    await sub.waitUntil(titled('emergency marker'));
    expect(marker.id).toBeTruthy();
    const file = path.join(dir, 'revoked.yaml');

    fs.writeFileSync(file, 'revoked:\n  - agency: be-customs\n    jti: jti-emergency\n');
    const bad = await hub.policies.reload();
    expect(bad).toEqual({ ok: false, error: 'revoked.yaml: revoked[0]: missing key "reason"' });
    expect((await hub.gql(token, ME)).errors).toBeUndefined();

    fs.writeFileSync(
      file,
      'revoked:\n  - agency: be-customs\n    jti: jti-emergency\n    reason: key material leaked\n    until: 2099-12-31\n',
    );
    expect(await hub.policies.reload()).toEqual({ ok: true });
    expect((await hub.gql(token, ME)).errors?.[0].message).toBe('not authenticated: token revoked');
    const closed = await pollUntil(
      () => sub.closed,
      (c) => c !== undefined,
    );
    expect(closed).toEqual({ code: 4403, reason: 'token revoked' });
    // The second instance reads the file when its policies are reloaded (SIGHUP).
    expect((await second.gql(token, ME)).errors).toBeUndefined();
    expect(await second.policies.reload()).toEqual({ ok: true });
    expect((await second.gql(token, ME)).errors?.[0].message).toBe('not authenticated: token revoked');
    fs.rmSync(file);
  });
});

describe('revocationOf (the rule itself)', () => {
  const principal = (over: Partial<Principal> = {}): Principal => ({
    subject: 'alice',
    agency: { code: 'nl-customs', name: 'NL', kind: 'CUSTOMS', country: 'NL', ports: [] },
    roles: ['analyst'],
    issuer: 'idp',
    expiresAt: 0,
    tokenId: 'j1',
    ...over,
  });
  const now = new Date('2026-06-01T00:00:00Z');
  const entry = (over: Partial<Revocation> = {}): Revocation => ({
    agency: 'nl-customs',
    kind: 'TOKEN',
    value: 'j1',
    reason: 'r',
    until: null,
    ...over,
  });

  test('a token by jti, a subject, only within the agency and until its end', () => {
    expect(revocationOf(principal(), [entry()], now)).toBeDefined();
    expect(revocationOf(principal({ tokenId: undefined }), [entry()], now)).toBeUndefined();
    expect(revocationOf(principal(), [entry({ agency: 'be-customs' })], now)).toBeUndefined();
    expect(revocationOf(principal(), [entry({ kind: 'SUBJECT', value: 'alice' })], now)).toBeDefined();
    expect(revocationOf(principal(), [entry({ kind: 'SUBJECT', value: 'j1' })], now)).toBeUndefined();
    expect(revocationOf(principal(), [entry({ until: new Date('2026-05-31T23:59:59Z') })], now)).toBeUndefined();
    expect(revocationOf(principal(), [entry({ until: new Date('2026-06-01T00:00:01Z') })], now)).toBeDefined();
  });
});
