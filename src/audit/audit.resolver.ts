import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { AgencyType } from '../agency/agency.type';
import { agencyByCode } from '../agency/agency.service';
import { PageArgsInput } from '../graphql/args';
import { ConnectionType, paginate } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { auditRowFilter, canReadAuditSubject } from '../policy/scopes';
import { authorize } from '../request/authorize';
import type { RequestContext } from '../request/context';
import { AuditEvent } from './audit-event.entity';
import {
  AuditReadVolume,
  AuditTrailFilter,
  AuditVolumeGroup,
  MAX_AUDIT_WINDOW_DAYS,
  WITHHELD_SUBJECT,
  readVolume,
  whereAuditMatches,
} from './audit-query';
import { sealAuditInbox } from './audit.service';
import { AccessReview, AccessReviewReader, accessReview } from './access-review';
import { latestAuditCheckpoint } from './audit-checkpoint';
import { AuditCheckpointType } from './audit-checkpoint.type';
import { positionCodec } from '../common/opaque-position';

/** Members see a link's place on the chain only as a token: the chain numbers every agency's events. */
const auditPositions = (db: RequestContext['db']) => positionCodec(db, 'audit-sequence');

const AuditEventConnection = ConnectionType(AuditEvent);

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: "Auditors: events by or touching their own agency's data, newest first" })
  async auditTrail(
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Arg('filter', () => AuditTrailFilter, { nullable: true }) filter: AuditTrailFilter | null,
    @Ctx() ctx: RequestContext,
  ) {
    const qb = await this.scoped(ctx);
    whereAuditMatches(qb, filter, ctx.principal, 'ev');
    const positions = await auditPositions(ctx.db);
    return paginate(qb, 'ev', { column: 'ev.sequence', property: 'sequence', kind: 'bigint' }, 'DESC', page, {
      unique: true,
      opaque: { hide: (v) => positions.encode(v), reveal: (t) => positions.decode(t, 'after').toString() },
    });
  }

  @Query(() => [AuditReadVolume], {
    description: 'Auditors: reads in [from, to) within your scope, counted per agency that read or per subject, most events first',
  })
  async auditReadVolume(
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('groupBy', () => AuditVolumeGroup) groupBy: AuditVolumeGroup,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditReadVolume[]> {
    return readVolume(await this.scoped(ctx), ctx.principal, 'ev', { from, to }, groupBy);
  }

  @Query(() => AccessReview, {
    description: `Auditors: per agreement your agency provides records under, which partner agencies and people read them in the last \`days\` days (1 to ${MAX_AUDIT_WINDOW_DAYS})`,
  })
  async auditAccessReview(@Arg('days', () => Int) days: number, @Ctx() ctx: RequestContext): Promise<AccessReview> {
    return accessReview(await this.scoped(ctx), ctx.policy, ctx.principal, 'ev', days);
  }

  /** The auditor's events (audit_events as `ev`), with everything recorded so far sealed onto the chain. */
  private async scoped(ctx: RequestContext) {
    authorize(ctx, { kind: 'readAuditTrail' });
    // Everything recorded so far, including what is still waiting in the inbox.
    await sealAuditInbox(ctx.db, { wait: true });
    const scope = auditRowFilter(ctx.principal, 'ev');
    return ctx.db.getRepository(AuditEvent).createQueryBuilder('ev').where(scope.sql, scope.params);
  }

  @Query(() => AuditCheckpointType, {
    nullable: true,
    description:
      'Auditors: the newest signed head of the audit chain, to keep outside the hub; null before the first (AUDIT_CHECKPOINT_SECONDS after the first event)',
  })
  async auditCheckpoint(@Ctx() ctx: RequestContext): Promise<AuditCheckpointType | null> {
    authorize(ctx, { kind: 'readAuditTrail' });
    return (await latestAuditCheckpoint(ctx.db)) ?? null;
  }

  @FieldResolver(() => String, {
    description: "The event's place on the chain, as an opaque token: equal for the same event, and nothing more",
  })
  async sequence(@Root() e: AuditEvent, @Ctx() ctx: RequestContext): Promise<string> {
    return (await auditPositions(ctx.db)).encode(e.sequence);
  }

  @FieldResolver(() => ID)
  async id(@Root() e: AuditEvent, @Ctx() ctx: RequestContext): Promise<string> {
    return toGlobalId('AuditEvent', (await auditPositions(ctx.db)).encode(e.sequence));
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

@Resolver(() => AccessReviewReader)
export class AccessReviewReaderResolver {
  @FieldResolver(() => AgencyType, { description: 'The partner agency that read' })
  agency(@Root() r: AccessReviewReader, @Ctx() ctx: RequestContext): AgencyType {
    return agencyByCode(ctx.policy, r.agencyCode);
  }
}
