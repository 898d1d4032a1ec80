/**
 * One subscriber's view of the alert stream: replay from `after`, then live, in sequence order,
 * each event checked against the subscriber's principal by the policy engine at delivery time.
 */
import { toGlobalId } from '../graphql/ids';
import { matchesFilter, type AlertFilter } from './alert-filter';
import type { AlertEvent } from './alert-event.type';
import type { StreamEvent } from './alert-stream';
import type { LiveContext } from './live-context';
import type { VesselAlert } from './vessel-alert.entity';

/**
 * What one principal gets for one stream event: the single rule behind both the WebSocket feed
 * and webhook deliveries (src/webhook), so the two cannot disagree.
 *
 * `canRead` is the policy engine's read decision for the principal (RecordAccess.canRead);
 * `shown` holds the alerts this principal was sent and still sees, and is updated here.
 * - readable and WITHDRAWN: REVOKED (everyone who could see it hears of the withdrawal);
 * - readable and (already shown, or matching the filter): the event itself, with the alert;
 * - otherwise, if it had been shown: REVOKED (it is no longer visible);
 * - otherwise nothing.
 */
export interface ShownAlerts {
  has(alertId: string): boolean;
  set(alertId: string, alert: VesselAlert): unknown;
  delete(alertId: string): boolean;
}

export type FeedStep = { kind: 'PUBLISHED' | 'UPDATED'; alert: VesselAlert } | { kind: 'REVOKED'; alert: null } | undefined;

export function feedStep(
  canRead: (alert: VesselAlert) => boolean,
  filter: AlertFilter | null | undefined,
  event: Pick<StreamEvent, 'kind' | 'alertId' | 'alert' | 'vessel'>,
  shown: ShownAlerts,
): FeedStep {
  const readable = canRead(event.alert);
  if (readable && event.alert.status === 'WITHDRAWN') {
    shown.delete(event.alertId);
    return { kind: 'REVOKED', alert: null };
  }
  if (readable && (shown.has(event.alertId) || matchesFilter(filter, event))) {
    // Once shown, later changes follow even if the filter no longer matches: no stale screens.
    shown.set(event.alertId, event.alert);
    return { kind: event.kind, alert: event.alert };
  }
  if (shown.delete(event.alertId)) return { kind: 'REVOKED', alert: null };
  return undefined;
}

/** On a policy reload or as time passes: the shown alerts that are no longer visible, removed from `shown`. */
export function revokedOnRecheck(canRead: (alert: VesselAlert) => boolean, shown: Map<string, VesselAlert>): string[] {
  const revoked: string[] = [];
  for (const [id, alert] of shown) {
    if (!canRead(alert)) {
      shown.delete(id);
      revoked.push(id);
    }
  }
  return revoked;
}

/**
 * The subscriber's events. Delivery is at-least-once in sequence order: a client that reconnects
 * with `after` = the last sequence it processed misses nothing, and deduplicates by sequence.
 */
export async function* alertFeed(
  ctx: LiveContext,
  filter: AlertFilter | null | undefined,
  after: bigint | undefined,
): AsyncGenerator<AlertEvent> {
  const { stream, signal } = ctx.live;
  let position = after ?? stream.position;
  /** Alerts delivered in this session and still visible: the ones a REVOKED must reach. */
  const shown = new Map<string, VesselAlert>();
  let recheck = false;
  // One listener for the feed's lifetime (not one per wait): woken by new events, a recheck or
  // the end; `nudged` keeps a wake-up that comes while the feed is busy reading.
  let nudged: boolean;
  let wake: (() => void) | undefined;
  const nudge = () => {
    nudged = true;
    wake?.();
  };
  const stopListening = stream.onMore(nudge);
  signal.addEventListener('abort', nudge, { once: true });
  const untrack = ctx.live.track({
    recheck() {
      recheck = true;
      nudge();
    },
  });
  const revoked = (alertId: string): AlertEvent => ({
    sequence: position.toString(),
    kind: 'REVOKED',
    alertId: toGlobalId('VesselAlert', alertId),
    alert: null,
  });

  try {
    while (!signal.aborted && !stream.isStopped) {
      if (recheck) {
        // Policy reloaded or time passed: what this session shows may no longer be visible.
        recheck = false;
        for (const id of revokedOnRecheck(ctx.live.canRead, shown)) yield revoked(id);
      }
      nudged = false;
      const events = stream.tailAfter(position) ?? (await stream.eventsAfter(position));
      if (events.length === 0) {
        if (!nudged) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      for (const event of events) {
        position = event.sequence;
        const step = feedStep(ctx.live.canRead, filter, event, shown);
        if (!step) continue;
        if (step.kind === 'REVOKED') yield revoked(event.alertId);
        else {
          yield {
            sequence: position.toString(),
            kind: step.kind,
            alertId: toGlobalId('VesselAlert', event.alertId),
            alert: step.alert,
            vessel: event.vessel,
          };
        }
      }
    }
  } finally {
    untrack();
    stopListening();
    signal.removeEventListener('abort', nudge);
  }
}
