/**
 * Sending. Each webhook's queue is sent in order: only the oldest undelivered delivery of a
 * webhook is ever due. Due heads are claimed with FOR UPDATE SKIP LOCKED and a lease (so no
 * transaction stays open over HTTP and a crashed instance's claim expires), rendered at that
 * moment as the agency may see the event *now* (the engine decides again; if the alert is no
 * longer visible the delivery is WITHHELD), signed, and POSTed. Failures are retried with
 * exponential backoff and jitter up to maxAttempts and maxAge, then GAVE_UP. At-least-once: a
 * receiver that answered 2xx after the lease ran out, or whose answer was lost, may see a
 * delivery again with the same Portcullis-Delivery-Id.
 */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { AlertEvent } from '../alert/alert-event.type';
import { readEvents, type AlertStream, type StreamEvent } from '../alert/alert-stream';
import { appendAudit } from '../audit/audit.service';
import { toGlobalId } from '../graphql/ids';
import { RecordAccess } from '../request/record-access';
import type { PolicyStore } from '../request/policy-store';
import { createErrorFormatter } from '../graphql/format-error';
import type { Availability } from '../common/db-availability';
import type { Logger } from '../common/logger';
import { renderEvent } from './payload';
import { retryDelayMs, type WebhookRuntime } from './settings';
import { streamPositions } from '../alert/stream-position';
import { SIGNATURE_HEADER, signWebhookBody } from './signature';
import { deactivateWebhook } from './standing';
import { postWebhook } from './target';
import { napUntil } from './wait';
import { Webhook, type WebhookDelivery } from './webhook.entity';
import { webhookPrincipal } from './webhook.service';
import { decide } from '../policy/engine';
import { receivesEntryFeedback } from '../policy/scopes';
import { Sighting } from '../watchlist/sighting.entity';

export interface SenderOptions {
  db: DataSource;
  stream: AlertStream;
  /** The protected schema the hub serves: payloads go through the same field rules. */
  schema: GraphQLSchema;
  policies: PolicyStore;
  log: Logger;
  runtime: WebhookRuntime;
  /** Told of every attempt settled (the metrics): its new status, and how many deliveries took it. */
  onSettled?: (status: 'DELIVERED' | 'FAILED' | 'GAVE_UP' | 'WITHHELD', count: number) => void;
  /** While the database is unreachable the loops wait for it (logged once there, not per attempt). */
  availability?: Availability;
}

export class Sender {
  private readonly inflight = new Set<Promise<void>>();
  private woken?: () => void;
  private readonly formatError;

  constructor(private readonly o: SenderOptions) {
    this.formatError = createErrorFormatter(o.log);
  }

  /** Wakes the loop now rather than at its next poll. */
  wake(): void {
    this.woken?.();
  }

  /** Resolves when the attempts under way have finished. */
  async drain(): Promise<void> {
    await Promise.all([...this.inflight]);
  }

  /** Claims and sends due deliveries until `signal` aborts; attempts under way are left to drain(). */
  async run(signal: AbortSignal): Promise<void> {
    const { log, runtime } = this.o;
    while (!signal.aborted) {
      await this.o.availability?.whenUp(signal);
      const woken = new Promise<void>((resolve) => (this.woken = resolve));
      let claimed: WebhookDelivery[] = [];
      try {
        await this.expireOld();
        const room = runtime.settings.concurrency - this.inflight.size;
        if (room > 0) claimed = await this.claim(room);
      } catch (err) {
        if (signal.aborted) break;
        if (!this.o.availability?.failed(err)) log.warn({ err }, 'webhook claim failed; retrying');
      }
      for (const d of claimed) {
        const p = this.deliver(d)
          .catch(async (err) => {
            // Not the receiver's fault (a database error, a key that cannot decrypt): retry like a failure.
            if (!this.o.availability?.failed(err)) log.error({ err, delivery: d.id }, 'webhook delivery failed unexpectedly');
            await this.failed(d, { error: 'internal error while preparing the delivery' }).catch(() => undefined);
          })
          .finally(() => {
            this.inflight.delete(p);
            this.wake(); // the webhook's next delivery may be due now
          });
        this.inflight.add(p);
      }
      if (claimed.length === 0 || this.inflight.size >= runtime.settings.concurrency) {
        await napUntil(runtime.settings.pollMs, signal, woken);
      }
    }
  }

