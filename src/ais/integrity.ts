/**
 * Rules on what a vessel says about itself, for every vessel a feed hears; their alerts belong to
 * the feed's agency at the feed's TLP.
 *
 * - POSITION_SPOOFING: one MMSI at two places no ship could join (implied speed over 50 knots
 *   between consecutive reports more than 2 nm apart, so GNSS jitter and a shared MMSI next door
 *   do not count), or a position on land (./land.ts: inland of the coastal margin and outside
 *   every port's approach zone), raised as the vessel comes ashore, not again for each report there.
 * - IDENTITY_MISMATCH: on a type 5 report, an IMO number whose check digit is wrong, an IMO the
 *   registry knows under another MMSI, or an MMSI whose MID is not the flag's the registry has.
 *
 * An alert names its vessel by a valid IMO number (the registry's vessels are keyed by it): the
 * one the vessel sends, else the registry's for its MMSI; without one, nothing is raised.
 */
import { isValidImo, mmsiMid } from '../common/identifiers';
import type { AisFeed } from '../policy/types';
import { midCountries } from '../screening/mid';
import type { Detection } from './detections';
import { distanceNm } from './geo';
import { COASTAL_MARGIN_KM } from './land';
import type { Fix, VesselState } from './tracks';
import type { WatchedVessels } from './watched';

const MIN_JUMP_NM = 2;

const round = (n: number) => Math.round(n * 10) / 10;

function feedDetection(
  feed: AisFeed,
  feedCountry: string,
  v: VesselState,
  imo: string,
  fields: Pick<Detection, 'rule' | 'key' | 'category' | 'severity' | 'title' | 'explanation' | 'observedAt' | 'evidence'>,
): Detection {
  return {
    ...fields,
    feedId: feed.id,
    access: { ownerAgency: feed.agency, tlp: feed.tlp, jurisdiction: feedCountry, recipients: [] },
    fromEntry: false,
    vessel: { imo, mmsi: v.mmsi, name: v.name },
    port: null,
  };
}

const imoOf = (v: VesselState, watched: WatchedVessels) =>
  v.imo && isValidImo(v.imo) ? v.imo : (watched.registry(null, v.mmsi).byMmsi?.imo ?? null);

/** Whether a position is on land, as AisService judges it (./land.ts and the ports' approach zones). */
export type AshoreCheck = (p: Fix) => boolean;

export function spoofingOnPosition(
  v: VesselState,
  previous: Fix | null,
  fix: Fix,
  feed: AisFeed,
  feedCountry: string,
  watched: WatchedVessels,
  ashore: AshoreCheck,
  maxSpeedKn: number,
): Detection[] {
  const jump = previous ? impossibleJump(v, previous, fix, maxSpeedKn) : null;
  // Coming ashore: a vessel whose reports stay on land is not re-alerted at each one.
  const landed = ashore(fix) && (!previous || !ashore(previous));
  if (!jump && !landed) return [];
  const imo = imoOf(v, watched);
  if (!imo) return [];
  const name = v.name ?? `MMSI ${v.mmsi}`;
  const onLand =
    `MMSI ${v.mmsi} reported ${fix.lat.toFixed(4)}, ${fix.lon.toFixed(4)} at ${fix.at.toISOString()}: on land, ` +
    `more than ${COASTAL_MARGIN_KM} km inside the coastline and outside every port's approach zone. ` +
    'Its position is spoofed, or its GNSS receiver is jammed or faulty.';
  return [
    feedDetection(feed, feedCountry, v, imo, {
      rule: 'POSITION_SPOOFING',
      // One alert per vessel and day: a spoofer jumps again and again.
      key: `POSITION_SPOOFING:${v.mmsi}:${fix.at.toISOString().slice(0, 10)}`,
      category: 'AIS_MANIPULATION',
      severity: 'HIGH',
      title: jump ? `Impossible track for ${name} (MMSI ${v.mmsi})` : `Position on land for ${name} (MMSI ${v.mmsi})`,
      explanation: [jump, landed ? onLand : null].filter(Boolean).join(' '),
      observedAt: fix.at,
      evidence: jump ? [previous!, fix] : [fix],
    }),
  ];
}

/** The explanation of a jump no ship could make between two reports, or null. */
function impossibleJump(v: VesselState, previous: Fix, fix: Fix, maxSpeedKn: number): string | null {
  const hours = (fix.at.getTime() - previous.at.getTime()) / 3_600_000;
  const nm = distanceNm(previous, fix);
  if (nm <= MIN_JUMP_NM || hours < 0) return null;
  const knots = hours === 0 ? Infinity : nm / hours;
  if (knots <= maxSpeedKn) return null;
  return (
    `MMSI ${v.mmsi} reported ${previous.lat.toFixed(4)}, ${previous.lon.toFixed(4)} at ${previous.at.toISOString()} and ` +
    `${fix.lat.toFixed(4)}, ${fix.lon.toFixed(4)} at ${fix.at.toISOString()}: ${round(nm)} nm in ${round(hours * 60)} min, ` +
    `${Number.isFinite(knots) ? `${Math.round(knots)} kn` : 'at the same instant'}, beyond the ${maxSpeedKn} kn no ship makes. ` +
    'Its positions are spoofed, or two transmitters share the MMSI.'
  );
}

export function identityOnStatic(v: VesselState, feed: AisFeed, feedCountry: string, watched: WatchedVessels): Detection[] {
  if (!v.imo) return [];
  const problems: string[] = [];
  const sent = v.imo;
  const { byImo, byMmsi } = watched.registry(isValidImo(sent) ? sent : null, v.mmsi);
  if (!isValidImo(sent)) problems.push(`the IMO number ${sent} it sends fails the IMO check digit`);
  else if (byImo?.mmsi && byImo.mmsi !== v.mmsi) problems.push(`the registry knows IMO ${sent} under MMSI ${byImo.mmsi}, not ${v.mmsi}`);
  const flag = (byImo ?? byMmsi)?.flag;
  const mid = mmsiMid(v.mmsi);
  if (flag && mid && !midCountries(mid).includes(flag))
    problems.push(`its MMSI's MID ${mid} is not allocated to its registered flag ${flag}`);
  if (problems.length === 0) return [];
  const imo = isValidImo(sent) ? sent : byMmsi?.imo;
  if (!imo) return [];
  const name = v.name ?? `MMSI ${v.mmsi}`;
  return [
    feedDetection(feed, feedCountry, v, imo, {
      rule: 'IDENTITY_MISMATCH',
      key: `IDENTITY_MISMATCH:${v.mmsi}:${sent}:${flag ?? ''}`,
      category: 'IDENTITY_FRAUD',
      severity: 'MEDIUM',
      title: `Identity mismatch for ${name} (MMSI ${v.mmsi})`,
      explanation: `${name} (MMSI ${v.mmsi}) sent static data at ${v.staticAt?.toISOString()}: ${problems.join('; ')}.`,
      observedAt: v.staticAt ?? new Date(),
      evidence: v.last ? [v.last] : [],
    }),
  ];
}
