/**
 * What an agency's auditors can ask of the trail (src/audit/audit-query.ts), against a running hub
 * with the demo data: partners read Dutch Customs' shadow-fleet entry (LADY LEILA) under the
 * agreement nl-customs--be-customs-narcotics, which releases its sensitive fields, so each read
 * is an audit event (readSensitiveFields) in Dutch Customs' trail.
 *
 * - each auditTrail filter (agency, subject, operation, record id, time range) narrows to exactly
 *   the events it names;
 * - auditReadVolume counts those reads by partner agency and by subject;
 * - another agency's auditor sees none of it, through either query;
 * - a subject the trail withholds (who triaged an operator's report) is never matched by name;
 * - bad input (a window that ends before it starts, a too-long string) is BAD_USER_INPUT.
 */
import { mintDevToken } from '../src/auth/dev-token';
import { expectError } from './support/expect';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { pollUntil } from './support/wait';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ seedDemo: true });
}, 60_000);
afterAll(() => hub?.stop());

const NL_AUDITOR = () => tokenFor('nl-customs', ['auditor']);
const partner = (agency: string, subject: string) => mintDevToken({ agency, roles: ['viewer'], purpose: 'CUSTOMS', subject });

const READ_ENTRY = '{ watchlistEntries(filter: { imo: "9683740" }) { edges { node { id source notes access { basis } } } } }';
const TRAIL = `query($filter: AuditTrailFilter) { auditTrail(first: 100, filter: $filter) {
  totalCount edges { node { subject agency { code } operation recordIds } } } }`;
const VOLUME = `query($from: DateTime!, $to: DateTime!, $groupBy: AuditVolumeGroup!) {
  auditReadVolume(from: $from, to: $to, groupBy: $groupBy) { key events records } }`;

type Node = { subject: string; agency: { code: string }; operation: string; recordIds: string[] };
const trail = async (token: string, filter: Record<string, unknown>) => {
  const res = await hub.gql(token, TRAIL, { filter });
  expect(res.errors).toBeUndefined();
  return res.data!.auditTrail as { totalCount: number; edges: { node: Node }[] };
};

let entryId: string;
let start: string;
let end: string;

beforeAll(async () => {
  start = new Date().toISOString();
  const reads: [string, string][] = [
    ['be-customs', 'be.one@douane.example'],
    ['be-customs', 'be.one@douane.example'],
    ['be-customs', 'be.two@douane.example'],
    ['be-coastguard', 'be.cg@kustwacht.example'],
  ];
  for (const [agency, subject] of reads) {
    const res = await hub.gql(partner(agency, subject), READ_ENTRY);
    expect(res.errors).toBeUndefined();
    const [edge] = res.data!.watchlistEntries.edges;
    expect(edge.node).toMatchObject({ source: expect.any(String), access: { basis: 'AGREEMENT' } });
    entryId = edge.node.id;
  }
  // Dutch Customs' own read of its entry is no partner read.
  expect((await hub.gql(tokenFor('nl-customs', ['viewer']), READ_ENTRY)).errors).toBeUndefined();
  // Reads are recorded once each response is settled: wait until all four are on the trail.
  const seen = await pollUntil(
    async () => (await trail(NL_AUDITOR(), { recordId: entryId, from: start })).totalCount,
    (n) => n >= 4,
  );
  expect(seen).toBe(4);
  end = new Date(Date.now() + 1_000).toISOString();
}, 60_000);

describe('auditTrail filters', () => {
  it('by record id and time range: exactly the four partner reads of the entry', async () => {
    const t = await trail(NL_AUDITOR(), { recordId: entryId, from: start, to: end });
    expect(t.edges.map((e) => [e.node.agency.code, e.node.subject, e.node.operation])).toEqual([
      ['be-coastguard', 'be.cg@kustwacht.example', 'readSensitiveFields'],
      ['be-customs', 'be.two@douane.example', 'readSensitiveFields'],
      ['be-customs', 'be.one@douane.example', 'readSensitiveFields'],
      ['be-customs', 'be.one@douane.example', 'readSensitiveFields'],
    ]);
    for (const e of t.edges) expect(e.node.recordIds).toContain(entryId);
    // A window that ended before the reads holds none of them, only the entry's creation by the demo data.
    const before = await trail(NL_AUDITOR(), { recordId: entryId, to: start });
    expect(before.edges.map((e) => [e.node.agency.code, e.node.operation])).toEqual([['nl-customs', expect.not.stringMatching(/^read/)]]);
    // Another record id: none of them.
    expect((await trail(NL_AUDITOR(), { recordId: 'WatchlistEntry:00000000-0000-0000-0000-000000000000' })).totalCount).toBe(0);
  });

  it('by partner agency, subject and operation', async () => {
    const be = await trail(NL_AUDITOR(), { agency: 'be-customs', from: start });
    expect(be.totalCount).toBe(3);
    expect(be.edges.every((e) => e.node.agency.code === 'be-customs')).toBe(true);

    const two = await trail(NL_AUDITOR(), { subject: 'be.two@douane.example' });
    expect(two.edges.map((e) => e.node.subject)).toEqual(['be.two@douane.example']);

    const reads = await trail(NL_AUDITOR(), { operation: 'readSensitiveFields', from: start });
    expect(reads.totalCount).toBe(4);
    expect((await trail(NL_AUDITOR(), { operation: 'publishAlert', from: start })).totalCount).toBe(0);
    // Filters combine.
    expect((await trail(NL_AUDITOR(), { agency: 'be-coastguard', subject: 'be.one@douane.example' })).totalCount).toBe(0);
  });
});

