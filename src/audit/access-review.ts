/**
 * The access review an agency's auditors run over its agreements: for each agreement it provides
 * records under, which partner agencies and which of their people read its records in the last N
 * days, how many and how recently. Reads that rest on no agreement (a named recipient, the
 * jurisdiction, the community) are one more group, without an agreement. Like auditReadVolume it
 * only narrows the auditor's scope (auditRowFilter, applied by the caller) to reads of the
 * auditor's own agency's records by other agencies, and shows a person only where the engine shows
 * it (auditSubjectFilter).
 */
import { Field, Int, ObjectType } from 'type-graphql';
import type { SelectQueryBuilder } from 'typeorm';
import { badInput } from '../common/errors';
import { auditSubjectFilter } from '../policy/scopes';
import type { PolicySet, Principal } from '../policy/types';
import type { AuditEvent } from './audit-event.entity';
import { MAX_AUDIT_WINDOW_DAYS, READ_OPERATIONS, WITHHELD_SUBJECT } from './audit-query';

@ObjectType({ description: "One partner agency's person who read the auditor's agency's records in the review window" })
export class AccessReviewReader {
  /** Served by its field resolver as an Agency. */
  agencyCode: string;
  @Field({ description: `Who read (token subject); "${WITHHELD_SUBJECT}" for the persons the trail withholds` }) subject: string;
  @Field(() => Int, { description: 'Audit events of reads (one per request, or delivery, and basis)' }) events: number;
  @Field(() => Int, { description: 'Records read, counted once per event that lists them' }) recordsRead: number;
  @Field(() => Int, { description: 'Distinct records read' }) distinctRecords: number;
  @Field({ description: 'When the last of these reads was recorded' }) lastReadAt: Date;
}

@ObjectType({ description: "Reads of the auditor's agency's records under one agreement (or under none) in the review window" })
export class AgreementAccessReview {
  @Field(() => String, {
    nullable: true,
    description: 'The agreement (policies/agreements); null for reads that rest on no agreement (recipient, jurisdiction, community)',
  })
  agreementId: string | null;
  @Field(() => String, { nullable: true, description: "The agreement's stated purpose, while the policies still hold it" }) purpose:
    string | null;
  @Field(() => [String], { description: "The agreement's recipient agencies (codes), while the policies still hold it" })
  recipients: string[];
  @Field(() => [AccessReviewReader], { description: 'Who read, most records read first' }) readers: AccessReviewReader[];
}

@ObjectType({ description: "Who read the auditor's agency's records in the last `days` days, per agreement" })
export class AccessReview {
  @Field() from: Date;
  @Field() to: Date;
  @Field(() => [AgreementAccessReview], {
    description: 'Every agreement the agency provides records under (read or not), then any other agreement or none that reads rested on',
  })
  agreements: AgreementAccessReview[];
}

export async function accessReview(
  qb: SelectQueryBuilder<AuditEvent>,
  policy: PolicySet,
  principal: Principal,
  alias: string,
  days: number,
  now = new Date(),
): Promise<AccessReview> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_AUDIT_WINDOW_DAYS) {
    throw badInput(`days must be a whole number from 1 to ${MAX_AUDIT_WINDOW_DAYS}, got ${days}`, 'days');
  }
  const from = new Date(now.getTime() - days * 24 * 3600 * 1000);
  const me = principal.agency.code;
  const shown = auditSubjectFilter(principal, alias);
  const [inner, params] = qb
    .andWhere(`${alias}.operation = ANY(:reads)`, { reads: READ_OPERATIONS })
    .andWhere(`${alias}.at >= :r_from AND ${alias}.at <= :r_to`, { r_from: from, r_to: now })
    // Reads of this agency's records by others; its own people's reads of others' are not its agreements' review.
    .andWhere(`:r_me = ANY(${alias}.data_owners) AND ${alias}.agency <> :r_me`, { r_me: me })
    .setParameters({ ...shown.params, withheld: WITHHELD_SUBJECT })
    .select(`${alias}.agreement_id`, 'agreement')
    .addSelect(`${alias}.agency`, 'agency')
    .addSelect(`CASE WHEN ${shown.sql} THEN ${alias}.subject ELSE :withheld END`, 'subject')
    .addSelect(`${alias}.sequence`, 'seq')
    .addSelect(`${alias}.at`, 'at')
    .addSelect(`${alias}.record_ids`, 'record_ids')
    .getQueryAndParameters();
  const rows: { agreement: string | null; agency: string; subject: string; events: string; read: string; distinct: string; last: Date }[] =
    await qb.connection.query(
      `SELECT e.agreement, e.agency, e.subject, count(DISTINCT e.seq) AS events, count(r.id) AS read,
              count(DISTINCT r.id) AS distinct, max(e.at) AS last
       FROM (${inner}) AS e LEFT JOIN LATERAL unnest(e.record_ids) AS r(id) ON true
       GROUP BY e.agreement, e.agency, e.subject
       ORDER BY read DESC, e.agency, e.subject`,
      params,
    );
  const groups = new Map<string | null, AgreementAccessReview>();
  const group = (agreementId: string | null) => {
    let g = groups.get(agreementId);
    if (!g) {
      const a = agreementId === null ? undefined : policy.agreements.find((x) => x.id === agreementId);
      g = { agreementId, purpose: a?.purpose ?? null, recipients: a?.recipients ?? [], readers: [] };
      groups.set(agreementId, g);
    }
    return g;
  };
  for (const a of policy.agreements.filter((x) => x.provider === me).sort((x, y) => x.id.localeCompare(y.id))) group(a.id);
  for (const r of rows) {
    group(r.agreement).readers.push({
      agencyCode: r.agency,
      subject: r.subject,
      events: Number(r.events),
      recordsRead: Number(r.read),
      distinctRecords: Number(r.distinct),
      lastReadAt: new Date(r.last),
    });
  }
  return { from, to: now, agreements: [...groups.values()] };
}
