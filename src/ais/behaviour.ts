/**
 * Rules on how a listed vessel behaves; like WATCHLIST_APPROACH, their alerts are derived from the
 * vessel's watchlist entries (the entry's owner, TLP, jurisdiction and recipients).
 *
 * Thresholds are ais.yaml `rules` (AisRuleThresholds); the defaults are given here.
 *
 * - AIS_GAP: the vessel has sent nothing for more than 12 hours while its feed kept hearing others
 *   (the feed's clock is the newest report time it received, so a recording replays true); when
 *   it reappears, the same alert gets the distance and duration of the gap.
 * - ENCOUNTER: the vessel and another within 500 m of each other, both under 2 knots, away from
 *   every port approach zone, for at least 2 hours (a ship-to-ship transfer). Vessels are found
 *   near each other through one-hundredth-degree cells of their latest positions.
 */
import type { AisRuleThresholds } from '../policy/types';
import type { Detection } from './detections';
import { distanceNm } from './geo';
import type { PortZones } from './ports';
import type { Fix, VesselState, VesselTracks } from './tracks';
import type { WatchedEntry } from './watched';

/** A neighbour's position older than this says nothing about where it is now. */
const FRESH_MS = 15 * 60_000;

const round = (n: number) => Math.round(n * 10) / 10;
const nameOf = (v: VesselState, e: WatchedEntry) => v.name ?? e.name ?? `MMSI ${v.mmsi}`;

function entryDetections(
  entries: WatchedEntry[],
  v: VesselState,
  feedId: string,
  make: (e: WatchedEntry) => Pick<Detection, 'rule' | 'key' | 'category' | 'title' | 'explanation' | 'observedAt' | 'evidence'>,
): Detection[] {
  return entries.map((e) => ({
    ...make(e),
    feedId,
    access: e,
    fromEntry: true,
    vessel: { imo: e.imo, mmsi: v.mmsi, name: v.name ?? e.name },
    severity: e.riskLevel,
    port: null,
  }));
}

/** Silences of listed vessels as of `clock` (the feed's newest report time). */
export function gapsAt(
  clock: number,
  vessels: Iterable<VesselState>,
  entriesOf: (v: VesselState) => WatchedEntry[],
  feedId: string,
  rules: AisRuleThresholds,
): Detection[] {
  const out: Detection[] = [];
  for (const v of vessels) {
    if (v.gap || !v.last || v.feedId !== feedId || clock - v.last.at.getTime() <= rules.gapHours * 3_600_000) continue;
    const entries = entriesOf(v);
    if (entries.length === 0) continue;
    const last = v.last;
    const gap = (v.gap = { key: `${v.mmsi}:${last.at.getTime()}`, last });
    out.push(
      ...entryDetections(entries, v, feedId, (e) => ({
        rule: 'AIS_GAP',
        key: `AIS_GAP:${e.id}:${gap.key}`,
        category: 'AIS_MANIPULATION',
        title: `Listed vessel ${nameOf(v, e)} stopped transmitting`,
        explanation:
          `${nameOf(v, e)} (IMO ${e.imo}, MMSI ${v.mmsi}), on a watchlist, last reported at ${last.at.toISOString()} ` +
          `(${last.lat.toFixed(4)}, ${last.lon.toFixed(4)}) and has been silent for more than ${rules.gapHours} hours while the feed kept receiving others.`,
        observedAt: new Date(clock),
        evidence: [last],
      })),
    );
  }
  return out;
}

/** A listed vessel heard again after a reported gap: the same alert, with the gap's distance and time. */
export function gapEnded(v: VesselState, fix: Fix, entries: WatchedEntry[], feedId: string): Detection[] {
  const gap = v.gap;
  if (!gap) return [];
  v.gap = null;
  const hours = (fix.at.getTime() - gap.last.at.getTime()) / 3_600_000;
  const nm = distanceNm(gap.last, fix);
  return entryDetections(entries, v, feedId, (e) => ({
    rule: 'AIS_GAP',
    key: `AIS_GAP:${e.id}:${gap.key}`,
    category: 'AIS_MANIPULATION',
    title: `Listed vessel ${nameOf(v, e)} stopped transmitting`,
    explanation:
      `${nameOf(v, e)} (IMO ${e.imo}, MMSI ${v.mmsi}), on a watchlist, was silent for ${round(hours)} hours and reappeared at ` +
      `${fix.at.toISOString()} ${round(nm)} nm from where it went silent (${round(nm / Math.max(hours, 1e-9))} kn on average).`,
    observedAt: fix.at,
    evidence: [fix],
  }));
}

