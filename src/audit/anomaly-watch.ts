/**
 * Insider-threat signals (issue 13, item 3): reads of an agency's data, counted from the audit
 * trail, that go beyond the agency's thresholds (policies/anomalies.yaml) raise an audit anomaly
 * for its auditors.
 *
 * Reads are the records of operations readRecords and readSensitiveFields that name the agency
 * among their data owners, counted as the ids they list, per subject (and its agency). Two kinds:
 * - READ_VOLUME: in a window, at least minReads and more than baselineMultiple x the subject's
 *   mean per window over the 30 days before the window (a subject new to the data has mean 0);
 * - PARTNER_SPREAD: in a window, records of at least minPartners agencies other than the
 *   subject's own, this one among them (raised for each of them).
 * Windows are aligned on the epoch; the running window and the one before it are evaluated, so
 * an anomaly is raised as soon as the reads cross the line, and reads sealed late still count.
 * One statement evaluates every agency; the unique key (owner, subject, agency, kind, window)
 * raises each anomaly once however often it runs, on however many instances.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Availability } from '../common/db-availability';
import { anomalyThresholdsFor, type Agency, type PolicySet, type Principal } from '../policy/types';
import type { NoticeReader } from '../request/live-notices';
import { AuditAnomaly } from './anomaly.entity';
import { appendAudit, sealAuditInbox } from './audit.service';

/** The operations that record reads of another agency's records. */
const READ_RECORD_OPERATIONS = ['readRecords', 'readSensitiveFields'];
/** How far back a subject's own baseline reaches. */
const BASELINE_SECONDS = 30 * 86_400;
/** One evaluation at a time across instances (the unique key would also catch a race). */
const ANOMALY_LOCK_KEY = 0x616e6f6d; // "anom"

/** Who raises anomalies on the audit trail: the hub itself, on the owner's behalf. */
const ANOMALY_WATCH_SUBJECT = 'portcullis:anomaly-watch';

const ANOMALY_COLUMNS = `id, kind, owner_agency AS "ownerAgency", agency, subject, window_start AS "windowStart", window_end AS "windowEnd",
  reads, baseline, partners, threshold, raised_at AS "raisedAt"`;

const EVALUATE = `
WITH t AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(owner text, vw int, vmin int, vmul float8, sw int, smin int)
),
recent AS (
  SELECT * FROM audit_events WHERE operation = ANY($3) AND at >= $2::timestamptz - make_interval(secs => (SELECT 2 * max(greatest(vw, sw)) FROM t))
),
vw AS (
  SELECT t.*, to_timestamp((floor(extract(epoch FROM $2::timestamptz) / t.vw) - k) * t.vw) AS ws
  FROM t CROSS JOIN generate_series(0, 1) AS k
),
volume AS (
  SELECT vw.owner, e.agency, e.subject, vw.ws, vw.ws + make_interval(secs => vw.vw) AS we, vw.vw, vw.vmin, vw.vmul,
         sum(cardinality(e.record_ids))::int AS reads
  FROM vw JOIN recent e ON e.data_owners @> ARRAY[vw.owner] AND e.at >= vw.ws AND e.at < vw.ws + make_interval(secs => vw.vw)
  GROUP BY vw.owner, e.agency, e.subject, vw.ws, vw.vw, vw.vmin, vw.vmul
  HAVING sum(cardinality(e.record_ids)) >= vw.vmin
),
volume_with_baseline AS (
  SELECT v.*, coalesce(b.reads, 0)::float8 * v.vw / ${BASELINE_SECONDS} AS baseline
  FROM volume v LEFT JOIN LATERAL (
    SELECT sum(cardinality(p.record_ids)) AS reads FROM audit_events p
    WHERE p.subject = v.subject AND p.agency = v.agency AND p.operation = ANY($3) AND p.data_owners @> ARRAY[v.owner]
      AND p.at >= v.ws - make_interval(secs => ${BASELINE_SECONDS}) AND p.at < v.ws
  ) b ON true
),
sw AS (
  SELECT t.*, to_timestamp((floor(extract(epoch FROM $2::timestamptz) / t.sw) - k) * t.sw) AS ws
  FROM t CROSS JOIN generate_series(0, 1) AS k
),
spread AS (
  SELECT sw.owner, e.agency, e.subject, sw.ws, sw.ws + make_interval(secs => sw.sw) AS we, sw.sw, sw.smin,
         count(DISTINCT d.owner)::int AS partners,
         coalesce(sum(cardinality(e.record_ids)) FILTER (WHERE d.owner = sw.owner), 0)::int AS reads
  FROM sw JOIN recent e ON e.at >= sw.ws AND e.at < sw.ws + make_interval(secs => sw.sw)
  CROSS JOIN LATERAL unnest(e.data_owners) AS d(owner)
  WHERE d.owner <> e.agency
  GROUP BY sw.owner, e.agency, e.subject, sw.ws, sw.sw, sw.smin
  HAVING count(DISTINCT d.owner) >= sw.smin AND bool_or(d.owner = sw.owner)
)
INSERT INTO audit_anomalies (kind, owner_agency, agency, subject, window_start, window_end, reads, baseline, partners, threshold)
SELECT 'READ_VOLUME', owner, agency, subject, ws, we, reads, baseline, NULL,
       format('at least %s reads in %s s, and more than %s times the mean of the 30 days before', vmin, vw, vmul)
FROM volume_with_baseline WHERE reads > vmul * baseline
UNION ALL
SELECT 'PARTNER_SPREAD', owner, agency, subject, ws, we, reads, NULL, partners,
       format('records of at least %s agencies other than its own in %s s', smin, sw)
FROM spread
ON CONFLICT DO NOTHING
RETURNING ${ANOMALY_COLUMNS}`;