describe('auditReadVolume', () => {
  it('counts the partner reads by agency and by subject: events, and distinct records', async () => {
    const byAgency = await hub.gql(NL_AUDITOR(), VOLUME, { from: start, to: end, groupBy: 'AGENCY' });
    expect(byAgency.errors).toBeUndefined();
    expect(byAgency.data!.auditReadVolume).toEqual([
      { key: 'be-customs', events: 3, records: 1 },
      { key: 'be-coastguard', events: 1, records: 1 },
    ]);
    const bySubject = await hub.gql(NL_AUDITOR(), VOLUME, { from: start, to: end, groupBy: 'SUBJECT' });
    expect(bySubject.data!.auditReadVolume).toEqual([
      { key: 'be.one@douane.example', events: 2, records: 1 },
      { key: 'be.cg@kustwacht.example', events: 1, records: 1 },
      { key: 'be.two@douane.example', events: 1, records: 1 },
    ]);
  });

  it("another agency's auditor sees none of it", async () => {
    const de = tokenFor('de-customs', ['auditor']);
    expect((await trail(de, { recordId: entryId })).totalCount).toBe(0);
    expect((await trail(de, { agency: 'be-customs' })).totalCount).toBe(0);
    for (const groupBy of ['AGENCY', 'SUBJECT']) {
      const res = await hub.gql(de, VOLUME, { from: start, to: end, groupBy });
      expect(res.errors).toBeUndefined();
      expect(res.data!.auditReadVolume).toEqual([]);
    }
    // The acting agency's own auditor sees its people's reads, and the same counts.
    const own = await hub.gql(tokenFor('be-customs', ['auditor']), VOLUME, { from: start, to: end, groupBy: 'SUBJECT' });
    expect(own.data!.auditReadVolume).toEqual([
      { key: 'be.one@douane.example', events: 2, records: 1 },
      { key: 'be.two@douane.example', events: 1, records: 1 },
    ]);
  });
});

describe('a withheld subject', () => {
  it("is never matched by the subject filter: the operator's auditor cannot test who triaged its report", async () => {
    const terminal = mintDevToken({ agency: 'nl-ect-terminal', roles: ['viewer'], subject: 'j.devries@delta-terminal.example' });
    const submitted = await hub.gql(
      terminal,
      `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id } }`,
      { input: { port: 'NLRTM', category: 'UNAUTHORIZED_ACCESS', observedAt: start, description: 'Fence climbed at the reefer yard' } },
    );
    expect(submitted.errors).toBeUndefined();
    const reportId = submitted.data!.submitSuspiciousActivityReport.id as string;
    const analyst = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], subject: 'analyst.bakker@douane.example' });
    const triaged = await hub.gql(analyst, 'mutation($id: ID!) { triageReport(id: $id, status: UNDER_REVIEW) { id } }', { id: reportId });
    expect(triaged.errors).toBeUndefined();

    const operatorAuditor = tokenFor('nl-ect-terminal', ['auditor']);
    // The event is in the operator's scope, with the person withheld...
    // The read is recorded after the response: wait for it.
    const byRecord = await pollUntil(
      () => trail(operatorAuditor, { recordId: reportId, agency: 'nl-customs' }),
      (t) => t.totalCount >= 2,
    );
    // (the triage and the read of the report its answer returned, newest first)
    expect(byRecord.edges.map((e) => [e.node.operation, e.node.subject])).toEqual([
      ['readRecords', '(withheld)'],
      ['triageReport', '(withheld)'],
    ]);
    // ...and asking for the person by name finds nothing.
    expect((await trail(operatorAuditor, { subject: 'analyst.bakker@douane.example' })).totalCount).toBe(0);
    // The analyst's own agency's auditor finds the act by the person.
    const own = await trail(NL_AUDITOR(), { subject: 'analyst.bakker@douane.example', recordId: reportId });
    expect(own.edges.map((e) => e.node.operation)).toEqual(['readRecords', 'triageReport']);
  });
});

describe('bad input', () => {
  it('a window that ends before it starts', async () => {
    expectError(
      await hub.gql(NL_AUDITOR(), VOLUME, { from: end, to: start, groupBy: 'AGENCY' }),
      'BAD_USER_INPUT',
      /^from .* must not be after to /,
    );
    expectError(
      await hub.gql(NL_AUDITOR(), TRAIL, { filter: { from: end, to: start } }),
      'BAD_USER_INPUT',
      /^filter\.from .* must not be after filter\.to /,
    );
  });

  it('a string longer than 256 characters', async () => {
    expectError(
      await hub.gql(NL_AUDITOR(), TRAIL, { filter: { subject: 'x'.repeat(257) } }),
      'BAD_USER_INPUT',
      'filter.subject must be 1 to 256 characters, got 257',
    );
    expectError(await hub.gql(NL_AUDITOR(), TRAIL, { filter: { recordId: '' } }), 'BAD_USER_INPUT', /filter\.recordId must be 1 to 256/);
    expectError(
      await hub.gql(NL_AUDITOR(), TRAIL, { filter: { operation: 'read\u0000' } }),
      'BAD_USER_INPUT',
      'filter.operation must not contain the NUL character',
    );
  });

  it('without the auditor role, neither query answers', async () => {
    expectError(await hub.gql(tokenFor('nl-customs', ['analyst']), VOLUME, { from: start, to: end, groupBy: 'AGENCY' }), 'FORBIDDEN');
  });
});
