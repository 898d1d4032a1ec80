/**
 * Every read of another agency's record above TLP:CLEAR is on the owner's audit trail (issue 13,
 * item 1), against a running hub with the demo data: Belgian Customs (purpose CUSTOMS) reads Dutch
 * Customs' AMBER entries under the agreement nl-customs--be-customs-narcotics, HERO II (RED) as its
 * named recipient, German Customs' GREEN entries as a member of the community, and the Dutch Coast
 * Guard's CLEAR entry, which is not recorded.
 *
 * - lists, lookups, screening hits, live subscription deliveries and webhook deliveries each leave
 *   one readRecords record per owner, basis and agreement, with the record ids, basis, agreement,
 *   purpose and request id; never for the reader's own records, never for TLP:CLEAR;
 * - a record of which a sensitive field was read is listed in readSensitiveFields instead (each
 *   record read is in exactly one of the two);
 * - the response does not wait for its records, unless the backlog is over its bound;
 * - the access review (item 2) shows the partner and subject per agreement; windows are bounded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintDevToken } from '../src/auth/dev-token';
import { benchmarkSwitchesAllowed } from '../src/config';
import { startHub, type HubOptions } from '../src/server/app';
import { addWatchlistEntry, createWatchlist, entryInput, publishAlert } from './support/builders';
import { expectError } from './support/expect';
import { startTestHub, tokenFor, type GraphQLResponse, type TestHub } from './support/hub';
import { Subscriber } from './support/subscriber';
import { pollUntil } from './support/wait';

const WEBHOOKS = { allowInsecureLoopback: true, retryBaseMs: 100, retryMaxMs: 400, maxAttempts: 3, pollMs: 40, timeoutMs: 2_000 };

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ seedDemo: true, webhooks: WEBHOOKS });
}, 60_000);
afterAll(() => hub?.stop());

const LADY_LEILA_IMO = '9683740';
const auditor = (agency: string) => tokenFor(agency, ['auditor']);
const partner = (subject: string) => mintDevToken({ agency: 'be-customs', roles: ['analyst'], purpose: 'CUSTOMS', subject });

type Read = {
  subject: string;
  agency: { code: string };
  operation: string;
  recordIds: string[];
  basis: string | null;
  agreementId: string | null;
  purpose: string | null;
  requestId: string | null;
};
const TRAIL = `query($filter: AuditTrailFilter) { auditTrail(first: 100, filter: $filter) { edges { node {
  subject agency { code } operation recordIds basis agreementId purpose requestId } } } }`;

/** The read events in `agency`'s trail by `subject`. */
async function readsOf(agency: string, subject: string): Promise<Read[]> {
  const res = await hub.gql(auditor(agency), TRAIL, { filter: { subject } });
  expect(res.errors).toBeUndefined();
  return res.data!.auditTrail.edges.map((e: { node: Read }) => e.node).filter((n: Read) => n.operation.startsWith('read'));
}

/** Waits until `agency`'s trail has read events by `subject` that `done` accepts (records are written after the response). */
const waitForReads = (agency: string, subject: string, done: (reads: Read[]) => boolean) =>
  pollUntil(() => readsOf(agency, subject), done, { timeoutMs: 10_000, intervalMs: 50 });

const sorted = (ids: string[]) => [...ids].sort();

const LIST = (fields: string) =>
  `{ watchlistEntries(first: 50) { edges { node { id tlp ownerAgency { code } access { basis agreementId } ${fields} } } } }`;
type ListNode = { id: string; tlp: string; ownerAgency: { code: string }; access: { basis: string; agreementId: string | null } };
const nodesOf = (res: GraphQLResponse) => res.data!.watchlistEntries.edges.map((e: { node: ListNode }) => e.node) as ListNode[];
const idsOf = (nodes: ListNode[], owner: string, basis: string) =>
  sorted(nodes.filter((n) => n.ownerAgency.code === owner && n.access.basis === basis).map((n) => n.id));

let ownEntryId: string;
beforeAll(async () => {
  // An entry of Belgian Customs' own, which its people's reads never record.
  const be = tokenFor('be-customs', ['analyst'], { purpose: 'CUSTOMS' });
  const list = await createWatchlist(hub, be, { tlp: 'AMBER', jurisdiction: 'BE' });
  ownEntryId = await addWatchlistEntry(hub, be, entryInput(list, { imo: '9074729', name: 'OCEAN STAR' }));
});

