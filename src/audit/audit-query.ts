/**
 * What an agency's auditors can ask of the trail beyond listing it: a filter for auditTrail and
 * the read volume per partner agency or subject. Both only narrow the auditor's scope
 * (auditRowFilter, applied by the caller); a subject is matched or shown only where the engine
 * shows it (auditSubjectFilter), so neither reveals a person the trail withholds.
 */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SelectQueryBuilder } from 'typeorm';
import { badInput } from '../common/errors';
import { auditSubjectFilter } from '../policy/scopes';
import type { Principal } from '../policy/types';
import { READ_RECORDS, READ_SENSITIVE_FIELDS } from '../request/audit-record';
import type { AuditEvent } from './audit-event.entity';

/** The longest agency code, subject, operation or record id a filter accepts. */
const AUDIT_FILTER_MAX_LENGTH = 256;

/** What `subject` shows where the engine withholds the person (canReadAuditSubject). */
export const WITHHELD_SUBJECT = '(withheld)';

/** The longest window auditReadVolume counts over, and the most days auditAccessReview looks back. */
export const MAX_AUDIT_WINDOW_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;

/** The operations that record reads of another agency's data (the others record changes). */
export const READ_OPERATIONS = [READ_RECORDS, READ_SENSITIVE_FIELDS, 'readTriageNotes'];

@InputType('AuditTrailFilter', { description: 'Every field given narrows the trail; all of them within your scope' })
export class AuditTrailFilter {
  @Field(() => String, { nullable: true, description: 'The code of the agency whose principal acted' }) agency?: string | null;
  @Field(() => String, { nullable: true, description: 'Who acted (token subject); never matches a withheld subject' })
  subject?: string | null;
  @Field(() => String, { nullable: true, description: 'The operation, e.g. readSensitiveFields' }) operation?: string | null;
  @Field(() => ID, { nullable: true, description: 'Events whose recordIds contain this id, e.g. WatchlistEntry:<uuid>' })
  recordId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Events at or after this instant' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Events before this instant' }) to?: Date | null;
}

export enum AuditVolumeGroup {
  AGENCY = 'AGENCY',
  SUBJECT = 'SUBJECT',
}
registerEnumType(AuditVolumeGroup, { name: 'AuditVolumeGroup', description: 'What auditReadVolume counts by' });

@ObjectType({ description: 'Reads in the window by one partner agency or one subject' })
export class AuditReadVolume {
  @Field({ description: `The agency code or the subject ("${WITHHELD_SUBJECT}" for the persons the trail withholds)` }) key: string;
  @Field(() => Int, { description: 'Read events' }) events: number;
  @Field(() => Int, { description: 'Distinct record ids read' }) records: number;
}

function checkText(value: string | null | undefined, field: string): void {
  if (value === undefined || value === null) return;
  if (value.length < 1 || value.length > AUDIT_FILTER_MAX_LENGTH) {
    throw badInput(`${field} must be 1 to ${AUDIT_FILTER_MAX_LENGTH} characters, got ${value.length}`, field);
  }
  // PostgreSQL text cannot hold it: a bad input, not a failed query.
  if (value.includes('\u0000')) throw badInput(`${field} must not contain the NUL character`, field);
}

function checkWindow(from: Date | null | undefined, to: Date | null | undefined, path: string): void {
  if (from && to && from.getTime() > to.getTime()) {
    throw badInput(`${path}from (${from.toISOString()}) must not be after ${path}to (${to.toISOString()})`, `${path}from`);
  }
}

/** Narrows a query of audit_events (as `alias`, already in the auditor's scope) to `f`. */
export function whereAuditMatches(
  qb: SelectQueryBuilder<AuditEvent>,
  f: AuditTrailFilter | null | undefined,
  principal: Principal,
  alias: string,
): SelectQueryBuilder<AuditEvent> {
  if (!f) return qb;
  for (const field of ['agency', 'subject', 'operation', 'recordId'] as const) checkText(f[field], `filter.${field}`);
  checkWindow(f.from, f.to, 'filter.');
  if (f.agency) qb.andWhere(`${alias}.agency = :f_agency`, { f_agency: f.agency });
  if (f.subject) {
    const shown = auditSubjectFilter(principal, alias);
    qb.andWhere(`${alias}.subject = :f_subject`, { f_subject: f.subject }).andWhere(shown.sql, shown.params);
  }
  if (f.operation) qb.andWhere(`${alias}.operation = :f_operation`, { f_operation: f.operation });
  // `@>` so the GIN index on record_ids answers it.
  if (f.recordId) qb.andWhere(`${alias}.record_ids @> ARRAY[:f_record]::text[]`, { f_record: f.recordId });
  if (f.from) qb.andWhere(`${alias}.at >= :f_from`, { f_from: f.from });
  if (f.to) qb.andWhere(`${alias}.at < :f_to`, { f_to: f.to });
  return qb;
}

/** The read volume of `qb` (audit_events as `alias`, already in the auditor's scope) in [from, to), by agency or subject. */
export async function readVolume(
  qb: SelectQueryBuilder<AuditEvent>,
  principal: Principal,
  alias: string,
  window: { from: Date; to: Date },
  groupBy: AuditVolumeGroup,
): Promise<AuditReadVolume[]> {
  checkWindow(window.from, window.to, '');
  const days = (window.to.getTime() - window.from.getTime()) / DAY_MS;
  if (days > MAX_AUDIT_WINDOW_DAYS) {
    throw badInput(
      `the window from ${window.from.toISOString()} to ${window.to.toISOString()} spans ${Math.ceil(days)} days: at most ${MAX_AUDIT_WINDOW_DAYS}`,
      'to',
    );
  }
  const shown = auditSubjectFilter(principal, alias);
  const key = groupBy === AuditVolumeGroup.AGENCY ? `${alias}.agency` : `CASE WHEN ${shown.sql} THEN ${alias}.subject ELSE :withheld END`;
  const [inner, params] = qb
    .andWhere(`${alias}.operation = ANY(:reads)`, { reads: READ_OPERATIONS })
    .andWhere(`${alias}.at >= :v_from AND ${alias}.at < :v_to`, { v_from: window.from, v_to: window.to })
    .setParameters({ ...shown.params, withheld: WITHHELD_SUBJECT })
    .select(key, 'key')
    .addSelect(`${alias}.sequence`, 'seq')
    .addSelect(`${alias}.record_ids`, 'record_ids')
    .getQueryAndParameters();
  // Records counted once per group however often they were read: the ids of the group's events, unnested.
  const rows: { key: string; events: string; records: string }[] = await qb.connection.query(
    `SELECT e.key, count(DISTINCT e.seq) AS events, count(DISTINCT r.id) AS records
     FROM (${inner}) AS e LEFT JOIN LATERAL unnest(e.record_ids) AS r(id) ON true
     GROUP BY e.key ORDER BY events DESC, e.key`,
    params,
  );
  return rows.map((r) => ({ key: r.key, events: Number(r.events), records: Number(r.records) }));
}
