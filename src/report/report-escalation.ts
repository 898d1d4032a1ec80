/** Escalation: a report under review becomes a published alert, without the reporter's identity. */
import type { EntityManager } from 'typeorm';
import { publishAlertIn, replayAlert, sequenced } from '../alert/alert.service';
import type { PublishAlertInput } from '../alert/alert.inputs';
import type { VesselAlert } from '../alert/vessel-alert.entity';
import { badInput, notFound } from '../common/errors';
import { authorize } from '../request/authorize';
import { writeOnce } from '../audit/write-once';
import type { RequestContext } from '../request/context';
import { Vessel } from '../vessel/vessel.entity';
import { type SuspiciousActivityReport } from './report.entity';
import { findReport, lockReport } from './report.service';
import { noteText } from './report-input';
import { reporterIdentity, repeatsIdentity } from './reporter-identity';
import { checkTransition, moveReport, reportAudit } from './report-triage';

// Escalation

/** The alert's free-text fields, which must not carry the reporter's identity. */
export interface AlertTexts {
  title?: string | null;
  description?: string | null;
  intelligenceSummary?: string | null;
}

/** A free-text field of the alert that repeats the reporter's identity, with a message naming the field only. */
export interface IdentityInText {
  field: string;
  message: string;
}

function identityInAlert(report: SuspiciousActivityReport, texts: AlertTexts): IdentityInText[] {
  const identity = reporterIdentity(report.reporterContact, report.submittedBy);
  const fields: [string, string | null | undefined][] = [
    ['title', texts.title],
    ['description', texts.description],
    ['intelligenceSummary', texts.intelligenceSummary],
  ];
  // The message names the field only: repeating the identity would leak it into logs and clients.
  return fields
    .filter(([, value]) => value && repeatsIdentity(identity, value))
    .map(([field]) => ({
      field: `input.${field}`,
      message:
        `input.${field} contains the reporter's identity or contact details: remove them. The reporter's identity stays on ` +
        'the report, where only the analysts of its jurisdiction read it; an alert never carries it',
    }));
}

function rejectIdentityInAlert(report: SuspiciousActivityReport, input: PublishAlertInput): void {
  const [first] = identityInAlert(report, input);
  if (first) throw badInput(first.message, first.field);
}

/**
 * The check escalation makes of the alert's text, before escalating: the fields that would be
 * refused because they repeat the reporter's identity. For the analysts who may escalate the report.
 */
export async function checkEscalationTexts(ctx: RequestContext, id: string, texts: AlertTexts): Promise<IdentityInText[]> {
  const bounded: AlertTexts = {
    title: boundedText(texts.title, 'title', 200),
    description: boundedText(texts.description, 'description', 10_000),
    intelligenceSummary: boundedText(texts.intelligenceSummary, 'intelligenceSummary', 10_000),
  };
  const report = await findReport(ctx, id);
  if (!report) throw notFound('report', id);
  authorize(ctx, { kind: 'triageReport', record: report });
  return identityInAlert(report, bounded);
}

/** A text as long as the alert allows, or a refusal naming the field; empty is nothing to check. */
function boundedText(value: string | null | undefined, field: string, max: number): string | null {
  if (value && value.length > max) throw badInput(`${field} must be at most ${max} characters, got ${value.length}`, field);
  return value ?? null;
}

/**
 * The alert an escalation publishes: about the report's vessel, at the report's port, in the
 * report's category. Port, location and jurisdiction default to the report's. The vessel
 * reference is required by PublishAlertInput: when the report identifies a vessel by IMO (or by
 * an MMSI that matched a known vessel), the alert must be about that vessel; a report with only a
 * name, or none, takes the vessel the analyst identified.
 */
async function escalationAlert(m: EntityManager, report: SuspiciousActivityReport, input: PublishAlertInput): Promise<PublishAlertInput> {
  const linked = report.vesselId ? await m.getRepository(Vessel).findOneBy({ id: report.vesselId }) : null;
  // What the reporter identified: an IMO, or an MMSI that linked a known vessel. A link by name
  // alone is a guess the analyst may correct.
  const imo = report.imo ?? (report.mmsi && linked?.mmsi === report.mmsi ? linked.imo : null);
  if (imo && input.vessel.imo !== imo) {
    throw badInput(
      `input.vessel.imo must be the report's vessel, IMO ${imo}: an escalation alert is about the vessel reported`,
      'input.vessel.imo',
    );
  }
  if (!imo && report.mmsi && input.vessel.mmsi && input.vessel.mmsi !== report.mmsi) {
    throw badInput(
      `input.vessel.mmsi must be the report's MMSI ${report.mmsi}: an escalation alert is about the vessel reported`,
      'input.vessel.mmsi',
    );
  }
  if (input.category !== report.category) {
    throw badInput(
      `input.category must be the report's category ${report.category}; for an alert in another category, use publishAlert`,
      'input.category',
    );
  }
  if (input.port && input.port !== report.port) {
    throw badInput(`input.port must be the report's port ${report.port}, or left out`, 'input.port');
  }
  rejectIdentityInAlert(report, input);
  const reportLocation = report.location;
  return {
    ...input,
    port: report.port,
    location: input.location ?? (reportLocation ? { lat: reportLocation.lat, lon: reportLocation.lon } : null),
    jurisdiction: input.jurisdiction ?? report.jurisdiction,
  };
}

/**
 * Publishes a vessel alert from a report UNDER_REVIEW and marks the report ESCALATED, in one
 * transaction: the alert joins the live alert stream only if the report changes too.
 */
export function escalateReport(
  ctx: RequestContext,
  id: string,
  input: PublishAlertInput,
  note?: string | null,
  idempotencyKey?: string | null,
): Promise<VesselAlert> {
  const clean = noteText(note);
  const once = {
    operation: 'escalateReport',
    noun: 'escalation',
    key: idempotencyKey,
    payload: { id, input, note },
    idOf: (a: VesselAlert) => a.id,
    replay: replayAlert(ctx),
  };
  return writeOnce(ctx, once, async (m) => {
    const report = await lockReport(ctx, m, id);
    authorize(ctx, { kind: 'triageReport', record: report });
    checkTransition(report.status, 'ESCALATED');
    const alert = await publishAlertIn(m, ctx, await escalationAlert(m, report, input), report.id);
    await moveReport(m, ctx, report, 'ESCALATED', clean, alert.id);
    return {
      result: alert,
      audit: [
        reportAudit('escalateReport', report),
        { operation: 'publishAlert', recordIds: [`VesselAlert:${alert.id}`], dataOwners: [alert.ownerAgency] },
      ],
      afterCommit: () => sequenced(ctx.db, alert),
    };
  });
}
