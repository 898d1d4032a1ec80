/**
 * Vessel alerts. Every publish and status change queues an event in the same transaction, which
 * the alert stream sequences right after the commit (src/alert/alert-stream.ts); the alert
 * carries the sequence of its latest event.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { AlertStatus } from '../graphql/enums';
import { badInput, notFound } from '../common/errors';
import { unLocodeCountry } from '../common/identifiers';
import { agencyCodes, coordinates, text } from '../common/validate';
import { paginate, type PageArgs, type SortKey } from '../graphql/connection';
import { toGlobalId, uuidOf } from '../graphql/ids';
import { authorize, visibleRows } from '../request/authorize';
import { writeAudited } from '../audit/write-audited';
import { writeOnce } from '../audit/write-once';
import { byIdLoader } from '../request/by-id-loader';
import { defineLoader, type RequestContext } from '../request/context';
import { identityAsGiven, vesselIdFor } from '../vessel/vessel.service';
import { whereAlertMatches, type AlertFilter } from './alert-filter';
import type { PublishAlertInput } from './alert.inputs';
import { queueStreamEvent, sequenceQueuedEvents } from './alert-stream';
import { VesselAlert } from './vessel-alert.entity';
import { MAX_EVIDENCE, type StoredDetection } from './alert-detection';

/** An alert by id, unfiltered: for a reference (a report's escalation), which the engine then decides on its own. */
export const alertById = defineLoader((ctx) => byIdLoader(ctx.db, VesselAlert));

const NEWEST_FIRST: SortKey = { column: 'a.issued_at', property: 'issuedAt', kind: 'timestamp' };

export const visibleAlerts = (ctx: RequestContext, m: EntityManager = ctx.db.manager) =>
  visibleRows(ctx, m, VesselAlert, 'VesselAlert', 'a');

export function listAlerts(ctx: RequestContext, filter: AlertFilter | null | undefined, page: PageArgs, vesselId?: string) {
  const qb = visibleAlerts(ctx);
  if (vesselId) qb.andWhere('a.vessel_id = :vid', { vid: vesselId });
  whereAlertMatches(qb, filter, 'a');
  return paginate(qb, 'a', NEWEST_FIRST, 'DESC', page);
}

export function findAlert(ctx: RequestContext, id: string, m?: EntityManager, lock = false) {
  const qb = visibleAlerts(ctx, m).andWhere('a.id = :id', { id: uuidOf('VesselAlert', id) });
  return (lock ? qb.setLock('pessimistic_write') : qb).getOne();
}

/** Queues the alert's event in the writer's transaction; `sequenced` runs after the commit. */
async function queueAlertEvent(
  m: EntityManager,
  alert: VesselAlert,
  kind: 'PUBLISHED' | 'UPDATED',
  actor: string,
  note: string | null = null,
): Promise<void> {
  await queueStreamEvent(m, { alertId: alert.id, kind, status: alert.status, note, actor });
}

/**
 * After the commit: moves queued events onto the stream and gives the alert its sequence. If this
 * fails, the stream's poll moves the event, and the answer carries the alert's previous sequence
 * (0 for a new alert).
 */
export async function sequenced(db: DataSource, alert: VesselAlert): Promise<void> {
  const mine = (await sequenceQueuedEvents(db)).filter((e) => e.alertId === alert.id).at(-1);
  // Another writer's move may have carried this alert's event: read what it stamped.
  alert.sequence =
    mine?.sequence ?? (await db.query('SELECT sequence::text AS sequence FROM vessel_alerts WHERE id = $1', [alert.id]))[0].sequence;
}

/** What an automatic alert adds (src/ais/): its detection, and the key that makes it one per vessel, rule and visit. */
export interface AutomaticOrigin {
  detection: StoredDetection;
  key: string;
  /** Raised from a watchlist entry: seen only where the entry would be (the engine's derived records). */
  derivedFrom: 'WatchlistEntry' | null;
}

