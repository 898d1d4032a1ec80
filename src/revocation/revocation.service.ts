/**
 * Revoking a token (by jti) or a whole subject of the caller's agency, and listing them: only the
 * agency's auditors (the engine's manageRevocations). Every lookup is limited to the caller's
 * agency in SQL.
 */
import { badInput } from '../common/errors';
import { text } from '../common/validate';
import { paginate, type PageArgs } from '../graphql/connection';
import { writeAudited } from '../audit/write-audited';
import type { RevocationKind } from '../policy/types';
import { authorize } from '../request/authorize';
import type { RequestContext } from '../request/context';
import { REVOCATIONS } from './revocation-list';
import { Revocation } from './revocation.entity';

const FIELD_OF: Record<RevocationKind, string> = { TOKEN: 'jti', SUBJECT: 'subject' };

export function revoke(
  ctx: RequestContext,
  kind: RevocationKind,
  value: string,
  reason: string,
  until: Date | null | undefined,
): Promise<Revocation> {
  const agency = ctx.principal.agency.code;
  authorize(ctx, { kind: 'manageRevocations', agency });
  const what = text(value, FIELD_OF[kind], 256);
  const why = text(reason, 'reason', 500);
  if (until && until.getTime() <= Date.now()) throw badInput('until must be in the future (leave it out to revoke for good)', 'until');
  return writeAudited(ctx, async (m) => {
    // Revoking again replaces the reason and the end: one row per token or subject.
    const [{ id }]: { id: string }[] = await m.query(
      `INSERT INTO revocations (agency, kind, value, reason, until, revoked_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agency, kind, value)
       DO UPDATE SET reason = EXCLUDED.reason, until = EXCLUDED.until, revoked_by = EXCLUDED.revoked_by, created_at = now()
       RETURNING id`,
      [agency, kind, what, why, until ?? null, ctx.principal.subject],
    );
    const record = await m.getRepository(Revocation).findOneByOrFail({ id });
    return {
      result: record,
      audit: [{ operation: kind === 'TOKEN' ? 'revokeToken' : 'revokeSubject', recordIds: [`Revocation:${id}`], dataOwners: [agency] }],
      // This instance refuses the token before the answer is sent; the others within their refresh.
      afterCommit: () => ctx.settings.get(REVOCATIONS).refresh(),
    };
  });
}

/** The agency's revocations, newest first; those whose end has passed only when asked for. */
export function listRevocations(ctx: RequestContext, page: PageArgs, includeExpired: boolean) {
  const agency = ctx.principal.agency.code;
  authorize(ctx, { kind: 'manageRevocations', agency });
  const qb = ctx.db.getRepository(Revocation).createQueryBuilder('r').where('r.agency = :agency', { agency });
  if (!includeExpired) qb.andWhere('(r.until IS NULL OR r.until > now())');
  return paginate(qb, 'r', { column: 'r.created_at', property: 'createdAt', kind: 'timestamp' }, 'DESC', page);
}
