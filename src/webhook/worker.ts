/**
 * The webhook worker: one per hub instance, safe with several.
 *
 * Fan-out. The instance's AlertStream reads each batch of events once; the worker then claims
 * the webhooks that are behind (`position` < the stream's head) with FOR UPDATE SKIP LOCKED,
 * runs each event through the same rule as the WebSocket feed (feedStep: policy engine, filter,
 * REVOKED) for each webhook in memory, and in one transaction queues the resulting deliveries,
 * updates the shown set and advances `position`. A webhook claimed by another instance is
 * skipped; one that commits is never fanned out twice.
 *
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
import type { DataSource, EntityManager } from 'typeorm';
import { agreementWindowCrossed, feedStep, revokedOnRecheck, type ShownAlerts } from '../alert/alert-feed';
import type { AlertEvent } from '../alert/alert-event.type';
import { readEvents, type AlertStream, type StreamEvent } from '../alert/alert-stream';
import { VesselAlert } from '../alert/vessel-alert.entity';
import { appendAudit } from '../audit/audit.service';
import { toGlobalId } from '../graphql/ids';
import { RecordAccess } from '../request/record-access';
import type { PolicySnapshot, PolicyStore } from '../request/policy-store';
import { createErrorFormatter } from '../graphql/format-error';
import type { Logger } from '../common/logger';
import { checkWebhookSelection, renderEvent } from './payload';
import { retryDelayMs, type WebhookRuntime } from './settings';
import { signWebhookBody } from './signature';
import { postWebhook } from './target';
import { Webhook, type WebhookDelivery } from './webhook.entity';
import { giveUpQueue, webhookPrincipal } from './webhook.service';

const FAN_OUT_BATCH = 200;
const EVENTS_PER_READ = 1_000;

export interface WebhookWorkerOptions {
  db: DataSource;
  stream: AlertStream;
  /** The protected schema the hub serves: payloads go through the same field rules. */
  schema: GraphQLSchema;
  policies: PolicyStore;
  log: Logger;
  runtime: WebhookRuntime;
}

interface QueuedDelivery {
  webhookId: string;
  agency: string;
  sequence: bigint;
  kind: AlertEvent['kind'];
  alertId: string;
}

