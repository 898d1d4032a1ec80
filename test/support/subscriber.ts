/** A real graphql-ws client subscribed to a hub's alert stream, recording what it receives. */
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestHub } from './hub';
import { pollUntil, sleep } from './wait';

const VESSEL_ALERTS = `subscription($filter: AlertFilter, $after: String) {
  vesselAlerts(filter: $filter, after: $after) {
    sequence kind alertId alert { id title tlp status intelligenceSummary access { basis agreementId redactedFields } }
  }
}`;

export type AlertStreamEvent = { sequence: string; kind: string; alertId: string; alert: Record<string, any> | null };

/** For `waitUntil`: the events include one about an alert titled `title` (a marker). */
export const titled = (title: string) => (events: AlertStreamEvent[]) => events.some((e) => e.alert?.title === title);

/** A subscriber that records every payload (data and errors) it receives. */
export class Subscriber<E = AlertStreamEvent> {
  readonly results: FormattedExecutionResult<{ vesselAlerts: E }>[] = [];
  closed?: { code: number; reason: string };
  error?: unknown;
  private readonly client: Client;
  private readonly done: Promise<void>;

  /** `query`: a vesselAlerts subscription (VESSEL_ALERTS when absent); `params`: more connection params. */
  constructor(
    hub: TestHub,
    token: string | undefined,
    variables: Record<string, unknown> = {},
    { query = VESSEL_ALERTS, params = {} }: { query?: string; params?: Record<string, unknown> } = {},
  ) {
    this.client = createClient({
      url: hub.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: token ? { authorization: `Bearer ${token}`, ...params } : params,
      on: {
        closed: (e) => {
          const ev = e as { code: number; reason: string };
          this.closed = { code: ev.code, reason: ev.reason };
        },
      },
    });
    this.done = new Promise((resolve) => {
      this.client.subscribe<{ vesselAlerts: E }>(
        { query, variables },
        {
          next: (r) => this.results.push(r as FormattedExecutionResult<{ vesselAlerts: E }>),
          error: (e) => {
            this.error = e;
            resolve();
          },
          complete: () => resolve(),
        },
      );
    });
  }

  get events(): E[] {
    return this.results.filter((r) => r.data).map((r) => r.data!.vesselAlerts);
  }

  /** The events once there are `n` (or the deadline passed, or the subscription failed). */
  waitFor(n: number, ms = 10_000): Promise<E[]> {
    return this.waitUntil((events) => events.length >= n, ms);
  }

  /** The events once `done` accepts them (or the deadline passed, or the subscription failed). */
  waitUntil(done: (events: E[]) => boolean, ms = 10_000): Promise<E[]> {
    return pollUntil(
      () => this.events,
      (events) => done(events) || this.error !== undefined,
      { timeoutMs: ms, intervalMs: 25 },
    );
  }

  /**
   * Wait until the server has acknowledged the connection and registered the subscription. The
   * protocol acknowledges the connection but not a subscription, so this waits a while; a test
   * that must not depend on it subscribes with `after` instead, which replays what it missed.
   */
  async ready(): Promise<void> {
    await sleep(300);
  }

  async close(): Promise<void> {
    await this.client.dispose();
    await Promise.race([this.done, sleep(1000)]);
  }
}
