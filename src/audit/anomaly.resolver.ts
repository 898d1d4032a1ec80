import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { agencyByCode } from '../agency/agency.service';
import { AgencyType } from '../agency/agency.type';
import { badInput } from '../common/errors';
import { PageArgsInput } from '../graphql/args';
import { ConnectionType, paginate } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { auditAnomalyRowFilter, canReadAuditAnomaly } from '../policy/scopes';
import { authorize } from '../request/authorize';
import type { RequestContext } from '../request/context';
import { defineNoticeFeed } from '../request/live-notices';
import { AnomalyKindEnum, AuditAnomaly, type AnomalyKind } from './anomaly.entity';
import { evaluateAnomalies } from './anomaly-watch';
import { sealAuditInbox } from './audit.service';

/** The hub's feed of raised anomalies (made in src/server/app.ts). */
export const ANOMALY_FEED = defineNoticeFeed<AuditAnomaly>('audit anomaly feed');

const MAX_TEXT = 256;

@InputType('AuditAnomalyFilter', { description: 'Every field given narrows the list' })
export class AuditAnomalyFilter {
  @Field(() => AnomalyKindEnum, { nullable: true }) kind?: AnomalyKind | null;
  @Field(() => String, { nullable: true, description: 'The code of the agency whose subject read' }) agency?: string | null;
  @Field(() => String, { nullable: true, description: 'Who read (token subject)' }) subject?: string | null;
  @Field(() => Date, { nullable: true, description: 'Raised at or after this instant' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Raised before this instant' }) to?: Date | null;
}

const AuditAnomalyConnection = ConnectionType(AuditAnomaly);

function checkText(value: string | null | undefined, field: string): void {
  if (value === undefined || value === null) return;
  if (value.length < 1 || value.length > MAX_TEXT)
    throw badInput(`${field} must be 1 to ${MAX_TEXT} characters, got ${value.length}`, field);
  if (value.includes('\u0000')) throw badInput(`${field} must not contain the NUL character`, field);
}

@Resolver(() => AuditAnomaly)
export class AuditAnomalyResolver {
  @Query(() => AuditAnomalyConnection, {
    description: "Auditors: reads of your agency's data that went beyond its thresholds (policies/anomalies.yaml), newest first",
  })
  async auditAnomalies(
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Arg('filter', () => AuditAnomalyFilter, { nullable: true }) filter: AuditAnomalyFilter | null,
    @Ctx() ctx: RequestContext,
  ) {
    authorize(ctx, { kind: 'readAuditTrail' });
    const f = filter ?? {};
    checkText(f.agency, 'filter.agency');
    checkText(f.subject, 'filter.subject');
    if (f.from && f.to && f.from.getTime() > f.to.getTime()) throw badInput('filter.from must not be after filter.to', 'filter.from');
    // As the audit trail: everything recorded so far counts, so the answer is up to date.
    await sealAuditInbox(ctx.db, { wait: true });
    const raised = await evaluateAnomalies(ctx.db, ctx.policy, ctx.access.now);
    if (raised.length > 0) ctx.settings.get(ANOMALY_FEED)?.poke();
    const scope = auditAnomalyRowFilter(ctx.principal, 'an');
    const qb = ctx.db.getRepository(AuditAnomaly).createQueryBuilder('an').where(scope.sql, scope.params);
    if (f.kind) qb.andWhere('an.kind = :f_kind', { f_kind: f.kind });
    if (f.agency) qb.andWhere('an.agency = :f_agency', { f_agency: f.agency });
    if (f.subject) qb.andWhere('an.subject = :f_subject', { f_subject: f.subject });
    if (f.from) qb.andWhere('an.raised_at >= :f_from', { f_from: f.from });
    if (f.to) qb.andWhere('an.raised_at < :f_to', { f_to: f.to });
    return paginate(qb, 'an', { column: 'an.raised_at', property: 'raisedAt', kind: 'timestamp' }, 'DESC', page);
  }

  @Subscription(() => AuditAnomaly, {
    description: "Auditors: each anomaly raised on your agency's data from now on, as it is raised",
    subscribe: async ({ context }) => {
      const ctx = context as RequestContext & { live: { signal: AbortSignal } };
      authorize(ctx, { kind: 'readAuditTrail' });
      const feed = ctx.settings.get(ANOMALY_FEED);
      if (!feed) throw new Error('live anomalies need a running hub');
      const principal = ctx.principal;
      return feed.listen((a) => canReadAuditAnomaly(principal, a), ctx.live.signal);
    },
  })
  auditAnomalyRaised(@Root() anomaly: AuditAnomaly): AuditAnomaly {
    return anomaly;
  }

  @FieldResolver(() => ID)
  id(@Root() a: AuditAnomaly): string {
    return toGlobalId('AuditAnomaly', a.id);
  }

  @FieldResolver(() => AgencyType, { description: 'The agency of the subject that read' })
  agency(@Root() a: AuditAnomaly, @Ctx() ctx: RequestContext): AgencyType {
    return agencyByCode(ctx.policy, a.agency);
  }

  @FieldResolver(() => AgencyType, { description: 'The agency whose data was read' })
  ownerAgency(@Root() a: AuditAnomaly, @Ctx() ctx: RequestContext): AgencyType {
    return agencyByCode(ctx.policy, a.ownerAgency);
  }
}