describe('a partner reads a list', () => {
  const subject = 'list.reader@douane.example.be';
  let nodes: ListNode[];

  beforeAll(async () => {
    const res = await hub.gql(partner(subject), LIST(''), undefined, { 'x-request-id': 'audit-reads-list-1' });
    expect(res.errors).toBeUndefined();
    nodes = nodesOf(res);
  });

  it("the owner's trail has one readRecords per basis and agreement, with the ids, basis, agreement, purpose and request id", async () => {
    const byAgreement = idsOf(nodes, 'nl-customs', 'AGREEMENT');
    const asRecipient = idsOf(nodes, 'nl-customs', 'RECIPIENT');
    expect(byAgreement).toHaveLength(3); // the shadow-fleet entries (AMBER)
    expect(asRecipient).toHaveLength(1); // HERO II (RED, be-customs named)
    const reads = await waitForReads('nl-customs', subject, (r) => r.length >= 2);
    expect(reads.map((r) => ({ ...r, recordIds: sorted(r.recordIds) })).sort((a, b) => a.basis!.localeCompare(b.basis!))).toEqual([
      {
        subject,
        agency: { code: 'be-customs' },
        operation: 'readRecords',
        recordIds: byAgreement,
        basis: 'AGREEMENT',
        agreementId: 'nl-customs--be-customs-narcotics',
        purpose: 'CUSTOMS',
        requestId: 'audit-reads-list-1',
      },
      {
        subject,
        agency: { code: 'be-customs' },
        operation: 'readRecords',
        recordIds: asRecipient,
        basis: 'RECIPIENT',
        agreementId: null,
        purpose: 'CUSTOMS',
        requestId: 'audit-reads-list-1',
      },
    ]);
  });

  it("each owner sees its own records only: German Customs' community reads are German Customs'", async () => {
    const community = idsOf(nodes, 'de-customs', 'COMMUNITY');
    expect(community).toHaveLength(2);
    const reads = await waitForReads('de-customs', subject, (r) => r.length >= 1);
    expect(reads.map((r) => [r.operation, r.basis, sorted(r.recordIds)])).toEqual([['readRecords', 'COMMUNITY', community]]);
  });

  it("never the reader's own records, never TLP:CLEAR", async () => {
    expect(nodes.map((n) => n.id)).toContain(ownEntryId);
    const clear = nodes.filter((n) => n.tlp === 'CLEAR');
    expect(clear.map((n) => n.ownerAgency.code)).toEqual(['nl-coastguard']);
    // Every record of the request is written in one insert: once the Dutch Customs' are on the
    // trail, all are. The reader's own auditor sees its person's reads, none of its own entry...
    await waitForReads('nl-customs', subject, (r) => r.length >= 2);
    const own = await readsOf('be-customs', subject);
    expect(own.length).toBeGreaterThanOrEqual(3);
    expect(own.flatMap((r) => r.recordIds)).not.toContain(ownEntryId);
    expect(own.flatMap((r) => r.recordIds)).not.toContain(clear[0].id);
    // ...and the Dutch Coast Guard, owner of the CLEAR entry, has no read on its trail.
    expect(await readsOf('nl-coastguard', subject)).toEqual([]);
  });
});

describe('sensitive fields', () => {
  it('a record of which a sensitive field was read is in readSensitiveFields, the others in readRecords: each once', async () => {
    const subject = 'source.reader@douane.example.be';
    const res = await hub.gql(partner(subject), LIST('source'));
    // Withheld but where the agreement releases it: HERO II's too (the agreement never reaches RED,
    // and naming a recipient releases nothing), German Customs' and the Coast Guard's.
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const nodes = nodesOf(res);
    const reads = await waitForReads('nl-customs', subject, (r) => r.length >= 2);
    expect(reads.map((r) => [r.operation, r.basis, sorted(r.recordIds)]).sort()).toEqual([
      ['readRecords', 'RECIPIENT', idsOf(nodes, 'nl-customs', 'RECIPIENT')],
      ['readSensitiveFields', 'AGREEMENT', idsOf(nodes, 'nl-customs', 'AGREEMENT')],
    ]);
  });
});

