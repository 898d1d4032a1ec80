/**
 * The latest state of each MMSI, in memory (bounded: the least recently heard vessel goes first)
 * and in PostgreSQL (ais_vessels, written in batches), and the positions kept for watchlisted
 * vessels and alert evidence (ais_positions, one partition per day, dropped after the retention).
 */
import type { DataSource } from 'typeorm';
import type { AisPosition, AisStatic } from './decode';

export interface Fix {
  at: Date;
  lat: number;
  lon: number;
  sog: number | null;
  cog: number | null;
}

export interface VesselState {
  mmsi: string;
  feedId: string;
  imo: string | null;
  name: string | null;
  callSign: string | null;
  shipType: number | null;
  destination: string | null;
  staticAt: Date | null;
  last: Fix | null;
  /** WATCHLIST_APPROACH's state: the open port visit, if any. */
  visit: PortVisit | null;
  /** AIS_GAP's state: the last fix before a silence the rule has reported. */
  gap: { key: string; last: Fix } | null;
  /** ENCOUNTER's state: since when (ms) each nearby slow vessel has kept close, by MMSI. */
  close: Map<string, number>;
}

/**
 * A port visit: from the first sign (entering an approach zone, or announcing the port as the
 * destination) until the vessel is clear of every zone again.
 */
export interface PortVisit {
  /** Part of the alert's key: one alert per vessel, rule and visit. */
  key: string;
  /** The port the visit is to: the announced destination, or the nearest port at entry. */
  locode: string;
  /** Announced but not yet inside a zone. */
  announced: boolean;
  lastEvidenceAt: number;
}

export class VesselTracks {
  private readonly vessels = new Map<string, VesselState>();
  private readonly dirty = new Set<string>();
  private readonly keptPositions: { mmsi: string; feedId: string; fix: Fix }[] = [];

  constructor(private readonly maxVessels: number) {}

  get size(): number {
    return this.vessels.size;
  }

  get(mmsi: string): VesselState | undefined {
    return this.vessels.get(mmsi);
  }

  /** Every vessel held, least recently heard first. */
  all(): IterableIterator<VesselState> {
    return this.vessels.values();
  }

  /** The vessel's state, made on first sight; touching it makes it the most recently heard. */
  private touch(mmsi: string, feedId: string): VesselState {
    let v = this.vessels.get(mmsi);
    if (v) this.vessels.delete(mmsi);
    else {
      v = {
        mmsi,
        feedId,
        imo: null,
        name: null,
        callSign: null,
        shipType: null,
        destination: null,
        staticAt: null,
        last: null,
        visit: null,
        gap: null,
        close: new Map(),
      };
      if (this.vessels.size >= this.maxVessels) {
        const oldest = this.vessels.keys().next().value!;
        this.vessels.delete(oldest);
        this.dirty.delete(oldest);
      }
    }
    v.feedId = feedId;
    this.vessels.set(mmsi, v);
    this.dirty.add(mmsi);
    return v;
  }

  /** Records a position; returns the state and the fix it had before. */
  position(p: AisPosition, feedId: string): { vessel: VesselState; previous: Fix | null } {
    const v = this.touch(p.mmsi, feedId);
    const previous = v.last;
    v.last = { at: p.at, lat: p.lat, lon: p.lon, sog: p.sog, cog: p.cog };
    if (p.name) v.name = p.name;
    if (p.shipType) v.shipType = p.shipType;
    return { vessel: v, previous };
  }

  /** Records static data; returns the state and the destination it had before. */
  staticData(s: AisStatic, feedId: string): { vessel: VesselState; previousDestination: string | null } {
    const v = this.touch(s.mmsi, feedId);
    const previousDestination = v.destination;
    if (s.imo !== undefined) v.imo = s.imo;
    if (s.name) v.name = s.name;
    if (s.callSign) v.callSign = s.callSign;
    if (s.shipType) v.shipType = s.shipType;
    if (s.destination !== undefined) v.destination = s.destination;
    v.staticAt = s.at;
    return { vessel: v, previousDestination };
  }

  /** Keeps this fix in ais_positions (a watchlisted vessel's, or alert evidence). */
  keep(v: VesselState, fix: Fix): void {
    if (this.keptPositions.length < MAX_KEPT_PER_FLUSH) this.keptPositions.push({ mmsi: v.mmsi, feedId: v.feedId, fix });
  }

