import type { RequestContext } from '../request/context';
import type { AlertEvent } from './alert-event.type';
import type { AlertStream } from './alert-stream';
import type { VesselAlert } from './vessel-alert.entity';
import type { SubscriberKeys } from './subscriber-keys';

/** What a live subscription needs beyond a request context. */
export interface LiveContext extends RequestContext {
  live: {
    stream: AlertStream;
    /**
     * The policy engine's read decision for this subscriber under the policy in force now, at
     * the current time; cheap, so every event is decided without building a request context.
     */
    canRead(alert: VesselAlert): boolean;
    /**
     * A new request context for executing `event`: the policy in force now, the principal as the
     * membership now describes it, and a decision cache and loaders of its own. Nothing read for
     * one event is served to a later one.
     */
    contextFor(event: AlertEvent): RequestContext;
    /** What this subscriber's decisions and results depend on, for sharing them (src/alert/shared-delivery.ts). */
    keys: SubscriberKeys;
    /** Registers a subscription so policy reloads and the expiry sweep can reach it. */
    track(feed: { recheck(): void }): () => void;
    signal: AbortSignal;
  };
}
