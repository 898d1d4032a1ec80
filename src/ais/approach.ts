/**
 * WATCHLIST_APPROACH: a vessel with a watchlist entry in force enters a port's approach zone, or
 * announces the port as its AIS destination. One alert per entry, vessel and port visit. Ports
 * crowd together (Rotterdam's approaches hold a dozen UN/LOCODEs), so a visit is the vessel's
 * stay inside any approach zone: it is to the announced destination, or else to the nearest port
 * at entry, and closes once the vessel is clear of every zone by a quarter of the radius (so a
 * vessel on an edge does not open visit after visit) or announces another destination before
 * arriving. Evidence within a visit updates the alert at most every EVIDENCE_INTERVAL_MS.
 */
import type { Detection } from './detections';
import { distanceNm } from './geo';
import type { Port, PortZones } from './ports';
import type { Fix, PortVisit, VesselState } from './tracks';
import type { WatchedEntry } from './watched';

const EXIT_FACTOR = 1.25;
const EVIDENCE_INTERVAL_MS = 10 * 60_000;

const round = (n: number) => Math.round(n * 10) / 10;
const named = (v: VesselState, entries: WatchedEntry[]) =>
  `${v.name ?? entries[0].name ?? 'A vessel'} (IMO ${entries[0].imo}, MMSI ${v.mmsi})`;

function detections(
  entries: WatchedEntry[],
  v: VesselState,
  port: Port,
  visit: PortVisit,
  feedId: string,
  at: Date,
  explanation: string,
  evidence: Fix[],
): Detection[] {
  return entries.map((entry) => {
    const name = v.name ?? entry.name;
    return {
      rule: 'WATCHLIST_APPROACH',
      key: `WATCHLIST_APPROACH:${entry.id}:${visit.key}`,
      feedId,
      access: entry,
      fromEntry: true,
      vessel: { imo: entry.imo, mmsi: v.mmsi, name },
      category: entry.category,
      severity: entry.riskLevel,
      title: `Listed vessel ${name ?? `MMSI ${v.mmsi}`} approaching ${port.name} (${port.locode})`,
      explanation,
      port: port.locode,
      observedAt: at,
      evidence,
    };
  });
}

/** Whether `fix` is still near enough a zone to keep the visit open. */
function nearAnyZone(fix: Fix, zones: PortZones, visitPort: Port): boolean {
  if (distanceNm(fix, visitPort) <= zones.radiusNm(visitPort.locode) * EXIT_FACTOR) return true;
  return zones.zonesAt(fix).length > 0;
}

/** Detections for a new position of a watched vessel. */
export function approachOnPosition(v: VesselState, fix: Fix, entries: WatchedEntry[], zones: PortZones, feedId: string): Detection[] {
  const inside = zones.zonesAt(fix);
  const now = fix.at.getTime();
  let visit = v.visit;
  let port = visit ? zones.port(visit.locode) : undefined;
  if (visit && !visit.announced && (!port || !nearAnyZone(fix, zones, port))) visit = v.visit = null;
  if (inside.length === 0) return [];
  if (!visit || !port) {
    port = inside[0].port;
    visit = v.visit = { key: `${v.mmsi}:${port.locode}:${now}`, locode: port.locode, announced: false, lastEvidenceAt: now };
  } else if (visit.announced) {
    visit.announced = false; // announced, now arriving: the same visit
    visit.lastEvidenceAt = now;
  } else if (now - visit.lastEvidenceAt < EVIDENCE_INTERVAL_MS) {
    return [];
  } else {
    visit.lastEvidenceAt = now;
  }
  const d = distanceNm(fix, port);
  const where =
    d <= zones.radiusNm(port.locode)
      ? `${round(d)} nm from ${port.name} (${port.locode}), inside its ${zones.radiusNm(port.locode)} nm approach zone`
      : `${round(d)} nm from ${port.name} (${port.locode}), inside the approach zone of ${inside[0].port.name} (${inside[0].port.locode})`;
  const motion = `${fix.sog !== null ? `, making ${fix.sog} kn` : ''}${fix.cog !== null ? ` on course ${fix.cog}°` : ''}`;
  const explanation = `${named(v, entries)}, on a watchlist, was ${where} at ${fix.at.toISOString()}${motion}.`;
  return detections(entries, v, port, visit, feedId, fix.at, explanation, [fix]);
}

/** Detections for a destination a watched vessel announces. */
export function approachOnDestination(
  v: VesselState,
  previousDestination: string | null,
  entries: WatchedEntry[],
  zones: PortZones,
  feedId: string,
  at: Date,
): Detection[] {
  if (v.destination === previousDestination) return [];
  // Another destination ends a visit only announced so far; one under way goes on.
  if (v.visit?.announced) v.visit = null;
  const port = zones.destination(v.destination);
  if (!port || v.visit) return [];
  const visit = (v.visit = {
    key: `${v.mmsi}:${port.locode}:${at.getTime()}`,
    locode: port.locode,
    announced: true,
    lastEvidenceAt: at.getTime(),
  });
  const explanation =
    `${named(v, entries)}, on a watchlist, announced ${JSON.stringify(v.destination)} as its AIS destination at ${at.toISOString()}: ` +
    `${port.name} (${port.locode}).` +
    (v.last ? ` It was last seen ${round(distanceNm(v.last, port))} nm from the port.` : '');
  return detections(entries, v, port, visit, feedId, at, explanation, v.last ? [v.last] : []);
}
