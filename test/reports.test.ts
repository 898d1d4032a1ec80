/**
 * ISSUE 5: suspicious-activity reports from private operators, end to end over HTTP (and the
 * WebSocket alert stream): submission with vessel linking and references, exactly-once
 * submission, reporter privacy, triage by jurisdiction, escalation to an alert, rate limits,
 * possible duplicates and validation messages a reporter understands.
 *
 * Membership: the demo policies plus a second operator at Rotterdam (nl-rtm-stevedore) that
 * shares its reports with Belgian Customs by an agreement that releases no sensitive field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mintDevToken } from '../src/auth/dev-token';
import { loadConfig } from '../src/config';
import { alertInput, PUBLISH_ALERT, recordInRegistry } from './support/builders';
import { expectError } from './support/expect';
import { copyDemoPolicies, startTestHub, tokenFor, type GraphQLResponse, type TestHub } from './support/hub';
import { positionOf } from './support/stream';
import { Subscriber } from './support/subscriber';
import { pollUntil } from './support/wait';

// ---------------------------------------------------------------------------------------------
// Membership, tokens, hubs

const STEVEDORE = 'nl-rtm-stevedore';

function writePolicies(): string {
  const dir = copyDemoPolicies();
  fs.appendFileSync(
    path.join(dir, 'agencies.yaml'),
    `
  - code: ${STEVEDORE}
    name: Maasvlakte Stevedoring BV (test operator)
    kind: PRIVATE_OPERATOR
    country: NL
    ports: [NLRTM]
`,
  );
  const issuers = path.join(dir, 'issuers.yaml');
  fs.writeFileSync(issuers, fs.readFileSync(issuers, 'utf8').replace('      - no-customs\n', `      - no-customs\n      - ${STEVEDORE}\n`));
  fs.writeFileSync(
    path.join(dir, 'agreements', `${STEVEDORE}--be-customs.yaml`),
    `
id: ${STEVEDORE}--be-customs
provider: ${STEVEDORE}
recipients: [be-customs]
types: [SuspiciousActivityReport]
maxTlp: AMBER
purpose: "Test: the stevedore shares its reports with Belgian Customs, releasing no sensitive field"
validFrom: 2026-01-01
`,
  );
  return dir;
}

/** A token whose subject names a person, as a real identity provider's would. */
const person = (agency: string, subject: string, roles: string[] = ['viewer']) => mintDevToken({ agency, roles, subject });

const TERMINAL = () => person('nl-ect-terminal', 'j.devries@delta-terminal.example');
const STEVEDORE_T = () => person(STEVEDORE, 'p.jansen@maasvlakte-stevedoring.example');
const BE_AGENT = () => tokenFor('be-antwerp-shipping-agent', ['viewer']);
const NL_ANALYST = () => person('nl-customs', 'analyst.bakker@douane.example', ['analyst']);
const NL_VIEWER = () => tokenFor('nl-customs', ['viewer']);
const NL_CG_ANALYST = () => person('nl-coastguard', 'analyst.smit@kustwacht.example', ['analyst']);
const RTM_PA_ANALYST = () => tokenFor('nl-rotterdam-pa', ['analyst']);
const BE_ANALYST = () => tokenFor('be-customs', ['analyst']);
const DE_ANALYST = () => tokenFor('de-customs', ['analyst']);
const FR_ANALYST = () => tokenFor('fr-douane', ['analyst']);

let policiesDir: string;
let hub: TestHub;

