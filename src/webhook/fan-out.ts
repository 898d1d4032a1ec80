/**
 * Fan-out. The instance's AlertStream reads each batch of events once; fan-out then claims the
 * webhooks that are behind (`position` < the stream's head) with FOR UPDATE SKIP LOCKED, runs
 * each event through the same rule as the WebSocket feed (feedStep: policy engine, filter,
 * REVOKED) for each webhook in memory, and in one transaction queues the resulting deliveries,
 * updates the shown set and advances `position`. A webhook claimed by another instance is
 * skipped; one that commits is never fanned out twice.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { feedStep, revokedOnRecheck, type ShownAlerts } from '../alert/alert-feed';
import type { AlertEvent } from '../alert/alert-event.type';
import type { AlertStream, StreamEvent } from '../alert/alert-stream';
import { VesselAlert } from '../alert/vessel-alert.entity';
import type { PolicyStore } from '../request/policy-store';
import type { Logger } from '../common/logger';
import type { WebhookRuntime } from './settings';
import { accessOrDeactivate } from './standing';
import { napUntil, sleep } from './wait';
import type { Availability } from '../common/db-availability';
import { Webhook } from './webhook.entity';

const FAN_OUT_BATCH = 200;
const EVENTS_PER_READ = 1_000;

export interface FanOutOptions {
  db: DataSource;
  stream: AlertStream;
  policies: PolicyStore;
  log: Logger;
  runtime: WebhookRuntime;
  /** Called when deliveries were queued, so the sender need not wait for its poll. */
  queued: () => void;
  /** While the database is unreachable the loop waits for it (logged once there, not per attempt). */
  availability?: Availability;
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

export class FanOut {
  private woken?: () => void;
  private recheckRequested = false;

  constructor(private readonly o: FanOutOptions) {}

  /** Wakes the loop now rather than at its next poll. */
  wake(): void {
    this.woken?.();
  }

  /** A recheck of what the webhooks were shown, at the loop's next round. */
  requestRecheck(): void {
    this.recheckRequested = true;
    this.wake();
  }

  /** Follows the stream until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { stream, log, runtime } = this.o;
    let more: Promise<void> | undefined;
    while (!signal.aborted) {
      await this.o.availability?.whenUp(signal);
      // Taken before the work, so an event appended meanwhile wakes the next round; kept until it fires.
      more ??= stream.waitForMore(signal).then(() => {
        more = undefined;
      });
      const woken = new Promise<void>((resolve) => (this.woken = resolve));
      try {
        if (this.recheckRequested) {
          this.recheckRequested = false;
          await this.recheck();
        }
        if (await this.round()) {
          this.o.queued();
          continue;
        }
      } catch (err) {
        if (signal.aborted) break;
        if (!this.o.availability?.failed(err)) log.warn({ err }, 'webhook fan-out failed; retrying');
        await sleep(runtime.settings.pollMs, signal);
      }
      await napUntil(runtime.settings.pollMs * 5, signal, more, woken);
    }
  }

  /** One round: claim webhooks behind the stream head and queue what each gets. True if any moved. */
  async round(): Promise<boolean> {
    const { db, stream, policies, log } = this.o;
    const head = stream.position;
    return db.transaction(async (m) => {
      const hooks = await m
        .getRepository(Webhook)
        .createQueryBuilder('w')
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
      const shownById = await loadShown(
        m,
        hooks.map((w) => w.id),
        [...new Set(events.map((e) => e.alertId))],
      );
      const policy = policies.current.policy;
      const now = new Date();
      const queued: QueuedDelivery[] = [];
      const positions: { id: string; position: bigint }[] = [];
      for (const w of hooks) {
        const access = await accessOrDeactivate(m, log, w, policy, now);
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
        await saveShown(m, w.id, shown);
      }
      await queue(m, queued);
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
    const { db, policies, log } = this.o;
    await db.transaction(async (m) => {
      const hooks = await m
        .getRepository(Webhook)
        .createQueryBuilder('w')
        .where('w.active')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
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
        const access = await accessOrDeactivate(m, log, w, policy, now);
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
      await queue(m, queued);
      if (queued.length > 0) this.o.queued();
    });
  }
}

/** Of the shown sets, only the alerts the events are about: that is all feedStep asks. */
async function loadShown(m: EntityManager, ids: string[], alertIds: string[]): Promise<Map<string, Set<string>>> {
  const rows: { webhook_id: string; alert_id: string }[] = await m.query(
    'SELECT webhook_id, alert_id FROM webhook_shown WHERE webhook_id = ANY($1) AND alert_id = ANY($2)',
    [ids, alertIds],
  );
  const map = new Map<string, Set<string>>();
  for (const r of rows) {
    let set = map.get(r.webhook_id);
    if (!set) map.set(r.webhook_id, (set = new Set()));
    set.add(r.alert_id);
  }
  return map;
}

async function saveShown(m: EntityManager, webhookId: string, shown: ShownSet): Promise<void> {
  if (shown.added.size > 0) {
    await m.query('INSERT INTO webhook_shown (webhook_id, alert_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [
      webhookId,
      [...shown.added],
    ]);
  }
  if (shown.removed.size > 0) {
    await m.query('DELETE FROM webhook_shown WHERE webhook_id = $1 AND alert_id = ANY($2)', [webhookId, [...shown.removed]]);
  }
}

/** Appends to the queues in the given order (`ord` follows it). */
async function queue(m: EntityManager, items: QueuedDelivery[]): Promise<void> {
  if (items.length === 0) return;
  await m.query(
    `INSERT INTO webhook_deliveries (webhook_id, agency, sequence, kind, alert_id)
     SELECT t.webhook_id, t.agency, t.sequence, t.kind, t.alert_id
     FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::uuid[]) WITH ORDINALITY
       AS t(webhook_id, agency, sequence, kind, alert_id, n)
     ORDER BY t.n
     ON CONFLICT DO NOTHING`,
    [
      items.map((i) => i.webhookId),
      items.map((i) => i.agency),
      items.map((i) => i.sequence.toString()),
      items.map((i) => i.kind),
      items.map((i) => i.alertId),
    ],
  );
}
