/** A real graphql-ws client on any subscription field, recording the events it receives. */
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestHub } from './hub';
import { pollUntil, sleep } from './wait';

export class LiveSubscriber<E = Record<string, any>> {
  readonly results: FormattedExecutionResult<Record<string, E>, unknown>[] = [];
  error?: unknown;
  private readonly client: Client;
  private readonly done: Promise<void>;

  /** `field`: the subscription field the query selects (its events are `data[field]`). */
  constructor(
    hub: TestHub,
    token: string,
    readonly field: string,
    query: string,
  ) {
    this.client = createClient({
      url: hub.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    this.done = new Promise((resolve) => {
      this.client.subscribe<Record<string, E>>(
        { query },
        {
          next: (r) => this.results.push(r),
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
    return this.results.filter((r) => r.data).map((r) => r.data![this.field]);
  }

  /** The events once there are `n` (or the deadline passed, or the subscription failed). */
  waitFor(n: number, ms = 10_000): Promise<E[]> {
    return pollUntil(
      () => this.events,
      (events) => events.length >= n || this.error !== undefined,
      { timeoutMs: ms, intervalMs: 25 },
    );
  }

  /** The protocol acknowledges connections, not subscriptions: give the server a moment to register it. */
  async ready(): Promise<void> {
    await sleep(300);
  }

  async close(): Promise<void> {
    await this.client.dispose();
    await Promise.race([this.done, sleep(1000)]);
  }
}
