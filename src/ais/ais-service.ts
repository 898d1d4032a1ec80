/**
 * The hub's AIS runtime: the feeds of policies/ais.yaml (restarted as a reload changes them),
 * sentences framed and decoded per stream, tracks updated, rules evaluated, and detections
 * published one after another through detections.ts. Nothing a feed sends can stop it: a bad
 * sentence is counted and skipped.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../common/logger';
import { DEFAULT_AIS_RULES, type AisFeed, type AisRuleThresholds, type PolicySet } from '../policy/types';
import { approachOnDestination, approachOnPosition } from './approach';
import { encounterOnPosition, gapEnded, gapsAt, NearbyVessels } from './behaviour';
import { identityOnStatic, spoofingOnPosition } from './integrity';
import { landIndex, type LandIndex } from './land';
import { decodePayload, type AisReport } from './decode';
import { publishDetection, type Detection } from './detections';
import { BadSentence, NmeaFramer, type BadSentenceReason } from './nmea';
import { loadPorts, PortZones } from './ports';
import { TcpClientSource, TcpListenerSource, UdpSource, type SentenceSink, type SentenceSource } from './sources';
import { TrackStore, VesselTracks, type Fix } from './tracks';
import { WatchedVessels } from './watched';

/** What the transport counts (src/server/metrics.ts); nothing below L6 imports the metrics. */
export interface AisCounters {
  badSentence(reason: BadSentenceReason): void;
  decoded(): void;
  detection(outcome: 'published' | 'updated' | 'skipped' | 'dropped' | 'failed'): void;
}

export interface AisSettings {
  /** Days positions of watchlisted vessels and alert evidence are kept (AIS_RETENTION_DAYS). */
  retentionDays: number;
  /** Vessels held in memory (AIS_MAX_VESSELS); the least recently heard go first. */
  maxVessels: number;
}

export interface PolicySource {
  current: { policy: PolicySet };
  onReload(listener: (s: { policy: PolicySet }) => void): () => void;
}

const FLUSH_MS = 1000;
const WATCHLIST_REFRESH_MS = 5000;
const RETENTION_SWEEP_MS = 3600_000;
/** Detections waiting to be published; beyond, new ones are dropped and counted. */
const MAX_QUEUED_DETECTIONS = 10_000;
/** Streams with unfinished messages kept at once (UDP senders are many). */
const MAX_STREAMS = 1024;

const NO_COUNTERS: AisCounters = { badSentence: () => undefined, decoded: () => undefined, detection: () => undefined };

class RunningFeed {
  constructor(
    readonly config: AisFeed,
    readonly source: SentenceSource,
  ) {}
}

export class AisService {
  private readonly tracks: VesselTracks;
  private readonly store: TrackStore;
  private readonly watched: WatchedVessels;
  private zones: PortZones;
  /** Built when the first feed starts (about 0.4 s), then shared by the process's hubs. */
  private land?: LandIndex;
  /**
   * On land for POSITION_SPOOFING: inland of the coastal margin, and outside every approach zone
   * (ports and the rivers up to them lie inside the coarse land polygons: Rotterdam's basins, Antwerp, Hamburg).
   */
  private readonly ashore = (p: Fix): boolean => (this.land ??= landIndex()).onLand(p.lat, p.lon) && this.zones.zonesAt(p).length === 0;
  private readonly ports = loadPorts();
  private readonly feeds = new Map<string, RunningFeed>();
  private readonly framers = new Map<string, NmeaFramer>();
  /**
   * Detections waiting, published one after another: parallel publishing measured slower (each
   * publish sequences the alert stream, bench/results/ais-*.txt).
   */
  private readonly queue: Detection[] = [];
  private draining?: Promise<void>;
  private readonly nearby = new NearbyVessels();
  /** Listed vessels heard, for the gap sweep (bounded by the watchlists, not by the traffic). */
  private readonly listedHeard = new Set<string>();
  /** Each feed's clock (its newest report time) and when the gap sweep last ran on it. */
  private readonly clocks = new Map<string, { clock: number; sweptAt: number }>();
  private timers: NodeJS.Timeout[] = [];
  private removeReload?: () => void;
  private applying: Promise<void> = Promise.resolve();
  private policy: PolicySet;

