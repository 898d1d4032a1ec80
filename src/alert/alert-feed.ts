/**
 * One subscriber's view of the alert stream: replay from `after`, then live, in sequence order,
 * each event checked against the subscriber's principal by the policy engine at delivery time.
 */
import { RISK_RANK } from '../common/enums';
import { badInput } from '../common/errors';
import { toGlobalId } from '../graphql/ids';
import type { RequestContext } from '../server/context';
import type { AlertFilter } from './alert.inputs';
import type { AlertEvent } from './alert-event.type';
import type { AlertStream, StreamEvent } from './alert-stream';
import type { VesselAlert } from './vessel-alert.entity';

/** What a live subscription needs beyond a request context. */
export interface LiveContext extends RequestContext {
  live: {
    stream: AlertStream;
    /** A fresh policy snapshot, principal and decision cache for the next delivery. */
    refresh(): void;
    /** Registers a subscription so policy reloads and the expiry sweep can reach it. */
    track(feed: { recheck(): void }): () => void;
    signal: AbortSignal;
  };
}

export function parseSequence(after: string | null | undefined): bigint | undefined {
  if (after === null || after === undefined) return undefined;
  if (!/^\d{1,19}$/.test(after)) throw badInput('after must be a sequence number from an earlier event, e.g. "1042"', 'after');
  return BigInt(after);
}

export function matchesFilter(f: AlertFilter | null | undefined, e: Pick<StreamEvent, 'alert' | 'vessel'>): boolean {
  if (!f) return true;
  const a = e.alert;
  if (f.ports?.length && (!a.port || !f.ports.includes(a.port))) return false;
  if (f.jurisdictions?.length && !f.jurisdictions.includes(a.jurisdiction)) return false;
  if (f.categories?.length && !f.categories.includes(a.category)) return false;
  if (f.minSeverity && RISK_RANK[a.severity] < RISK_RANK[f.minSeverity]) return false;
  if (f.imo && e.vessel.imo !== f.imo) return false;
  if (f.status?.length && !f.status.includes(a.status)) return false;
  return true;
}

/**
 * The subscriber's events. Delivery is at-least-once in sequence order: a client that reconnects
 * with `after` = the last sequence it processed misses nothing, and deduplicates by sequence.
 */
export async function* alertFeed(
  ctx: LiveContext, filter: AlertFilter | null | undefined, after: bigint | undefined,
): AsyncGenerator<AlertEvent> {
  const { stream, signal } = ctx.live;
  let position = after ?? stream.position;
  /** Alerts delivered in this session and still visible: the ones a REVOKED must reach. */
  const shown = new Map<string, VesselAlert>();
  let recheck = false;
  let wake: (() => void) | undefined;
  const untrack = ctx.live.track({
    recheck() {
      recheck = true;
      wake?.();
    },
  });
  const revoked = (alertId: string): AlertEvent => ({
    sequence: position.toString(), kind: 'REVOKED', alertId: toGlobalId('VesselAlert', alertId), alert: null,
  });

  try {
    while (!signal.aborted && !stream.isStopped) {
      if (recheck) {
        // Policy reloaded or time passed: what this session shows may no longer be visible.
        recheck = false;
        ctx.live.refresh();
        for (const [id, alert] of shown) {
          if (!ctx.access.canRead('VesselAlert', alert)) {
            shown.delete(id);
            yield revoked(id);
          }
        }
      }
      const events = await stream.eventsAfter(position);
      if (events.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          void stream.waitForMore(signal).then(resolve);
        });
        wake = undefined;
        continue;
      }
      for (const event of events) {
        position = event.sequence;
        ctx.live.refresh();
        // The stream read the vessel with the batch: resolving `alert.vessel` costs no query.
        ctx.loaders.vessel.prime(event.vessel.id, event.vessel);
        const readable = ctx.access.canRead('VesselAlert', event.alert);
        if (readable && event.alert.status === 'WITHDRAWN') {
          // Withdrawal does not change who could see the alert: everyone who could, hears of it.
          shown.delete(event.alertId);
          yield revoked(event.alertId);
        } else if (readable && (shown.has(event.alertId) || matchesFilter(filter, event))) {
          // Once shown, later changes follow even if the filter no longer matches: no stale screens.
          shown.set(event.alertId, event.alert);
          yield { sequence: position.toString(), kind: event.kind, alertId: toGlobalId('VesselAlert', event.alertId), alert: event.alert };
        } else if (shown.delete(event.alertId)) {
          yield revoked(event.alertId);
        }
      }
    }
  } finally {
    untrack();
  }
}
