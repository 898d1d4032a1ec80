/** Inputs and requests the tests build over and over. */
import { mintDevToken } from '../../src/auth/dev-token';
import type { TestHub } from './hub';

export const PUBLISH_ALERT = `mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id sequence } }`;
export const UPDATE_ALERT_STATUS = `mutation($id: ID!, $status: AlertStatus!) { updateAlertStatus(id: $id, status: $status) { id sequence } }`;

let alertCounter = 0;

/**
 * A valid PublishAlertInput: an AMBER drug-trafficking alert on OCEAN STAR (IMO 9074729) at
 * Rotterdam with an intelligence summary, titled "alert <n>" (distinct per call). `over` replaces
 * top-level fields; `vessel` is merged into the default vessel.
 */
export const alertInput = (over: Record<string, unknown> = {}, vessel: Record<string, unknown> = {}) => ({
  vessel: { imo: '9074729', name: 'OCEAN STAR', ...vessel },
  category: 'DRUG_TRAFFICKING',
  severity: 'HIGH',
  title: `alert ${++alertCounter}`,
  description: 'd',
  port: 'NLRTM',
  tlp: 'AMBER',
  intelligenceSummary: 'secret source',
  ...over,
});

/** Publishes `alertInput(over)` as `token`; its id and sequence. Throws with the errors if refused. */
export async function publishAlert(
  hub: TestHub,
  token: string,
  over: Record<string, unknown> = {},
): Promise<{ id: string; sequence: string }> {
  const res = await hub.gql(token, PUBLISH_ALERT, { input: alertInput(over) });
  if (!res.data?.publishAlert) throw new Error(`publishAlert was refused: ${JSON.stringify(res.errors)}`);
  return res.data.publishAlert;
}

/** Sets an alert's status as `token`; the event's sequence. Throws with the errors if refused. */
export async function updateAlertStatus(
  hub: TestHub,
  token: string,
  id: string,
  status: string,
): Promise<{ id: string; sequence: string }> {
  const res = await hub.gql(token, UPDATE_ALERT_STATUS, { id, status });
  if (!res.data?.updateAlertStatus) throw new Error(`updateAlertStatus was refused: ${JSON.stringify(res.errors)}`);
  return res.data.updateAlertStatus;
}

let watchlistCounter = 0;

/** Creates a watchlist as `token` (AMBER, jurisdiction NL, a distinct name unless given); its id. */
export async function createWatchlist(
  hub: TestHub,
  token: string,
  input: { name?: string; tlp?: string; jurisdiction?: string } = {},
): Promise<string> {
  const res = await hub.gql(token, `mutation($input: CreateWatchlistInput!) { createWatchlist(input: $input) { id } }`, {
    input: { name: `watchlist ${++watchlistCounter}`, tlp: 'AMBER', jurisdiction: 'NL', ...input },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.createWatchlist.id as string;
}

/** A valid AddWatchlistEntryInput: a HIGH-risk smuggling entry with reason "r"; `over` replaces fields. */
export const entryInput = (watchlistId: string, vessel: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  watchlistId,
  vessel,
  category: 'SMUGGLING',
  riskLevel: 'HIGH',
  reason: 'r',
  ...over,
});

/** Adds an entry as `token`; its id. */
export async function addWatchlistEntry(hub: TestHub, token: string, input: Record<string, unknown>): Promise<string> {
  const res = await hub.gql(token, `mutation($input: AddWatchlistEntryInput!) { addWatchlistEntry(input: $input) { id } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data!.addWatchlistEntry.id as string;
}

/**
 * Records vessels in the shared registry as the demo registry authority (nl-rotterdam-pa) would:
 * records never write the registry, so a test that reads registry names puts them there first.
 */
export async function recordInRegistry(
  hub: TestHub,
  vessels: { imo: string; name: string; mmsi?: string; flag?: string; vesselType?: string; formerNames?: string[] }[],
): Promise<void> {
  const res = await hub.gql(
    mintDevToken({ agency: 'nl-rotterdam-pa', roles: ['analyst'] }),
    `mutation($content: String!) { importRegistry(format: JSON, content: $content, source: "test registry") { failed errors { message } } }`,
    { content: JSON.stringify(vessels) },
  );
  if (res.errors || res.data!.importRegistry.failed > 0)
    throw new Error(`importRegistry was refused: ${JSON.stringify(res.errors ?? res.data)}`);
}
