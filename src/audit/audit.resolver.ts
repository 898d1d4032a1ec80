import { Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { AgencyType } from '../agency/agency.type';
import { agencyByCode } from '../agency/agency.service';
import { PageArgsInput } from '../graphql/args';
import { ConnectionType, paginate } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { auditRowFilter, canReadAuditSubject } from '../policy/scopes';
import { authorize } from '../request/authorize';
import type { RequestContext } from '../request/context';
import { AuditEvent } from './audit-event.entity';
import { sealAuditInbox } from './audit.service';

const AuditEventConnection = ConnectionType(AuditEvent);

/**
 * What `subject` shows where the engine withholds the person (canReadAuditSubject): a marker, not
 * null, as the API contract has `subject: String!`. The agency that acted is still in `agency`.
 */
const WITHHELD_SUBJECT = '(withheld)';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: "Auditors: events by or touching their own agency's data, newest first" })
  async auditTrail(@Args(() => PageArgsInput) page: PageArgsInput, @Ctx() ctx: RequestContext) {
    authorize(ctx, { kind: 'readAuditTrail' });
    // Everything recorded so far, including what is still waiting in the inbox.
    await sealAuditInbox(ctx.db, { wait: true });
    const scope = auditRowFilter(ctx.principal, 'ev');
    const qb = ctx.db.getRepository(AuditEvent).createQueryBuilder('ev').where(scope.sql, scope.params);
    return paginate(qb, 'ev', { column: 'ev.sequence', property: 'sequence', kind: 'bigint' }, 'DESC', page, { unique: true });
  }

  @FieldResolver(() => ID)
  id(@Root() e: AuditEvent): string {
    return toGlobalId('AuditEvent', e.sequence);
  }

  @FieldResolver(() => String, {
    description: `Who acted (token subject); "${WITHHELD_SUBJECT}" for another agency's act on the auditor's report: who handled a report is for the analysts of its jurisdiction`,
  })
  subject(@Root() e: AuditEvent, @Ctx() ctx: RequestContext): string {
    return canReadAuditSubject(ctx.principal, e) ? e.subject : WITHHELD_SUBJECT;
  }

  @FieldResolver(() => AgencyType)
  agency(@Root() e: AuditEvent, @Ctx() ctx: RequestContext): AgencyType {
    return agencyByCode(ctx.policy, e.agency);
  }
}
