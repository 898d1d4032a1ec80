/**
 * Issue 10, item 5: what a record references is shown under the referenced record's own
 * visibility, decided now. Having once reached a record (reported a sighting on it, seen the
 * report it was escalated from) never shows it as it is now to an agency that does not see it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isObjectType } from 'graphql';
import { mintDevToken } from '../src/auth/dev-token';
import { addWatchlistEntry, alertInput, createWatchlist, entryInput } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { imoFrom } from './support/vessels';

let hub: TestHub;
const NL = tokenFor('nl-customs');
const BE = tokenFor('be-customs');
const TERMINAL = () => mintDevToken({ agency: 'nl-ect-terminal', roles: ['viewer'], subject: 'j.devries@delta-terminal.example' });

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(() => hub.stop());

describe("a sighting's entry", () => {
  const FIELDS = 'id reason riskLevel recipients tlp vesselAsGiven { imo name } source notes access { basis redactedFields }';
  const SIGHTING = `query($id: ID!) { node(id: $id) { ... on Sighting { id outcome entry { ${FIELDS} } } } }`;
  const LIST = `{ sightings(filter: { reportedByMe: true }) { edges { node { id entry { ${FIELDS} } } } } }`;

  test('a recipient removed from a RED entry reads it through its sighting only as it stood when it reported', async () => {
    const watchlistId = await createWatchlist(hub, NL, { name: 'References: red' });
    const entryId = await addWatchlistEntry(
      hub,
      NL,
      entryInput(
        watchlistId,
        { imo: imoFrom(733101), name: 'SILENT HERON' },
        { tlp: 'RED', recipients: ['be-customs'], reason: 'first', source: 'informant A' },
      ),
    );
    const reported = await hub.gql(
      BE,
      `mutation($entryId: ID!, $input: SightingInput!) { reportSighting(entryId: $entryId, input: $input) {
        id entry { id reason access { basis } } } }`,
      { entryId, input: { outcome: 'CONFIRMED', observedAt: '2026-11-20T08:30:00Z', port: 'BEANR' } },
    );
    expect(reported.errors).toBeUndefined();
    // While it is a recipient, the sighting shows the entry as be-customs sees it now.
    expect(reported.data!.reportSighting.entry).toEqual({ id: entryId, reason: 'first', access: { basis: 'RECIPIENT' } });
    const sightingId = reported.data!.reportSighting.id as string;

    // The owner takes be-customs off the recipients and changes what the entry says.
    const update = await hub.gql(
      NL,
      `mutation($id: ID!, $input: UpdateWatchlistEntryInput!) { updateWatchlistEntry(id: $id, input: $input) { id recipients } }`,
      { id: entryId, input: { recipients: ['de-customs'], reason: 'second: informant B', riskLevel: 'CRITICAL' } },
    );
    expect(update.errors).toBeUndefined();

    const asReported = {
      id: entryId,
      reason: 'first',
      riskLevel: 'HIGH',
      recipients: ['be-customs'],
      tlp: 'RED',
      vesselAsGiven: { imo: imoFrom(733101), name: 'SILENT HERON' },
      source: null,
      notes: null,
      access: { basis: 'REFERENCED', redactedFields: ['source', 'notes', 'relatedParties'] },
    };
    const one = await hub.gql(BE, SIGHTING, { id: sightingId });
    expect(one.data!.node).toEqual({ id: sightingId, outcome: 'CONFIRMED', entry: asReported });
    const list = await hub.gql(BE, LIST);
    expect(list.data!.sightings.edges.find((e: { node: { id: string } }) => e.node.id === sightingId).node.entry).toEqual(asReported);
    for (const res of [one, list]) {
      expect(JSON.stringify(res)).not.toMatch(/informant B|CRITICAL|de-customs|informant A/);
      // Only the sensitive fields are withheld, each with its FORBIDDEN error.
      expect((res.errors ?? []).map((e) => [e.extensions?.code, e.path?.at(-1)]).sort()).toEqual([
        ['FORBIDDEN', 'notes'],
        ['FORBIDDEN', 'source'],
      ]);
    }

    // The owner sees its entry through the sighting as it is now.
    const owner = await hub.gql(NL, SIGHTING, { id: sightingId });
    expect(owner.data!.node.entry).toMatchObject({
      id: entryId,
      reason: 'second: informant B',
      riskLevel: 'CRITICAL',
      recipients: ['de-customs'],
      access: { basis: 'OWNER' },
    });
  });

  test('the version shown is the one the reporter saw, even when a change that revoked it began first', async () => {
    const watchlistId = await createWatchlist(hub, NL, { name: 'References: concurrent change' });
    const entryId = await addWatchlistEntry(
      hub,
      NL,
      entryInput(watchlistId, { imo: imoFrom(733103), name: 'SILENT PETREL' }, { tlp: 'RED', recipients: ['be-customs'], reason: 'seen' }),
    );
    const reported = await hub.gql(
      BE,
      `mutation($entryId: ID!, $input: SightingInput!) { reportSighting(entryId: $entryId, input: $input) { id } }`,
      { entryId, input: { outcome: 'CONFIRMED', observedAt: '2026-11-20T08:30:00Z' } },
    );
    const sightingId = reported.data!.reportSighting.id as string;
    const update = await hub.gql(
      NL,
      `mutation($id: ID!, $input: UpdateWatchlistEntryInput!) { updateWatchlistEntry(id: $id, input: $input) { id } }`,
      { id: entryId, input: { recipients: ['de-customs'], reason: 'not for be-customs' } },
    );
    expect(update.errors).toBeUndefined();
    // The change's transaction began before the sighting's and committed after it: its version
    // is stamped before the sighting (timestamps are transaction starts).
    const uuid = entryId.replace(/^WatchlistEntry:/, '');
    await hub.database.db.query(
      `UPDATE watchlist_entry_versions SET changed_at = (SELECT created_at - interval '1 millisecond' FROM sightings WHERE entry_id = $1)
        WHERE entry_id = $1 AND version = (SELECT max(version) FROM watchlist_entry_versions WHERE entry_id = $1)`,
      [uuid],
    );
    const res = await hub.gql(BE, `query($id: ID!) { node(id: $id) { ... on Sighting { entry { reason recipients } } } }`, {
      id: sightingId,
    });
    expect(res.data!.node.entry).toEqual({ reason: 'seen', recipients: ['be-customs'] });
  });

  test('a reporter that still sees the entry reads it through the sighting with its own basis', async () => {
    const watchlistId = await createWatchlist(hub, NL, { name: 'References: recipient stays' });
    const entryId = await addWatchlistEntry(
      hub,
      NL,
      entryInput(watchlistId, { imo: imoFrom(733102), name: 'SILENT EGRET' }, { tlp: 'RED', recipients: ['be-customs'] }),
    );
    const reported = await hub.gql(
      BE,
      `mutation($entryId: ID!, $input: SightingInput!) { reportSighting(entryId: $entryId, input: $input) { id } }`,
      { entryId, input: { outcome: 'CONFIRMED', observedAt: '2026-11-20T08:30:00Z' } },
    );
    const res = await hub.gql(BE, `query($id: ID!) { node(id: $id) { ... on Sighting { entry { id access { basis } } } } }`, {
      id: reported.data!.reportSighting.id,
    });
    expect(res.data!.node.entry).toEqual({ id: entryId, access: { basis: 'RECIPIENT' } });
  });
});

describe("a report's escalated alert", () => {
  const NL_ANALYST = () => mintDevToken({ agency: 'nl-customs', roles: ['analyst'], subject: 'analyst.bakker@douane.example' });
  const REPORT = `query($id: ID!) { report(id: $id) { status escalatedAlert { id title description recipients access { basis } } } }`;

  let n = 0;
  async function escalated(alert: Record<string, unknown>): Promise<{ reportId: string; alertId: string }> {
    const submitted = await hub.gql(
      TERMINAL(),
      `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id } }`,
      {
        input: {
          port: 'NLRTM',
          category: 'DRUG_TRAFFICKING',
          observedAt: new Date(Date.now() - 3600_000).toISOString(),
          description: `A bag handed over the rail at berth 12 (#${++n})`,
          imo: '9074729',
        },
      },
    );
    expect(submitted.errors).toBeUndefined();
    const reportId = submitted.data!.submitSuspiciousActivityReport.id as string;
    const triage = await hub.gql(NL_ANALYST(), `mutation($id: ID!) { triageReport(id: $id, status: UNDER_REVIEW) { id } }`, {
      id: reportId,
    });
    expect(triage.errors).toBeUndefined();
    const res = await hub.gql(
      NL_ANALYST(),
      `mutation($id: ID!, $input: PublishAlertInput!) { escalateReport(id: $id, input: $input) { id } }`,
      { id: reportId, input: alertInput({ category: 'DRUG_TRAFFICKING', ...alert }) },
    );
    expect(res.errors).toBeUndefined();
    return { reportId, alertId: res.data!.escalateReport.id };
  }

  test('the submitting operator does not read a RED alert it is not a recipient of through its report', async () => {
    const { reportId, alertId } = await escalated({ tlp: 'RED', title: 'Courier on board', description: 'Handover at sea planned' });
    const operator = await hub.gql(TERMINAL(), REPORT, { id: reportId });
    expect(operator.errors).toBeUndefined();
    expect(operator.data!.report).toEqual({ status: 'ESCALATED', escalatedAlert: null });
    expect(JSON.stringify(operator)).not.toMatch(/Courier on board|Handover at sea/);
    // The alert's owner sees it through the report, with its own basis.
    const owner = await hub.gql(NL_ANALYST(), REPORT, { id: reportId });
    expect(owner.data!.report.escalatedAlert).toMatchObject({ id: alertId, title: 'Courier on board', access: { basis: 'OWNER' } });
  });

  test('an operator named among the alert recipients reads it through its report as RECIPIENT', async () => {
    const { reportId, alertId } = await escalated({ tlp: 'RED', recipients: ['nl-ect-terminal'], title: 'Tell the terminal' });
    const operator = await hub.gql(TERMINAL(), REPORT, { id: reportId });
    expect(operator.errors).toBeUndefined();
    expect(operator.data!.report.escalatedAlert).toMatchObject({ id: alertId, title: 'Tell the terminal', access: { basis: 'RECIPIENT' } });
  });
});

describe("an alert's report", () => {
  // The alert keeps the report it came from only as a column (report_id) for the hub's own
  // bookkeeping: no field of an alert or of an alert event reaches a report, so an alert's viewers
  // never read a report through it. If one is ever added, it must be decided like escalatedAlert.
  test('no field of VesselAlert or AlertEvent leads to a SuspiciousActivityReport', () => {
    const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../schema/schema.graphql'), 'utf8'), { assumeValidSDL: true });
    for (const name of ['VesselAlert', 'AlertEvent']) {
      const type = schema.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      const toReport = Object.values(type.getFields()).filter((f) => getNamedType(f.type).name === 'SuspiciousActivityReport');
      expect(toReport.map((f) => f.name)).toEqual([]);
    }
  });
});
