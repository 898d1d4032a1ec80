/**
 * Insider-threat signals (src/audit/anomaly-watch.ts), against a running hub with the demo data
 * and thresholds in policies/anomalies.yaml. Reads reach the trail through the hub itself: a
 * partner's read of a sensitive field over HTTP, and bulk reads appended through the hub's own
 * audit-writing path (appendAudit: inbox, then the hash chain), never by SQL beside it.
 *
 * - a bulk read raises one READ_VOLUME anomaly that the owner's auditor lists and receives live,
 *   and another agency's auditor does neither (its first live event is its own, later anomaly);
 * - reads below the threshold raise nothing; a window raises once however often it is evaluated;
 * - a subject whose own 30-day baseline is high is not flagged at the same volume, and is when
 *   it goes beyond the multiple;
 * - a subject reading records of many partners in a window raises PARTNER_SPREAD;
 * - raising is on the audit trail, attributable to the hub's watch;
 * - anomalies.yaml is validated with messages that name the problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mintDevToken } from '../src/auth/dev-token';
import { appendAudit } from '../src/audit/audit.service';
import { PolicyError, loadPolicies } from '../src/policy/load';
import { DEFAULT_ANOMALY_THRESHOLDS, anomalyThresholdsFor, type Principal } from '../src/policy/types';
import { expectError } from './support/expect';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { LiveSubscriber } from './support/live-subscriber';
import { pollUntil } from './support/wait';

// Day-long windows (from 00:00 UTC): a run does not straddle one, so the counts below stay in one window.
const THRESHOLDS = `
defaults:
  readVolume: { window: 1d, minReads: 1000 }
agencies:
  nl-customs:
    readVolume: { window: 1d, minReads: 20, baselineMultiple: 3 }
    partnerSpread: { window: 1d, minPartners: 3 }
  be-customs:
    readVolume: { minReads: 20 }
`;

let hub: TestHub;
let policiesDir: string;
beforeAll(async () => {
  policiesDir = copyDemoPolicies();
  fs.writeFileSync(path.join(policiesDir, 'anomalies.yaml'), THRESHOLDS);
  hub = await startTestHub({ seedDemo: true, policiesDir });
}, 60_000);
afterAll(() => hub?.stop());

const NL_AUDITOR = () => tokenFor('nl-customs', ['auditor']);
const BE_AUDITOR = () => tokenFor('be-customs', ['auditor']);

const ANOMALY_FIELDS =
  'id kind subject agency { code } ownerAgency { code } reads baseline partners threshold windowStart windowEnd raisedAt';
const ANOMALIES = `query($filter: AuditAnomalyFilter) { auditAnomalies(first: 100, filter: $filter) { totalCount edges { node { ${ANOMALY_FIELDS} } } } }`;
const TRAIL_OF_RECORD = `query($filter: AuditTrailFilter) { auditTrail(first: 1, filter: $filter) { totalCount } }`;
const RAISED = `subscription { auditAnomalyRaised { ${ANOMALY_FIELDS} } }`;

type Anomaly = {
  id: string;
  kind: string;
  subject: string;
  agency: { code: string };
  reads: number;
  baseline: number | null;
  partners: number | null;
};

const anomalies = async (token: string, filter: Record<string, unknown> = {}): Promise<Anomaly[]> => {
  const res = await hub.gql(token, ANOMALIES, { filter });
  expect(res.errors).toBeUndefined();
  return res.data!.auditAnomalies.edges.map((e: { node: Anomaly }) => e.node);
};

/** The principal a read is recorded under (only subject, agency and purpose reach the trail). */
const reader = (agency: string, subject: string): Principal => ({
  subject,
  agency: hub.policies.current.policy.agencies.get(agency)!,
  roles: ['viewer'],
  issuer: 'portcullis-dev',
  expiresAt: 0,
});

/** A bulk read of `count` records of `owner` by `subject`, recorded through the hub's audit path. */
async function bulkRead(agency: string, subject: string, owner: string, count: number, tag = subject): Promise<void> {
  const recordIds = Array.from({ length: count }, (_, i) => `WatchlistEntry:${tag}-${owner}-${i}`);
  await appendAudit(hub.database.db.manager, { principal: reader(agency, subject), requestId: `bulk-${tag}` }, [
    { operation: 'readRecords', recordIds, dataOwners: [owner], basis: 'AGREEMENT' },
  ]);
}

