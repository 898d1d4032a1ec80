/**
 * idempotencyKey on every creating mutation, against a running hub: a retry with the key answers
 * the first record without a second write, other arguments under the key are CONFLICT, racing
 * retries make exactly one record, and keys are scoped per agency and per mutation.
 */
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { mintDevToken } from '../src/auth/dev-token';
import { connectAndMigrate } from '../src/db/data-source';
import { createTestDatabase } from './support/db';
import { alertInput } from './support/builders';
import { startTestHub, tokenFor, type GraphQLResponse, type TestHub } from './support/hub';

let hub: TestHub;
let n = 0;
const unique = (what: string) => `${what} ${++n} ${Date.now()}`;

const NL_ANALYST = () => mintDevToken({ agency: 'nl-customs', roles: ['analyst'], subject: 'analyst.bakker@douane.example' });
const TERMINAL = () => mintDevToken({ agency: 'nl-ect-terminal', roles: ['viewer'], subject: 'j.devries@delta-terminal.example' });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

type Vars = Record<string, any>;

interface Case {
  mutation: string;
  /** The mutation, with `$key` as its idempotencyKey. */
  document: string;
  token: () => string;
  /** Arguments for a new record. */
  fresh(): Promise<Vars>;
  /** The same call with one argument changed. */
  changed(vars: Vars): Vars;
  /** The id in an answer. */
  idOf(data: any): string;
  /** How many records these arguments made. */
  count(vars: Vars): Promise<number>;
}

const count = async (sql: string, value: unknown) => (await hub.database.db.query(sql, [value]))[0].n as number;

let watchlistId: string;
let entryId: string;

async function ok(res: GraphQLResponse, field: string) {
  expect(res.errors).toBeUndefined();
  return res.data![field];
}

const CASES: Case[] = [
  {
    mutation: 'publishAlert',
    document: `mutation($input: PublishAlertInput!, $key: String) { publishAlert(input: $input, idempotencyKey: $key) { id sequence title } }`,
    token: NL_ANALYST,
    fresh: async () => ({ input: alertInput({ title: unique('alert') }) }),
    changed: (v) => ({ input: { ...v.input, severity: 'LOW' } }),
    idOf: (d) => d.id,
    count: (v) => count('SELECT count(*)::int AS n FROM vessel_alerts WHERE title = $1', v.input.title),
  },
  {
    mutation: 'createWatchlist',
    document: `mutation($input: CreateWatchlistInput!, $key: String) { createWatchlist(input: $input, idempotencyKey: $key) { id name } }`,
    token: NL_ANALYST,
    fresh: async () => ({ input: { name: unique('list'), tlp: 'AMBER', jurisdiction: 'NL' } }),
    changed: (v) => ({ input: { ...v.input, tlp: 'RED' } }),
    idOf: (d) => d.id,
    count: (v) => count('SELECT count(*)::int AS n FROM watchlists WHERE name = $1', v.input.name),
  },
  {
    mutation: 'addWatchlistEntry',
    document: `mutation($input: AddWatchlistEntryInput!, $key: String) { addWatchlistEntry(input: $input, idempotencyKey: $key) { id reason } }`,
    token: NL_ANALYST,
    fresh: async () => ({
      input: {
        watchlistId,
        vessel: { imo: '9074729', name: 'OCEAN STAR' },
        category: 'DRUG_TRAFFICKING',
        riskLevel: 'HIGH',
        reason: unique('reason'),
      },
    }),
    changed: (v) => ({ input: { ...v.input, riskLevel: 'LOW' } }),
    idOf: (d) => d.id,
    count: (v) => count('SELECT count(*)::int AS n FROM watchlist_entries WHERE reason = $1', v.input.reason),
  },
  {
    mutation: 'reportSighting',
    document: `mutation($entryId: ID!, $input: SightingInput!, $key: String) {
      reportSighting(entryId: $entryId, input: $input, idempotencyKey: $key) { id note } }`,
    token: NL_ANALYST,
    fresh: async () => ({ entryId, input: { observedAt: hoursAgo(2), outcome: 'CONFIRMED', note: unique('seen') } }),
    changed: (v) => ({ ...v, input: { ...v.input, outcome: 'FALSE_POSITIVE' } }),
    idOf: (d) => d.id,
    count: (v) => count('SELECT count(*)::int AS n FROM sightings WHERE note = $1', v.input.note),
  },
  {
    mutation: 'escalateReport',
    document: `mutation($id: ID!, $input: PublishAlertInput!, $note: String, $key: String) {
      escalateReport(id: $id, input: $input, note: $note, idempotencyKey: $key) { id title } }`,
    token: NL_ANALYST,
    fresh: async () => {
      const submitted = await ok(
        await hub.gql(TERMINAL(), `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id } }`, {
          input: {
            port: 'NLRTM',
            category: 'UNAUTHORIZED_ACCESS',
            observedAt: hoursAgo(1),
            imo: '9074729',
            description: unique('fence climbed'),
          },
        }),
        'submitSuspiciousActivityReport',
      );
      await ok(
        await hub.gql(NL_ANALYST(), `mutation($id: ID!) { triageReport(id: $id, status: UNDER_REVIEW) { id } }`, { id: submitted.id }),
        'triageReport',
      );
      return {
        id: submitted.id,
        note: 'Alert to NL agencies',
        input: {
          vessel: { imo: '9074729', name: 'OCEAN STAR' },
          category: 'UNAUTHORIZED_ACCESS',
          severity: 'HIGH',
          title: unique('escalated'),
          description: 'Intruders reached the reefer yard from the water',
          tlp: 'AMBER',
        },
      };
    },
    changed: (v) => ({ ...v, note: 'Another note' }),
    idOf: (d) => d.id,
    count: (v) => count('SELECT count(*)::int AS n FROM vessel_alerts WHERE title = $1', v.input.title),
  },
  {
    mutation: 'registerWebhook',
    document: `mutation($input: RegisterWebhookInput!, $key: String) {
      registerWebhook(input: $input, idempotencyKey: $key) { secret webhook { id url } } }`,
    token: NL_ANALYST,
    // Filtered to a port no test publishes at: no delivery is ever attempted.
    fresh: async () => ({ input: { url: `http://127.0.0.1:9/${++n}`, filter: { ports: ['SGSIN'] } } }),
    changed: (v) => ({ input: { ...v.input, filter: { ports: ['SGSIN', 'NLRTM'] } } }),
    idOf: (d) => d.webhook.id,
    count: (v) => count('SELECT count(*)::int AS n FROM webhooks WHERE url = $1', v.input.url),
  },
  {
    mutation: 'submitSuspiciousActivityReport',
    document: `mutation($input: SubmitReportInput!, $key: String) {
      submitSuspiciousActivityReport(input: $input, idempotencyKey: $key) { id reference } }`,
    token: TERMINAL,
    fresh: async () => ({
      input: { port: 'NLRTM', category: 'UNAUTHORIZED_ACCESS', observedAt: hoursAgo(1), description: unique('drone') },
    }),
    changed: (v) => ({ input: { ...v.input, category: 'SMUGGLING' } }),
    idOf: (d) => d.id,
    count: (v) => count('SELECT count(*)::int AS n FROM suspicious_activity_reports WHERE description = $1', v.input.description),
  },
];