describe('lookups and screening', () => {
  it('a lookup by id leaves its record', async () => {
    const subject = 'lookup@douane.example.be';
    const found = await hub.gql(partner(subject), `{ watchlistEntries(filter: { imo: "${LADY_LEILA_IMO}" }) { edges { node { id } } } }`);
    const id = found.data!.watchlistEntries.edges[0].node.id as string;
    const res = await hub.gql(partner(subject), 'query($id: ID!) { node(id: $id) { ... on WatchlistEntry { id reason } } }', { id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.node.id).toBe(id);
    const reads = await waitForReads('nl-customs', subject, (r) => r.length >= 2);
    expect(reads.map((r) => [r.operation, r.basis, r.recordIds])).toEqual([
      ['readRecords', 'AGREEMENT', [id]],
      ['readRecords', 'AGREEMENT', [id]],
    ]);
    expect(new Set(reads.map((r) => r.requestId)).size).toBe(2);
  });

  it('a screening hit leaves its record', async () => {
    const subject = 'screening@douane.example.be';
    const res = await hub.gql(partner(subject), `{ screenVessel(imo: "${LADY_LEILA_IMO}") { hits { matchedOn entry { id } } } }`);
    expect(res.errors).toBeUndefined();
    const ids = res.data!.screenVessel.hits.map((h: { entry: { id: string } }) => h.entry.id);
    expect(ids).toHaveLength(1);
    const reads = await waitForReads('nl-customs', subject, (r) => r.length >= 1);
    expect(reads.map((r) => [r.operation, r.basis, r.agreementId, r.recordIds])).toEqual([
      ['readRecords', 'AGREEMENT', 'nl-customs--be-customs-narcotics', ids],
    ]);
  });
});

describe('deliveries', () => {
  it('a live subscription delivery leaves its record; a CLEAR alert none', async () => {
    const subject = 'live@douane.example.be';
    const sub = new Subscriber(
      hub,
      partner(subject),
      {},
      { query: 'subscription { vesselAlerts { sequence kind alertId alert { id title tlp } } }' },
    );
    try {
      await sub.ready();
      const nl = tokenFor('nl-customs');
      const clear = await publishAlert(hub, nl, { tlp: 'CLEAR', title: 'clear, not recorded', intelligenceSummary: null });
      const amber = await publishAlert(hub, nl, { title: 'amber, recorded', intelligenceSummary: null });
      const events = await sub.waitFor(2);
      expect(events.map((e) => e.alertId)).toEqual([clear.id, amber.id]);
      const reads = await waitForReads('nl-customs', subject, (r) => r.length >= 1);
      expect(reads).toEqual([
        expect.objectContaining({
          operation: 'readRecords',
          recordIds: [amber.id],
          basis: 'AGREEMENT',
          agreementId: 'nl-customs--be-customs-narcotics',
          purpose: 'CUSTOMS',
          requestId: expect.any(String),
        }),
      ]);
    } finally {
      await sub.close();
    }
  });

  it('a webhook delivery leaves its record, under the webhook', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      // The Dutch Coast Guard reads Dutch Customs' NL alerts as a public agency of the jurisdiction.
      const registered = await hub.gql(
        tokenFor('nl-coastguard'),
        'mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id } } }',
        {
          input: { url },
        },
      );
      expect(registered.errors).toBeUndefined();
      const webhookId = (registered.data!.registerWebhook.webhook.id as string).split(':')[1];
      const alert = await publishAlert(hub, tokenFor('nl-customs'), { title: 'to the coast guard' });
      await pollUntil(
        () => received.filter((b) => b.includes('to the coast guard')),
        (got) => got.length >= 1,
      );
      const reads = await waitForReads('nl-customs', `webhook:${webhookId}`, (r) => r.length >= 1);
      expect(reads).toEqual([
        expect.objectContaining({
          agency: { code: 'nl-coastguard' },
          operation: 'readRecords',
          recordIds: [alert.id],
          basis: 'JURISDICTION',
          requestId: expect.stringMatching(/^webhook-delivery:/),
        }),
      ]);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});

describe('the owner asks', () => {
  const REVIEW = `query($days: Int!) { auditAccessReview(days: $days) { from to agreements {
    agreementId purpose recipients readers { agency { code } subject events recordsRead distinctRecords lastReadAt } } } }`;
  const VOLUME = `query($from: DateTime!, $to: DateTime!) { auditReadVolume(from: $from, to: $to, groupBy: AGENCY) { key events records } }`;

  it('the access review shows, per agreement, the partner agencies and subjects that read, and how much', async () => {
    const subject = 'review@douane.example.be';
    await hub.gql(partner(subject), LIST(''));
    await hub.gql(partner(subject), LIST(''));
    await waitForReads('nl-customs', subject, (r) => r.length >= 4);
    const res = await hub.gql(auditor('nl-customs'), REVIEW, { days: 7 });
    expect(res.errors).toBeUndefined();
    const review = res.data!.auditAccessReview;
    expect(new Date(review.to).getTime() - new Date(review.from).getTime()).toBe(7 * 24 * 3600 * 1000);
    const ids = review.agreements.map((a: { agreementId: string | null }) => a.agreementId);
    // Every agreement Dutch Customs provides under, read or not; then the reads resting on none.
    expect(ids).toEqual(['nl-customs--be-customs-narcotics', 'nl-customs--de-customs-sanctions', null]);
    const narcotics = review.agreements[0];
    expect(narcotics).toMatchObject({ recipients: ['be-customs', 'be-coastguard'], purpose: expect.stringMatching(/^Counter-narcotics/) });
    expect(narcotics.readers).toContainEqual({
      agency: { code: 'be-customs' },
      subject,
      events: 2,
      recordsRead: 6,
      distinctRecords: 3,
      lastReadAt: expect.any(String),
    });
    const none = review.agreements[2];
    expect(none.readers).toContainEqual(
      expect.objectContaining({ agency: { code: 'be-customs' }, subject, events: 2, recordsRead: 2, distinctRecords: 1 }),
    );
    // Only the owner's own reads are reviewed: its own people never appear as readers.
    for (const a of review.agreements) for (const r of a.readers) expect(r.agency.code).not.toBe('nl-customs');
  });

  it("another agency's auditor sees none of Dutch Customs' readers; a non-auditor cannot ask", async () => {
    const res = await hub.gql(auditor('be-customs'), REVIEW, { days: 7 });
    expect(res.errors).toBeUndefined();
    const readers = res.data!.auditAccessReview.agreements.flatMap((a: { readers: unknown[] }) => a.readers);
    expect(readers).toEqual([]);
    expectError(await hub.gql(tokenFor('nl-customs', ['analyst']), REVIEW, { days: 7 }), 'FORBIDDEN');
  });

  it('the review and the volume window are bounded', async () => {
    for (const days of [0, 367]) {
      expectError(
        await hub.gql(auditor('nl-customs'), REVIEW, { days }),
        'BAD_USER_INPUT',
        `days must be a whole number from 1 to 366, got ${days}`,
      );
    }
    expectError(
      await hub.gql(auditor('nl-customs'), VOLUME, { from: '2025-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }),
      'BAD_USER_INPUT',
      'the window from 2025-01-01T00:00:00.000Z to 2026-06-01T00:00:00.000Z spans 516 days: at most 366',
    );
    // Exactly 366 days is allowed.
    const to = new Date();
    const year = await hub.gql(auditor('nl-customs'), VOLUME, {
      from: new Date(to.getTime() - 366 * 24 * 3600 * 1000).toISOString(),
      to: to.toISOString(),
    });
    expect(year.errors).toBeUndefined();
    expect(year.data!.auditReadVolume).toContainEqual(expect.objectContaining({ key: 'be-customs' }));
  });
});

describe('off the critical path, bounded', () => {
  const LOOKUP = `{ watchlistEntries(filter: { imo: "${LADY_LEILA_IMO}" }) { edges { node { id } } } }`;
  const waitingInserts = async () => {
    const [{ n }] = await hub.database.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO audit_inbox%'`,
    );
    return n as number;
  };

  it('answers before its records are written; past the backlog bound, waits for them (nothing dropped)', async () => {
    // A second instance on the same database whose backlog holds one record.
    const bounded = await startTestHub({ database: hub.database, auditReadBacklog: 1 });
    const lock = hub.database.db.createQueryRunner();
    try {
      await lock.connect();
      await lock.startTransaction();
      // Inserts into the inbox wait behind this lock: the inbox is "backed up".
      await lock.query('LOCK TABLE audit_inbox IN SHARE MODE');

      // Within the bound: answered while its record cannot be written.
      const first = await bounded.gql(partner('backlog.one@douane.example.be'), LOOKUP);
      expect(first.errors).toBeUndefined();
      expect(await pollUntil(waitingInserts, (n) => n >= 1)).toBeGreaterThanOrEqual(1);

      // Over the bound: the answer waits for its record.
      let answered = false;
      const second = bounded.gql(partner('backlog.two@douane.example.be'), LOOKUP).then((r) => {
        answered = true;
        return r;
      });
      // The same request without a record to write (the owner's own read), sent after it, is answered...
      expect((await bounded.gql(tokenFor('nl-customs', ['viewer']), LOOKUP)).errors).toBeUndefined();
      // ...while the one over the bound is not.
      expect(answered).toBe(false);

      await lock.commitTransaction();
      expect((await second).errors).toBeUndefined();
      for (const subject of ['backlog.one@douane.example.be', 'backlog.two@douane.example.be']) {
        const reads = await waitForReads('nl-customs', subject, (r) => r.length >= 1);
        expect(reads.map((r) => r.operation)).toEqual(['readRecords']);
      }
    } finally {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
      await bounded.stop();
    }
  });
});

describe('the benchmark switch', () => {
  it('turns auditing of reads off only under NODE_ENV=benchmark: any other hub refuses to start with it', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    expect(benchmarkSwitchesAllowed()).toBe(false);
    // Refused before anything is touched.
    await expect(startHub({ benchmark: { auditReadsOff: true } } as HubOptions)).rejects.toThrow(
      'benchmark switches need NODE_ENV=benchmark',
    );
    for (const mode of ['production', 'development', undefined]) {
      const saved = process.env.NODE_ENV;
      if (mode === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = mode;
      try {
        expect(benchmarkSwitchesAllowed()).toBe(false);
      } finally {
        process.env.NODE_ENV = saved;
      }
    }
  });
});
