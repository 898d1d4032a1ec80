import type { EntityManager } from 'typeorm';
import type { AuditRecord } from '../request/audit-record';
import type { RequestContext } from '../request/context';
import { appendAudit } from './audit.service';

/**
 * Run a write and its audit records in one transaction: the trail never misses a change.
 * `afterCommit` runs once the transaction has committed, before the result is returned (the
 * alert stream sequences the events a write queued there); its failure is not the write's.
 */
export async function writeAudited<R>(
  ctx: RequestContext,
  work: (m: EntityManager) => Promise<{ result: R; audit: AuditRecord[]; afterCommit?: () => Promise<void> }>,
): Promise<R> {
  const { result, afterCommit } = await ctx.db.transaction(async (m) => {
    const done = await work(m);
    await appendAudit(m, { principal: ctx.principal, requestId: ctx.requestId }, done.audit);
    return done;
  });
  // The change is committed: a failure after it must not report the write as failed (a client
  // would retry and duplicate it). The stream's poll sequences what is left queued.
  await afterCommit?.().catch(() => undefined);
  return result;
}
