/**
 * The policy engine's party scopes (src/policy/scopes.ts): sightings, the audit trail and webhooks.
 * Each in-memory rule is checked against its SQL form on random rows in real PostgreSQL. The probe
 * tables are copied from the real ones (CREATE TABLE ... AS SELECT <columns> ... WITH NO DATA), so
 * a filter naming a column the migrations do not have, or comparing with the wrong type, fails here.
 */
import fc from 'fast-check';
import {
  auditAnomalyRowFilter,
  auditRowFilter,
  auditSubjectFilter,
  canManageWebhook,
  canReadAuditAnomaly,
  canReadAuditEvent,
  canReadAuditSubject,
  canReadSighting,
  receivesEntryFeedback,
  entryFeedbackRowFilter,
  sightingRowFilter,
  webhookRowFilter,
  type ScopeFilter,
} from '../src/policy/scopes';
import { AGENCY_KINDS, ROLES, type Principal } from '../src/policy/types';
import { createTestDatabase, type TestDatabase } from './support/db';
import { agency } from './support/policy-fixtures';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.query(`
    CREATE TABLE audit_probe AS SELECT 0 AS id, agency, data_owners FROM audit_events WITH NO DATA;
    CREATE TABLE audit_subject_probe AS SELECT 0 AS id, agency, record_ids FROM audit_events WITH NO DATA;
    CREATE TABLE webhook_probe AS SELECT 0 AS id, agency FROM webhooks WITH NO DATA;
    CREATE TABLE delivery_probe AS SELECT 0 AS id, agency FROM webhook_deliveries WITH NO DATA;
    CREATE TABLE sighting_probe AS SELECT 0 AS id, reported_by, entry_owner FROM sightings WITH NO DATA;
    CREATE TABLE anomaly_probe AS SELECT 0 AS id, owner_agency FROM audit_anomalies WITH NO DATA;
  `);
}, 60_000);
afterAll(() => database?.drop());

const CODES = ['ag-a', 'ag-b', 'ag-c', 'ag-d'] as const;
/** Named on rows, never a principal: an agency that left, or a typo in old data. */
const OUTSIDER = 'ag-zz';
const codeArb = fc.constantFrom(...CODES, OUTSIDER);

/** Scopes read only the principal's agency code; the rest is drawn so that nothing else can count. */
const principalArb = fc
  .record({
    code: fc.constantFrom(...CODES),
    kind: fc.constantFrom(...AGENCY_KINDS),
    country: fc.constantFrom('NL', 'BE'),
    roles: fc.subarray([...ROLES]),
  })
  .map(({ code, kind, country, roles }): Principal => ({
    subject: `test-${code}`,
    agency: agency(code, kind, country),
    roles,
    issuer: 'test',
    expiresAt: 0,
  }));

/**
 * Fills `table` with `rows` (columns as in the table, text[] as JSON arrays), selects through
 * `filter` and returns the selected ids in order.
 */
