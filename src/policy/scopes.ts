/**
 * Records that belong to one agency or pass between two, outside the shareable-record model:
 * sightings, the audit trail, webhooks. No TLP, agreement or jurisdiction widens who sees them.
 * Each rule has its SQL form for the queries that list such rows; property tests in real
 * PostgreSQL (test/policy-scopes.test.ts) hold each pair to the same answer.
 *
 * These say which rows are in the principal's scope. The capability to ask at all (the auditor
 * role for the audit trail, the analyst role for webhooks) is decide's (engine.ts), checked once
 * per request before any row is read.
 */
import type { Principal } from './types';

/** A row filter: a SQL condition with named TypeORM parameters, to pass to `where`/`andWhere`. */
export interface ScopeFilter {
  sql: string;
  params: Record<string, string>;
}

/**
 * Sightings are feedback between two agencies only (ISSUE 3): the owner of the sighted entry and
 * the agency that reported the sighting.
 */
export interface SightingParties {
  reportedBy: string;
  entryOwner: string;
}

export function canReadSighting(principal: Principal, s: SightingParties): boolean {
  return s.reportedBy === principal.agency.code || s.entryOwner === principal.agency.code;
}

/** canReadSighting as SQL over columns reported_by, entry_owner of table alias `alias`. */
export function sightingRowFilter(principal: Principal, alias: string, prefix = 'sacl'): ScopeFilter {
  return {
    sql: `(${alias}.reported_by = :${prefix}_me OR ${alias}.entry_owner = :${prefix}_me)`,
    params: { [`${prefix}_me`]: principal.agency.code },
  };
}

/** What of an audit event its scope depends on: who acted, and whose data the act touched. */
export interface AuditParties {
  agency: string;
  dataOwners: readonly string[];
}

/**
 * An agency's auditors answer for what its own people did and for who read its data, so an event
 * is in scope for the agency that acted and for every agency whose records it names as touched;
 * for nobody else (an event names records, its mere existence tells something).
 */
export function canReadAuditEvent(principal: Principal, e: AuditParties): boolean {
  return e.agency === principal.agency.code || e.dataOwners.includes(principal.agency.code);
}

const REPORT_ID_PREFIX = 'SuspiciousActivityReport:';

/**
 * Who acted, the person (an event's subject), for an event in the auditor's scope: its own
 * agency's people always. Another agency's person, who acted on its data: yes, except on a
 * suspicious-activity report. Who handled a report (triaged or escalated it, read its reporter or
 * the analysts' notes) is the analysts' material, shown only with the jurisdiction right
 * (decide's readTriageNotes, as ReportTransition.actor), never to the submitting operator. The
 * trail holds record ids, not the report, so it keeps the acting agency and withholds the person.
 * A field rule over rows already admitted by auditRowFilter; its SQL form (auditSubjectFilter)
 * serves filtering and grouping by subject, which must not reveal a withheld person either.
 */
export function canReadAuditSubject(principal: Principal, e: AuditParties & { recordIds: readonly string[] }): boolean {
  return e.agency === principal.agency.code || !e.recordIds.some((id) => id.startsWith(REPORT_ID_PREFIX));
}

/** canReadAuditSubject as SQL over columns agency, record_ids (text[]) of table alias `alias`. */
export function auditSubjectFilter(principal: Principal, alias: string, prefix = 'audsubj'): ScopeFilter {
  return {
    sql: `(${alias}.agency = :${prefix}_me OR NOT EXISTS (SELECT 1 FROM unnest(${alias}.record_ids) AS ${prefix}_r(id) WHERE starts_with(${prefix}_r.id, :${prefix}_report)))`,
    params: { [`${prefix}_me`]: principal.agency.code, [`${prefix}_report`]: REPORT_ID_PREFIX },
  };
}

/** canReadAuditEvent as SQL over columns agency, data_owners (text[]) of table alias `alias`. */
export function auditRowFilter(principal: Principal, alias: string, prefix = 'audacl'): ScopeFilter {
  return {
    sql: `(${alias}.agency = :${prefix}_me OR :${prefix}_me = ANY(${alias}.data_owners))`,
    params: { [`${prefix}_me`]: principal.agency.code },
  };
}

/**
 * An audit anomaly (a subject's reads of one agency's data beyond its thresholds) is that agency's
 * to investigate: its auditors see it, and nobody else, not even the reading agency's auditors,
 * since it names one of the owner's suspicions about a partner's person.
 */
export function canReadAuditAnomaly(principal: Principal, a: { ownerAgency: string }): boolean {
  return a.ownerAgency === principal.agency.code;
}

/** canReadAuditAnomaly as SQL over column owner_agency of table alias `alias`. */
export function auditAnomalyRowFilter(principal: Principal, alias: string, prefix = 'anomacl'): ScopeFilter {
  return {
    sql: `(${alias}.owner_agency = :${prefix}_me)`,
    params: { [`${prefix}_me`]: principal.agency.code },
  };
}

/**
 * Feedback on an entry (a partner's sighting or false positive) is pushed to the entry's owner
 * only: the reporter knows what it reported, and a third agency is no party to it.
 */
export function receivesEntryFeedback(principal: Principal, s: SightingParties): boolean {
  return s.entryOwner === principal.agency.code && s.reportedBy !== principal.agency.code;
}

/**
 * receivesEntryFeedback as SQL over columns entry_owner, reported_by of sightings alias `alias`,
 * for the agency that `agency` (an SQL expression: a parameter or a column) names.
 */
export function entryFeedbackCondition(alias: string, agency: string): string {
  return `(${alias}.entry_owner = ${agency} AND ${alias}.reported_by <> ${agency})`;
}

/** receivesEntryFeedback as a row filter for `principal`. */
export function entryFeedbackRowFilter(principal: Principal, alias: string, prefix = 'fbacl'): ScopeFilter {
  return { sql: entryFeedbackCondition(alias, `:${prefix}_me`), params: { [`${prefix}_me`]: principal.agency.code } };
}

/**
 * A webhook is a standing export set up by one agency, holding its secret and its delivery
 * history: it, its deliveries and its registration are the registering agency's alone.
 */
export function canManageWebhook(principal: Principal, w: { agency: string }): boolean {
  return w.agency === principal.agency.code;
}

/** canManageWebhook as SQL over column agency of table alias `alias` (webhooks and webhook_deliveries both carry it). */
export function webhookRowFilter(principal: Principal, alias: string, prefix = 'whacl'): ScopeFilter {
  return {
    sql: `(${alias}.agency = :${prefix}_me)`,
    params: { [`${prefix}_me`]: principal.agency.code },
  };
}