/** The same, recorded as if it happened `daysAgo` days ago (only the record's time is moved). */
async function bulkReadInThePast(agency: string, subject: string, owner: string, count: number, daysAgo: number): Promise<void> {
  jest.useFakeTimers({ now: Date.now() - daysAgo * 86_400_000, doNotFake: [...FAKE_ONLY_DATE] });
  try {
    await bulkRead(agency, subject, owner, count, `${subject}-past`);
  } finally {
    jest.useRealTimers();
  }
}
const FAKE_ONLY_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

describe('a bulk read of Dutch Customs data', () => {
  it("raises one anomaly for the owner's auditor, listed and live, and none for another agency's auditor", async () => {
    const nlLive = new LiveSubscriber<Anomaly>(hub, NL_AUDITOR(), 'auditAnomalyRaised', RAISED);
    const beLive = new LiveSubscriber<Anomaly>(hub, BE_AUDITOR(), 'auditAnomalyRaised', RAISED);
    await Promise.all([nlLive.ready(), beLive.ready()]);
    try {
      // A real partner read over HTTP (a sensitive field of LADY LEILA under the narcotics
      // agreement) and 17 more keep a quiet colleague below the threshold (20) ...
      const quiet = mintDevToken({ agency: 'be-customs', roles: ['viewer'], purpose: 'CUSTOMS', subject: 'be.quiet@douane.example' });
      const read = await hub.gql(quiet, '{ watchlistEntries(filter: { imo: "9683740" }) { edges { node { id source } } } }');
      expect(read.errors).toBeUndefined();
      expect(read.data!.watchlistEntries.edges).toHaveLength(1);
      const entryId = read.data!.watchlistEntries.edges[0].node.id;
      await bulkRead('be-customs', 'be.quiet@douane.example', 'nl-customs', 17);
      // ... and the bulk reader reaches 19.
      await bulkRead('be-customs', 'be.bulk@douane.example', 'nl-customs', 19, 'first');
      const recorded = await pollUntil(
        async () =>
          (await hub.gql(NL_AUDITOR(), TRAIL_OF_RECORD, { filter: { recordId: entryId, subject: 'be.quiet@douane.example' } })).data,
        (d) => d?.auditTrail.totalCount > 0,
      );
      expect(recorded?.auditTrail.totalCount).toBeGreaterThan(0);
      expect(await anomalies(NL_AUDITOR(), { agency: 'be-customs' })).toEqual([]);

      // The 20th record crosses it: exactly one anomaly, for the bulk reader only.
      await bulkRead('be-customs', 'be.bulk@douane.example', 'nl-customs', 1, 'second');
      const listed = await anomalies(NL_AUDITOR(), { agency: 'be-customs' });
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        kind: 'READ_VOLUME',
        subject: 'be.bulk@douane.example',
        agency: { code: 'be-customs' },
        ownerAgency: { code: 'nl-customs' },
        reads: 20,
        baseline: 0,
        partners: null,
      });
      const [live] = await nlLive.waitFor(1);
      expect(live).toEqual(listed[0]);

      // More reads in the same window: evaluated again, not raised again.
      await bulkRead('be-customs', 'be.bulk@douane.example', 'nl-customs', 30, 'third');
      expect(await anomalies(NL_AUDITOR(), { agency: 'be-customs' })).toHaveLength(1);

      // Belgian Customs' auditor: not in its list, and its first live event is a later anomaly on its own data.
      expect(await anomalies(BE_AUDITOR())).toEqual([]);
      await bulkRead('nl-customs', 'nl.bulk@douane.example', 'be-customs', 25);
      const beListed = await anomalies(BE_AUDITOR());
      expect(beListed.map((a) => [a.kind, a.subject])).toEqual([['READ_VOLUME', 'nl.bulk@douane.example']]);
      const [beFirst] = await beLive.waitFor(1);
      expect(beFirst).toEqual(beListed[0]);
      // And Dutch Customs' auditor did not get Belgian Customs' anomaly: nothing after its own.
      expect(nlLive.events.map((a) => a.subject)).toEqual(['be.bulk@douane.example']);
      expect((await anomalies(NL_AUDITOR())).map((a) => a.subject)).not.toContain('nl.bulk@douane.example');
    } finally {
      await Promise.all([nlLive.close(), beLive.close()]);
    }
  });

  it('is recorded on the audit trail, attributed to the hub watch, for the owner', async () => {
    const [anomaly] = await anomalies(NL_AUDITOR(), { subject: 'be.bulk@douane.example' });
    const res = await hub.gql(
      NL_AUDITOR(),
      `query($filter: AuditTrailFilter) { auditTrail(first: 10, filter: $filter) { edges { node { subject agency { code } operation recordIds } } } }`,
      { filter: { operation: 'raiseAuditAnomaly', recordId: anomaly.id } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.auditTrail.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { subject: 'portcullis:anomaly-watch', agency: { code: 'nl-customs' }, operation: 'raiseAuditAnomaly', recordIds: [anomaly.id] },
    ]);
  });

  it('is only for auditors, and filters are checked', async () => {
    expectError(await hub.gql(tokenFor('nl-customs', ['analyst']), ANOMALIES, {}), 'FORBIDDEN');
    expectError(await hub.gql(NL_AUDITOR(), ANOMALIES, { filter: { subject: 'x'.repeat(300) } }), 'BAD_USER_INPUT');
    expectError(
      await hub.gql(NL_AUDITOR(), ANOMALIES, { filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }),
      'BAD_USER_INPUT',
    );
    const kinds = await anomalies(NL_AUDITOR(), { kind: 'PARTNER_SPREAD', agency: 'be-customs' });
    expect(kinds).toEqual([]);
  });
});

