/** Enforcement helpers for resolvers and services: they ask the engine, never decide themselves. */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { appendAudit, type AuditRecord } from '../audit/audit.service';
import { forbidden } from '../common/errors';
import type { RequestContext } from './context';
import { decide, type Action } from '../policy/engine';
import type { ShareableType } from '../policy/types';

/** Throws FORBIDDEN with the engine's reason unless the action is allowed. */
export function authorize(ctx: RequestContext, action: Action): void {
  const decision = decide(ctx.policy, ctx.principal, action, ctx.access.now);
  if (!decision.allowed) throw forbidden(`not allowed: ${decision.reason}`);
}

/** A query builder over `entity` that only ever yields rows the caller may see. */
export function visibleRows<T extends ObjectLiteral>(
  ctx: RequestContext, manager: EntityManager, entity: new () => T, type: ShareableType, alias: string,
): SelectQueryBuilder<T> {
  const filter = ctx.access.filter(type, alias);
  return manager.getRepository(entity).createQueryBuilder(alias).where(filter.sql, filter.params);
}

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
