/**
 * Entry feedback on webhooks: each partner sighting on one of an agency's entries is queued as an
 * ENTRY_FEEDBACK delivery for each of the agency's active webhooks, in the same per-webhook
 * queue as alert events (same signature, retries and order). Sightings are read by writing
 * transaction up to the horizon every earlier transaction has ended by (as the live feeds,
 * src/request/live-notices.ts), from each webhook's `feedback_horizon`, so one that commits late
 * is never skipped; webhooks are claimed FOR UPDATE SKIP LOCKED, so instances never queue twice.
 * Whom feedback is for is the engine's (entryFeedbackCondition here; receivesEntryFeedback and
 * receiveEntryFeedback decided again when the delivery is sent).
 */
import type { DataSource } from 'typeorm';
import type { Availability } from '../common/db-availability';
import type { Logger } from '../common/logger';
import { entryFeedbackCondition } from '../policy/scopes';
import type { WebhookRuntime } from './settings';
import { napUntil } from './wait';

/** Queues the feedback reported since each webhook's horizon; returns how many deliveries it queued. */
async function queueEntryFeedback(db: DataSource): Promise<number> {
  const sighted = (alias: string) => `s.entry_owner = ${alias}.agency AND s.xid >= ${alias}.feedback_horizon AND s.xid < (SELECT x FROM h)`;
  const [row]: { queued: number }[] = await db.query(
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x),
     due AS (
       SELECT w.id, w.agency, w.position, w.feedback_horizon FROM webhooks w
       WHERE w.active AND EXISTS (SELECT 1 FROM sightings s WHERE ${sighted('w')})
       FOR UPDATE OF w SKIP LOCKED
     ),
     queued AS (
       INSERT INTO webhook_deliveries (webhook_id, agency, sequence, kind, sighting_id)
       SELECT d.id, d.agency, d.position, 'ENTRY_FEEDBACK', s.id
       FROM due d JOIN sightings s ON ${sighted('d')} AND ${entryFeedbackCondition('s', 'd.agency')}
       ORDER BY d.id, s.xid, s.created_at, s.id
       ON CONFLICT DO NOTHING
       RETURNING 1
     ),
     moved AS (UPDATE webhooks w SET feedback_horizon = (SELECT x FROM h) FROM due d WHERE w.id = d.id RETURNING 1)
     SELECT (SELECT count(*) FROM queued)::int AS queued, (SELECT count(*) FROM moved)::int AS moved`,
  );
  return row.queued;
}

/** Queues feedback every pollMs until `signal` aborts; `queued` wakes the sender. */
export async function feedbackLoop(
  o: { db: DataSource; log: Logger; runtime: WebhookRuntime; availability?: Availability; queued: () => void },
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    await o.availability?.whenUp(signal);
    try {
      if ((await queueEntryFeedback(o.db)) > 0) o.queued();
    } catch (err) {
      if (signal.aborted) break;
      if (!o.availability?.failed(err)) o.log.warn({ err }, 'queueing entry feedback for webhooks failed; retrying');
    }
    await napUntil(o.runtime.settings.pollMs, signal);
  }
}
