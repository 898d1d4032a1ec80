/** Enforcement helpers for resolvers and services: they ask the engine, never decide themselves. */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
  ctx: RequestContext,
  manager: EntityManager,
  entity: new () => T,
  type: ShareableType,
  alias: string,
): SelectQueryBuilder<T> {
  const filter = ctx.access.filter(type, alias);
  return manager.getRepository(entity).createQueryBuilder(alias).where(filter.sql, filter.params);
}

/** Which of `vesselIds` the rows of `rows` (a visibleRows query) refer to through `alias.vessel_id`. */
export async function vesselsReferencedBy<T extends ObjectLiteral>(
  rows: SelectQueryBuilder<T>,
  alias: string,
  vesselIds: string[],
): Promise<string[]> {
  const found: { vessel_id: string }[] = await rows
    .select(`DISTINCT ${alias}.vessel_id`, 'vessel_id')
    .andWhere(`${alias}.vessel_id = ANY(:referenced_vessel_ids)`, { referenced_vessel_ids: vesselIds })
    .getRawMany();
  return found.map((r) => r.vessel_id);
}
