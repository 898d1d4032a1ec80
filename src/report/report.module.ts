import { rule } from 'graphql-shield';
import { decide } from '../policy/engine';
import type { ShareableRecord } from '../policy/types';
import type { RequestContext } from '../request/context';
import type { FeatureModule } from '../request/module';
import { capability, denied, every, isAuthenticated } from '../request/rules';
import { SuspiciousActivityReport } from './report.entity';
import { ReportResolver } from './report.resolver';
import { findReport } from './report.service';

/** Early capability check; the report service checks the report's jurisdiction. */
const canTriage = capability(() => ({ kind: 'triageReports' }));

/**
 * A report transition's actor and note: only for holders of the jurisdiction right on the
 * transition's report (the engine's readTriageNotes), never for the submitting operator. Reads of
 * notes another agency wrote are noted for the audit trail.
 */
const triageMaterial = rule({ cache: 'no_cache' })((
  parent: { report: ShareableRecord & { id: string }; actorAgency: string },
  _a,
  ctx: RequestContext,
  info,
) => {
  const d = decide(ctx.policy, ctx.principal, { kind: 'readTriageNotes', record: parent.report }, ctx.access.now);
  if (!d.allowed) {
    return denied('FIELD', `ReportTransition.${info.fieldName} is withheld: it is for analysts of the report's jurisdiction`);
  }
  if (parent.actorAgency !== ctx.principal.agency.code) {
    ctx.reads.note(`ReportTransition:${parent.report.id}:${parent.actorAgency}`, {
      operation: 'readTriageNotes',
      recordIds: [`SuspiciousActivityReport:${parent.report.id}`],
      dataOwners: [parent.actorAgency],
    });
  }
  return true;
});

/** Suspicious-activity reports: submission, triage by the jurisdiction's analysts, escalation. */
export const reportModule: FeatureModule = {
  name: 'report',
  resolvers: [ReportResolver],
  entities: [SuspiciousActivityReport],
  nodes: { SuspiciousActivityReport: (ctx, id) => findReport(ctx, id) },
  rules: {
    Query: { ...every(['reports', 'report'], isAuthenticated), escalationTextCheck: canTriage },
    Mutation: {
      // Any member may report; the service checks the agency is registered at the port.
      submitSuspiciousActivityReport: isAuthenticated,
      ...every(['triageReport', 'escalateReport'], canTriage),
    },
    // A report's history is a core field of the (already checked) report; the analysts' part is not.
    // Answers only to those the check above and the service let through.
    EscalationTextProblem: every(['field', 'message'], isAuthenticated),
    ReportTransition: { ...every(['from', 'status', 'at', 'agency'], isAuthenticated), actor: triageMaterial, note: triageMaterial },
  },
  connections: ['SuspiciousActivityReport'],
  agencyColumns: [
    { table: 'suspicious_activity_reports', column: 'owner_agency', record: 'SuspiciousActivityReport', id: 'id' },
    { table: 'report_transitions', column: 'actor_agency', record: 'report transition', id: 'id' },
  ],
};