/** The principal the hub records an anomaly under: its watch, acting for the data owner. */
function watchPrincipal(owner: Agency): Principal {
  return { subject: ANOMALY_WATCH_SUBJECT, agency: owner, roles: [], issuer: 'portcullis', expiresAt: 0 };
}

/**
 * Evaluates every member agency's thresholds over the audit trail as of `now` and raises what
 * crossed them; returns the anomalies raised now (none that were raised before). Each is recorded
 * on the audit trail in the same transaction (operation raiseAuditAnomaly, the owner as data owner).
 */
export async function evaluateAnomalies(db: DataSource | EntityManager, policy: PolicySet, now = new Date()): Promise<AuditAnomaly[]> {
  const thresholds = [...policy.agencies.keys()].map((owner) => {
    const t = anomalyThresholdsFor(policy, owner);
    return {
      owner,
      vw: t.readVolume.windowSeconds,
      vmin: t.readVolume.minReads,
      vmul: t.readVolume.baselineMultiple,
      sw: t.partnerSpread.windowSeconds,
      smin: t.partnerSpread.minPartners,
    };
  });
  if (thresholds.length === 0) return [];
  return db.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [ANOMALY_LOCK_KEY]);
    const rows: AuditAnomaly[] = await m.query(EVALUATE, [JSON.stringify(thresholds), now, READ_RECORD_OPERATIONS]);
    for (const a of rows) {
      await appendAudit(m, { principal: watchPrincipal(policy.agencies.get(a.ownerAgency)!) }, [
        { operation: 'raiseAuditAnomaly', recordIds: [`AuditAnomaly:${a.id}`], dataOwners: [a.ownerAgency] },
      ]);
    }
    return rows.map((r) => Object.assign(new AuditAnomaly(), r));
  });
}

/** Anomalies raised by transactions in [from, to): the live feed's reader (src/request/live-notices.ts). */
export const readRaisedAnomalies: NoticeReader<AuditAnomaly> = async (db, from, to) => {
  const rows: AuditAnomaly[] = await db.query(
    `SELECT ${ANOMALY_COLUMNS} FROM audit_anomalies WHERE xid >= $1::xid8 AND xid < $2::xid8 ORDER BY raised_at, id`,
    [from, to],
  );
  return rows.map((r) => Object.assign(new AuditAnomaly(), r));
};

/**
 * Seals the audit inbox and evaluates the thresholds every `intervalMs` on this instance
 * (ANOMALY_CHECK_SECONDS); `raised` hears of what it raised.
 */
export class AnomalyWatch {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: DataSource,
    private readonly policy: () => PolicySet,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly raised: (anomalies: AuditAnomaly[]) => void,
    private readonly availability?: Pick<Availability, 'down'>,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.availability?.down) return;
      this.running ??= this.check()
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Seal what is recorded so far, then evaluate. */
  async check(): Promise<AuditAnomaly[]> {
    await sealAuditInbox(this.db);
    const anomalies = await evaluateAnomalies(this.db, this.policy());
    if (anomalies.length > 0) this.raised(anomalies);
    return anomalies;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
