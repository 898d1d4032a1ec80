import type { EntityManager } from 'typeorm';
import type { OpenTransaction } from '../request/commit-gate';
import type { AuditRecord } from '../request/audit-record';
import type { RequestContext } from '../request/context';
import { appendAudit } from './audit.service';

/** This transaction as the server knows it (the server's pid, also behind a connection pooler). */
async function transactionOf(m: EntityManager): Promise<OpenTransaction> {
  const [row]: { pid: number; started_at: string }[] = await m.query('SELECT pg_backend_pid() AS pid, now()::text AS started_at');
  return { pid: row.pid, startedAt: row.started_at };
}

/** A write and the audit records that go with it; `afterCommit` runs once it has committed. */
export type AuditedWork<R> = (m: EntityManager) => Promise<{ result: R; audit: AuditRecord[]; afterCommit?: () => Promise<void> }>;

/**
 * Run a write and its audit records in one transaction: the trail never misses a change.
 * `afterCommit` runs once the transaction has committed, before the result is returned (the
 * alert stream sequences the events a write queued there); its failure is not the write's.
 * The request's commit gate is asked right before COMMIT: once a stopping hub has shut it,
 * the transaction rolls back and the answer says the write was not made.
 */
export async function writeAudited<R>(ctx: RequestContext, work: AuditedWork<R>): Promise<R> {
  const gate = ctx.commitGate;
  const { result, afterCommit } = await ctx.db
    .transaction(async (m) => {
      const untrack = gate.track(await transactionOf(m));
      let done;
      try {
        done = await work(m);
        await appendAudit(m, { principal: ctx.principal, requestId: ctx.requestId }, done.audit);
      } finally {
        untrack();
      }
      // No await between untracking and passing: a transaction is either cancellable or committing.
      gate.pass();
      return done;
    })
    .catch((err: unknown) => {
      throw gate.refusal() ?? err;
    });
  // The change is committed: a failure after it must not report the write as failed (a client
  // would retry and duplicate it). The stream's poll sequences what is left queued.
  await afterCommit?.().catch(() => undefined);
  return result;
}