  /** What changed since the last flush, taken out. */
  takeChanges(): { vessels: VesselState[]; positions: { mmsi: string; feedId: string; fix: Fix }[] } {
    const vessels = [...this.dirty].map((m) => this.vessels.get(m)).filter((v): v is VesselState => !!v);
    this.dirty.clear();
    return { vessels, positions: this.keptPositions.splice(0) };
  }
}

/** Positions kept between two flushes; beyond, they are dropped (the flush is behind). */
const MAX_KEPT_PER_FLUSH = 50_000;
const DAY_MS = 86_400_000;

/** Writes what VesselTracks changed, and keeps ais_positions' partitions and retention. */
export class TrackStore {
  private readonly partitions = new Set<string>();

  constructor(
    private readonly db: DataSource,
    private readonly retentionDays: number,
  ) {}

  async flush(tracks: VesselTracks): Promise<void> {
    const { vessels, positions } = tracks.takeChanges();
    if (vessels.length > 0) {
      const col = <T>(f: (v: VesselState) => T) => vessels.map(f);
      await this.db.query(
        `INSERT INTO ais_vessels AS a (mmsi, feed_id, imo, name, call_sign, ship_type, destination, lat, lon, sog, cog, position_at, static_at, updated_at)
         SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::text[],
                                    $8::float8[], $9::float8[], $10::real[], $11::real[], $12::timestamptz[], $13::timestamptz[])
         ON CONFLICT (mmsi) DO UPDATE SET feed_id = EXCLUDED.feed_id, imo = EXCLUDED.imo, name = EXCLUDED.name,
           call_sign = EXCLUDED.call_sign, ship_type = EXCLUDED.ship_type, destination = EXCLUDED.destination,
           lat = EXCLUDED.lat, lon = EXCLUDED.lon, sog = EXCLUDED.sog, cog = EXCLUDED.cog,
           position_at = EXCLUDED.position_at, static_at = EXCLUDED.static_at, updated_at = now()`,
        [
          col((v) => v.mmsi),
          col((v) => v.feedId),
          col((v) => v.imo),
          col((v) => v.name),
          col((v) => v.callSign),
          col((v) => v.shipType),
          col((v) => v.destination),
          col((v) => v.last?.lat ?? null),
          col((v) => v.last?.lon ?? null),
          col((v) => v.last?.sog ?? null),
          col((v) => v.last?.cog ?? null),
          col((v) => v.last?.at ?? null),
          col((v) => v.staticAt),
        ],
      );
    }
    const oldest = Date.now() - this.retentionDays * DAY_MS;
    const kept = positions.filter((p) => p.fix.at.getTime() >= oldest);
    if (kept.length === 0) return;
    for (const day of new Set(kept.map((p) => dayOf(p.fix.at)))) await this.ensurePartition(day);
    await this.db.query(
      `INSERT INTO ais_positions (mmsi, feed_id, at, lat, lon, sog, cog)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[], $7::real[])`,
      [
        kept.map((p) => p.mmsi),
        kept.map((p) => p.feedId),
        kept.map((p) => p.fix.at),
        kept.map((p) => p.fix.lat),
        kept.map((p) => p.fix.lon),
        kept.map((p) => p.fix.sog),
        kept.map((p) => p.fix.cog),
      ],
    );
  }

  private async ensurePartition(day: string): Promise<void> {
    if (this.partitions.has(day)) return;
    const from = new Date(`${day}T00:00:00Z`);
    const to = new Date(from.getTime() + DAY_MS);
    await this.db.query(
      `CREATE TABLE IF NOT EXISTS ais_positions_${day.replace(/-/g, '')} PARTITION OF ais_positions
         FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
    this.partitions.add(day);
  }

  /** Drops the day partitions wholly older than the retention; returns how many. */
  async dropExpired(now = new Date()): Promise<number> {
    const rows: { name: string }[] = await this.db.query(`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'ais_positions'::regclass`);
    const cutoff = dayOf(new Date(now.getTime() - this.retentionDays * DAY_MS)).replace(/-/g, '');
    let dropped = 0;
    for (const { name } of rows) {
      const m = /^ais_positions_(\d{8})$/.exec(name);
      if (!m || m[1] >= cutoff) continue;
      await this.db.query(`DROP TABLE IF EXISTS ${name}`);
      this.partitions.delete(`${m[1].slice(0, 4)}-${m[1].slice(4, 6)}-${m[1].slice(6)}`);
      dropped++;
    }
    return dropped;
  }
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
