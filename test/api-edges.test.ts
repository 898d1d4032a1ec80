/**
 * The edges of the HTTP API: authentication, input validation, error masking, capabilities,
 * idempotent report submission, the shield's start-up guard and the audit trail.
 */
import { auditPositionOf } from './support/stream';
import crypto from 'node:crypto';
import fs from 'node:fs';
import jwt from 'jsonwebtoken';
import { verifyAuditChain } from '../src/audit/audit.service';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { DEV_ISSUER } from '../src/auth/dev-token';
import { assertEveryFieldRuled, buildRuleTree, createPermissions } from '../src/api/permissions';
import { buildHubSchema } from '../src/api/schema';
import { alertInput } from './support/builders';
import { expectError as expectErrorOf } from './support/expect';
import { startTestHub, tokenFor, type GraphQLResponse, type TestHub } from './support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(() => hub?.stop());

const NL_ANALYST = () => tokenFor('nl-customs', ['analyst']);
const NL_VIEWER = () => tokenFor('nl-customs', ['viewer']);
const NL_AUDITOR = () => tokenFor('nl-customs', ['auditor']);
const TERMINAL = () => tokenFor('nl-ect-terminal', ['viewer']);

/** Every error response of this file, checked for internals at the end as well as one by one. */
const errorResponses: GraphQLResponse[] = [];

/** test/support/expect.ts's expectError, keeping the response for the file's last check. */
function expectError(res: GraphQLResponse, code: string, message?: RegExp | string) {
  errorResponses.push(res);
  return expectErrorOf(res, code, message);
}

const baseUrl = () => hub.url.replace(/\/graphql$/, '');

const IMO_OK = '9074729';
const observedAt = () => new Date(Date.now() - 60 * 60 * 1000).toISOString();

const PUBLISH = `mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id tlp jurisdiction vessel { imo } } }`;

const SUBMIT = `mutation($input: SubmitReportInput!, $key: String) {
  submitSuspiciousActivityReport(input: $input, idempotencyKey: $key) { id reference port jurisdiction status ownerAgency { code } }
}`;
const reportInput = (over: Record<string, unknown> = {}) => ({
  port: 'NLRTM',
  category: 'UNAUTHORIZED_ACCESS',
  observedAt: observedAt(),
  description: 'Two people climbing the fence at the reefer yard, left by boat',
  ...over,
});

// ---------------------------------------------------------------------------------------------

