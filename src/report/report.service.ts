/**
 * Suspicious-activity reports from private operators (and public agencies): submitted once per
 * idempotency key, numbered per port and year, rate-limited per agency, triaged and escalated by
 * the analysts of the report's jurisdiction, visible per the access model.
 *
 *   SUBMITTED ──> UNDER_REVIEW ──> ESCALATED   (escalateReport also publishes an alert)
 *       │               └────────> CLOSED
 *       └──────────────────────────> CLOSED    (obvious junk: a test, spam, a wrong port)
 *
 * ESCALATED and CLOSED are final. Every change is a row in report_transitions (who, agency, when,
 * note) and an audit event, written in one transaction with the change itself.
 */
import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { agencyByCode } from '../agency/agency.service';
import { publishAlertIn, sequenced } from '../alert/alert.service';
import type { PublishAlertInput } from '../alert/alert.inputs';
import type { VesselAlert } from '../alert/vessel-alert.entity';
import type { AuditRecord } from '../audit/audit.service';
import type { ReportStatus } from '../graphql/enums';
import { badInput, clientError, notFound, rateLimited } from '../common/errors';
import { unLocodeCountry } from '../common/identifiers';
import { paginate, type PageArgs } from '../graphql/connection';
import { uuidOf } from '../graphql/ids';
import { authorize, visibleRows, writeAudited } from '../request/authorize';
import type { RecordAccess } from '../request/record-access';
import type { RequestContext } from '../request/context';
import { Vessel } from '../vessel/vessel.entity';
import type { ReportFilter, SubmitReportInput } from './report.inputs';
import { ReportTransition } from './report-transition.type';
import { SuspiciousActivityReport } from './report.entity';

export const visibleReports = (ctx: RequestContext, m: EntityManager = ctx.db.manager) =>
  visibleRows(ctx, m, SuspiciousActivityReport, 'SuspiciousActivityReport', 'r');

export function listReports(ctx: RequestContext, filter: ReportFilter | null | undefined, page: PageArgs) {
  const qb = visibleReports(ctx);
  if (filter?.status?.length) qb.andWhere('r.status = ANY(:st)', { st: filter.status });
  if (filter?.port) qb.andWhere('r.port = :port', { port: filter.port });
  return paginate(qb, 'r', { column: 'r.created_at', property: 'createdAt', kind: 'timestamp' }, 'DESC', page);
}

export function findReport(ctx: RequestContext, id: string, m?: EntityManager) {
  return visibleReports(ctx, m).andWhere('r.id = :id', { id: uuidOf('SuspiciousActivityReport', id) }).getOne();
}