  constructor(
    private readonly db: DataSource,
    private readonly policies: PolicySource,
    private readonly log: Logger,
    settings: AisSettings,
    private readonly counters: AisCounters = NO_COUNTERS,
  ) {
    this.policy = policies.current.policy;
    this.tracks = new VesselTracks(settings.maxVessels);
    this.store = new TrackStore(db, settings.retentionDays);
    this.watched = new WatchedVessels(db);
    this.zones = this.zonesOf(this.policy);
  }

  private zonesOf(policy: PolicySet): PortZones {
    return new PortZones(this.ports, policy.ais?.approachNm ?? 20, policy.ais?.ports);
  }

  async start(): Promise<void> {
    this.removeReload = this.policies.onReload((s) => {
      this.applying = this.applying.then(() => this.apply(s.policy));
    });
    await this.apply(this.policy);
  }

  /** The periodic work, once there is a feed: a hub without AIS reads nothing. */
  private async startTimers(): Promise<void> {
    if (this.timers.length > 0) return;
    await this.watched.refresh();
    const every = (ms: number, work: () => Promise<unknown>, what: string) => {
      const t = setInterval(() => void work().catch((err: unknown) => this.log.warn({ err }, `AIS: ${what} failed`)), ms);
      t.unref();
      this.timers.push(t);
    };
    every(FLUSH_MS, () => this.store.flush(this.tracks), 'writing tracks');
    every(WATCHLIST_REFRESH_MS, () => this.watched.refresh(), 'reading the watchlists');
    every(RETENTION_SWEEP_MS, () => this.store.dropExpired(), 'dropping expired positions');
  }

  async stop(): Promise<void> {
    this.removeReload?.();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.applying;
    await Promise.all([...this.feeds.values()].map((f) => f.source.stop()));
    this.feeds.clear();
    await this.draining;
    await this.store.flush(this.tracks).catch((err: unknown) => this.log.warn({ err }, 'AIS: writing tracks failed'));
  }

  /** The port a feed's listener or UDP socket is bound to (for feeds configured with port 0). */
  portOf(feedId: string): number | undefined {
    return this.feeds.get(feedId)?.source.port;
  }

  /** Brings the running feeds in line with `policy`: new ones started, changed ones restarted, removed ones stopped. */
  private async apply(policy: PolicySet): Promise<void> {
    this.policy = policy;
    this.zones = this.zonesOf(policy);
    const wanted = new Map((policy.ais?.feeds ?? []).map((f) => [f.id, f]));
    if (wanted.size > 0) await this.startTimers().catch((err: unknown) => this.log.warn({ err }, 'AIS: reading the watchlists failed'));
    // Built before the first sentence, so its build never stalls a stream.
    if (wanted.size > 0) this.land ??= landIndex();
    for (const [id, running] of this.feeds) {
      const next = wanted.get(id);
      if (next && JSON.stringify(next.source) === JSON.stringify(running.config.source)) {
        this.feeds.set(id, new RunningFeed(next, running.source)); // agency or TLP may change without a restart
        continue;
      }
      await running.source.stop();
      this.feeds.delete(id);
    }
    for (const [id, config] of wanted) {
      if (this.feeds.has(id)) continue;
      const source = sourceOf(config, (connected) =>
        connected ? this.log.info({ feed: id }, 'AIS feed connected') : this.log.warn({ feed: id }, 'AIS feed disconnected; reconnecting'),
      );
      try {
        await source.start(this.sinkFor(id));
        this.feeds.set(id, new RunningFeed(config, source));
        this.log.info({ feed: id, port: source.port }, 'AIS feed started');
      } catch (err) {
        this.log.error({ feed: id, error: (err as Error).message }, 'AIS feed could not start');
      }
    }
  }

  private sinkFor(feedId: string): SentenceSink {
    return {
      line: (text, stream) => this.accept(feedId, text, `${feedId}/${stream}`),
      closed: (stream) => this.framers.delete(`${feedId}/${stream}`),
      overlong: () => this.counters.badSentence('format'),
    };
  }

