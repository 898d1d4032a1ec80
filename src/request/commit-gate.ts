/**
 * Whether one request's writes may still commit. A stopping hub lets requests in flight finish
 * within its grace period; a request still running when it ends is shut out here, before its
 * connection is closed, so a client that got an error never finds its write committed later.
 * Checking the gate and beginning a commit are one synchronous step, so they cannot interleave.
 */
import type { GraphQLError } from 'graphql';
import { clientError } from '../common/errors';

/**
 * A transaction as the server knows it: its backend's pid and its start (pg_stat_activity's
 * xact_start), so a cancel reaches that transaction and never what the backend runs after it.
 */
export interface OpenTransaction {
  pid: number;
  startedAt: string;
}

export class CommitGate {
  private shut = false;
  private readonly open = new Set<OpenTransaction>();

  /** A transaction of this request is open; returns the end of that (call it right before `pass`). */
  track(transaction: OpenTransaction): () => void {
    this.open.add(transaction);
    return () => this.open.delete(transaction);
  }

  /** Right before COMMIT: refused once the gate has shut. */
  pass(): void {
    if (this.shut) throw shuttingDown();
  }

  /** Shuts the gate; returns the transactions that have not reached their commit, to cancel their statements. */
  shutOut(): OpenTransaction[] {
    this.shut = true;
    return [...this.open];
  }

  /** For a write that failed: the answer to give when the shutdown, not the request, made it fail. */
  refusal(): GraphQLError | null {
    return this.shut ? shuttingDown() : null;
  }
}

const shuttingDown = () =>
  clientError(
    'SHUTTING_DOWN',
    'the hub stopped before this write could finish, and nothing was written: retry it (with the same idempotencyKey) in a few seconds',
  );