describe("a subject's own baseline", () => {
  it('spares a subject that always reads this much, and flags it beyond the multiple', async () => {
    // 7,200 reads over the previous 30 days: a mean of 240 per day, so the line is 3 x 240 = 720.
    await bulkReadInThePast('be-customs', 'be.steady@douane.example', 'nl-customs', 7_200, 2);
    await bulkRead('be-customs', 'be.steady@douane.example', 'nl-customs', 700, 'steady-1');
    // A newcomer with far fewer reads is flagged: the later event that proves the evaluation ran.
    await bulkRead('be-customs', 'be.newcomer@douane.example', 'nl-customs', 25);
    const flagged = (await anomalies(NL_AUDITOR(), { kind: 'READ_VOLUME' })).map((a) => a.subject);
    expect(flagged).toContain('be.newcomer@douane.example');
    expect(flagged).not.toContain('be.steady@douane.example');

    await bulkRead('be-customs', 'be.steady@douane.example', 'nl-customs', 30, 'steady-2');
    const [steady] = await anomalies(NL_AUDITOR(), { subject: 'be.steady@douane.example' });
    expect(steady).toMatchObject({ kind: 'READ_VOLUME', reads: 730 });
    expect(steady.baseline).toBeCloseTo(240, 5);
  });
});

describe('reads of many partners in a short time', () => {
  it('raise PARTNER_SPREAD for an owner whose minPartners they reach', async () => {
    for (const owner of ['nl-customs', 'be-customs', 'nl-coastguard']) await bulkRead('de-customs', 'de.roamer@zoll.example', owner, 1);
    const [spread] = await anomalies(NL_AUDITOR(), { kind: 'PARTNER_SPREAD' });
    expect(spread).toMatchObject({ subject: 'de.roamer@zoll.example', agency: { code: 'de-customs' }, partners: 3, reads: 1 });
    // Belgian Customs keeps the default (4 partners): nothing for it.
    expect(await anomalies(BE_AUDITOR(), { kind: 'PARTNER_SPREAD' })).toEqual([]);
  });
});

