/**
 * Retention (WEBHOOK_RETENTION_DAYS): deletes finished deliveries (delivered, given up, withheld)
 * older than that, and the shown-alert rows of alerts that have been over (resolved, withdrawn
 * or expired) that long, after which such an alert is no longer revoked from the webhook. Queued
 * deliveries are never deleted. Any instance may run it; it deletes in batches.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../common/logger';
import type { WebhookRuntime } from './settings';
import { sleep } from './wait';
import type { Availability } from '../common/db-availability';

export async function pruneWebhookHistory(
  db: DataSource,
  retentionDays: number,
  batch = 10_000,
): Promise<{ deliveries: number; shown: number }> {
  let deliveries = 0;
  for (;;) {
    const [{ n }]: { n: number }[] = await db.query(
      `WITH gone AS (
         DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM webhook_deliveries
           WHERE status IN ('DELIVERED', 'GAVE_UP', 'WITHHELD')
             AND COALESCE(delivered_at, last_attempt_at, created_at) < now() - make_interval(days => $1)
           LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [retentionDays, batch],
    );
    deliveries += n;
    if (n < batch) break;
  }
  const [{ n: shown }]: { n: number }[] = await db.query(
    `WITH gone AS (
       DELETE FROM webhook_shown s USING vessel_alerts a
       WHERE s.alert_id = a.id
         AND ((a.status IN ('RESOLVED', 'WITHDRAWN') AND a.updated_at < now() - make_interval(days => $1))
              OR a.expires_at < now() - make_interval(days => $1))
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [retentionDays],
  );
  return { deliveries, shown };
}

/** Retention, now and then every pruneEveryMs, until `signal` aborts. */
export async function pruneLoop(
  o: { db: DataSource; log: Logger; runtime: WebhookRuntime; availability?: Availability },
  signal: AbortSignal,
): Promise<void> {
  const { db, log, runtime } = o;
  while (!signal.aborted) {
    await o.availability?.whenUp(signal);
    try {
      const pruned = await pruneWebhookHistory(db, runtime.settings.retentionDays);
      if (pruned.deliveries + pruned.shown > 0) log.info(pruned, 'pruned webhook history past its retention');
    } catch (err) {
      if (signal.aborted) break;
      if (!o.availability?.failed(err)) log.warn({ err }, 'pruning webhook history failed; trying again later');
    }
    await sleep(runtime.settings.pruneEveryMs, signal);
  }
}
