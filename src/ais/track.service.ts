/**
 * Vessel.lastPosition and vesselTrack: AIS positions read under the policy engine. A position is a
 * VesselPosition record owned by its feed's agency, at the feed's TLP, in that agency's country;
 * the rows store only the feed's id, so each query joins them to the feeds of policies/ais.yaml as
 * they stand now and filters the join with the engine's row filter. A position of a feed no longer
 * configured has no owner and is shown to nobody.
 */
import DataLoader from 'dataloader';
import { badInput } from '../common/errors';
import { defineLoader, type RequestContext } from '../request/context';
import type { PolicySet } from '../policy/types';
import type { Vessel } from '../vessel/vessel.entity';
import { vesselByImo } from '../vessel/vessel.service';
import { VesselPosition } from './position.type';

/** The longest window vesselTrack answers. */
export const MAX_TRACK_DAYS = 31;
/** The most positions vesselTrack answers; a window holding more is refused. */
export const MAX_TRACK_POSITIONS = 10_000;
const DAY_MS = 86_400_000;

/** The feeds as rows with the access columns the engine's row filter reads (alias f). */
const FEEDS = `(SELECT x.feed_id, x.owner_agency, CAST(x.tlp AS tlp) AS tlp, x.jurisdiction, CAST('{}' AS text[]) AS recipients
  FROM jsonb_to_recordset(CAST(:feeds AS jsonb)) AS x(feed_id text, owner_agency text, tlp text, jurisdiction text)) f`;

function feedRows(policy: PolicySet): string {
  const country = (code: string) => (policy.agencies.get(code) ?? policy.departed.get(code))?.country;
  return JSON.stringify(
    (policy.ais?.feeds ?? []).map((feed) => ({
      feed_id: feed.id,
      owner_agency: feed.agency,
      tlp: feed.tlp,
      jurisdiction: country(feed.agency),
    })),
  );
}

const COLUMNS = `x.mmsi, x.at, x.lat, x.lon, x.sog, x.cog, x.feed_id AS feed, f.owner_agency, f.tlp, f.jurisdiction, f.recipients`;

interface PositionRow {
  mmsi: string;
  at: Date;
  lat: number;
  lon: number;
  sog: number | null;
  cog: number | null;
  feed: string;
  owner_agency: string;
  tlp: VesselPosition['tlp'];
  jurisdiction: string;
  recipients: string[];
}

function toPosition(r: PositionRow): VesselPosition {
  return Object.assign(new VesselPosition(), {
    id: `${r.mmsi}@${r.at.toISOString()}@${r.feed}`,
    mmsi: r.mmsi,
    at: r.at,
    lat: r.lat,
    lon: r.lon,
    sog: r.sog,
    cog: r.cog,
    feed: r.feed,
    ownerAgency: r.owner_agency,
    tlp: r.tlp,
    jurisdiction: r.jurisdiction,
    recipients: r.recipients,
  });
}

/** `sql` (with named parameters, FEEDS and the filter's) run for the caller; the filter applies to alias f. */
async function query<T>(ctx: RequestContext, sql: (acl: string) => string, params: Record<string, unknown>): Promise<T[]> {
  const acl = ctx.access.filter('VesselPosition', 'f');
  const [text, values] = ctx.db.driver.escapeQueryWithParameters(sql(acl.sql), { ...params, ...acl.params, feeds: feedRows(ctx.policy) });
  return ctx.db.query(text, values);
}

/**
 * Each vessel's latest position the caller may see: ais_vessels' fix of the vessel's MMSI (the
 * registry's) or of any MMSI that sent its IMO in static data, the newest first.
 */
export const lastPositionByVessel = defineLoader(
  (ctx) =>
    new DataLoader<Vessel, VesselPosition | null, string>(
      async (vessels) => {
        const keys = vessels.map((v) => ({ vid: v.id, imo: v.imo, mmsi: v.mmsi }));
        const rows = await query<PositionRow & { vid: string }>(
          ctx,
          (acl) => `
            SELECT DISTINCT ON (k.vid) k.vid, ${COLUMNS}
              FROM jsonb_to_recordset(CAST(:keys AS jsonb)) AS k(vid text, imo text, mmsi text)
              JOIN (SELECT mmsi, imo, position_at AS at, lat, lon, sog, cog, feed_id FROM ais_vessels WHERE position_at IS NOT NULL) x
                ON x.mmsi = k.mmsi OR x.imo = k.imo
              JOIN ${FEEDS} ON f.feed_id = x.feed_id
             WHERE ${acl}
             ORDER BY k.vid, x.at DESC, x.mmsi`,
          { keys: JSON.stringify(keys) },
        );
        const byVessel = new Map(rows.map((r) => [r.vid, toPosition(r)]));
        return vessels.map((v) => byVessel.get(v.id) ?? null);
      },
      { cacheKeyFn: (v) => v.id },
    ),
);

export interface TrackQuery {
  imo?: string | null;
  mmsi?: string | null;
  from: Date;
  to: Date;
}

/** The MMSIs a track by IMO covers: the registry's, and those the caller sees sending that IMO. */
async function mmsisOf(ctx: RequestContext, imo: string): Promise<string[]> {
  const registry = await ctx.loaders.get(vesselByImo).load(imo);
  const heard = await query<{ mmsi: string }>(
    ctx,
    (acl) => `SELECT x.mmsi FROM ais_vessels x JOIN ${FEEDS} ON f.feed_id = x.feed_id WHERE x.imo = :imo AND ${acl}`,
    { imo },
  );
  return [...new Set([...(registry?.mmsi ? [registry.mmsi] : []), ...heard.map((r) => r.mmsi)])];
}

/**
 * The positions kept of a vessel (ais_positions: listed vessels and alert evidence) in [from, to)
 * that the caller may see, oldest first. The window is bounded, and so is the answer.
 */
export async function vesselTrack(ctx: RequestContext, q: TrackQuery): Promise<VesselPosition[]> {
  const imo = q.imo ?? null;
  const mmsi = q.mmsi ?? null;
  if ((imo === null) === (mmsi === null)) throw badInput('give exactly one of imo and mmsi', imo === null ? 'imo' : 'mmsi');
  if (!(q.to.getTime() > q.from.getTime())) throw badInput('to must be later than from', 'to');
  if (q.to.getTime() - q.from.getTime() > MAX_TRACK_DAYS * DAY_MS) {
    throw badInput(`the window from..to may span at most ${MAX_TRACK_DAYS} days`, 'to');
  }
  const mmsis = mmsi !== null ? [mmsi] : await mmsisOf(ctx, imo!);
  if (mmsis.length === 0) return [];
  const rows = await query<PositionRow>(
    ctx,
    (acl) => `
      SELECT ${COLUMNS}
        FROM ais_positions x JOIN ${FEEDS} ON f.feed_id = x.feed_id
       WHERE x.mmsi = ANY(CAST(:mmsis AS bpchar[])) AND x.at >= :from AND x.at < :to AND ${acl}
       ORDER BY x.at, x.mmsi, x.feed_id
       LIMIT :limit`,
    { mmsis, from: q.from, to: q.to, limit: MAX_TRACK_POSITIONS + 1 },
  );
  if (rows.length > MAX_TRACK_POSITIONS) {
    throw badInput(`the window holds more than ${MAX_TRACK_POSITIONS} positions: ask for a shorter one`, 'to');
  }
  return rows.map(toPosition);
}