/** A webhook's shown set as feedStep sees it, remembering what to write back. */
class ShownSet implements ShownAlerts {
  readonly added = new Set<string>();
  readonly removed = new Set<string>();
  constructor(private readonly ids: Set<string>) {}
  has(id: string) {
    return this.ids.has(id);
  }
  set(id: string) {
    if (!this.ids.has(id)) {
      this.ids.add(id);
      if (!this.removed.delete(id)) this.added.add(id);
    }
    return this;
  }
  delete(id: string) {
    if (!this.ids.delete(id)) return false;
    if (!this.added.delete(id)) this.removed.add(id);
    return true;
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts (at once if it already has). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Waits for the first of `wakes` or `ms`, and lets go of the timer and its abort listener then. */
async function napUntil(ms: number, signal: AbortSignal, ...wakes: Promise<unknown>[]): Promise<void> {
  if (signal.aborted) return;
  const nap = new AbortController();
  const stop = () => nap.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([...wakes, sleep(ms, nap.signal)]);
  } finally {
    nap.abort();
    signal.removeEventListener('abort', stop);
  }
}

/**
 * Retention (WEBHOOK_RETENTION_DAYS): deletes finished deliveries (delivered, given up, withheld)
 * older than that, and the shown-alert rows of alerts that have been over (resolved, withdrawn
 * or expired) that long, after which such an alert is no longer revoked from the webhook. Queued
 * deliveries are never deleted. Any instance may run it; it deletes in batches.
 */
export async function pruneWebhookHistory(db: DataSource, retentionDays: number, batch = 10_000): Promise<{ deliveries: number; shown: number }> {
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

export class WebhookWorker {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private senderWake?: () => void;
  private fanOutWake?: () => void;
  private recheckRequested = false;
  private recheckTimer?: NodeJS.Timeout;
  private unsubscribeReload?: () => void;
  private readonly formatError;

  constructor(private readonly o: WebhookWorkerOptions) {
    this.formatError = createErrorFormatter(o.log);
  }

  start(): void {
    checkWebhookSelection(this.o.schema);
    const requestRecheck = () => {
      this.recheckRequested = true;
      this.fanOutWake?.();
    };
    // Visibility changes with the policy set (reload) or with time, when an agreement's validity
    // window opens or closes: re-check then, not on every tick.
    let checkedAt = Date.now();
    this.recheckTimer = setInterval(() => {
      const now = Date.now();
      if (agreementWindowCrossed(this.o.policies.current.policy.agreements, checkedAt, now)) requestRecheck();
      checkedAt = now;
    }, this.o.runtime.settings.recheckMs);
    this.recheckTimer.unref();
    this.unsubscribeReload = this.o.policies.onReload(requestRecheck);
    this.loops.push(this.fanOutLoop(), this.sendLoop(), this.pruneLoop());
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.recheckTimer);
    this.unsubscribeReload?.();
    this.senderWake?.();
    this.fanOutWake?.();
    await Promise.all(this.loops);
    await Promise.all([...this.inflight]);
  }

  private get stopped() {
    return this.abort.signal.aborted;
  }

  // ------------------------------------------------------------------------------------------
  // Fan-out

  private async fanOutLoop(): Promise<void> {
    const { stream, log, runtime } = this.o;
    let more: Promise<void> | undefined;
    while (!this.stopped) {
      // Taken before the work, so an event appended meanwhile wakes the next round; kept until it fires.
      more ??= stream.waitForMore(this.abort.signal).then(() => { more = undefined; });
      const woken = new Promise<void>((resolve) => (this.fanOutWake = resolve));
      try {
        if (this.recheckRequested) {
          this.recheckRequested = false;
          await this.recheck();
        }
        if (await this.fanOut()) {
          this.senderWake?.();
          continue;
        }
      } catch (err) {
        if (this.stopped) break;
        log.warn({ err }, 'webhook fan-out failed; retrying');
        await sleep(runtime.settings.pollMs, this.abort.signal);
      }
      await napUntil(runtime.settings.pollMs * 5, this.abort.signal, more, woken);
    }
  }

  /** One round: claim webhooks behind the stream head and queue what each gets. True if any moved. */
  async fanOut(): Promise<boolean> {
    const { db, stream, policies } = this.o;
    const head = stream.position;
    return db.transaction(async (m) => {
      const hooks = await m.getRepository(Webhook).createQueryBuilder('w')
        .where('w.active AND w.position < :head', { head: head.toString() })
        .orderBy('w.position', 'ASC')
        .limit(FAN_OUT_BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (hooks.length === 0) return false;
      // One read for every claimed webhook (from the in-memory tail when it reaches back far
      // enough); a webhook further behind than one read gets the rest in the next round.
      const from = hooks.reduce((min, w) => (BigInt(w.position) < min ? BigInt(w.position) : min), head);
      const events: StreamEvent[] = await stream.eventsAfter(from, EVENTS_PER_READ);
      if (events.length === 0) return false;
      const last = events[events.length - 1].sequence;
      const shownById = await this.loadShown(m, hooks.map((w) => w.id), [...new Set(events.map((e) => e.alertId))]);
      const policy = policies.current.policy;
      const now = new Date();
      const queued: QueuedDelivery[] = [];
      const positions: { id: string; position: bigint }[] = [];
      for (const w of hooks) {
        const access = await this.accessOrDeactivate(m, w, policy, now);
        if (!access) continue;
        const canRead = (a: VesselAlert) => access.canRead('VesselAlert', a);
        const shown = new ShownSet(shownById.get(w.id) ?? new Set());
        const position = BigInt(w.position);
        for (const event of events) {
          if (event.sequence <= position) continue;
          const step = feedStep(canRead, w.filter, event, shown);
          if (step) queued.push({ webhookId: w.id, agency: w.agency, sequence: event.sequence, kind: step.kind, alertId: event.alertId });
        }
        if (last > position) positions.push({ id: w.id, position: last });
        await this.saveShown(m, w.id, shown);
      }
      await this.queue(m, queued);
      if (positions.length > 0) {
        await m.query(
          `UPDATE webhooks w SET position = v.position FROM unnest($1::uuid[], $2::bigint[]) AS v(id, position) WHERE w.id = v.id`,
          [positions.map((p) => p.id), positions.map((p) => p.position.toString())],
        );
      }
      return true;
    });
  }

  /**
   * Shown alerts that are no longer visible (a policy reload, an agreement that expired) become
   * REVOKED deliveries at the webhook's position, as a subscriber's feed re-checks.
   */
  async recheck(): Promise<void> {
    const { db, policies } = this.o;
    await db.transaction(async (m) => {
      const hooks = await m.getRepository(Webhook).createQueryBuilder('w')
        .where('w.active').setLock('pessimistic_write').setOnLocked('skip_locked').getMany();
      if (hooks.length === 0) return;
      const rows: (Pick<VesselAlert, 'id' | 'ownerAgency' | 'tlp' | 'jurisdiction' | 'recipients'> & { webhookId: string })[] =
        await m.query(
          `SELECT s.webhook_id AS "webhookId", a.id, a.owner_agency AS "ownerAgency", a.tlp, a.jurisdiction, a.recipients
           FROM webhook_shown s JOIN vessel_alerts a ON a.id = s.alert_id WHERE s.webhook_id = ANY($1)`,
          [hooks.map((w) => w.id)],
        );
      const policy = policies.current.policy;
      const now = new Date();
      const queued: QueuedDelivery[] = [];
      for (const w of hooks) {
        const access = await this.accessOrDeactivate(m, w, policy, now);
        if (!access) continue;
        const shown = new Map(rows.filter((r) => r.webhookId === w.id).map((r) => [r.id, Object.assign(new VesselAlert(), r)]));
        const revoked = revokedOnRecheck((a) => access.canRead('VesselAlert', a), shown);
        for (const alertId of revoked) {
          queued.push({ webhookId: w.id, agency: w.agency, sequence: BigInt(w.position), kind: 'REVOKED', alertId });
        }
        if (revoked.length > 0) {
          await m.query('DELETE FROM webhook_shown WHERE webhook_id = $1 AND alert_id = ANY($2)', [w.id, revoked]);
        }
      }
      await this.queue(m, queued);
      if (queued.length > 0) this.senderWake?.();
    });
  }

  /** Of the shown sets, only the alerts the events are about: that is all feedStep asks. */
  private async loadShown(m: EntityManager, ids: string[], alertIds: string[]): Promise<Map<string, Set<string>>> {
    const rows: { webhook_id: string; alert_id: string }[] = await m.query(
      'SELECT webhook_id, alert_id FROM webhook_shown WHERE webhook_id = ANY($1) AND alert_id = ANY($2)', [ids, alertIds],
    );
    const map = new Map<string, Set<string>>();
    for (const r of rows) {
      let set = map.get(r.webhook_id);
      if (!set) map.set(r.webhook_id, (set = new Set()));
      set.add(r.alert_id);
    }
    return map;
  }

  private async saveShown(m: EntityManager, webhookId: string, shown: ShownSet): Promise<void> {
    if (shown.added.size > 0) {
      await m.query(
        'INSERT INTO webhook_shown (webhook_id, alert_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING',
        [webhookId, [...shown.added]],
      );
    }
    if (shown.removed.size > 0) {
      await m.query('DELETE FROM webhook_shown WHERE webhook_id = $1 AND alert_id = ANY($2)', [webhookId, [...shown.removed]]);
    }
  }

  /** Appends to the queues in the given order (`ord` follows it). */
  private async queue(m: EntityManager, items: QueuedDelivery[]): Promise<void> {
    if (items.length === 0) return;
    await m.query(
      `INSERT INTO webhook_deliveries (webhook_id, agency, sequence, kind, alert_id)
       SELECT t.webhook_id, t.agency, t.sequence, t.kind, t.alert_id
       FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::uuid[]) WITH ORDINALITY
         AS t(webhook_id, agency, sequence, kind, alert_id, n)
       ORDER BY t.n
       ON CONFLICT DO NOTHING`,
      [
        items.map((i) => i.webhookId), items.map((i) => i.agency), items.map((i) => i.sequence.toString()),
        items.map((i) => i.kind), items.map((i) => i.alertId),
      ],
    );
  }

  /** The webhook's view under `policy`, or undefined after deactivating a webhook whose agency lost its standing. */
  private async accessOrDeactivate(
    m: EntityManager, w: Webhook, policy: PolicySnapshot['policy'], now: Date,
  ): Promise<RecordAccess | undefined> {
    const p = webhookPrincipal(w, policy);
    if ('reason' in p) {
      await this.deactivate(m, w, p.reason);
      return undefined;
    }
    return new RecordAccess(policy, p.principal, now);
  }

  private async deactivate(m: EntityManager, w: Webhook, reason: string): Promise<void> {
    this.o.log.warn({ webhook: w.id, agency: w.agency, reason }, 'webhook deactivated');
    await m.getRepository(Webhook).update({ id: w.id }, { active: false, deactivatedAt: new Date(), deactivatedReason: reason });
    await giveUpQueue(m, w.id, reason);
  }

  // ------------------------------------------------------------------------------------------
  // Sending

  private async sendLoop(): Promise<void> {
    const { log, runtime } = this.o;
    while (!this.stopped) {
      const woken = new Promise<void>((resolve) => (this.senderWake = resolve));
      let claimed: WebhookDelivery[] = [];
      try {
        await this.expireOld();
        const room = runtime.settings.concurrency - this.inflight.size;
        if (room > 0) claimed = await this.claim(room);
      } catch (err) {
        if (this.stopped) break;
        log.warn({ err }, 'webhook claim failed; retrying');
      }
      for (const d of claimed) {
        const p = this.deliver(d)
          .catch(async (err) => {
            // Not the receiver's fault (a database error, a key that cannot decrypt): retry like a failure.
            log.error({ err, delivery: d.id }, 'webhook delivery failed unexpectedly');
            await this.failed(d, { error: 'internal error while preparing the delivery' }).catch(() => undefined);
          })
          .finally(() => {
            this.inflight.delete(p);
            this.senderWake?.(); // the webhook's next delivery may be due now
          });
        this.inflight.add(p);
      }
      if (claimed.length === 0 || this.inflight.size >= runtime.settings.concurrency) {
        await napUntil(runtime.settings.pollMs, this.abort.signal, woken);
      }
    }
  }

  /** Retention, now and then every pruneEveryMs. */
  private async pruneLoop(): Promise<void> {
    const { db, log, runtime } = this.o;
    while (!this.stopped) {
      try {
        const pruned = await pruneWebhookHistory(db, runtime.settings.retentionDays);
        if (pruned.deliveries + pruned.shown > 0) log.info(pruned, 'pruned webhook history past its retention');
      } catch (err) {
        if (this.stopped) break;
        log.warn({ err }, 'pruning webhook history failed; trying again later');
      }
      await sleep(runtime.settings.pruneEveryMs, this.abort.signal);
    }
  }

  /** Undelivered deliveries older than maxAge are given up, attempted or not. */
  private async expireOld(): Promise<void> {
    const { settings } = this.o.runtime;
    await this.o.db.query(
      `UPDATE webhook_deliveries
       SET status = 'GAVE_UP', next_attempt_at = NULL, lease_until = NULL,
           last_error = left('not delivered within ' || $1 || ' s' || coalesce('; last: ' || last_error, ''), 300)
       WHERE status IN ('PENDING', 'FAILED') AND created_at < now() - make_interval(secs => $1)
         AND (lease_until IS NULL OR lease_until < now())`,
      [settings.maxAgeSeconds],
    );
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
       RETURNING d.id, d.ord::text AS ord, d.webhook_id, d.agency, d.sequence::text AS sequence, d.kind, d.alert_id, d.attempts, d.created_at`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      id: r.id, ord: r.ord, webhookId: r.webhook_id, agency: r.agency, sequence: r.sequence, kind: r.kind, alertId: r.alert_id,
      attempts: r.attempts, createdAt: r.created_at,
    }) as WebhookDelivery);
  }

  private async settle(
    d: WebhookDelivery, status: WebhookDelivery['status'], fields: { code?: number; error?: string; nextAttemptAt?: Date } = {},
  ): Promise<void> {
    await this.o.db.query(
      `UPDATE webhook_deliveries
       SET status = $2, lease_until = NULL, last_status_code = $3, last_error = $4, next_attempt_at = $5,
           delivered_at = CASE WHEN $2 = 'DELIVERED' THEN now() ELSE delivered_at END
       WHERE id = $1 AND status IN ('PENDING', 'FAILED')`,
      [d.id, status, fields.code ?? null, fields.error?.slice(0, 300) ?? null, fields.nextAttemptAt ?? null],
    );
  }

  /** One attempt: decide, render, audit, sign, send, record. */
  async deliver(d: WebhookDelivery): Promise<void> {
    const { db, stream, policies, runtime, schema } = this.o;
    const w = await db.getRepository(Webhook).findOneBy({ id: d.webhookId });
    if (!w?.active) return this.settle(d, 'GAVE_UP', { error: 'webhook deleted' });
    const policy = policies.current.policy;
    const p = webhookPrincipal(w, policy);
    if ('reason' in p) {
      await db.transaction((m) => this.deactivate(m, w, p.reason));
      return;
    }
    const now = new Date();
    const globalAlertId = toGlobalId('VesselAlert', d.alertId);
    let event: AlertEvent;
    let vessel: StreamEvent['vessel'] | undefined;
    if (d.kind === 'REVOKED') {
      // Nothing to take back if the alert never went out to this receiver (each delivery of it withheld).
      const [{ withheld }] = await db.query(
        `SELECT bool_and(status = 'WITHHELD') AS withheld FROM webhook_deliveries
         WHERE webhook_id = $1 AND alert_id = $2 AND kind <> 'REVOKED' AND ord < $3`,
        [d.webhookId, d.alertId, d.ord],
      );
      if (withheld === true) return this.settle(d, 'WITHHELD', { error: 'the alert never reached this webhook: nothing to revoke' });
      event = { sequence: d.sequence, kind: 'REVOKED', alertId: globalAlertId, alert: null };
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
      event = { sequence: d.sequence, kind: d.kind, alertId: globalAlertId, alert: found.alert };
      vessel = found.vessel;
    }
    const rendered = await renderEvent({
      schema, db, policy, principal: p.principal, requestId: `webhook-delivery:${d.id}`, now, event, vessel, formatError: this.formatError,
    });
    const body = JSON.stringify({
      webhookId: toGlobalId('Webhook', w.id),
      deliveryId: d.id,
      data: rendered.data,
      ...(rendered.errors?.length ? { errors: rendered.errors } : {}),
    });
    // The audit trail records another agency's sensitive fields leaving the hub before they do.
    if (rendered.sensitiveReads.length > 0) {
      await appendAudit(db.manager, { principal: p.principal, requestId: `webhook-delivery:${d.id}` }, rendered.sensitiveReads);
    }
    const secrets = [runtime.cipher.decrypt(w.secretCiphertext, w.id)];
    if (w.previousSecretCiphertext && w.previousSecretExpiresAt && w.previousSecretExpiresAt.getTime() > now.getTime()) {
      secrets.push(runtime.cipher.decrypt(w.previousSecretCiphertext, w.id));
    }
    const result = await postWebhook(w.url, body, {
      'user-agent': 'Portcullis-Webhook/1',
      'portcullis-signature': signWebhookBody(secrets, body),
      'portcullis-event-sequence': d.sequence,
      'portcullis-delivery-id': d.id,
      'portcullis-webhook-id': toGlobalId('Webhook', w.id),
    }, { allowInsecureLoopback: runtime.settings.allowInsecureLoopback, timeoutMs: runtime.settings.timeoutMs });
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
