/**
 * The cost of a request (issue #15): a list request runs the same number of SQL statements for
 * 10 rows as for 500 (loaders batch what each row refers to), counted on real PostgreSQL; and the
 * API benchmark's unshielded schema can never be served in production.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { buildHubSchema, protectSchema, unshieldedSchemaForBenchmark, assertServable } from '../src/api/schema';
import { currentRequestId } from '../src/common/request-id';
import { startHub } from '../src/server/app';
import { startTestHub, tokenFor, type TestHub } from './support/hub';

/** Statements sent to PostgreSQL, by the request they were sent for. */
const statements = new Map<string, string[]>();
const clientQuery = Client.prototype.query;

let hub: TestHub;
beforeAll(async () => {
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const id = currentRequestId();
    const first = args[0] as string | { text?: string };
    if (id !== undefined) statements.set(id, [...(statements.get(id) ?? []), typeof first === 'string' ? first : String(first?.text)]);
    return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof clientQuery;
  hub = await startTestHub({ seedDemo: true, limits: { maxCost: 1_000_000 } });
  const db = new Client({ connectionString: hub.database.url });
  await db.connect();
  try {
    // 520 more entries of Dutch Customs' AMBER list about the Netherlands, spread over the demo's
    // vessels: Belgian Customs reads them through the counter-narcotics agreement.
    await db.query(
      `INSERT INTO watchlist_entries (watchlist_id, vessel_id, vessel_as_given, category, risk_level, reason, owner_agency, tlp,
                                      jurisdiction, recipients, valid_from, source, notes)
       SELECT e.watchlist_id, v.id, e.vessel_as_given, e.category, e.risk_level, e.reason || ' #' || g, e.owner_agency, e.tlp,
              e.jurisdiction, e.recipients, e.valid_from, e.source, e.notes
         FROM (SELECT * FROM watchlist_entries WHERE owner_agency = 'nl-customs' AND tlp = 'AMBER' AND jurisdiction = 'NL' LIMIT 1) e
         CROSS JOIN generate_series(1, 520) g
         JOIN LATERAL (SELECT id FROM vessels ORDER BY id OFFSET g % (SELECT count(*) FROM vessels) LIMIT 1) v ON true`,
    );
  } finally {
    await db.end();
  }
});
afterAll(async () => {
  Client.prototype.query = clientQuery;
  await hub.stop();
});

const LIST = `query($n: Int) { watchlistEntries(first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
  id category riskLevel tlp validUntil vessel { imo name flag } watchlist { id name } ownerAgency { code name }
  access { basis agreementId redactedFields } } } } }`;

/** A statement without its parameters' values: what it selects from. */
const kind = (sql: string) => /\bFROM "?(\w+)"?/.exec(sql)?.[1] ?? sql.slice(0, 40);

async function statementsFor(agency: string, purpose: string, n: number) {
  const id = randomUUID();
  const res = await hub.gql(tokenFor(agency, ['analyst'], { purpose }), LIST, { n }, { 'x-request-id': id });
  expect(res.errors).toBeUndefined();
  expect(res.data?.watchlistEntries.edges).toHaveLength(n);
  expect(res.data?.watchlistEntries.totalCount).toBeGreaterThanOrEqual(520);
  // The read rate limit takes its tokens from the database in leases, now and then, not per request.
  const sql = (statements.get(id) ?? []).filter((s) => !s.includes('take_rate_tokens'));
  return { sql, rows: res.data!.watchlistEntries.edges as { node: { access: { basis: string } } }[] };
}

test.each([
  ['nl-customs', 'CUSTOMS'],
  ['be-customs', 'LAW_ENFORCEMENT'],
])('a list of 10 and a list of 500 rows as %s run the same statements', async (agency, purpose) => {
  const ten = await statementsFor(agency, purpose, 10);
  const fiveHundred = await statementsFor(agency, purpose, 500);
  expect(ten.sql.length).toBeGreaterThan(0);
  // The count, the page, the vessels, the lists: whatever the page size.
  expect(fiveHundred.sql).toHaveLength(4);
  // And no count when the selection does not ask for one.
  const id = randomUUID();
  const uncounted = await hub.gql(
    tokenFor(agency, ['analyst'], { purpose }),
    LIST.replace('totalCount', ''),
    { n: 500 },
    {
      'x-request-id': id,
    },
  );
  expect(uncounted.data?.watchlistEntries.edges).toHaveLength(500);
  expect((statements.get(id) ?? []).filter((s) => !s.includes('take_rate_tokens')).map(kind)).toEqual(fiveHundred.sql.slice(1).map(kind));
  expect(fiveHundred.sql.map(kind)).toEqual(ten.sql.map(kind));
  if (agency === 'be-customs') expect(fiveHundred.rows.some((r) => r.node.access.basis === 'AGREEMENT')).toBe(true);
});

describe('the unshielded schema of bench:api', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('is refused in any process but a benchmark (NODE_ENV=benchmark)', async () => {
    const schema = await buildHubSchema();
    for (const mode of ['test', 'production', 'development']) {
      process.env.NODE_ENV = mode;
      expect(() => unshieldedSchemaForBenchmark(schema)).toThrow(/for the API benchmark only/);
      expect(() => assertServable(schema)).toThrow(/serves only a schema made by protectSchema/);
    }
    process.env.NODE_ENV = 'benchmark';
    expect(() => unshieldedSchemaForBenchmark(schema)).not.toThrow();
    process.env.NODE_ENV = 'production';
    // The hub checks before it starts anything; a shielded schema passes in production.
    await expect(startHub({ schema } as never)).rejects.toThrow(/serves only a schema made by protectSchema/);
    expect(() => assertServable(protectSchema(schema))).not.toThrow();
  });
});