beforeAll(async () => {
  policiesDir = writePolicies();
  // A generous limit here; the limit itself is tested on a hub of its own below.
  hub = await startTestHub({ policiesDir, reportRateLimit: { max: 500, windowSeconds: 600 } });
  // Known vessels, as the registry authority records them, and an alert about each.
  await recordInRegistry(
    hub,
    KNOWN_VESSELS.map(([imo, mmsi, name]) => ({ imo, mmsi, name })),
  );
  for (const [imo, mmsi, name] of KNOWN_VESSELS) {
    const res = await hub.gql(NL_ANALYST(), PUBLISH_ALERT, { input: alertInput({ vessel: { imo, mmsi, name } }) });
    expect(res.errors).toBeUndefined();
  }
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  if (policiesDir) fs.rmSync(policiesDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Queries and helpers

const KNOWN_VESSELS = [
  ['9074729', '244650000', 'ESTRELLA DEL MAR'],
  ['9176187', '245123000', 'NORDIC BREEZE'],
] as const;

const REPORT_FIELDS = `id reference port jurisdiction status category imo mmsi vesselName description observedAt
  ownerAgency { code } vessel { imo name } reporterContact submittedBy access { basis redactedFields }`;

const SUBMIT = `mutation($input: SubmitReportInput!, $key: String) {
  submitSuspiciousActivityReport(input: $input, idempotencyKey: $key) { ${REPORT_FIELDS} } }`;

const GET = `query($id: ID!) { report(id: $id) { ${REPORT_FIELDS}
  history { from status at agency { code } actor note } } }`;

const TRIAGE = `mutation($id: ID!, $status: ReportStatus!, $note: String) {
  triageReport(id: $id, status: $status, note: $note) { id status history { from status agency { code } actor note } } }`;

const ESCALATE = `mutation($id: ID!, $input: PublishAlertInput!, $note: String) {
  escalateReport(id: $id, input: $input, note: $note) {
    id sequence title description intelligenceSummary category severity port tlp jurisdiction status
    vessel { imo name } vesselAsGiven { imo name } ownerAgency { code } access { basis } } }`;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

let counter = 0;
/** A distinct report each call (descriptions differ, so no accidental idempotency matches). */
const reportInput = (over: Record<string, unknown> = {}) => ({
  port: 'NLRTM',
  category: 'UNAUTHORIZED_ACCESS',
  observedAt: hoursAgo(1),
  description: `Two people climbed the fence at the reefer yard and left by boat (#${++counter})`,
  reporterContact: 'Jan de Vries, night shift security, +31 10 555 0142, j.devries@delta-terminal.example',
  ...over,
});

type Report = Record<string, any>;

async function submit(token: string, over: Record<string, unknown> = {}, key?: string): Promise<Report> {
  const res = await hub.gql(token, SUBMIT, { input: reportInput(over), key });
  expect(res.errors).toBeUndefined();
  return res.data!.submitSuspiciousActivityReport;
}

async function triage(token: string, id: string, status: string, note?: string) {
  return hub.gql(token, TRIAGE, { id, status, note });
}

async function underReview(over: Record<string, unknown> = {}): Promise<Report> {
  const r = await submit(TERMINAL(), over);
  const res = await triage(NL_ANALYST(), r.id, 'UNDER_REVIEW', 'Checking CCTV of the reefer yard');
  expect(res.errors).toBeUndefined();
  return r;
}

/** The FORBIDDEN errors of a response, by path. */
const forbiddenPaths = (res: GraphQLResponse) =>
  (res.errors ?? [])
    .filter((e) => e.extensions?.code === 'FORBIDDEN')
    .map((e) => e.path!.join('.'))
    .sort();

const ESCALATION_INPUT = (over: Record<string, unknown> = {}) => ({
  vessel: { imo: '9074729', name: 'ESTRELLA DEL MAR' },
  category: 'UNAUTHORIZED_ACCESS',
  severity: 'HIGH',
  title: 'Intruders reached the reefer yard from the water',
  description: 'Two people climbed the fence at the reefer yard at night and left by boat; check vessels at anchor nearby.',
  tlp: 'AMBER',
  ...over,
});

// ---------------------------------------------------------------------------------------------

describe('submission by a private operator', () => {
  it("answers with a reference, the port's jurisdiction, status SUBMITTED and the submitting person", async () => {
    const r = await submit(TERMINAL(), { imo: '9074729' });
    expect(r.reference).toMatch(new RegExp(`^SAR-nl-ect-terminal-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(r).toMatchObject({
      port: 'NLRTM',
      jurisdiction: 'NL',
      status: 'SUBMITTED',
      ownerAgency: { code: 'nl-ect-terminal' },
      submittedBy: 'j.devries@delta-terminal.example',
      reporterContact: expect.stringContaining('+31 10 555 0142'),
      access: { basis: 'OWNER', redactedFields: [] },
    });
  });

  it("numbers references per submitting agency and year: one operator's numbers say nothing of another's reports", async () => {
    const year = new Date().getUTCFullYear();
    const n = (ref: string) => Number(ref.slice(-6));
    const a = await submit(TERMINAL());
    const b = await submit(TERMINAL());
    expect(n(b.reference)).toBe(n(a.reference) + 1);
    // The stevedore at the same port starts from its own first report, however many the terminal filed.
    const s1 = await submit(STEVEDORE_T());
    const s2 = await submit(STEVEDORE_T());
    expect([s1.reference, s2.reference]).toEqual([`SAR-${STEVEDORE}-${year}-000001`, `SAR-${STEVEDORE}-${year}-000002`]);
    const c = await submit(TERMINAL());
    expect(n(c.reference)).toBe(n(b.reference) + 1);
    const be = await submit(BE_AGENT(), { port: 'BEANR' });
    expect(be.reference).toBe(`SAR-be-antwerp-shipping-agent-${year}-000001`);
    expect(be.jurisdiction).toBe('BE');
  });

  it('links the vessel by IMO, by MMSI or by name alone, and keeps what was reported otherwise', async () => {
    const byImo = await submit(TERMINAL(), { imo: '9074729' });
    expect(byImo).toMatchObject({ imo: '9074729', vessel: { imo: '9074729', name: 'ESTRELLA DEL MAR' } });
    const byMmsi = await submit(TERMINAL(), { mmsi: '245123000' });
    expect(byMmsi).toMatchObject({ imo: null, mmsi: '245123000', vessel: { imo: '9176187' } });
    const byName = await submit(TERMINAL(), { vesselName: '  nordic breeze ' });
    expect(byName).toMatchObject({ imo: null, vesselName: 'nordic breeze', vessel: { imo: '9176187' } });
    const unknown = await submit(TERMINAL(), { vesselName: 'BLUE HERON', mmsi: '211000001' });
    expect(unknown).toMatchObject({ vessel: null, vesselName: 'BLUE HERON', mmsi: '211000001', imo: null });
    const noVessel = await submit(TERMINAL());
    expect(noVessel).toMatchObject({ vessel: null, vesselName: null, imo: null, mmsi: null });
  });

  it('only at a port where the agency is registered: FORBIDDEN naming the port', async () => {
    const res = await hub.gql(TERMINAL(), SUBMIT, { input: reportInput({ port: 'NLAMS' }) });
    expectError(res, 'FORBIDDEN', /not registered at port NLAMS/);
  });

  it('public agencies may submit too', async () => {
    const r = await submit(tokenFor('nl-rotterdam-pa', ['viewer']));
    expect(r).toMatchObject({ ownerAgency: { code: 'nl-rotterdam-pa' }, jurisdiction: 'NL', status: 'SUBMITTED' });
  });

  it("the operator sees its own report and status, never another operator's", async () => {
    const mine = await submit(TERMINAL(), { description: 'Seal of container MSKU1234567 broken at gate 4' });
    const theirs = await submit(STEVEDORE_T(), { description: 'Crew member photographed the fence cameras' });

    const own = await hub.gql(TERMINAL(), GET, { id: mine.id });
    expect(own.data!.report).toMatchObject({ id: mine.id, status: 'SUBMITTED', description: mine.description });
    expect(own.data!.report.history).toEqual([
      { from: null, status: 'SUBMITTED', at: expect.any(String), agency: { code: 'nl-ect-terminal' }, actor: null, note: null },
    ]);
    // The analysts' side of the history is withheld even from the submitter (ISSUE 5 item 4).
    expect(forbiddenPaths(own)).toEqual(['report.history.0.actor', 'report.history.0.note']);

    for (const [token, hidden] of [
      [TERMINAL(), theirs.id],
      [STEVEDORE_T(), mine.id],
      [BE_AGENT(), mine.id],
    ] as const) {
      expect(await hub.gql(token, GET, { id: hidden })).toEqual({ status: 200, data: { report: null } });
      const node = await hub.gql(token, 'query($id: ID!) { node(id: $id) { id } }', { id: hidden });
      expect(node).toEqual({ status: 200, data: { node: null } });
    }
    const list = await hub.gql(TERMINAL(), '{ reports(first: 500) { totalCount edges { node { id ownerAgency { code } } } } }');
    const owners = new Set(list.data!.reports.edges.map((e: any) => e.node.ownerAgency.code));
    expect([...owners]).toEqual(['nl-ect-terminal']);
    expect(list.data!.reports.edges.map((e: any) => e.node.id)).toContain(mine.id);
    expect(list.data!.reports.totalCount).toBe(list.data!.reports.edges.length);
  });
});

// ---------------------------------------------------------------------------------------------

describe('exactly once', () => {
  it('sequential retries with one key return the first report; another payload under it is CONFLICT', async () => {
    const input = reportInput({ imo: '9074729', description: 'Crew member photographing the gate cameras, sequential retry test' });
    const first = await hub.gql(TERMINAL(), SUBMIT, { input, key: 'seq-key-1' });
    const again = await hub.gql(TERMINAL(), SUBMIT, { input, key: 'seq-key-1' });
    expect(again.data!.submitSuspiciousActivityReport).toEqual(first.data!.submitSuspiciousActivityReport);
    const conflict = await hub.gql(TERMINAL(), SUBMIT, { input: { ...input, description: 'Something else' }, key: 'seq-key-1' });
    expectError(conflict, 'CONFLICT', /idempotencyKey was already used for a different report/);
    const [{ n }] = await hub.database.db.query('SELECT count(*)::int AS n FROM suspicious_activity_reports WHERE description = $1', [
      input.description,
    ]);
    expect(n).toBe(1);
  });

  it('ten parallel submissions with one key create one report, one reference and one history entry', async () => {
    const input = reportInput({ description: 'AIS of the tanker at anchor switched off at 03:10, parallel test' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => hub.gql(TERMINAL(), SUBMIT, { input, key: 'parallel-key' })));
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(new Set(answers.map((a) => a.data!.submitSuspiciousActivityReport.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.data!.submitSuspiciousActivityReport.reference)).size).toBe(1);
    const [{ n, t }] = await hub.database.db.query(
      `SELECT count(DISTINCT r.id)::int AS n, count(t.id)::int AS t FROM suspicious_activity_reports r
         JOIN report_transitions t ON t.report_id = r.id WHERE r.description = $1`,
      [input.description],
    );
    expect({ n, t }).toEqual({ n: 1, t: 1 });
  });

  it('keys belong to the agency: the same key from another operator is a report of its own', async () => {
    const a = await submit(TERMINAL(), {}, 'shared-key-x');
    const b = await submit(STEVEDORE_T(), {}, 'shared-key-x');
    expect(b.id).not.toBe(a.id);
  });
});

// ---------------------------------------------------------------------------------------------

describe('reporter privacy: reporterContact and submittedBy', () => {
  let terminalReport: Report;
  let stevedoreReport: Report;
  const PRIVATE = `query($id: ID!) { report(id: $id) { id reporterContact submittedBy access { basis agreementId redactedFields } } }`;

  beforeAll(async () => {
    terminalReport = await submit(TERMINAL(), { imo: '9074729' });
    stevedoreReport = await submit(STEVEDORE_T(), { imo: '9176187' });
  });

  it("analysts of the public agencies of the report's country read them (JURISDICTION)", async () => {
    for (const token of [NL_ANALYST(), NL_CG_ANALYST(), RTM_PA_ANALYST()]) {
      const res = await hub.gql(token, PRIVATE, { id: terminalReport.id });
      expect(res.errors).toBeUndefined();
      expect(res.data!.report).toEqual({
        id: terminalReport.id,
        reporterContact: terminalReport.reporterContact,
        submittedBy: 'j.devries@delta-terminal.example',
        access: { basis: 'JURISDICTION', agreementId: null, redactedFields: [] },
      });
    }
  });

  it('viewers of those agencies see the report but not who made it', async () => {
    const res = await hub.gql(NL_VIEWER(), PRIVATE, { id: terminalReport.id });
    expect(res.data!.report).toEqual({
      id: terminalReport.id,
      reporterContact: null,
      submittedBy: null,
      access: { basis: 'JURISDICTION', agreementId: null, redactedFields: ['reporterContact', 'submittedBy'] },
    });
    expect(forbiddenPaths(res)).toEqual(['report.reporterContact', 'report.submittedBy']);
  });

  it('an agreement that does not release them shows the report without them', async () => {
    const res = await hub.gql(BE_ANALYST(), PRIVATE, { id: stevedoreReport.id });
    expect(res.data!.report).toEqual({
      id: stevedoreReport.id,
      reporterContact: null,
      submittedBy: null,
      access: { basis: 'AGREEMENT', agreementId: `${STEVEDORE}--be-customs`, redactedFields: ['reporterContact', 'submittedBy'] },
    });
    expect(forbiddenPaths(res)).toEqual(['report.reporterContact', 'report.submittedBy']);
    // ... and the terminal, which has no agreement with be-customs, is not visible at all.
    expect(await hub.gql(BE_ANALYST(), PRIVATE, { id: terminalReport.id })).toEqual({ status: 200, data: { report: null } });
  });

  it('other operators and other countries never see the report at all', async () => {
    for (const token of [STEVEDORE_T(), BE_AGENT(), DE_ANALYST(), FR_ANALYST()]) {
      expect(await hub.gql(token, PRIVATE, { id: terminalReport.id })).toEqual({ status: 200, data: { report: null } });
    }
  });

  it("the operator's auditor finds which agency read its reporter's identity in the audit trail, not which analyst", async () => {
    // Reads are recorded after the response: wait for the analyst's.
    const res = await pollUntil(
      () =>
        hub.gql(
          tokenFor('nl-ect-terminal', ['auditor']),
          `{ auditTrail(first: 200) { edges { node {
      operation agency { code } subject recordIds basis } } } }`,
        ),
      (r) =>
        r.data?.auditTrail.edges.some(
          (e: any) =>
            e.node.operation === 'readSensitiveFields' &&
            e.node.agency.code === 'nl-customs' &&
            e.node.recordIds.includes(terminalReport.id),
        ) === true,
    );
    expect(JSON.stringify(res)).not.toContain('analyst.bakker');
    const reads = res
      .data!.auditTrail.edges.map((e: any) => e.node)
      .filter((n: any) => n.operation === 'readSensitiveFields' && n.recordIds.includes(terminalReport.id));
    expect(reads).toEqual(
      expect.arrayContaining([
        {
          operation: 'readSensitiveFields',
          agency: { code: 'nl-customs' },
          subject: '(withheld)',
          recordIds: [terminalReport.id],
          basis: 'JURISDICTION',
        },
      ]),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('triage', () => {
  it('an analyst of the jurisdiction moves a report SUBMITTED -> UNDER_REVIEW -> CLOSED, each change recorded', async () => {
    const r = await submit(TERMINAL());
    const review = await triage(NL_ANALYST(), r.id, 'UNDER_REVIEW', 'Checking CCTV of gate 4');
    expect(review.errors).toBeUndefined();
    expect(review.data!.triageReport.status).toBe('UNDER_REVIEW');
    const close = await triage(NL_CG_ANALYST(), r.id, 'CLOSED', 'CCTV shows our own patrol; no security relevance');
    expect(close.errors).toBeUndefined();

    const res = await hub.gql(NL_ANALYST(), GET, { id: r.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.report.status).toBe('CLOSED');
    expect(res.data!.report.history).toEqual([
      {
        from: null,
        status: 'SUBMITTED',
        at: expect.any(String),
        agency: { code: 'nl-ect-terminal' },
        actor: 'j.devries@delta-terminal.example',
        note: null,
      },
      {
        from: 'SUBMITTED',
        status: 'UNDER_REVIEW',
        at: expect.any(String),
        agency: { code: 'nl-customs' },
        actor: 'analyst.bakker@douane.example',
        note: 'Checking CCTV of gate 4',
      },
      {
        from: 'UNDER_REVIEW',
        status: 'CLOSED',
        at: expect.any(String),
        agency: { code: 'nl-coastguard' },
        actor: 'analyst.smit@kustwacht.example',
        note: 'CCTV shows our own patrol; no security relevance',
      },
    ]);
    const times = res.data!.report.history.map((h: any) => Date.parse(h.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("the submitting operator follows the status, but not the analysts' notes or names", async () => {
    const r = await submit(TERMINAL());
    await triage(NL_ANALYST(), r.id, 'UNDER_REVIEW', 'Suspect vessel is on our shadow fleet list');
    const res = await hub.gql(TERMINAL(), GET, { id: r.id });
    expect(res.data!.report.status).toBe('UNDER_REVIEW');
    expect(res.data!.report.history.map((h: any) => [h.from, h.status, h.agency.code, h.actor, h.note])).toEqual([
      [null, 'SUBMITTED', 'nl-ect-terminal', null, null],
      ['SUBMITTED', 'UNDER_REVIEW', 'nl-customs', null, null],
    ]);
    expect(forbiddenPaths(res)).toEqual([
      'report.history.0.actor',
      'report.history.0.note',
      'report.history.1.actor',
      'report.history.1.note',
    ]);
    expect(JSON.stringify(res)).not.toContain('shadow fleet');
    // Viewers of the jurisdiction's agencies, too, see the status but not the notes.
    const viewer = await hub.gql(NL_VIEWER(), GET, { id: r.id });
    expect(viewer.data!.report.history[1]).toMatchObject({ status: 'UNDER_REVIEW', note: null, actor: null });
    expect(JSON.stringify(viewer)).not.toContain('shadow fleet');
  });

  it('obvious junk can be closed straight away, with a note', async () => {
    const r = await submit(TERMINAL(), { description: 'test test please ignore' });
    const res = await triage(NL_ANALYST(), r.id, 'CLOSED', 'Test submission by the terminal');
    expect(res.errors).toBeUndefined();
    expect(res.data!.triageReport.status).toBe('CLOSED');
  });

  it('illegal transitions are BAD_USER_INPUT naming the allowed next states, and change nothing', async () => {
    const r = await submit(TERMINAL());
    expectError(
      await triage(NL_ANALYST(), r.id, 'ESCALATED', 'x'),
      'BAD_USER_INPUT',
      /^the report is SUBMITTED and cannot become ESCALATED \(put it UNDER_REVIEW first\); allowed next: UNDER_REVIEW or CLOSED$/,
    );
    expectError(
      await triage(NL_ANALYST(), r.id, 'SUBMITTED'),
      'BAD_USER_INPUT',
      /^the report is already SUBMITTED; allowed next: UNDER_REVIEW or CLOSED$/,
    );
    expect((await triage(NL_ANALYST(), r.id, 'UNDER_REVIEW')).errors).toBeUndefined(); // the note is optional here
    expectError(
      await triage(NL_ANALYST(), r.id, 'SUBMITTED'),
      'BAD_USER_INPUT',
      /^the report is UNDER_REVIEW and cannot become SUBMITTED; allowed next: ESCALATED or CLOSED$/,
    );
    expectError(await triage(NL_ANALYST(), r.id, 'UNDER_REVIEW'), 'BAD_USER_INPUT', /already UNDER_REVIEW/);
    expectError(await triage(NL_ANALYST(), r.id, 'CLOSED'), 'BAD_USER_INPUT', /a note is needed to make the report CLOSED: say why/);
    expect((await triage(NL_ANALYST(), r.id, 'CLOSED', 'Duplicate of an earlier report')).errors).toBeUndefined();
    for (const status of ['SUBMITTED', 'UNDER_REVIEW', 'ESCALATED', 'CLOSED']) {
      expectError(await triage(NL_ANALYST(), r.id, status, 'again'), 'BAD_USER_INPUT', /^the report is CLOSED, which is final/);
    }
    const res = await hub.gql(NL_ANALYST(), GET, { id: r.id });
    expect(res.data!.report.history.map((h: any) => h.status)).toEqual(['SUBMITTED', 'UNDER_REVIEW', 'CLOSED']);
  });

  it('escalation through triage (to an authority outside the hub) needs a note and publishes nothing', async () => {
    const r = await underReview();
    expectError(await triage(NL_ANALYST(), r.id, 'ESCALATED'), 'BAD_USER_INPUT', /note is needed to make the report ESCALATED/);
    const res = await triage(NL_ANALYST(), r.id, 'ESCALATED', 'Handed to the port police, case 2026-0412');
    expect(res.errors).toBeUndefined();
    const got = await hub.gql(NL_ANALYST(), 'query($id: ID!) { report(id: $id) { status escalatedAlert { id } } }', { id: r.id });
    expect(got.data!.report).toEqual({ status: 'ESCALATED', escalatedAlert: null });
  });

  it('rights by jurisdiction: NL analysts may; others are FORBIDDEN, or NOT_FOUND when the report is hidden', async () => {
    const r = await submit(STEVEDORE_T());
    // Capability first: private operators (the submitter included) and viewers never triage.
    expectError(await triage(STEVEDORE_T(), r.id, 'UNDER_REVIEW'), 'FORBIDDEN', /private operators do not triage/);
    expectError(await triage(TERMINAL(), r.id, 'UNDER_REVIEW'), 'FORBIDDEN', /private operators do not triage/);
    expectError(await triage(NL_VIEWER(), r.id, 'UNDER_REVIEW'), 'FORBIDDEN', /analyst role/);
    // be-customs sees the stevedore's reports by agreement, but Belgium is not the jurisdiction.
    expectError(await triage(BE_ANALYST(), r.id, 'UNDER_REVIEW'), 'FORBIDDEN', /outside the agency's jurisdiction/);
    // Hidden reports answer exactly like missing ones.
    const missing = 'SuspiciousActivityReport:00000000-0000-4000-8000-000000000000';
    for (const token of [DE_ANALYST(), FR_ANALYST()]) {
      const hidden = await triage(token, r.id, 'UNDER_REVIEW');
      const none = await triage(token, missing, 'UNDER_REVIEW');
      expectError(hidden, 'NOT_FOUND');
      expect(hidden.errors![0].message.replace(r.id, '<id>')).toBe(none.errors![0].message.replace(missing, '<id>'));
    }
    const ok = await triage(RTM_PA_ANALYST(), r.id, 'UNDER_REVIEW', 'Harbour master checks the berth log');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.triageReport.status).toBe('UNDER_REVIEW');
  });

  it('two analysts moving one report at once: one wins, the other is told it already moved', async () => {
    const r = await submit(TERMINAL());
    const [a, b] = await Promise.all([
      triage(NL_ANALYST(), r.id, 'UNDER_REVIEW', 'customs takes it'),
      triage(NL_CG_ANALYST(), r.id, 'UNDER_REVIEW', 'coastguard takes it'),
    ]);
    const outcomes = [a, b].map((x) => (x.errors ? x.errors[0].extensions?.code : 'OK')).sort();
    expect(outcomes).toEqual(['BAD_USER_INPUT', 'OK']);
    const [{ n }] = await hub.database.db.query(
      "SELECT count(*)::int AS n FROM report_transitions WHERE report_id = $1 AND to_status = 'UNDER_REVIEW'",
      [r.id.split(':')[1]],
    );
    expect(n).toBe(1);
  });

  it("every transition is in the audit trail of the acting agency and of the report's owner", async () => {
    const r = await underReview();
    const trail = async (token: string) =>
      (await hub.gql(token, `{ auditTrail(first: 300) { edges { node { operation agency { code } recordIds } } } }`))
        .data!.auditTrail.edges.map((e: any) => e.node)
        .filter((n: any) => n.recordIds.includes(r.id))
        .map((n: any) => `${n.operation}@${n.agency.code}`);
    expect(await trail(tokenFor('nl-customs', ['auditor']))).toContain('triageReport@nl-customs');
    const owner = await trail(tokenFor('nl-ect-terminal', ['auditor']));
    expect(owner).toEqual(expect.arrayContaining(['submitSuspiciousActivityReport@nl-ect-terminal', 'triageReport@nl-customs']));
  });

  it('the triaging analyst is withheld from the operator alike in its report history and in its audit trail', async () => {
    const r = await underReview();
    const history = await hub.gql(TERMINAL(), 'query($id: ID!) { report(id: $id) { history { status agency { code } actor } } }', {
      id: r.id,
    });
    expect(history.data!.report.history.at(-1)).toEqual({ status: 'UNDER_REVIEW', agency: { code: 'nl-customs' }, actor: null });
    const TRAIL = `{ auditTrail(first: 300) { edges { node { operation agency { code } subject recordIds } } } }`;
    const events = (res: GraphQLResponse) =>
      res.data!.auditTrail.edges.map((e: any) => e.node).filter((n: any) => n.recordIds.includes(r.id));

    const operator = await hub.gql(tokenFor('nl-ect-terminal', ['auditor']), TRAIL);
    expect(operator.errors).toBeUndefined();
    expect(JSON.stringify(operator)).not.toContain('analyst.bakker');
    expect(events(operator)).toEqual(
      expect.arrayContaining([
        {
          operation: 'submitSuspiciousActivityReport',
          agency: { code: 'nl-ect-terminal' },
          subject: 'j.devries@delta-terminal.example',
          recordIds: [r.id],
        },
        { operation: 'triageReport', agency: { code: 'nl-customs' }, subject: '(withheld)', recordIds: [r.id] },
      ]),
    );
    // The analyst's own agency's auditors answer for what its people did.
    const customs = await hub.gql(tokenFor('nl-customs', ['auditor']), TRAIL);
    expect(events(customs)).toContainEqual({
      operation: 'triageReport',
      agency: { code: 'nl-customs' },
      subject: 'analyst.bakker@douane.example',
      recordIds: [r.id],
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('escalation', () => {
  it("publishes an alert with the report's vessel, port and category, and marks the report ESCALATED", async () => {
    const r = await underReview({ imo: '9074729', location: { lat: 51.95, lon: 4.05 } });
    const res = await hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT(), note: 'Alert to NL agencies' });
    expect(res.errors).toBeUndefined();
    const alert = res.data!.escalateReport;
    expect(alert).toMatchObject({
      vessel: { imo: '9074729' },
      port: 'NLRTM',
      category: 'UNAUTHORIZED_ACCESS',
      jurisdiction: 'NL',
      tlp: 'AMBER',
      status: 'ACTIVE',
      ownerAgency: { code: 'nl-customs' },
      access: { basis: 'OWNER' },
    });
    expect(await positionOf(hub, alert.sequence)).toBeGreaterThan(0n); // it is in the alert stream

    const got = await hub.gql(
      NL_ANALYST(),
      `query($id: ID!) { report(id: $id) { status escalatedAlert { id location { lat lon } }
      history { from status note } } }`,
      { id: r.id },
    );
    expect(got.data!.report.status).toBe('ESCALATED');
    expect(got.data!.report.escalatedAlert).toEqual({ id: alert.id, location: { lat: 51.95, lon: 4.05 } });
    expect(got.data!.report.history.at(-1)).toEqual({ from: 'UNDER_REVIEW', status: 'ESCALATED', note: 'Alert to NL agencies' });
    const [{ report_id }] = await hub.database.db.query('SELECT report_id FROM vessel_alerts WHERE id = $1', [alert.id.split(':')[1]]);
    expect(`SuspiciousActivityReport:${report_id}`).toBe(r.id);

    // The submitter follows the status.
    const own = await hub.gql(TERMINAL(), 'query($id: ID!) { report(id: $id) { status } }', { id: r.id });
    expect(own.data!.report.status).toBe('ESCALATED');
  });

  it("the alert never carries the reporter's identity, and is visible per its own TLP", async () => {
    const r = await underReview({ imo: '9074729' });
    const res = await hub.gql(NL_ANALYST(), ESCALATE, {
      id: r.id,
      input: ESCALATION_INPUT({ tlp: 'AMBER', intelligenceSummary: "Matches the pattern of last month's thefts" }),
    });
    expect(res.errors).toBeUndefined();
    const alertId = res.data!.escalateReport.id;
    const ALERT = `query($id: ID!) { alert(id: $id) { id title description intelligenceSummary tlp access { basis } } }`;

    // Everything the alert holds, as its owner reads it, and its row in the database.
    const full = await hub.gql(NL_ANALYST(), ALERT, { id: alertId });
    const [row] = await hub.database.db.query('SELECT * FROM vessel_alerts WHERE id = $1', [alertId.split(':')[1]]);
    for (const text of [JSON.stringify(full.data), JSON.stringify(row)]) {
      expect(text).not.toContain('j.devries');
      expect(text).not.toContain('555 0142');
      expect(text).not.toContain('Jan de Vries');
    }

    // AMBER in NL: the NL coastguard sees it by jurisdiction; Belgian customs by the narcotics
    // agreement only with an agreed purpose; France, Germany and the operators not at all.
    expect((await hub.gql(NL_CG_ANALYST(), ALERT, { id: alertId })).data!.alert.access.basis).toBe('JURISDICTION');
    const beLaw = tokenFor('be-customs', ['analyst'], { purpose: 'LAW_ENFORCEMENT' });
    expect((await hub.gql(beLaw, ALERT, { id: alertId })).data!.alert.access.basis).toBe('AGREEMENT');
    for (const token of [BE_ANALYST(), FR_ANALYST(), DE_ANALYST(), STEVEDORE_T(), TERMINAL()]) {
      expect(await hub.gql(token, ALERT, { id: alertId })).toEqual({ status: 200, data: { alert: null } });
    }
  });

  it("refuses an alert text that copies the reporter's identity, and publishes nothing", async () => {
    const r = await underReview({ imo: '9074729' });
    const before = await hub.database.db.query('SELECT count(*)::int AS n FROM vessel_alerts');
    for (const [field, text] of [
      ['description', 'Reported by Jan de Vries, night shift security, +31 10 555 0142, j.devries@delta-terminal.example'],
      ['description', 'Call the reporter on +31 (0)10-555-0142 for details'.replace('(0)', '')],
      ['title', 'Tip from J.DEVRIES@DELTA-TERMINAL.EXAMPLE'],
      ['intelligenceSummary', 'Reporter: j.devries@delta-terminal.example'],
    ] as const) {
      const res = await hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT({ [field]: text }) });
      expectError(res, 'BAD_USER_INPUT', new RegExp(`^input\\.${field} contains the reporter's identity or contact details: remove them`));
    }
    expect(await hub.database.db.query('SELECT count(*)::int AS n FROM vessel_alerts')).toEqual(before);
    const got = await hub.gql(NL_ANALYST(), 'query($id: ID!) { report(id: $id) { status } }', { id: r.id });
    expect(got.data!.report.status).toBe('UNDER_REVIEW');
  });

  it("the alert must be about the report's vessel, category and port", async () => {
    const r = await underReview({ imo: '9074729' });
    expectError(
      await hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT({ vessel: { imo: '9176187', name: 'NORDIC BREEZE' } }) }),
      'BAD_USER_INPUT',
      /input\.vessel\.imo must be the report's vessel, IMO 9074729/,
    );
    expectError(
      await hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT({ category: 'SMUGGLING' }) }),
      'BAD_USER_INPUT',
      /input\.category must be the report's category UNAUTHORIZED_ACCESS/,
    );
    expectError(
      await hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT({ port: 'NLAMS' }) }),
      'BAD_USER_INPUT',
      /input\.port must be the report's port NLRTM/,
    );
    // A report linked by MMSI only: the alert is about the linked vessel.
    const byMmsi = await underReview({ mmsi: '245123000' });
    expectError(await hub.gql(NL_ANALYST(), ESCALATE, { id: byMmsi.id, input: ESCALATION_INPUT() }), 'BAD_USER_INPUT', /IMO 9176187/);
  });

  it('a report that named no known vessel is escalated about the vessel the analyst identified', async () => {
    const r = await underReview({ vesselName: 'UNKNOWN BARGE' });
    const res = await hub.gql(NL_ANALYST(), ESCALATE, {
      id: r.id,
      input: ESCALATION_INPUT({ vessel: { imo: '9187629', name: 'RIVER BARGE 7' } }),
    });
    expect(res.errors).toBeUndefined();
    // The alert keeps the analyst's identification; the registry does not learn a name from it.
    expect(res.data!.escalateReport.vesselAsGiven).toEqual({ imo: '9187629', name: 'RIVER BARGE 7' });
    expect(res.data!.escalateReport.vessel).toEqual({ imo: '9187629', name: null });
    // A link by name alone is a guess: the analyst may name another vessel.
    const byName = await underReview({ vesselName: 'Nordic Breeze' });
    const other = await hub.gql(NL_ANALYST(), ESCALATE, { id: byName.id, input: ESCALATION_INPUT() });
    expect(other.errors).toBeUndefined();
    expect(other.data!.escalateReport.vessel.imo).toBe('9074729');
  });

  it('only from UNDER_REVIEW, only once, only by analysts of the jurisdiction', async () => {
    const fresh = await submit(TERMINAL(), { imo: '9074729' });
    expectError(
      await hub.gql(NL_ANALYST(), ESCALATE, { id: fresh.id, input: ESCALATION_INPUT() }),
      'BAD_USER_INPUT',
      /the report is SUBMITTED and cannot become ESCALATED \(put it UNDER_REVIEW first\)/,
    );

    const r = await underReview({ imo: '9074729' });
    expectError(await hub.gql(TERMINAL(), ESCALATE, { id: r.id, input: ESCALATION_INPUT() }), 'FORBIDDEN', /private operators/);
    expectError(await hub.gql(NL_VIEWER(), ESCALATE, { id: r.id, input: ESCALATION_INPUT() }), 'FORBIDDEN', /analyst role/);
    expectError(await hub.gql(BE_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT() }), 'NOT_FOUND');

    // Two analysts at once: one alert.
    const [a, b] = await Promise.all([
      hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT() }),
      hub.gql(NL_CG_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT() }),
    ]);
    expect([a, b].map((x) => (x.errors ? x.errors[0].extensions?.code : 'OK')).sort()).toEqual(['BAD_USER_INPUT', 'OK']);
    const [{ n }] = await hub.database.db.query('SELECT count(*)::int AS n FROM vessel_alerts WHERE report_id = $1', [r.id.split(':')[1]]);
    expect(n).toBe(1);
    expectError(
      await hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT() }),
      'BAD_USER_INPUT',
      /ESCALATED, which is final/,
    );
  });

  it('reaches live subscribers through the alert stream, checked against each subscriber', async () => {
    const r = await underReview({ imo: '9074729' });
    const query = 'subscription { vesselAlerts { kind alertId alert { title port category vessel { imo } } } }';
    const coastguard = new Subscriber(hub, NL_CG_ANALYST(), {}, { query });
    const france = new Subscriber(hub, FR_ANALYST(), {}, { query });
    try {
      await Promise.all([coastguard.ready(), france.ready()]);
      const res = await hub.gql(NL_ANALYST(), ESCALATE, { id: r.id, input: ESCALATION_INPUT({ title: 'Live escalation' }) });
      expect(res.errors).toBeUndefined();
      expect(await coastguard.waitFor(1)).toEqual([
        {
          kind: 'PUBLISHED',
          alertId: res.data!.escalateReport.id,
          alert: { title: 'Live escalation', port: 'NLRTM', category: 'UNAUTHORIZED_ACCESS', vessel: { imo: '9074729' } },
        },
      ]);
      // AMBER in NL is not for France: a later alert for everyone is the first thing France gets.
      expect(
        (await hub.gql(NL_ANALYST(), PUBLISH_ALERT, { input: alertInput({ tlp: 'CLEAR', title: 'marker for all' }) })).errors,
      ).toBeUndefined();
      expect((await france.waitFor(1)).map((e: any) => e.alert.title)).toEqual(['marker for all']);
    } finally {
      await Promise.all([coastguard.close(), france.close()]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('possible duplicates (flagged for the analyst, never rejected)', () => {
  const DUPS = `query($id: ID!) { report(id: $id) { id possibleDuplicates { id ownerAgency { code } } } }`;
  const dupIds = async (token: string, id: string) =>
    ((await hub.gql(token, DUPS, { id })).data!.report.possibleDuplicates as { id: string }[]).map((d) => d.id).sort();

  it('same vessel and category within 24 hours, whoever reported it, by IMO, MMSI, linked vessel or name', async () => {
    const a = await submit(TERMINAL(), { imo: '9176187', category: 'SURVEILLANCE', observedAt: hoursAgo(30) });
    const b = await submit(STEVEDORE_T(), { mmsi: '245123000', category: 'SURVEILLANCE', observedAt: hoursAgo(20) }); // linked to 9176187
    const c = await submit(TERMINAL(), { vesselName: 'Nordic Breeze', category: 'SURVEILLANCE', observedAt: hoursAgo(10) }); // linked by name
    const otherCategory = await submit(TERMINAL(), { imo: '9176187', category: 'THEFT', observedAt: hoursAgo(10) });
    const tooEarly = await submit(TERMINAL(), { imo: '9176187', category: 'SURVEILLANCE', observedAt: hoursAgo(60) });
    for (const x of [a, b, c, otherCategory, tooEarly]) expect(x.status).toBe('SUBMITTED');

    // The analyst sees every report of its jurisdiction, so every duplicate.
    expect(await dupIds(NL_ANALYST(), a.id)).toEqual([b.id, c.id].sort());
    expect(await dupIds(NL_ANALYST(), c.id)).toEqual([a.id, b.id].sort());
    expect(await dupIds(NL_ANALYST(), otherCategory.id)).toEqual([]);
    expect(await dupIds(NL_ANALYST(), tooEarly.id)).toEqual([]);
    // The list is filtered like any list: an operator sees only its own duplicates.
    expect(await dupIds(TERMINAL(), a.id)).toEqual([c.id]);
    expect(await dupIds(STEVEDORE_T(), b.id)).toEqual([]);
  });

  it('name-only reports match by name; a name does not override two different IMO numbers', async () => {
    const x = await submit(TERMINAL(), { vesselName: 'GREY GHOST', category: 'AIS_MANIPULATION' });
    const y = await submit(STEVEDORE_T(), { vesselName: 'grey ghost', category: 'AIS_MANIPULATION' });
    expect(await dupIds(NL_ANALYST(), x.id)).toEqual([y.id]);
    const p = await submit(TERMINAL(), { imo: '9074729', vesselName: 'SAME NAME', category: 'PIRACY' });
    const q = await submit(TERMINAL(), { imo: '9176187', vesselName: 'SAME NAME', category: 'PIRACY' });
    expect(await dupIds(NL_ANALYST(), p.id)).not.toContain(q.id);
  });

  it('works across a page of reports in one go', async () => {
    const res = await hub.gql(NL_ANALYST(), '{ reports(first: 200) { edges { node { id possibleDuplicates { id } } } } }');
    expect(res.errors).toBeUndefined();
    const withDups = res.data!.reports.edges.filter((e: any) => e.node.possibleDuplicates.length > 0);
    expect(withDups.length).toBeGreaterThanOrEqual(5);
  });
});

// ---------------------------------------------------------------------------------------------

describe('validation messages a reporter understands', () => {
  const bad = (over: Record<string, unknown>, key?: string) => hub.gql(TERMINAL(), SUBMIT, { input: reportInput(over), key });

  it.each([
    [
      'an empty description',
      { description: '   ' },
      /^description is empty: describe what you saw \(what happened, who was involved, where exactly\), e\.g\. "Seal/,
    ],
    [
      'a description over 5,000 characters',
      { description: 'x'.repeat(5001) },
      /^description is too long \(5001 characters; the limit is 5000\): shorten it\. Describe what you saw \(what happened, who was involved, where exactly\)\.$/,
    ],
    [
      'a vessel name over 200 characters',
      { vesselName: 'A'.repeat(201) },
      /^vesselName is too long \(201 characters; the limit is 200\): shorten it\. Give the vessel name as painted on the hull\.$/,
    ],
    [
      'a contact over 500 characters',
      { reporterContact: 'c'.repeat(501) },
      /^reporterContact is too long \(501 characters; the limit is 500\): shorten it\. Give a name and a phone number or e-mail address/,
    ],
    [
      'actions over 2,000 characters',
      { actionsTaken: 'a'.repeat(2001) },
      /^actionsTaken is too long \(2001 characters; the limit is 2000\)/,
    ],
    [
      'an empty contact',
      { reporterContact: '' },
      /^reporterContact is empty: give a name and a phone number or e-mail address where an analyst can reach you, or leave it out$/,
    ],
    [
      'a time in the future',
      { observedAt: new Date(Date.now() + 3600_000).toISOString() },
      /^observedAt is in the future: give the date and time when you saw the activity, with its time zone/,
    ],
    [
      'a time more than a year ago',
      { observedAt: '2024-11-20T10:00:00Z' },
      /^observedAt is more than a year ago \(2024-11-20\): check the year/,
    ],
    [
      'an ISPS level of 4',
      { securityLevel: 4 },
      /^securityLevel must be the ISPS security level in force at the port: 1, 2 or 3 \(got 4\); leave it out if you do not know it$/,
    ],
    [
      'a latitude of 95',
      { location: { lat: 95, lon: 4 } },
      /^location\.lat must be a latitude from -90 to 90 in decimal degrees \(south is negative\), got 95/,
    ],
    ['a longitude of 200', { location: { lat: 51.9, lon: 200 } }, /^location\.lon must be a longitude from -180 to 180/],
    [
      'pasted control characters',
      { description: 'Gate 4\u0007 open' },
      /^description contains invisible control characters \(often from copy and paste\): type the text again/,
    ],
    [
      'a right-to-left override',
      { actionsTaken: 'Called the \u202Eecilop' },
      /^actionsTaken contains an invisible bidirectional control character \(U\+202E\), which makes text display in another order than it is stored/,
    ],
  ])('%s', async (_what, over, message) => {
    const res = await bad(over);
    const err = expectError(res, 'BAD_USER_INPUT', message);
    expect(res.data).toBeNull();
    expect(err.extensions!.problems).toHaveLength(1);
  });

  it('names every problem at once, each with its field', async () => {
    const res = await bad({ description: '', securityLevel: 0, location: { lat: -91, lon: 4 } });
    const err = expectError(
      res,
      'BAD_USER_INPUT',
      /^3 things to fix: \(1\) description is empty: .*; \(2\) securityLevel must be .*; \(3\) location\.lat must be/,
    );
    expect((err.extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual(['description', 'securityLevel', 'location.lat']);
    expect(err.extensions!.field).toBe('description');
  });

  it('identifiers are checked before anything is stored: a mistyped IMO number says so', async () => {
    const res = await bad({ imo: '9074728' });
    expectError(res, 'BAD_USER_INPUT', /IMO number "9074728" has a wrong check digit: expected 9/);
    expectError(await bad({ mmsi: '24465' }), 'BAD_USER_INPUT', /MMSI must be exactly 9 digits/);
    expectError(await bad({ port: 'Rotterdam' }), 'BAD_USER_INPUT', /UN\/LOCODE/);
    expectError(await bad({ category: 'FENCE' }), 'BAD_USER_INPUT', /ThreatCategory/);
  });

  it('an overlong idempotency key, and triage notes, get the same treatment', async () => {
    expectError(
      await bad({}, 'k'.repeat(201)),
      'BAD_USER_INPUT',
      /^idempotencyKey is too long \(201 characters; the limit is 200\): use a short value that is unique per request, such as a UUID$/,
    );
    const r = await submit(TERMINAL());
    expectError(
      await triage(NL_ANALYST(), r.id, 'UNDER_REVIEW', 'n'.repeat(2001)),
      'BAD_USER_INPUT',
      /^note is too long \(2001 characters; the limit is 2000\)/,
    );
    expectError(await triage(NL_ANALYST(), r.id, 'UNDER_REVIEW', ' '), 'BAD_USER_INPUT', /^note is empty/);
  });

  it('nothing invalid was stored', async () => {
    const [{ n }] = await hub.database.db.query(
      "SELECT count(*)::int AS n FROM suspicious_activity_reports WHERE length(description) > 5000 OR security_level = 4 OR description = ''",
    );
    expect(n).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('per-agency submission rate limit', () => {
  let limited: TestHub;
  let second: TestHub;
  const LIMIT = { max: 3, windowSeconds: 600 };

  beforeAll(async () => {
    limited = await startTestHub({ policiesDir, reportRateLimit: LIMIT });
    // A second hub instance on the same database: the limit is counted in PostgreSQL.
    second = await startTestHub({ policiesDir, database: limited.database, reportRateLimit: LIMIT });
  }, 60_000);
  afterAll(async () => {
    await second?.stop();
    await limited?.stop();
  });

  /** One payload per key, so that sending a key again is a true retry. */
  const payloads = new Map<string, Record<string, unknown>>();
  const send = (h: TestHub, token: string, key?: string) => {
    const input = (key && payloads.get(key)) || reportInput({ description: `rate ${key ?? ++counter}` });
    if (key) payloads.set(key, input);
    return h.gql(token, SUBMIT, { input, key });
  };

  it('the fourth report in ten minutes is RATE_LIMITED with a retry hint; retries of sent reports still answer', async () => {
    for (let i = 1; i <= 3; i++) expect((await send(i === 2 ? second : limited, TERMINAL(), `rl-${i}`)).errors).toBeUndefined();

    const refused = await send(limited, TERMINAL(), 'rl-4');
    const err = expectError(
      refused,
      'RATE_LIMITED',
      /^Your agency has sent 3 reports in the last 10 minutes, the most the hub accepts\. Try again in \d+ seconds\. Retrying a report with its idempotencyKey is always accepted/,
    );
    expect(refused.status).toBe(429);
    const retry = err.extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(500);
    expect(retry).toBeLessThanOrEqual(600);
    expect(err.message).toContain(`Try again in ${retry} seconds`);

    // The other hub instance counts the same reports.
    expectError(await send(second, TERMINAL(), 'rl-5'), 'RATE_LIMITED');

    // An idempotent retry of a report already made is answered and not counted.
    const again = await send(second, TERMINAL(), 'rl-2');
    expect(again.errors).toBeUndefined();

    // The Retry-After header, for HTTP clients that honour it.
    const raw = await fetch(limited.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TERMINAL()}` },
      body: JSON.stringify({ query: SUBMIT, variables: { input: reportInput() } }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(500);

    // Other agencies are not affected.
    expect((await send(limited, STEVEDORE_T())).errors).toBeUndefined();
  });

  it('a slot frees as the oldest report leaves the window', async () => {
    await limited.database.db.query(
      `UPDATE suspicious_activity_reports SET created_at = now() - interval '11 minutes'
        WHERE id = (SELECT id FROM suspicious_activity_reports WHERE owner_agency = 'nl-ect-terminal' ORDER BY created_at LIMIT 1)`,
    );
    expect((await send(limited, TERMINAL())).errors).toBeUndefined();
    expectError(await send(limited, TERMINAL()), 'RATE_LIMITED');
  });

  it('holds under concurrency: six parallel reports from a fresh agency, three accepted', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => send(limited, tokenFor('nl-rotterdam-pa', ['viewer']))));
    const codes = answers.map((a) => (a.errors ? a.errors[0].extensions?.code : 'OK')).sort();
    expect(codes).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('is configured by REPORT_RATE_LIMIT and REPORT_RATE_WINDOW_SECONDS (default 20 per 600 s)', () => {
    const saved = { ...process.env };
    try {
      delete process.env.REPORT_RATE_LIMIT;
      delete process.env.REPORT_RATE_WINDOW_SECONDS;
      expect(loadConfig().reportRateLimit).toEqual({ max: 20, windowSeconds: 600 });
      process.env.REPORT_RATE_LIMIT = '5';
      process.env.REPORT_RATE_WINDOW_SECONDS = '3600';
      expect(loadConfig().reportRateLimit).toEqual({ max: 5, windowSeconds: 3600 });
      process.env.REPORT_RATE_LIMIT = 'many';
      expect(() => loadConfig()).toThrow('REPORT_RATE_LIMIT must be a whole number from 1 to 1000000, got "many"');
    } finally {
      process.env = saved;
    }
  });
});