/** Rings of cells looked at around a vessel, at most (far north, the cells narrow). */
const MAX_RINGS = 8;

/** Latest positions in cells of 0.01 degree, to find vessels near each other. */
export class NearbyVessels {
  private readonly cells = new Map<string, Set<string>>();
  private readonly cellOf = new Map<string, string>();

  move(mmsi: string, fix: Fix): void {
    const cell = `${Math.floor(fix.lat * 100)}:${Math.floor(fix.lon * 100)}`;
    const was = this.cellOf.get(mmsi);
    if (was === cell) return;
    if (was) this.cells.get(was)?.delete(mmsi);
    if (was && this.cells.get(was)?.size === 0) this.cells.delete(was);
    this.cellOf.set(mmsi, cell);
    let set = this.cells.get(cell);
    if (!set) this.cells.set(cell, (set = new Set()));
    set.add(mmsi);
  }

  forget(mmsi: string): void {
    const was = this.cellOf.get(mmsi);
    if (was) this.cells.get(was)?.delete(mmsi);
    this.cellOf.delete(mmsi);
  }

  /**
   * MMSIs in the cell of `fix` and enough cells around it to cover `metres` (0.01 degree of
   * longitude is 1,113 m times the cosine of the latitude; one ring covers 500 m below 63°).
   */
  around(fix: Fix, metres: number): string[] {
    const lat = Math.floor(fix.lat * 100);
    const lon = Math.floor(fix.lon * 100);
    const rings = Math.min(
      MAX_RINGS,
      Math.max(1, Math.ceil(metres / (1113 * Math.cos((Math.min(85, Math.abs(fix.lat)) * Math.PI) / 180)))),
    );
    const out: string[] = [];
    for (let a = -rings; a <= rings; a++)
      for (let b = -rings; b <= rings; b++) out.push(...(this.cells.get(`${lat + a}:${lon + b}`) ?? []));
    return out;
  }
}

export function encounterOnPosition(
  v: VesselState,
  fix: Fix,
  entries: WatchedEntry[],
  zones: PortZones,
  nearby: NearbyVessels,
  tracks: VesselTracks,
  feedId: string,
  rules: AisRuleThresholds,
): Detection[] {
  const slow = (f: Fix | null): f is Fix => !!f && f.sog !== null && f.sog < rules.encounterMaxKn;
  if (!slow(fix) || zones.zonesAt(fix).length > 0) {
    v.close.clear();
    return [];
  }
  const now = fix.at.getTime();
  const stillClose = new Map<string, number>();
  const out: Detection[] = [];
  for (const mmsi of nearby.around(fix, rules.encounterMeters)) {
    if (mmsi === v.mmsi) continue;
    const other = tracks.get(mmsi);
    if (!other) nearby.forget(mmsi); // no longer held in memory
    const o = other?.last ?? null;
    if (!other || !slow(o) || Math.abs(now - o.at.getTime()) > FRESH_MS || distanceNm(fix, o) * 1852 > rules.encounterMeters) continue;
    const since = v.close.get(mmsi) ?? now;
    stillClose.set(mmsi, since);
    if (now - since < rules.encounterHours * 3_600_000) continue;
    const pair = [v.mmsi, mmsi].sort().join('-');
    out.push(
      ...entryDetections(entries, v, feedId, (e) => ({
        rule: 'ENCOUNTER',
        key: `ENCOUNTER:${e.id}:${pair}:${since}`,
        category: 'SHIP_TO_SHIP_TRANSFER',
        title: `Listed vessel ${nameOf(v, e)} alongside ${other.name ?? `MMSI ${mmsi}`} at sea`,
        explanation:
          `${nameOf(v, e)} (IMO ${e.imo}, MMSI ${v.mmsi}), on a watchlist, and ${other.name ?? 'a vessel'} (MMSI ${mmsi}` +
          `${other.imo ? `, IMO ${other.imo}` : ''}) have stayed within ${rules.encounterMeters} m of each other under ${rules.encounterMaxKn} kn, away from ` +
          `any port, since ${new Date(since).toISOString()} (${round((now - since) / 3_600_000)} hours): a possible ship-to-ship transfer.`,
        observedAt: fix.at,
        evidence: [fix, o],
      })),
    );
  }
  v.close = stillClose;
  return out;
}