describe('authentication', () => {
  it('no token: HTTP 401 and UNAUTHENTICATED', async () => {
    const res = await hub.gql(undefined, '{ me { subject } }');
    expect(res.status).toBe(401);
    expectError(res, 'UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });

  it('a garbage token: UNAUTHENTICATED without internals', async () => {
    for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      const res = await hub.gql(token, '{ me { subject } }');
      expect(res.status).toBe(401);
      expectError(res, 'UNAUTHENTICATED');
    }
  });

  it('a scheme other than Bearer: UNAUTHENTICATED', async () => {
    const res = await hub.gql(undefined, '{ me { subject } }', {}, { authorization: 'Basic dXNlcjpwYXNz' });
    expectError(res, 'UNAUTHENTICATED');
  });

  it('an expired token (validly signed): UNAUTHENTICATED, saying it expired and nothing more', async () => {
    const key = crypto.createPrivateKey(fs.readFileSync(ensureDevKeys().privateKeyPath));
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ agency: 'nl-customs', roles: ['analyst'], iat: now - 7200, exp: now - 3600 }, key, {
      algorithm: 'RS256',
      issuer: DEV_ISSUER,
      audience: 'portcullis',
      subject: 'dev-nl-customs',
    });
    const res = await hub.gql(token, '{ me { subject } }');
    expect(res.status).toBe(401);
    const err = expectError(res, 'UNAUTHENTICATED', /expired/);
    // The code and the request's id, nothing else (no http status or headers, no stack).
    expect(Object.keys(err.extensions ?? {})).toEqual(['code', 'requestId']);
  });

  it('GET /health (an alias of /readyz) answers 200 without a token', async () => {
    const res = await fetch(`${baseUrl()}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', policies: 'ok', alertStream: 'ok' },
    });
  });
});

describe('input validation', () => {
  it('an unknown field: GRAPHQL_VALIDATION_FAILED', async () => {
    expectError(await hub.gql(NL_ANALYST(), '{ me { subject nope } }'), 'GRAPHQL_VALIDATION_FAILED', /nope/);
  });

  it('a bad IMO literal: BAD_USER_INPUT naming the check digit', async () => {
    const res = await hub.gql(NL_ANALYST(), '{ vessel(imo: "9074728") { name } }');
    expectError(res, 'BAD_USER_INPUT', /check digit/);
  });

  it('a bad IMO variable: BAD_USER_INPUT naming the check digit', async () => {
    const res = await hub.gql(NL_ANALYST(), 'query($imo: IMONumber!) { vessel(imo: $imo) { name } }', { imo: '9074728' });
    expectError(res, 'BAD_USER_INPUT', /check digit/);
  });

  it('a good IMO in either form is accepted', async () => {
    const res = await hub.gql(NL_ANALYST(), 'query($imo: IMONumber!) { vessel(imo: $imo) { name } }', { imo: 'IMO 9074729' });
    expect(res.errors).toBeUndefined();
  });

  it('bad MMSI, country and UN/LOCODE in publishAlert input (variables): BAD_USER_INPUT naming the value type', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
      [{}, { mmsi: '12345' }, /MMSI/],
      [{}, { flag: 'UK' }, /country code "UK".*GB/],
      [{ jurisdiction: 'XX' }, {}, /country code/],
      [{ port: 'nlrtm' }, {}, /UN\/LOCODE/],
      [{ port: 'NLRT1' }, {}, /UN\/LOCODE/],
      [{ port: 'ZZRTM' }, {}, /UN\/LOCODE/],
    ];
    for (const [over, vessel, message] of cases) {
      const res = await hub.gql(NL_ANALYST(), PUBLISH, { input: alertInput(over, vessel) });
      expectError(res, 'BAD_USER_INPUT', message);
    }
  });

  it('bad MMSI, country and UN/LOCODE as literals: BAD_USER_INPUT', async () => {
    const literal = (vessel: string, rest: string) => `mutation { publishAlert(input: {
      vessel: { imo: "${IMO_OK}", name: "ESTRELLA"${vessel} }, category: SMUGGLING, severity: HIGH,
      title: "t", description: "d", tlp: AMBER${rest} }) { id } }`;
    expectError(await hub.gql(NL_ANALYST(), literal(', mmsi: "24465000"', ', port: "NLRTM"')), 'BAD_USER_INPUT', /MMSI/);
    expectError(await hub.gql(NL_ANALYST(), literal('', ', jurisdiction: "nl"')), 'BAD_USER_INPUT', /country code/);
    expectError(await hub.gql(NL_ANALYST(), literal('', ', port: "NLRT0"')), 'BAD_USER_INPUT', /UN\/LOCODE/);
    expectError(await hub.gql(NL_ANALYST(), literal('', ', port: 12345')), 'BAD_USER_INPUT', /UNLocode/);
  });

  it('first beyond 0..500: BAD_USER_INPUT', async () => {
    for (const first of [501, -1]) {
      expectError(await hub.gql(NL_ANALYST(), `{ watchlists(first: ${first}) { totalCount } }`), 'BAD_USER_INPUT', /first/);
      expectError(
        await hub.gql(NL_ANALYST(), 'query($n: Int) { alerts(first: $n) { totalCount } }', { n: first }),
        'BAD_USER_INPUT',
        /first/,
      );
    }
    const ok = await hub.gql(NL_ANALYST(), '{ watchlists(first: 500) { totalCount } alerts(first: 0) { totalCount } }');
    expect(ok.errors).toBeUndefined();
  });

  it('a forged cursor: BAD_USER_INPUT', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const uuid = '0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';
    const forged = [
      'forged',
      b64({ a: 1 }),
      b64(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      b64(["x' OR 1=1 --", uuid]),
      b64(['2026-01-01T00:00:00.000Z', uuid, 'extra']),
    ];
    for (const after of forged) {
      const res = await hub.gql(NL_ANALYST(), 'query($after: String) { watchlists(after: $after) { totalCount } }', { after });
      expectError(res, 'BAD_USER_INPUT', /after/);
    }
  });

  // Values that pass a lenient shape check (Date.parse, \d{1,19}) but that PostgreSQL refuses to
  // cast must still be bad input, not a masked INTERNAL_SERVER_ERROR from a failed query.
  it('a forged cursor the database could not cast: BAD_USER_INPUT, not a server error', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const uuid = '0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';
    const cases: [string, string][] = [
      ['watchlists', b64(['1', uuid])], // Date.parse("1") is the year 2001
      ['watchlists', b64(['+275760-09-13T00:00:00.000Z', uuid])], // beyond timestamptz
      ['alerts', b64(['Tue Mar 01 2022', uuid])],
      ['vessels', b64(['a\u0000b', uuid])], // text sort key holding NUL
    ];
    for (const [list, after] of cases) {
      const res = await hub.gql(NL_AUDITOR(), `query($after: String) { ${list}(after: $after) { totalCount } }`, { after });
      expectError(res, 'BAD_USER_INPUT', /after/);
    }
    const audit = await hub.gql(NL_AUDITOR(), 'query($after: String) { auditTrail(after: $after) { totalCount } }', {
      after: b64(['9999999999999999999', '']), // 19 digits, beyond bigint
    });
    expectError(audit, 'BAD_USER_INPUT', /after/);
  });

  it('a well-formed cursor that is not one of ours is still no server error', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const res = await hub.gql(NL_ANALYST(), 'query($after: String) { watchlists(after: $after) { totalCount edges { cursor } } }', {
      after: b64(['2026-01-01T00:00:00.000Z', '0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b']),
    });
    expect(res.errors).toBeUndefined();
  });

  it('a malformed id: BAD_USER_INPUT', async () => {
    expectError(await hub.gql(NL_ANALYST(), '{ watchlist(id: "nope") { id } }'), 'BAD_USER_INPUT', /id/);
    expectError(await hub.gql(NL_ANALYST(), '{ watchlist(id: "Watchlist:1 OR 1=1") { id } }'), 'BAD_USER_INPUT', /id/);
    expectError(
      await hub.gql(NL_ANALYST(), '{ alert(id: "Watchlist:0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b") { id } }'),
      'BAD_USER_INPUT',
      /VesselAlert/,
    );
    // A well-formed id of nothing is simply null.
    const none = await hub.gql(NL_ANALYST(), '{ watchlist(id: "Watchlist:0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b") { id } }');
    expect(none.errors).toBeUndefined();
    expect(none.data!.watchlist).toBeNull();
  });
});

describe('capabilities', () => {
  it('a viewer cannot createWatchlist: FORBIDDEN', async () => {
    const res = await hub.gql(NL_VIEWER(), 'mutation { createWatchlist(input: { name: "x", tlp: AMBER, jurisdiction: "NL" }) { id } }');
    expectError(res, 'FORBIDDEN');
    expect(res.data?.createWatchlist ?? null).toBeNull();
  });

  it('a private operator with the analyst role cannot publishAlert: FORBIDDEN', async () => {
    const res = await hub.gql(tokenFor('nl-ect-terminal', ['analyst']), PUBLISH, { input: alertInput() });
    expectError(res, 'FORBIDDEN', /private operator/);
    const res2 = await hub.gql(
      tokenFor('nl-ect-terminal', ['analyst']),
      'mutation { createWatchlist(input: { name: "x", tlp: AMBER, jurisdiction: "NL" }) { id } }',
    );
    expectError(res2, 'FORBIDDEN');
  });

  it('submitting a report at a port the operator is not registered at: FORBIDDEN naming the port', async () => {
    const res = await hub.gql(TERMINAL(), SUBMIT, { input: reportInput({ port: 'NLAMS' }) });
    expectError(res, 'FORBIDDEN', /NLAMS/);
  });

  it('an analyst publishes for its own agency', async () => {
    const res = await hub.gql(NL_ANALYST(), PUBLISH, { input: alertInput() });
    expect(res.errors).toBeUndefined();
    expect(res.data!.publishAlert).toMatchObject({ tlp: 'AMBER', jurisdiction: 'NL', vessel: { imo: IMO_OK } });
  });
});

describe('suspicious activity reports: idempotent submission', () => {
  const REFERENCE = /^SAR-nl-ect-terminal-\d{4}-\d{6}$/;

  it('answers with a reference such as SAR-nl-ect-terminal-2026-000001', async () => {
    const res = await hub.gql(TERMINAL(), SUBMIT, { input: reportInput() });
    expect(res.errors).toBeUndefined();
    const report = res.data!.submitSuspiciousActivityReport;
    expect(report.reference).toMatch(REFERENCE);
    expect(report.reference.slice(20, 24)).toBe(String(new Date().getUTCFullYear()));
    expect(report).toMatchObject({ port: 'NLRTM', jurisdiction: 'NL', status: 'SUBMITTED', ownerAgency: { code: 'nl-ect-terminal' } });
  });

  it('the same key twice gives the same report; a different payload with that key is a CONFLICT', async () => {
    const input = reportInput();
    const first = await hub.gql(TERMINAL(), SUBMIT, { input, key: 'retry-1' });
    const again = await hub.gql(TERMINAL(), SUBMIT, { input, key: 'retry-1' });
    expect(first.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(again.data!.submitSuspiciousActivityReport.id).toBe(first.data!.submitSuspiciousActivityReport.id);
    expect(again.data!.submitSuspiciousActivityReport.reference).toBe(first.data!.submitSuspiciousActivityReport.reference);

    // Key order and an explicit null do not make a retry a different report.
    const reordered = {
      description: input.description,
      observedAt: input.observedAt,
      category: input.category,
      port: input.port,
      imo: null,
    };
    const third = await hub.gql(TERMINAL(), SUBMIT, { input: reordered, key: 'retry-1' });
    expect(third.errors).toBeUndefined();
    expect(third.data!.submitSuspiciousActivityReport.id).toBe(first.data!.submitSuspiciousActivityReport.id);

    const conflict = await hub.gql(TERMINAL(), SUBMIT, { input: { ...input, description: 'Something else entirely' }, key: 'retry-1' });
    expectError(conflict, 'CONFLICT', /idempotencyKey/);
  });

  it('keys are per agency: another operator with the same key files its own report', async () => {
    const nl = await hub.gql(TERMINAL(), SUBMIT, { input: reportInput(), key: 'shared-key' });
    const be = await hub.gql(tokenFor('be-antwerp-shipping-agent', ['viewer']), SUBMIT, {
      input: reportInput({ port: 'BEANR' }),
      key: 'shared-key',
    });
    expect(nl.errors).toBeUndefined();
    expect(be.errors).toBeUndefined();
    expect(be.data!.submitSuspiciousActivityReport.id).not.toBe(nl.data!.submitSuspiciousActivityReport.id);
    expect(be.data!.submitSuspiciousActivityReport.reference).toMatch(/^SAR-be-antwerp-shipping-agent-\d{4}-\d{6}$/);
  });

  it('ten concurrent submissions with one key make one report, and all ten answers name it', async () => {
    const input = reportInput({ description: 'Drone hovering over the quay at night, concurrent test' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => hub.gql(TERMINAL(), SUBMIT, { input, key: 'burst-key' })));
    for (const a of answers) expect(a.errors).toBeUndefined();
    const ids = new Set(answers.map((a) => a.data!.submitSuspiciousActivityReport.id));
    const refs = new Set(answers.map((a) => a.data!.submitSuspiciousActivityReport.reference));
    expect(ids.size).toBe(1);
    expect(refs.size).toBe(1);
    const [{ n }] = await hub.database.db.query(
      `SELECT count(*)::int AS n FROM suspicious_activity_reports WHERE owner_agency = 'nl-ect-terminal' AND description = $1`,
      [input.description],
    );
    expect(n).toBe(1);
  });
});

describe('the shield start-up guard', () => {
  it('assertEveryFieldRuled names a field the rule tree lacks', async () => {
    const schema = await buildHubSchema();
    const tree = buildRuleTree(schema) as Record<string, Record<string, unknown>>;
    expect(() => assertEveryFieldRuled(schema, tree as never)).not.toThrow();

    delete tree.WatchlistEntry.notes;
    expect(() => assertEveryFieldRuled(schema, tree as never)).toThrow(/WatchlistEntry\.notes/);

    const tree2 = buildRuleTree(schema) as Record<string, Record<string, unknown>>;
    delete tree2.Query.auditTrail;
    expect(() => assertEveryFieldRuled(schema, tree2 as never)).toThrow(/Query\.auditTrail/);
  });

  it('buildRuleTree returns a fresh tree: editing one never changes the next', async () => {
    const schema = await buildHubSchema();
    const first = buildRuleTree(schema) as Record<string, Record<string, unknown>>;
    delete first.Query.me;
    delete first.Mutation.publishAlert;
    const second = buildRuleTree(schema) as Record<string, Record<string, unknown>>;
    expect(second.Query.me).toBeDefined();
    expect(second.Mutation.publishAlert).toBeDefined();
  });

  it('createPermissions accepts the real schema', async () => {
    const schema = await buildHubSchema();
    expect(() => createPermissions(schema)).not.toThrow();
  });
});

describe('the audit trail', () => {
  const TRAIL = '{ auditTrail(first: 100) { totalCount edges { node { sequence operation agency { code } recordIds hash subject } } } }';

  it('lists the mutations with hashes for an auditor; the chain verifies, and a tampered row is found', async () => {
    const wl = await hub.gql(
      NL_ANALYST(),
      'mutation { createWatchlist(input: { name: "Audit probe", tlp: AMBER, jurisdiction: "NL" }) { id } }',
    );
    expect(wl.errors).toBeUndefined();
    const alert = await hub.gql(NL_ANALYST(), PUBLISH, { input: alertInput({ title: 'Audit probe alert' }) });
    expect(alert.errors).toBeUndefined();
    const watchlistId = wl.data!.createWatchlist.id as string;
    const alertId = alert.data!.publishAlert.id as string;

    const res = await hub.gql(NL_AUDITOR(), TRAIL);
    expect(res.errors).toBeUndefined();
    const events = res.data!.auditTrail.edges.map((e: { node: Record<string, any> }) => e.node);
    const byRecord = (id: string) => events.find((e: { recordIds: string[] }) => e.recordIds.includes(id));
    expect(byRecord(watchlistId)).toMatchObject({
      operation: 'createWatchlist',
      agency: { code: 'nl-customs' },
      subject: 'dev-nl-customs',
    });
    expect(byRecord(alertId)).toMatchObject({ operation: 'publishAlert', agency: { code: 'nl-customs' } });
    for (const e of events) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(events.map((e: { hash: string }) => e.hash)).size).toBe(events.length);
    // Newest first.
    // Sequences are tokens that tell nothing of other agencies' events; the hub's key reads them.
    for (const e of events) expect(e.sequence).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const seqs = await Promise.all(events.map((e: { sequence: string }) => auditPositionOf(hub, e.sequence)));
    expect([...seqs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(seqs);
    // Another agency's report submissions are not in nl-customs' trail.
    expect(events.every((e: { agency: { code: string } }) => e.agency.code === 'nl-customs')).toBe(true);

    const manager = hub.database.db.manager;
    expect(await verifyAuditChain(manager)).toBeUndefined();

    const target = String(await auditPositionOf(hub, byRecord(watchlistId).sequence));
    await hub.database.db.query(`UPDATE audit_events SET operation = 'nothingToSeeHere' WHERE sequence = $1`, [target]);
    expect(String(await verifyAuditChain(manager))).toBe(String(target));
  });

  it('pages by cursors that carry no count either', async () => {
    const PAGE = 'query($after: String) { auditTrail(first: 1, after: $after) { edges { node { sequence } } pageInfo { endCursor } } }';
    const first = await hub.gql(NL_AUDITOR(), PAGE);
    const cursor = first.data!.auditTrail.pageInfo.endCursor as string;
    const [shown] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];
    expect(shown).toBe(first.data!.auditTrail.edges[0].node.sequence);
    expect(shown).not.toMatch(/^\d+$/);
    const second = await hub.gql(NL_AUDITOR(), PAGE, { after: cursor });
    expect(second.errors).toBeUndefined();
    const [a, b] = await Promise.all([first, second].map((r) => auditPositionOf(hub, r.data!.auditTrail.edges[0].node.sequence as string)));
    expect(b < a).toBe(true);
  });

  it('a viewer without the auditor role gets FORBIDDEN', async () => {
    const res = await hub.gql(NL_VIEWER(), TRAIL);
    expectError(res, 'FORBIDDEN');
    const analyst = await hub.gql(NL_ANALYST(), TRAIL);
    expectError(analyst, 'FORBIDDEN');
  });
});

test('no error response of this file showed internals', () => {
  expect(errorResponses.length).toBeGreaterThan(20);
  for (const res of errorResponses) {
    const text = JSON.stringify(res.errors);
    for (const word of ['stack', 'QueryFailedError', 'SELECT', 'at /', 'node_modules', 'exception']) {
      expect(text).not.toContain(word);
    }
  }
});
