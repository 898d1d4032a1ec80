/**
 * Live delivery executes each event once per view, not once per subscriber.
 *
 * What a subscriber receives for an event depends on the event, on the selection it asked for,
 * and on what the policy engine decides for it. Subscribers with the same selection and the same
 * `decisionKey` under the same policy snapshot get the same decisions, hence the same result: the
 * first one to take an event executes it, the others share that result. Reads are
 * still audited per subscriber: the execution's reads are kept with its result and each receiver
 * appends them under its own principal (src/server/websocket.ts).
 */
import type { Availability } from '../common/db-availability';
import { isDatabaseUnavailable } from '../common/errors';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { AuditRecord } from '../request/audit-record';
import type { AlertEvent } from './alert-event.type';
import type { LiveContext } from './live-context';

/**
 * The part of a subscription request its per-event results depend on: the document and the
 * variables it reads below the subscription field. The subscription field's own arguments
 * (filter, after) only choose which events reach the subscriber, and its resolver returns the
 * event as it is, so subscribers with different filters still share results.
 */
export function selectionKey(
  document: DocumentNode,
  source: string,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): string {
  const operation = getOperationAST(document, operationName);
  const streamArguments = new Set<ArgumentNode>();
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind === Kind.FIELD) selection.arguments?.forEach((a) => streamArguments.add(a));
  }
  const read = new Set<string>();
  visit(document, {
    VariableDefinition: () => false,
    Argument: (node) => (streamArguments.has(node) ? false : undefined),
    Variable: (node) => {
      read.add(node.name.value);
    },
  });
  // Absent and null differ (a default applies only to an absent variable).
  const values = [...read].sort().map((name) => (variables && name in variables ? [name, variables[name]] : [name]));
  return JSON.stringify([source, operationName ?? null, values]);
}

/** A subscription's source stream with each event mapped; ending it ends the source at once. */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (event: T) => Promise<R>): AsyncGenerator<R> {
  const events = source[Symbol.asyncIterator]();
  const done = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });
  const mapped: AsyncGenerator<R> = {
    async next() {
      const step = await events.next();
      return step.done ? done() : { done: false, value: await map(step.value) };
    },
    async return() {
      await events.return?.();
      return done();
    },
    async throw(err) {
      await events.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
    async [Symbol.asyncDispose]() {
      await events.return?.();
    },
  };
  return mapped;
}

const MAX_OUTAGE_ATTEMPTS = 5;

export class SharedDelivery {
  /** Results of recent events by view and event, oldest first. */
  private readonly results = new Map<string, Promise<ExecutionResult>>();
  private readonly reads = new WeakMap<ExecutionResult, AuditRecord[]>();
  /**
   * Read decisions on the stream's recent alerts (one object per event, shared by every feed) by
   * decision key, oldest first. Bounded: the tail keeps 10,000 events alive, and a feed asks about
   * an event within moments of its arrival; an older one is simply decided again.
   */
  private readonly decisions = new Map<object, Map<string, boolean>>();
  /** Executions run (for the benchmark's and tests' view of how much is shared). */
  executions = 0;

  /**
   * Capacity: a second or two of events for every view of this instance's subscribers (about
   * 3,000 results a second in the benchmark). A subscriber further behind executes on its own.
   */
  constructor(
    private readonly capacity = 5_000,
    /** An event whose execution met a database outage is executed again once the database answers. */
    private readonly availability?: Pick<Availability, 'failed' | 'whenUp'>,
  ) {}

  /** graphql-ws's `subscribe`: graphql's own source stream, each event executed once per view. */
  readonly subscribe = async (args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    const ctx = args.contextValue as LiveContext;
    return mapEvents(source, (event) => this.resultFor(args, ctx, event as AlertEvent));
  };

  /** `decide()` once per alert snapshot and decision key: every feed of this instance asks for every event. */
  canRead(alert: object, decisions: string, decide: () => boolean): boolean {
    let byKey = this.decisions.get(alert);
    if (!byKey) {
      this.decisions.set(alert, (byKey = new Map()));
      if (this.decisions.size > this.capacity / 2) this.decisions.delete(this.decisions.keys().next().value!);
    }
    let allowed = byKey.get(decisions);
    if (allowed === undefined) byKey.set(decisions, (allowed = decide()));
    return allowed;
  }

  /** The reads behind a result: each receiver appends them to the audit trail as its own. */
  readsOf(result: ExecutionResult): AuditRecord[] {
    return this.reads.get(result) ?? [];
  }

  private resultFor(args: ExecutionArgs, ctx: LiveContext, event: AlertEvent): Promise<ExecutionResult> {
    // Events of the other live feeds (src/request/live-notices.ts) name themselves.
    const eventKey = 'liveKey' in event ? String(event.liveKey) : `${event.sequence}:${event.kind}:${event.alertId}`;
    const key = `${ctx.live.keys.results()}\n${eventKey}`;
    let result = this.results.get(key);
    if (!result) {
      result = this.execute(args, ctx, event);
      this.results.set(key, result);
      if (this.results.size > this.capacity) this.results.delete(this.results.keys().next().value!);
      result.catch(() => this.results.delete(key));
    }
    return result;
  }

  private async execute(args: ExecutionArgs, ctx: LiveContext, event: AlertEvent): Promise<ExecutionResult> {
    for (let attempt = 1; ; attempt++) {
      this.executions++;
      const eventContext = ctx.live.contextFor(event);
      const result = await execute({ ...args, contextValue: eventContext, rootValue: event });
      const outage = result.errors?.find((e) => isDatabaseUnavailable(e));
      // The database went away under this event: it is delivered when it answers again, not as an
      // error the subscriber could only skip (a few times at most, should it keep going away).
      if (outage && this.availability?.failed(outage) && attempt < MAX_OUTAGE_ATTEMPTS) {
        await this.availability.whenUp();
        continue;
      }
      this.reads.set(result, eventContext.reads.toAudit());
      return result;
    }
  }
}