/** Publish within an open transaction (also used by report escalation and AIS detections), the stream event queued with it. */
export async function publishAlertIn(
  m: EntityManager,
  ctx: RequestContext,
  input: PublishAlertInput,
  reportId: string | null = null,
  automatic: AutomaticOrigin | null = null,
): Promise<VesselAlert> {
  const owner = ctx.principal.agency.code;
  authorize(ctx, { kind: 'publish', type: 'VesselAlert', ownerAgency: owner });
  const jurisdiction = input.jurisdiction ?? (input.port ? unLocodeCountry(input.port) : undefined);
  if (!jurisdiction) throw badInput('jurisdiction is required when no port is given', 'jurisdiction');
  coordinates(input.location);
  const now = new Date();
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw badInput('expiresAt must be in the future', 'expiresAt');
  }
  const values = {
    category: input.category,
    severity: input.severity,
    title: text(input.title, 'title', 200),
    description: text(input.description, 'description', 10000),
    port: input.port ?? null,
    locationLat: input.location?.lat ?? null,
    locationLon: input.location?.lon ?? null,
    tlp: input.tlp,
    jurisdiction,
    recipients: agencyCodes(input.recipients, 'recipients', ctx.policy.agencies, ctx.policy.departed),
    ownerAgency: owner,
    status: 'ACTIVE' as AlertStatus,
    issuedAt: now,
    expiresAt: input.expiresAt ?? null,
    intelligenceSummary: text(input.intelligenceSummary, 'intelligenceSummary', 10000),
    reportId,
    sequence: '0',
    origin: automatic ? ('AUTOMATIC' as const) : ('MANUAL' as const),
    storedDetection: automatic?.detection ?? null,
    detectionKey: automatic?.key ?? null,
    derivedFrom: automatic?.derivedFrom ?? null,
  };
  // The alert keeps the vessel as its author gave it; the registry learns nothing from it.
  const vesselAsGiven = identityAsGiven(input.vessel);
  const vesselId = await vesselIdFor(m, vesselAsGiven.imo);
  const repo = m.getRepository(VesselAlert);
  const alert = await repo.save(repo.create({ ...values, vesselId, vesselAsGiven }));
  await queueAlertEvent(m, alert, 'PUBLISHED', ctx.principal.subject);
  return alert;
}

/**
 * Later evidence of the same detection: the automatic alert's detection takes the new explanation
 * and observation time and appends the evidence (the newest MAX_EVIDENCE kept), and subscribers
 * get an UPDATED event. Within the caller's transaction; null when no alert has this key.
 */
export async function addDetectionEvidence(
  m: EntityManager,
  key: string,
  update: Pick<StoredDetection, 'observedAt' | 'explanation' | 'evidence'>,
  actor: string,
): Promise<VesselAlert | null> {
  const repo = m.getRepository(VesselAlert);
  const alert = await repo.createQueryBuilder('a').where('a.detection_key = :key', { key }).setLock('pessimistic_write').getOne();
  if (!alert?.storedDetection) return null;
  alert.storedDetection = {
    ...alert.storedDetection,
    observedAt: update.observedAt,
    explanation: update.explanation,
    evidence: [...alert.storedDetection.evidence, ...update.evidence].slice(-MAX_EVIDENCE),
  };
  await repo.update({ id: alert.id }, { storedDetection: alert.storedDetection });
  await queueAlertEvent(m, alert, 'UPDATED', actor);
  return alert;
}

const alertAudit = (operation: string, a: VesselAlert) => ({
  operation,
  recordIds: [`VesselAlert:${a.id}`],
  dataOwners: [a.ownerAgency],
});

/** The alert a call with an idempotency key made, as the caller may see it now. */
export const replayAlert = (ctx: RequestContext) => (m: EntityManager, id: string) =>
  findAlert(ctx, toGlobalId('VesselAlert', id), m).then((a) => a ?? null);

export function publishAlert(ctx: RequestContext, input: PublishAlertInput, idempotencyKey?: string | null): Promise<VesselAlert> {
  // Before a retry is answered from its key: only a publisher may have an alert answered.
  authorize(ctx, { kind: 'publish', type: 'VesselAlert', ownerAgency: ctx.principal.agency.code });
  const once = {
    operation: 'publishAlert',
    noun: 'alert',
    key: idempotencyKey,
    payload: input,
    idOf: (a: VesselAlert) => a.id,
    replay: replayAlert(ctx),
  };
  return writeOnce(ctx, once, async (m) => {
    const alert = await publishAlertIn(m, ctx, input);
    return { result: alert, audit: [alertAudit('publishAlert', alert)], afterCommit: () => sequenced(ctx.db, alert) };
  });
}

/** WITHDRAWN is final: a withdrawn alert was wrong and must not come back. */
const TERMINAL: ReadonlySet<AlertStatus> = new Set(['WITHDRAWN']);

export function updateAlertStatus(ctx: RequestContext, id: string, status: AlertStatus, note?: string | null) {
  return writeAudited(ctx, async (m) => {
    const alert = await findAlert(ctx, id, m, true);
    if (!alert) throw notFound('alert', id);
    authorize(ctx, { kind: 'publish', type: 'VesselAlert', ownerAgency: alert.ownerAgency });
    if (TERMINAL.has(alert.status)) throw badInput(`the alert is ${alert.status} and can no longer change`, 'status');
    if (alert.status === status) throw badInput(`the alert is already ${status}`, 'status');
    alert.status = status;
    await m.getRepository(VesselAlert).update({ id: alert.id }, { status });
    await queueAlertEvent(m, alert, 'UPDATED', ctx.principal.subject, text(note, 'note', 2000));
    return { result: alert, audit: [alertAudit('updateAlertStatus', alert)], afterCommit: () => sequenced(ctx.db, alert) };
  });
}