beforeAll(async () => {
  hub = await startTestHub({ webhooks: { allowInsecureLoopback: true } });
  watchlistId = (await ok(await hub.gql(NL_ANALYST(), CASES[1].document, await CASES[1].fresh()), 'createWatchlist')).id;
  entryId = (await ok(await hub.gql(NL_ANALYST(), CASES[2].document, await CASES[2].fresh()), 'addWatchlistEntry')).id;
});
afterAll(() => hub?.stop());

describe.each(CASES)('$mutation with an idempotencyKey', (c) => {
  const call = (vars: Vars, key: string) => hub.gql(c.token(), c.document, { ...vars, key });

  // One key string for every mutation: keys are scoped per mutation, so none of these collide.
  it('a retry answers the first record without a second write; other arguments under the key are CONFLICT', async () => {
    const vars = await c.fresh();
    const first = await ok(await call(vars, 'retry-1'), c.mutation);
    const again = await ok(await call(vars, 'retry-1'), c.mutation);
    expect(again).toEqual(first);
    const other = c.changed(vars);
    const conflict = await call(other, 'retry-1');
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(conflict.errors?.[0]?.message).toMatch(/^idempotencyKey was already used for a different .+; use a new key for a new /);
    expect(await c.count(vars)).toBe(1);
    // Without a key, the same arguments make a record of their own.
    await ok(await hub.gql(c.token(), c.document, c.mutation === 'escalateReport' ? await c.fresh() : vars), c.mutation);
  });

  it('racing retries with one key make exactly one record, and every answer names it', async () => {
    const vars = await c.fresh();
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(vars, 'race-1')));
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(new Set(answers.map((a) => c.idOf(a.data![c.mutation]))).size).toBe(1);
    expect(await c.count(vars)).toBe(1);
  });
});