async function selected(table: string, rows: Record<string, unknown>[], filter: ScopeFilter): Promise<number[]> {
  const db = database.db;
  const columns = Object.keys(rows[0] ?? { id: 0 });
  await db.query(`TRUNCATE ${table}`);
  if (rows.length > 0) {
    const casts = columns.map((c) => (Array.isArray(rows[0][c]) ? `ARRAY(SELECT jsonb_array_elements_text(x.${c}))` : `x.${c}`));
    const types = columns.map((c) => `${c} ${c === 'id' ? 'int' : Array.isArray(rows[0][c]) ? 'jsonb' : 'text'}`);
    await db.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${casts.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${types.join(', ')})`,
      [JSON.stringify(rows)],
    );
  }
  const found: { id: number }[] = await db
    .createQueryBuilder()
    .select('r.id', 'id')
    .from(table, 'r')
    .where(filter.sql, filter.params)
    .orderBy('r.id')
    .getRawMany();
  return found.map((r) => Number(r.id));
}

/** Rule and filter agree on every row; and across the runs both outcomes were seen, so the agreement is not vacuous. */
function agreementProperty<Row extends { id: number }>(
  table: string,
  rowArb: fc.Arbitrary<Omit<Row, 'id'>>,
  rule: (p: Principal, row: Row) => boolean,
  filter: (p: Principal) => ScopeFilter,
) {
  return async () => {
    let inScope = 0;
    let outOfScope = 0;
    await fc.assert(
      fc.asyncProperty(principalArb, fc.array(rowArb, { maxLength: 30 }), async (p, drawn) => {
        const rows = drawn.map((r, id) => ({ ...r, id }) as Row);
        const expected = rows.filter((r) => rule(p, r)).map((r) => r.id);
        inScope += expected.length;
        outOfScope += rows.length - expected.length;
        const fromSql = await selected(table, rows, filter(p));
        if (JSON.stringify(fromSql) !== JSON.stringify(expected)) {
          throw new Error(
            `${table} for ${p.agency.code}: SQL ${JSON.stringify(fromSql)}, rule ${JSON.stringify(expected)}\n` +
              `rows: ${JSON.stringify(rows)}`,
          );
        }
      }),
      { numRuns: 60 },
    );
    expect(inScope).toBeGreaterThan(0);
    expect(outOfScope).toBeGreaterThan(0);
  };
}

describe('party scopes: each rule agrees with its SQL form in PostgreSQL', () => {
  it(
    'audit events: the acting agency and the owners of the data it touched',
    agreementProperty(
      'audit_probe',
      fc.record({ agency: codeArb, data_owners: fc.array(codeArb, { maxLength: 3 }) }), // repeats and empty included
      (p, r: { id: number; agency: string; data_owners: string[] }) =>
        canReadAuditEvent(p, { agency: r.agency, dataOwners: r.data_owners }),
      (p) => auditRowFilter(p, 'r'),
    ),
    60_000,
  );

  it(
    "audit subjects: the actor's own auditors always; others unless the act was on a report",
    agreementProperty(
      'audit_subject_probe',
      fc.record({
        agency: codeArb,
        // Report ids, others, and near misses (case, no colon) so the prefix test is exact.
        record_ids: fc.array(
          fc.constantFrom(
            'SuspiciousActivityReport:1',
            'WatchlistEntry:2',
            'suspiciousactivityreport:3',
            'SuspiciousActivityReport',
            'x:SuspiciousActivityReport:4',
          ),
          { maxLength: 3 },
        ),
      }),
      (p, r: { id: number; agency: string; record_ids: string[] }) =>
        canReadAuditSubject(p, { agency: r.agency, dataOwners: [], recordIds: r.record_ids }),
      (p) => auditSubjectFilter(p, 'r'),
    ),
    60_000,
  );

  it(
    'webhooks: the registering agency only',
    agreementProperty(
      'webhook_probe',
      fc.record({ agency: codeArb }),
      (p, r: { id: number; agency: string }) => canManageWebhook(p, r),
      (p) => webhookRowFilter(p, 'r'),
    ),
    60_000,
  );

  it(
    'webhook deliveries: the same rule over their own agency column',
    agreementProperty(
      'delivery_probe',
      fc.record({ agency: codeArb }),
      (p, r: { id: number; agency: string }) => canManageWebhook(p, r),
      (p) => webhookRowFilter(p, 'r'),
    ),
    60_000,
  );

  it(
    'sightings: the reporting agency and the owner of the sighted entry',
    agreementProperty(
      'sighting_probe',
      fc.record({ reported_by: codeArb, entry_owner: codeArb }),
      (p, r: { id: number; reported_by: string; entry_owner: string }) =>
        canReadSighting(p, { reportedBy: r.reported_by, entryOwner: r.entry_owner }),
      (p) => sightingRowFilter(p, 'r'),
    ),
    60_000,
  );
});

describe('entry feedback', () => {
  it(
    "the entry's owner, unless it reported itself: the rule agrees with its SQL form in PostgreSQL",
    agreementProperty(
      'sighting_probe',
      fc.record({ reported_by: codeArb, entry_owner: codeArb }),
      (p, r: { id: number; reported_by: string; entry_owner: string }) =>
        receivesEntryFeedback(p, { reportedBy: r.reported_by, entryOwner: r.entry_owner }),
      (p) => entryFeedbackRowFilter(p, 'r'),
    ),
    60_000,
  );
});

describe('audit anomalies', () => {
  it(
    "the data owner's only: the rule agrees with its SQL form in PostgreSQL",
    agreementProperty(
      'anomaly_probe',
      fc.record({ owner_agency: codeArb }),
      (p, r: { id: number; owner_agency: string }) => canReadAuditAnomaly(p, { ownerAgency: r.owner_agency }),
      (p) => auditAnomalyRowFilter(p, 'r'),
    ),
    60_000,
  );
});

describe('party scopes: the rules themselves', () => {
  it("entry feedback: pushed to the entry's owner, never to the reporter or a third agency", () => {
    const fb = { reportedBy: 'ag-b', entryOwner: 'ag-a' };
    const p = (code: string): Principal => ({
      subject: 'x',
      agency: agency(code, 'CUSTOMS', 'NL'),
      roles: ['analyst'],
      issuer: 'test',
      expiresAt: 0,
    });
    expect(['ag-a', 'ag-b', 'ag-c'].map((c) => receivesEntryFeedback(p(c), fb))).toEqual([true, false, false]);
    // An agency reporting on its own entry tells nobody but itself.
    expect(receivesEntryFeedback(p('ag-a'), { reportedBy: 'ag-a', entryOwner: 'ag-a' })).toBe(false);
  });

  const me = (code: string): Principal => ({
    subject: 'x',
    agency: agency(code, 'CUSTOMS', 'NL'),
    roles: ['auditor', 'analyst'],
    issuer: 'test',
    expiresAt: 0,
  });

  it('audit events: in scope for the actor and each data owner, for nobody else', () => {
    const e = { agency: 'ag-a', dataOwners: ['ag-b', 'ag-c'] };
    expect(['ag-a', 'ag-b', 'ag-c', 'ag-d'].map((c) => canReadAuditEvent(me(c), e))).toEqual([true, true, true, false]);
  });

  it("audit subjects: the actor's own auditors always; a data owner's unless the act was on a report", () => {
    const onEntry = { agency: 'ag-a', dataOwners: ['ag-b'], recordIds: ['WatchlistEntry:1', 'Watchlist:2'] };
    const onReport = { agency: 'ag-a', dataOwners: ['ag-b'], recordIds: ['SuspiciousActivityReport:3'] };
    expect([canReadAuditSubject(me('ag-a'), onEntry), canReadAuditSubject(me('ag-b'), onEntry)]).toEqual([true, true]);
    expect([canReadAuditSubject(me('ag-a'), onReport), canReadAuditSubject(me('ag-b'), onReport)]).toEqual([true, false]);
  });

  it('webhooks: in scope for their own agency only', () => {
    expect(canManageWebhook(me('ag-a'), { agency: 'ag-a' })).toBe(true);
    expect(canManageWebhook(me('ag-b'), { agency: 'ag-a' })).toBe(false);
  });

  it('filters of two scopes in one query do not share parameter names, and a prefix separates two uses of one', () => {
    const p = me('ag-a');
    const names = [
      auditRowFilter(p, 'a'),
      auditSubjectFilter(p, 'a'),
      webhookRowFilter(p, 'w'),
      sightingRowFilter(p, 's'),
      webhookRowFilter(p, 'd', 'dacl'),
    ].flatMap((f) => Object.keys(f.params));
    expect(new Set(names).size).toBe(names.length);
  });
});