describe('a policy reload', () => {
  it('applies new thresholds to the next evaluation, and keeps the old ones when the file is wrong', async () => {
    await bulkRead('de-customs', 'de.reader@zoll.example', 'be-customs', 10);
    expect(await anomalies(BE_AUDITOR(), { subject: 'de.reader@zoll.example' })).toEqual([]);

    fs.writeFileSync(path.join(policiesDir, 'anomalies.yaml'), THRESHOLDS + '    partnerSpread: { minPartners: 1 }\n');
    const refused = await hub.policies.reload();
    expect(refused).toMatchObject({ ok: false });
    expect(JSON.stringify(refused)).toMatch(/agencies\.be-customs\.partnerSpread\.minPartners must be a whole number from 2/);

    fs.writeFileSync(
      path.join(policiesDir, 'anomalies.yaml'),
      THRESHOLDS.replace('readVolume: { minReads: 20 }', 'readVolume: { minReads: 10 }'),
    );
    expect(await hub.policies.reload()).toEqual({ ok: true });
    expect((await anomalies(BE_AUDITOR(), { subject: 'de.reader@zoll.example' })).map((a) => a.reads)).toEqual([10]);
    fs.writeFileSync(path.join(policiesDir, 'anomalies.yaml'), THRESHOLDS);
    expect(await hub.policies.reload()).toEqual({ ok: true });
  });
});

describe('policies/anomalies.yaml', () => {
  const withThresholds = (yaml: string) => {
    const dir = copyDemoPolicies();
    fs.writeFileSync(path.join(dir, 'anomalies.yaml'), yaml);
    return dir;
  };
  const refusal = (yaml: string) => {
    try {
      loadPolicies(withThresholds(yaml));
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      return (e as Error).message;
    }
    throw new Error('loaded');
  };

  it('applies defaults, the file defaults, then the agency keys', () => {
    const policy = loadPolicies(policiesDir);
    expect(anomalyThresholdsFor(policy, 'nl-customs')).toEqual({
      readVolume: { windowSeconds: 86_400, minReads: 20, baselineMultiple: 3 },
      partnerSpread: { windowSeconds: 86_400, minPartners: 3 },
    });
    expect(anomalyThresholdsFor(policy, 'be-customs')).toEqual({
      readVolume: { windowSeconds: 86_400, minReads: 20, baselineMultiple: 5 },
      partnerSpread: { windowSeconds: 900, minPartners: 4 },
    });
    expect(anomalyThresholdsFor(policy, 'de-customs').readVolume.minReads).toBe(1000);
    // The demo file: Dutch Customs' own line, the defaults for the rest.
    const demo = loadPolicies(copyDemoPolicies());
    expect(anomalyThresholdsFor(demo, 'nl-customs').readVolume).toEqual({ windowSeconds: 3600, minReads: 200, baselineMultiple: 4 });
    expect(anomalyThresholdsFor(demo, 'be-customs')).toEqual(DEFAULT_ANOMALY_THRESHOLDS);
    // Without the file, the built-in defaults for everyone.
    const bare = copyDemoPolicies();
    fs.rmSync(path.join(bare, 'anomalies.yaml'));
    expect(anomalyThresholdsFor(loadPolicies(bare), 'nl-customs')).toEqual(DEFAULT_ANOMALY_THRESHOLDS);
  });

  it('refuses what it does not understand, naming the file and the problem', () => {
    expect(refusal('agencies:\n  xx-nobody: {}\n')).toMatch(/anomalies\.yaml: agencies "xx-nobody" is not an agency in agencies\.yaml/);
    expect(refusal('defaults:\n  readVolume: { window: 10s }\n')).toMatch(
      /defaults\.readVolume\.window "10s" must be a duration from 1m to 7d/,
    );
    expect(refusal('defaults:\n  readVolume: { minReads: 0 }\n')).toMatch(/defaults\.readVolume\.minReads must be a whole number from 1/);
    expect(refusal('defaults:\n  readVolume: { baselineMultiple: 0.5 }\n')).toMatch(/baselineMultiple must be a number from 1 to 1000/);
    expect(refusal('defaults:\n  partnerSpread: { minPartners: 1 }\n')).toMatch(/minPartners must be a whole number from 2/);
    expect(refusal('defaults:\n  readVolumes: {}\n')).toMatch(/unknown key "readVolumes"/);
  });
});
