import { Field, ObjectType } from 'type-graphql';
import { AgencyType } from '../agency/agency.type';
import { ReportStatusEnum, type ReportStatus } from '../graphql/enums';
import type { ShareableRecord } from '../policy/types';

/**
 * One status change of a suspicious-activity report, oldest first in `SuspiciousActivityReport.history`.
 * Whoever sees the report sees what happened and when, and which agency did it. `actor` and
 * `note` are the analysts' material: the field rules ask the policy engine (readTriageNotes), so
 * only analysts of public agencies of the report's jurisdiction read them. The submitting
 * operator follows its report's status, not the analysts' deliberations.
 */
@ObjectType('ReportTransition', { description: 'One status change of a report: what, when, by which agency, and why' })
export class ReportTransition {
  @Field(() => ReportStatusEnum, { nullable: true, description: 'The status before the change; null for the submission' })
  from: ReportStatus | null;

  @Field(() => ReportStatusEnum, { description: 'The status after the change' })
  status: ReportStatus;

  @Field() at: Date;

  @Field(() => AgencyType, { description: 'The agency that made the change' })
  agency: AgencyType;

  @Field(() => String, { nullable: true, description: 'The person who made the change (token subject); analysts of the jurisdiction only' })
  actor: string | null;

  @Field(() => String, { nullable: true, description: "The analyst's note; analysts of the jurisdiction only" })
  note: string | null;

  /** The report this change belongs to: what the field rules decide on. Not in the schema. */
  report: ShareableRecord & { id: string };
  /** Code of the acting agency, for the audit of reads of its notes. Not in the schema. */
  actorAgency: string;
}