  /** Undelivered deliveries older than maxAge are given up, attempted or not. */
  private async expireOld(): Promise<void> {
    const { settings } = this.o.runtime;
    // TypeORM answers an UPDATE with [rows, affected].
    const result: unknown = await this.o.db.query(
      `UPDATE webhook_deliveries
       SET status = 'GAVE_UP', next_attempt_at = NULL, lease_until = NULL,
           last_error = left('not delivered within ' || $1 || ' s' || coalesce('; last: ' || last_error, ''), 300)
       WHERE status IN ('PENDING', 'FAILED') AND created_at < now() - make_interval(secs => $1)
         AND (lease_until IS NULL OR lease_until < now())`,
      [settings.maxAgeSeconds],
    );
    const expired = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
    if (expired > 0) this.o.onSettled?.('GAVE_UP', expired);
  }

  /** The due heads of the queues, leased to this instance; attempts counted now, so a crash counts. */
  async claim(limit: number): Promise<WebhookDelivery[]> {
    const leaseMs = this.o.runtime.settings.timeoutMs + 30_000;
    // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const [rows]: [Record<string, unknown>[], number] = await this.o.db.query(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d
         JOIN webhooks w ON w.id = d.webhook_id AND w.active
         WHERE d.status IN ('PENDING', 'FAILED')
           AND d.next_attempt_at <= now()
           AND (d.lease_until IS NULL OR d.lease_until < now())
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries e
             WHERE e.webhook_id = d.webhook_id AND e.status IN ('PENDING', 'FAILED') AND e.ord < d.ord)
         ORDER BY d.next_attempt_at, d.ord
         LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE webhook_deliveries d
       SET lease_until = now() + make_interval(secs => $2::double precision / 1000), attempts = d.attempts + 1, last_attempt_at = now()
       FROM due WHERE d.id = due.id
       RETURNING d.id, d.ord::text AS ord, d.webhook_id, d.agency, d.sequence::text AS sequence, d.kind, d.alert_id, d.sighting_id,
                 d.attempts, d.created_at`,
      [limit, leaseMs],
    );
    return rows.map(
      (r) =>
        ({
          id: r.id,
          ord: r.ord,
          webhookId: r.webhook_id,
          agency: r.agency,
          sequence: r.sequence,
          kind: r.kind,
          alertId: r.alert_id,
          sightingId: r.sighting_id,
          attempts: r.attempts,
          createdAt: r.created_at,
        }) as WebhookDelivery,
    );
  }

  private async settle(
    d: WebhookDelivery,
    status: WebhookDelivery['status'],
    fields: { code?: number; error?: string; nextAttemptAt?: Date } = {},
  ): Promise<void> {
    const result: unknown = await this.o.db.query(
      `UPDATE webhook_deliveries
       SET status = $2, lease_until = NULL, last_status_code = $3, last_error = $4, next_attempt_at = $5,
           delivered_at = CASE WHEN $2 = 'DELIVERED' THEN now() ELSE delivered_at END
       WHERE id = $1 AND status IN ('PENDING', 'FAILED')`,
      [d.id, status, fields.code ?? null, fields.error?.slice(0, 300) ?? null, fields.nextAttemptAt ?? null],
    );
    const settled = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
    if (settled > 0 && status !== 'PENDING') this.o.onSettled?.(status, settled);
  }

  /** One attempt: decide, render, audit, sign, send, record. */
  async deliver(d: WebhookDelivery): Promise<void> {
    const { db, stream, policies, runtime, schema, log } = this.o;
    const w = await db.getRepository(Webhook).findOneBy({ id: d.webhookId });
    if (!w?.active) return this.settle(d, 'GAVE_UP', { error: 'webhook deleted' });
    const policy = policies.current.policy;
    const p = webhookPrincipal(w, policy);
    if ('reason' in p) {
      await db.transaction((m) => deactivateWebhook(m, log, w, p.reason));
      return;
    }
    const now = new Date();
    let event: AlertEvent | Sighting;
    let vessel: StreamEvent['vessel'] | undefined;
    if (d.kind === 'ENTRY_FEEDBACK') {
      const sighting = await db.getRepository(Sighting).findOneBy({ id: d.sightingId! });
      // Decided again now, by the engine: the agency's analysts, and the owner of the entry reported on.
      const allowed =
        sighting !== null &&
        decide(policy, p.principal, { kind: 'receiveEntryFeedback' }, now).allowed &&
        receivesEntryFeedback(p.principal, sighting);
      if (!allowed) return this.settle(d, 'WITHHELD', { error: `the feedback was not for ${w.agency} when the delivery was due` });
      event = sighting;
    } else if (d.kind === 'REVOKED') {
      // Nothing to take back if the alert never went out to this receiver (each delivery of it withheld).
      const [{ withheld }] = await db.query(
        `SELECT bool_and(status = 'WITHHELD') AS withheld FROM webhook_deliveries
         WHERE webhook_id = $1 AND alert_id = $2 AND kind <> 'REVOKED' AND ord < $3`,
        [d.webhookId, d.alertId, d.ord],
      );
      if (withheld === true) return this.settle(d, 'WITHHELD', { error: 'the alert never reached this webhook: nothing to revoke' });
      event = { sequence: d.sequence, kind: 'REVOKED', alertId: toGlobalId('VesselAlert', d.alertId!), alert: null };
    } else {
      const sequence = BigInt(d.sequence);
      // From this instance's tail, or from the table (another instance may have queued it first).
      let [found] = await stream.eventsAfter(sequence - 1n, 1);
      if (found?.sequence !== sequence) [found] = await readEvents(db, sequence - 1n, 1);
      if (!found || found.sequence !== sequence) return this.settle(d, 'WITHHELD', { error: 'the event is no longer in the alert stream' });
      // Decided again now: what the agency may see when the delivery goes out, not when it was queued.
      if (!new RecordAccess(policy, p.principal, now).canRead('VesselAlert', found.alert)) {
        return this.settle(d, 'WITHHELD', { error: `the alert was no longer visible to ${w.agency} when the delivery was due` });
      }
      event = { sequence: d.sequence, kind: d.kind, alertId: toGlobalId('VesselAlert', d.alertId!), alert: found.alert };
      vessel = found.vessel;
    }
    const rendered = await renderEvent({
      schema,
      db,
      policy,
      principal: p.principal,
      requestId: `webhook-delivery:${d.id}`,
      now,
      event,
      vessel,
      formatError: this.formatError,
    });
    const body = JSON.stringify({
      webhookId: toGlobalId('Webhook', w.id),
      deliveryId: d.id,
      data: rendered.data,
      ...(rendered.errors?.length ? { errors: rendered.errors } : {}),
    });
    // The audit trail records another agency's records leaving the hub before they do.
    if (rendered.reads.length > 0) {
      await appendAudit(db.manager, { principal: p.principal, requestId: `webhook-delivery:${d.id}` }, rendered.reads);
    }
    const secrets = [runtime.cipher.decrypt(w.secretCiphertext, w.id)];
    if (w.previousSecretCiphertext && w.previousSecretExpiresAt && w.previousSecretExpiresAt.getTime() > now.getTime()) {
      secrets.push(runtime.cipher.decrypt(w.previousSecretCiphertext, w.id));
    }
    const result = await postWebhook(
      w.url,
      body,
      {
        'user-agent': 'Portcullis-Webhook/1',
        [SIGNATURE_HEADER]: signWebhookBody(secrets, body),
        'portcullis-event-sequence': (await streamPositions(db)).encode(d.sequence),
        'portcullis-delivery-id': d.id,
        'portcullis-webhook-id': toGlobalId('Webhook', w.id),
      },
      { allowInsecureLoopback: runtime.settings.allowInsecureLoopback, timeoutMs: runtime.settings.timeoutMs },
    );
    if (!result.error) return this.settle(d, 'DELIVERED', { code: result.status });
    return this.failed(d, { code: result.status, error: result.error });
  }

  /** A failed attempt: retried after a backoff, or given up after the last attempt. */
  private failed(d: WebhookDelivery, r: { code?: number; error: string }): Promise<void> {
    const { settings } = this.o.runtime;
    if (d.attempts >= settings.maxAttempts) {
      return this.settle(d, 'GAVE_UP', { code: r.code, error: `${r.error} (attempt ${d.attempts} of ${settings.maxAttempts})` });
    }
    const nextAttemptAt = new Date(Date.now() + retryDelayMs(settings, d.attempts));
    return this.settle(d, 'FAILED', { code: r.code, error: r.error, nextAttemptAt });
  }
}