/** The report, locked until the transaction ends so two analysts cannot move it at once. */
async function lockReport(ctx: RequestContext, m: EntityManager, id: string): Promise<SuspiciousActivityReport> {
  const report = await visibleReports(ctx, m)
    .andWhere('r.id = :id', { id: uuidOf('SuspiciousActivityReport', id) })
    .setLock('pessimistic_write')
    .getOne();
  // Hidden and missing reports answer alike.
  if (!report) throw notFound('report', id);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Input checks. Reporters are terminal staff on a night shift, not GraphQL developers: every
// message says what is wrong and how to put it right, and all problems are named at once.

export const LIMITS = { description: 5000, vesselName: 200, reporterContact: 500, actionsTaken: 2000, note: 2000, idempotencyKey: 200 };
/** Reports are about recent activity; an older date is almost always a mistyped year. */
const MAX_AGE_DAYS = 365;

interface Problem {
  field: string;
  message: string;
}

class Problems {
  readonly list: Problem[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /**
   * Trimmed text, or null when absent; records a problem and returns null when unusable.
   * `required`: an example of what to write, for the message when the text is empty.
   */
  text(value: string | null | undefined, field: string, max: number, fix: string, required?: string): string | null {
    if (value === null || value === undefined) return null;
    const trimmed = value.trim();
    if (trimmed.length === 0) {
      this.add(field, required ? `${field} is empty: ${fix}, e.g. ${required}` : `${field} is empty: ${fix}, or leave it out`);
      return null;
    }
    if (trimmed.length > max) {
      const hint = fix.charAt(0).toUpperCase() + fix.slice(1);
      this.add(field, `${field} is too long (${trimmed.length} characters; the limit is ${max}): shorten it. ${hint}.`);
      return null;
    }
    // Control characters other than line breaks and tabs usually come from pasting from another program.
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed)) {
      this.add(field, `${field} contains invisible control characters (often from copy and paste): type the text again, or paste it as plain text`);
      return null;
    }
    return trimmed;
  }

  /** Throws one BAD_USER_INPUT naming every problem; `extensions.problems` lists them by field. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const message = this.list.length === 1
      ? this.list[0].message
      : `${this.list.length} things to fix: ${this.list.map((p, i) => `(${i + 1}) ${p.message}`).join('; ')}`;
    throw clientError('BAD_USER_INPUT', message, { field: this.list[0].field, problems: this.list });
  }
}

/** Text of an optional note (triage, escalation). */
function noteText(note: string | null | undefined): string | null {
  const p = new Problems();
  const clean = p.text(note, 'note', LIMITS.note, 'say briefly what you decided and why');
  p.throwIfAny();
  return clean;
}

function validateSubmission(input: SubmitReportInput, now: Date) {
  const p = new Problems();
  const description = p.text(input.description, 'description', LIMITS.description,
    'describe what you saw (what happened, who was involved, where exactly)',
    '"Seal of container MSKU1234567 broken, noticed at gate 4 at 02:10"');
  const vesselName = p.text(input.vesselName, 'vesselName', LIMITS.vesselName,
    'give the vessel name as painted on the hull');
  const reporterContact = p.text(input.reporterContact, 'reporterContact', LIMITS.reporterContact,
    'give a name and a phone number or e-mail address where an analyst can reach you');
  const actionsTaken = p.text(input.actionsTaken, 'actionsTaken', LIMITS.actionsTaken,
    'say what you or your colleagues did about it');

  const observed = input.observedAt.getTime();
  if (observed > now.getTime() + 5 * 60_000) {
    p.add('observedAt', 'observedAt is in the future: give the date and time when you saw the activity, with its time zone (e.g. 2026-11-24T21:40:00+01:00)');
  } else if (observed < now.getTime() - MAX_AGE_DAYS * 86_400_000) {
    p.add('observedAt', `observedAt is more than a year ago (${input.observedAt.toISOString().slice(0, 10)}): check the year; reports are for recent activity`);
  }
  if (input.securityLevel !== null && input.securityLevel !== undefined && ![1, 2, 3].includes(input.securityLevel)) {
    p.add('securityLevel', `securityLevel must be the ISPS security level in force at the port: 1, 2 or 3 (got ${input.securityLevel}); leave it out if you do not know it`);
  }
  const loc = input.location;
  if (loc && !(loc.lat >= -90 && loc.lat <= 90)) {
    p.add('location.lat', `location.lat must be a latitude from -90 to 90 in decimal degrees (south is negative), got ${loc.lat}; Rotterdam is about 51.9`);
  }
  if (loc && !(loc.lon >= -180 && loc.lon <= 180)) {
    p.add('location.lon', `location.lon must be a longitude from -180 to 180 in decimal degrees (west is negative), got ${loc.lon}; Rotterdam is about 4.1`);
  }
  p.throwIfAny();
  return { description: description!, vesselName, reporterContact, actionsTaken };
}

// ---------------------------------------------------------------------------------------------
// Submission

/** Links the report to a known vessel by IMO, else MMSI, else an unambiguous name. */
async function matchVessel(m: EntityManager, input: SubmitReportInput, name: string | null): Promise<string | null> {
  const tries: [string, unknown][] = [];
  if (input.imo) tries.push(['imo = $1', input.imo]);
  if (input.mmsi) tries.push(['mmsi = $1', input.mmsi]);
  if (name) tries.push(['upper(name) = upper($1)', name]);
  for (const [where, value] of tries) {
    const rows: { id: string }[] = await m.query(`SELECT id FROM vessels WHERE ${where} LIMIT 2`, [value]);
    if (rows.length === 1) return rows[0].id;
  }
  return null;
}

async function nextReference(m: EntityManager, port: string, year: number): Promise<string> {
  const [{ last_number }] = await m.query(
    `INSERT INTO report_reference_counters (port, year, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (port, year) DO UPDATE SET last_number = report_reference_counters.last_number + 1
     RETURNING last_number`,
    [port, year],
  );
  return `SAR-${port}-${year}-${String(last_number).padStart(6, '0')}`;
}

/** Key order and absent-versus-null must not make a retry look like a different report. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== null && v !== undefined).sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

const payloadHash = (input: SubmitReportInput) =>
  createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex');

function describeWindow(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

/**
 * The per-agency submission limit, counted in PostgreSQL so it holds across hub instances:
 * submissions of one agency queue on an advisory lock, then count that agency's reports of the
 * window. Only reports that were created count, so refused and idempotent retries never do.
 */
async function checkRateLimit(ctx: RequestContext, m: EntityManager, owner: string): Promise<void> {
  const { max, windowSeconds } = ctx.reportRateLimit;
  // Two-key form: a lock space of its own, apart from the idempotency keys' locks.
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('sar-rate'), hashtext($1))`, [owner]);
  // The max-th newest report of the window: while it is inside, the agency is at its limit; it
  // leaves the window (freeing a slot) windowSeconds after it was made.
  const rows: { retry: number }[] = await m.query(
    `SELECT GREATEST(1, ceil(extract(epoch FROM created_at + make_interval(secs => $2) - now())))::int AS retry
       FROM suspicious_activity_reports
      WHERE owner_agency = $1 AND created_at > now() - make_interval(secs => $2)
      ORDER BY created_at DESC OFFSET $3 LIMIT 1`,
    [owner, windowSeconds, max - 1],
  );
  if (rows.length === 0) return;
  const retry = rows[0].retry;
  throw rateLimited(
    `Your agency has sent ${max} reports in the last ${describeWindow(windowSeconds)}, the most the hub accepts. ` +
      `Try again in ${retry} seconds. Retrying a report with its idempotencyKey is always accepted. ` +
      'If lives or the port are in danger, call the port security authority now.',
    retry,
  );
}

export function submitReport(ctx: RequestContext, input: SubmitReportInput, idempotencyKey?: string | null) {
  authorize(ctx, { kind: 'submitReport', port: input.port });
  const now = new Date();
  const clean = validateSubmission(input, now);
  const keyProblems = new Problems();
  const key = keyProblems.text(idempotencyKey, 'idempotencyKey', LIMITS.idempotencyKey,
    'use a short value that is unique per report, such as a UUID');
  keyProblems.throwIfAny();
  const owner = ctx.principal.agency.code;
  const hash = payloadHash(input);
  return writeAudited(ctx, async (m) => {
    if (key) {
      // Same-key submissions queue here, so concurrent retries find the first one's report.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sar:${owner}:${key}`]);
      const existing = await m.getRepository(SuspiciousActivityReport).findOneBy({ ownerAgency: owner, idempotencyKey: key });
      if (existing) {
        if (existing.payloadHash !== hash) {
          throw clientError('CONFLICT', 'idempotencyKey was already used for a different report; use a new key for a new report');
        }
        return { result: existing, audit: [] };
      }
    }
    await checkRateLimit(ctx, m, owner);
    const repo = m.getRepository(SuspiciousActivityReport);
    const report = await repo.save(repo.create({
      reference: await nextReference(m, input.port, now.getUTCFullYear()),
      ownerAgency: owner,
      submittedBy: ctx.principal.subject,
      port: input.port,
      tlp: 'AMBER',
      jurisdiction: unLocodeCountry(input.port),
      recipients: [],
      vesselId: await matchVessel(m, input, clean.vesselName),
      imo: input.imo ?? null,
      mmsi: input.mmsi ?? null,
      vesselName: clean.vesselName,
      category: input.category,
      observedAt: input.observedAt,
      locationLat: input.location?.lat ?? null,
      locationLon: input.location?.lon ?? null,
      description: clean.description,
      reporterContact: clean.reporterContact,
      securityLevel: input.securityLevel ?? null,
      actionsTaken: clean.actionsTaken,
      status: 'SUBMITTED',
      idempotencyKey: key,
      payloadHash: hash,
    }));
    await recordTransition(m, ctx, report.id, null, 'SUBMITTED', null);
    return {
      result: report,
      audit: [{ operation: 'submitSuspiciousActivityReport', recordIds: [`SuspiciousActivityReport:${report.id}`], dataOwners: [owner] }],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Triage

/** Where each status may go. ESCALATED and CLOSED are final. */
export const NEXT_STATUSES: Record<ReportStatus, readonly ReportStatus[]> = {
  SUBMITTED: ['UNDER_REVIEW', 'CLOSED'],
  UNDER_REVIEW: ['ESCALATED', 'CLOSED'],
  ESCALATED: [],
  CLOSED: [],
};

/** Closing or escalating without saying why leaves the next analyst guessing. */
const NOTE_REQUIRED: Partial<Record<ReportStatus, string>> = {
  CLOSED: 'say why the report is closed (e.g. "duplicate of SAR-NLRTM-2026-000123", "no security relevance")',
  ESCALATED: 'say to whom and why the report was escalated (e.g. "handed to the port police, case 2026-0412")',
};

function checkTransition(from: ReportStatus, to: ReportStatus): void {
  const allowed = NEXT_STATUSES[from];
  if (allowed.length === 0) {
    throw badInput(`the report is ${from}, which is final: it cannot become ${to}`, 'status');
  }
  if (!allowed.includes(to)) {
    const hint = from === 'SUBMITTED' && to === 'ESCALATED' ? ' (put it UNDER_REVIEW first)' : '';
    const what = from === to ? `the report is already ${from}` : `the report is ${from} and cannot become ${to}${hint}`;
    throw badInput(`${what}; allowed next: ${allowed.join(' or ')}`, 'status');
  }
}

async function recordTransition(
  m: EntityManager, ctx: RequestContext, reportId: string, from: ReportStatus | null, to: ReportStatus, note: string | null,
): Promise<void> {
  await m.query(
    `INSERT INTO report_transitions (report_id, from_status, to_status, note, actor, actor_agency) VALUES ($1, $2, $3, $4, $5, $6)`,
    [reportId, from, to, note, ctx.principal.subject, ctx.principal.agency.code],
  );
}

async function moveReport(
  m: EntityManager, ctx: RequestContext, report: SuspiciousActivityReport, to: ReportStatus, note: string | null,
  escalatedAlertId?: string,
): Promise<void> {
  const from = report.status;
  const [row]: { updated_at: Date }[] = await m.query(
    `UPDATE suspicious_activity_reports SET status = $2, escalated_alert_id = COALESCE($3, escalated_alert_id), updated_at = now()
      WHERE id = $1 RETURNING updated_at`,
    [report.id, to, escalatedAlertId ?? null],
  );
  report.status = to;
  report.updatedAt = row.updated_at;
  if (escalatedAlertId) report.escalatedAlertId = escalatedAlertId;
  await recordTransition(m, ctx, report.id, from, to, note);
}

const reportAudit = (operation: string, r: SuspiciousActivityReport): AuditRecord => ({
  operation, recordIds: [`SuspiciousActivityReport:${r.id}`], dataOwners: [r.ownerAgency],
});

export function triageReport(ctx: RequestContext, id: string, status: ReportStatus, note?: string | null) {
  const clean = noteText(note);
  return writeAudited(ctx, async (m) => {
    const report = await lockReport(ctx, m, id);
    authorize(ctx, { kind: 'triageReport', record: report });
    checkTransition(report.status, status);
    const why = NOTE_REQUIRED[status];
    if (why && !clean) throw badInput(`a note is needed to make the report ${status}: ${why}`, 'note');
    await moveReport(m, ctx, report, status, clean);
    return { result: report, audit: [reportAudit('triageReport', report)] };
  });
}

// ---------------------------------------------------------------------------------------------
// Escalation

/** Pieces of the reporter's identity that must never be copied into an alert. */
function identityFragments(report: SuspiciousActivityReport): { plain: string[]; digits: string[] } {
  const plain = [report.reporterContact, report.submittedBy]
    // Shorter strings would turn up in innocent text.
    .filter((s): s is string => !!s && s.trim().length >= 6)
    .map((s) => s.trim().toLowerCase());
  const contact = report.reporterContact ?? '';
  for (const email of contact.match(/[^\s,;<>()]+@[^\s,;<>()]+/g) ?? []) plain.push(email.toLowerCase());
  // Phone numbers, whatever their spacing: runs of 8 or more digits once separators are gone.
  const digits = (contact.match(/\+?\d[\d\s().\/-]{6,}\d/g) ?? [])
    .map((n) => n.replace(/\D/g, ''))
    .filter((n) => n.length >= 8);
  return { plain, digits };
}

function rejectIdentityInAlert(report: SuspiciousActivityReport, input: PublishAlertInput): void {
  const { plain, digits } = identityFragments(report);
  const fields: [string, string | null | undefined][] = [
    ['title', input.title], ['description', input.description], ['intelligenceSummary', input.intelligenceSummary],
  ];
  for (const [field, value] of fields) {
    if (!value) continue;
    const lower = value.toLowerCase();
    const numbers = (value.match(/\d[\d\s().\/-]*\d/g) ?? []).map((n) => n.replace(/\D/g, ''));
    const leaks = plain.some((f) => lower.includes(f)) || digits.some((d) => numbers.some((n) => n.includes(d)));
    if (leaks) {
      throw badInput(
        `input.${field} contains the reporter's identity or contact details: remove them. The reporter's identity stays on ` +
          'the report, where only the analysts of its jurisdiction read it; an alert never carries it',
        `input.${field}`,
      );
    }
  }
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
    throw badInput(`input.vessel.imo must be the report's vessel, IMO ${imo}: an escalation alert is about the vessel reported`, 'input.vessel.imo');
  }
  if (!imo && report.mmsi && input.vessel.mmsi && input.vessel.mmsi !== report.mmsi) {
    throw badInput(`input.vessel.mmsi must be the report's MMSI ${report.mmsi}: an escalation alert is about the vessel reported`, 'input.vessel.mmsi');
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
export function escalateReport(ctx: RequestContext, id: string, input: PublishAlertInput, note?: string | null): Promise<VesselAlert> {
  const clean = noteText(note);
  return writeAudited(ctx, async (m) => {
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

// ---------------------------------------------------------------------------------------------
// History and possible duplicates, batched per request

/** Reports of the same vessel and category observed within this many hours of each other. */
export const DUPLICATE_WINDOW_HOURS = 24;

interface ReportLoaders {
  history: DataLoader<SuspiciousActivityReport, ReportTransition[], string>;
  duplicates: DataLoader<SuspiciousActivityReport, SuspiciousActivityReport[], string>;
}

// Keyed by the request's RecordAccess: one set per request (and per execution of a live event).
const loadersByRequest = new WeakMap<RecordAccess, ReportLoaders>();

interface TransitionRow {
  report_id: string;
  from_status: ReportStatus | null;
  to_status: ReportStatus;
  note: string | null;
  actor: string;
  actor_agency: string;
  at: Date;
}

function createLoaders(ctx: RequestContext): ReportLoaders {
  const history = new DataLoader<SuspiciousActivityReport, ReportTransition[], string>(async (reports) => {
    const rows: TransitionRow[] = await ctx.db.query(
      `SELECT report_id, from_status, to_status, note, actor, actor_agency, at
         FROM report_transitions WHERE report_id = ANY($1) ORDER BY report_id, id`,
      [reports.map((r) => r.id)],
    );
    return reports.map((report) => rows.filter((row) => row.report_id === report.id).map((row) =>
      Object.assign(new ReportTransition(), {
        from: row.from_status,
        status: row.to_status,
        at: row.at,
        agency: agencyByCode(ctx.policy, row.actor_agency),
        actor: row.actor,
        note: row.note,
        report,
        actorAgency: row.actor_agency,
      })));
  }, { cacheKeyFn: (r) => r.id });

  // Other reports the caller may see (the same SQL row filter as every list) of the same vessel,
  // same category, observed within the window. A vessel matches by linked vessel, IMO or MMSI;
  // by name only when one of the two reports has no identifier to compare.
  const duplicates = new DataLoader<SuspiciousActivityReport, SuspiciousActivityReport[], string>(async (reports) => {
    const filter = ctx.access.filter('SuspiciousActivityReport', 'd');
    const { entities, raw } = await ctx.db.getRepository(SuspiciousActivityReport).createQueryBuilder('d')
      .innerJoin(SuspiciousActivityReport, 's', `s.id = ANY(:dup_ids) AND s.id <> d.id AND s.category = d.category
        AND d.observed_at BETWEEN s.observed_at - make_interval(hours => :dup_hours) AND s.observed_at + make_interval(hours => :dup_hours)
        AND (s.vessel_id = d.vessel_id OR s.imo = d.imo OR s.mmsi = d.mmsi
             OR ((s.imo IS NULL OR d.imo IS NULL) AND (s.mmsi IS NULL OR d.mmsi IS NULL)
                 AND upper(s.vessel_name) = upper(d.vessel_name)))`,
      { dup_ids: reports.map((r) => r.id), dup_hours: DUPLICATE_WINDOW_HOURS })
      .where(filter.sql, filter.params)
      .addSelect('s.id', 'dup_source')
      .orderBy('d.observed_at', 'ASC').addOrderBy('d.id', 'ASC')
      .getRawAndEntities();
    const byId = new Map(entities.map((e) => [e.id, e]));
    const pairs = (raw as { dup_source: string; d_id: string }[]).map((row) => [row.dup_source, row.d_id] as const);
    return reports.map((report) => {
      const ids = [...new Set(pairs.filter(([src]) => src === report.id).map(([, dup]) => dup))];
      return ids.map((dupId) => byId.get(dupId)!).filter(Boolean);
    });
  }, { cacheKeyFn: (r) => r.id });

  return { history, duplicates };
}

function loaders(ctx: RequestContext): ReportLoaders {
  let l = loadersByRequest.get(ctx.access);
  if (!l) {
    l = createLoaders(ctx);
    loadersByRequest.set(ctx.access, l);
  }
  return l;
}

export const reportHistory = (ctx: RequestContext, report: SuspiciousActivityReport) => loaders(ctx).history.load(report);
export const possibleDuplicates = (ctx: RequestContext, report: SuspiciousActivityReport) => loaders(ctx).duplicates.load(report);