  /** One line from a feed's stream: framed, decoded and evaluated; a bad one is counted and skipped. */
  accept(feedId: string, line: string, stream: string = feedId, arrivedAt = new Date()): void {
    let framer = this.framers.get(stream);
    if (!framer) {
      if (this.framers.size >= MAX_STREAMS) this.framers.delete(this.framers.keys().next().value!);
      framer = new NmeaFramer();
      this.framers.set(stream, framer);
    }
    let report: AisReport | null;
    try {
      const payload = framer.accept(line, arrivedAt);
      if (!payload) return;
      report = decodePayload(payload);
    } catch (err) {
      if (!(err instanceof BadSentence)) throw err;
      this.counters.badSentence(err.reason);
      return;
    }
    this.counters.decoded();
    if (report) this.evaluate(feedId, report);
  }

  private evaluate(feedId: string, report: AisReport): void {
    const feed = this.feeds.get(feedId)?.config ?? this.policy.ais?.feeds.find((f) => f.id === feedId);
    if (!feed) return;
    const feedCountry = this.policy.agencies.get(feed.agency)?.country ?? this.policy.departed.get(feed.agency)?.country ?? 'ZZ';
    const detections: Detection[] = [];
    if (report.kind === 'position') {
      const { vessel, previous } = this.tracks.position(report, feedId);
      const fix = vessel.last!;
      this.nearby.move(vessel.mmsi, fix);
      detections.push(...spoofingOnPosition(vessel, previous, fix, feed, feedCountry, this.watched, this.ashore, this.rules.maxSpeedKn));
      const entries = this.watched.entriesFor(vessel.mmsi, vessel.imo);
      if (entries.length > 0) {
        this.listedHeard.add(vessel.mmsi);
        this.tracks.keep(vessel, fix);
        detections.push(...gapEnded(vessel, fix, entries, feedId));
        detections.push(...approachOnPosition(vessel, fix, entries, this.zones, feedId));
        detections.push(...encounterOnPosition(vessel, fix, entries, this.zones, this.nearby, this.tracks, feedId, this.rules));
      }
    } else {
      const { vessel, previousDestination } = this.tracks.staticData(report, feedId);
      if (report.type === 5) detections.push(...identityOnStatic(vessel, feed, feedCountry, this.watched));
      const entries = this.watched.entriesFor(vessel.mmsi, vessel.imo);
      if (entries.length > 0)
        detections.push(...approachOnDestination(vessel, previousDestination, entries, this.zones, feedId, report.at));
    }
    detections.push(...this.sweepGaps(feedId, report.at.getTime()));
    for (const d of detections) this.enqueue(d);
  }

  /** The rules' thresholds of the policy in force (ais.yaml `rules`). */
  private get rules(): AisRuleThresholds {
    return this.policy.ais?.rules ?? DEFAULT_AIS_RULES;
  }

  /** Advances the feed's clock; once a minute of it, looks for listed vessels gone silent. */
  private sweepGaps(feedId: string, at: number): Detection[] {
    let c = this.clocks.get(feedId);
    if (!c) this.clocks.set(feedId, (c = { clock: at, sweptAt: at }));
    c.clock = Math.max(c.clock, at);
    if (c.clock - c.sweptAt < 60_000) return [];
    c.sweptAt = c.clock;
    const heard = [...this.listedHeard].map((m) => this.tracks.get(m)).filter((v): v is NonNullable<typeof v> => !!v);
    return gapsAt(c.clock, heard, (v) => this.watched.entriesFor(v.mmsi, v.imo), feedId, this.rules);
  }

  private enqueue(d: Detection): void {
    if (this.queue.length >= MAX_QUEUED_DETECTIONS) return this.counters.detection('dropped');
    this.queue.push(d);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    for (let d = this.queue.shift(); d; d = this.queue.shift()) {
      try {
        this.counters.detection(await publishDetection(this.db, this.policy, d));
      } catch (err) {
        this.counters.detection('failed');
        this.log.warn({ err, rule: d.rule }, 'AIS: publishing a detection failed');
      }
    }
  }
}

function sourceOf(feed: AisFeed, onState: (connected: boolean) => void): SentenceSource {
  const s = feed.source;
  if (s.kind === 'listen') return new TcpListenerSource(s.port, s.host);
  if (s.kind === 'udp') return new UdpSource(s.port, s.host);
  return new TcpClientSource(s.host, s.port, onState);
}