describe('idempotency keys', () => {
  const PUBLISH = CASES[0].document;

  it('belong to the agency: the same key and arguments from another agency make a record of its own', async () => {
    const input = alertInput({ title: unique('alert') });
    const nl = await ok(await hub.gql(NL_ANALYST(), PUBLISH, { input, key: 'agency-key' }), 'publishAlert');
    const cg = await ok(await hub.gql(tokenFor('nl-coastguard', ['analyst']), PUBLISH, { input, key: 'agency-key' }), 'publishAlert');
    expect(cg.id).not.toBe(nl.id);
    expect(await CASES[0].count({ input })).toBe(2);
  });

  it('are bounded and plain: too long, empty, or with spaces or control characters is BAD_USER_INPUT saying so', async () => {
    const attempt = (key: string) => hub.gql(NL_ANALYST(), PUBLISH, { input: alertInput(), key });
    const expectBad = (res: GraphQLResponse, message: RegExp) => {
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    };
    expectBad(await attempt('k'.repeat(201)), /^idempotencyKey is too long \(201 characters; the limit is 200\)/);
    expectBad(await attempt(''), /^idempotencyKey is empty/);
    expectBad(await attempt('two words'), /^idempotencyKey may contain only letters, digits and ASCII punctuation, without spaces/);
    expectBad(await attempt('tab\there'), /^idempotencyKey may contain only/);
    expect(await ok(await attempt('k'.repeat(200)), 'publishAlert')).toBeTruthy();
  });

  it('a retried webhook registration returns its secret again, but not once the secret has been rotated', async () => {
    const register = CASES.find((c) => c.mutation === 'registerWebhook')!;
    const vars = await register.fresh();
    const first = await ok(await hub.gql(NL_ANALYST(), register.document, { ...vars, key: 'rotated-key' }), 'registerWebhook');
    expect((await ok(await hub.gql(NL_ANALYST(), register.document, { ...vars, key: 'rotated-key' }), 'registerWebhook')).secret).toBe(
      first.secret,
    );
    await ok(
      await hub.gql(NL_ANALYST(), 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', { id: first.webhook.id }),
      'rotateWebhookSecret',
    );
    const after = await hub.gql(NL_ANALYST(), register.document, { ...vars, key: 'rotated-key' });
    expect(after.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(after.errors?.[0]?.message).toMatch(/secret has been rotated since/);
    expect(await register.count(vars)).toBe(1);
  });

  it('a caller without the right to create is refused before its key is looked at', async () => {
    const input = alertInput({ title: unique('alert') });
    await ok(await hub.gql(NL_ANALYST(), PUBLISH, { input, key: 'viewer-key' }), 'publishAlert');
    const viewer = await hub.gql(tokenFor('nl-customs', ['viewer']), PUBLISH, { input, key: 'viewer-key' });
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('report keys made before the shared table of keys', () => {
  it('move there: a retry with an old key answers its report, and other arguments under it are CONFLICT', async () => {
    const SHARED_KEYS = 1764000000700;
    const before = MIGRATIONS.filter((m) => Number(/\d+$/.exec(new m().name)![0]) < SHARED_KEYS);
    const database = await createTestDatabase({
      migrate: async (url) => {
        const ds = new DataSource({ type: 'postgres', url, migrations: before, migrationsTableName: 'migrations' });
        await ds.initialize();
        await ds.runMigrations({ transaction: 'each' });
        return ds;
      },
    });
    const input = {
      port: 'NLRTM',
      category: 'UNAUTHORIZED_ACCESS',
      observedAt: '2026-11-20T01:10:00.000Z',
      description: 'Fence cut at gate 4',
    };
    // The hash as the reports' own columns held it: the input with sorted keys, dates as ISO strings.
    const sorted = Object.fromEntries(Object.entries(input).sort(([x], [y]) => x.localeCompare(y)));
    const hash = createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
    const [{ id }] = await database.db.query(
      `INSERT INTO suspicious_activity_reports (reference, owner_agency, submitted_by, port, jurisdiction, category, observed_at,
         description, idempotency_key, payload_hash)
       VALUES ('SAR-NLRTM-2026-000001', 'nl-ect-terminal', 'j.devries', 'NLRTM', 'NL', $1, $2, $3, 'old-key', $4) RETURNING id`,
      [input.category, input.observedAt, input.description, hash],
    );
    await database.db.destroy();
    const migrated = await startTestHub({ database: { ...database, db: await connectAndMigrate(database.url, { poolSize: 2 }) } });
    try {
      const submit = CASES.at(-1)!.document;
      const again = await migrated.gql(TERMINAL(), submit, { input, key: 'old-key' });
      expect(again.errors).toBeUndefined();
      expect(again.data!.submitSuspiciousActivityReport).toEqual({
        id: `SuspiciousActivityReport:${id}`,
        reference: 'SAR-NLRTM-2026-000001',
      });
      const other = await migrated.gql(TERMINAL(), submit, { input: { ...input, description: 'Another fence' }, key: 'old-key' });
      expect(other.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      const [{ n }] = await migrated.database.db.query('SELECT count(*)::int AS n FROM suspicious_activity_reports');
      expect(n).toBe(1);
    } finally {
      await migrated.stop();
      await database.drop();
    }
  });
});
