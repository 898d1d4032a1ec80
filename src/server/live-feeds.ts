/**
 * The live feeds beside the alert stream (src/request/live-notices.ts): raised audit anomalies
 * and entry feedback, and the watch that raises anomalies. Made once per hub; their feeds reach
 * resolvers as hub settings.
 */
import type { DataSource } from 'typeorm';
import type { Availability } from '../common/db-availability';
import type { Logger } from '../common/logger';
import { AnomalyWatch, readRaisedAnomalies } from '../audit/anomaly-watch';
import { ANOMALY_FEED } from '../audit/anomaly.resolver';
import type { Setting } from '../request/context';
import { NoticeFeed } from '../request/live-notices';
import type { PolicyStore } from '../request/policy-store';
import { FEEDBACK_FEED, readReportedSightings } from '../watchlist/entry-feedback';

const DEFAULT_ANOMALY_CHECK_MS = 60_000;
const DEFAULT_LIVE_NOTICE_POLL_MS = 500;

export interface LiveFeeds {
  /** Entries for the hub's settings. */
  settings: [Setting<unknown>, unknown][];
  /** The watch raises anomalies on this instance from now on. */
  start(): void;
  stop(): Promise<void>;
}

export function liveFeeds(opts: {
  db: DataSource;
  policies: PolicyStore;
  log: Logger;
  availability: Availability;
  anomalyCheckMs?: number;
  pollMs?: number;
}): LiveFeeds {
  const { db, log, availability } = opts;
  const pollMs = opts.pollMs ?? DEFAULT_LIVE_NOTICE_POLL_MS;
  const failed = (what: string) => (err: unknown) => availability.failed(err) || log.warn({ err }, what);
  const anomalies = new NoticeFeed(db, readRaisedAnomalies, pollMs, failed('reading raised audit anomalies failed'));
  const feedback = new NoticeFeed(db, readReportedSightings, pollMs, failed('reading reported sightings failed'));
  const watch = new AnomalyWatch(
    db,
    () => opts.policies.current.policy,
    opts.anomalyCheckMs ?? DEFAULT_ANOMALY_CHECK_MS,
    failed('evaluating the audit anomaly thresholds failed'),
    () => anomalies.poke(),
    availability,
  );
  return {
    settings: [
      [ANOMALY_FEED, anomalies],
      [FEEDBACK_FEED, feedback],
    ],
    start: () => watch.start(),
    async stop() {
      anomalies.stop();
      feedback.stop();
      await watch.stop();
    },
  };
}
