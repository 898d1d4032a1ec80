/** What every resolver receives: the verified principal and one request's policy snapshot. */
import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import type { AuditRecord } from '../audit/audit.service';
import { DEFAULT_REPORT_RATE_LIMIT, type RateLimit } from '../config';
import { RecordAccess } from './record-access';
import type { PolicySet, Principal } from '../policy/types';
import { Vessel } from '../vessel/vessel.entity';
import { Watchlist } from '../watchlist/watchlist.entity';
import { VesselAlert } from '../alert/vessel-alert.entity';
import { WatchlistEntry } from '../watchlist/watchlist-entry.entity';
import type { WebhookRuntime } from '../webhook/settings';

export interface RequestContext {
  principal: Principal;
  /** The policy set in force when the request began; a reload never changes it mid-request. */
  policy: PolicySet;
  db: DataSource;
  access: RecordAccess;
  loaders: Loaders;
  requestId: string;
  /** Reads of other agencies' sensitive fields, appended to the audit trail after the response. */
  sensitiveReads: Map<string, AuditRecord>;
  /** Report submissions per agency (REPORT_RATE_LIMIT, REPORT_RATE_WINDOW_SECONDS). */
  reportRateLimit: RateLimit;
  /** Webhook settings and secret cipher of this hub (src/webhook); from the environment when absent. */
  webhooks?: WebhookRuntime;
}

function byId<T extends { id: string }>(db: DataSource, entity: new () => T) {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const rows = await db.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id));
  });
}

/** Entries in force of many vessels in one query, through the same row filter as every list. */
function entriesInForceByVessel(db: DataSource, access: RecordAccess) {
  return new DataLoader<string, WatchlistEntry[]>(async (vesselIds) => {
    const filter = access.filter('WatchlistEntry', 'e');
    const rows = await db.getRepository(WatchlistEntry).createQueryBuilder('e')
      .where(filter.sql, filter.params)
      .andWhere('e.vessel_id = ANY(:vids)', { vids: [...vesselIds] })
      .andWhere('e.valid_from <= now() AND (e.valid_until IS NULL OR e.valid_until > now())')
      .orderBy('e.created_at', 'ASC').addOrderBy('e.id', 'ASC')
      .getMany();
    return vesselIds.map((id) => rows.filter((r) => r.vesselId === id));
  });
}

/**
 * Loaders for records reached by reference (never for direct lookups, which filter in SQL),
 * and batched filtered lists.
 */
export function createLoaders(db: DataSource, access: RecordAccess) {
  return {
    vessel: byId(db, Vessel),
    referencedWatchlist: byId(db, Watchlist),
    referencedAlert: byId(db, VesselAlert),
    visibleEntriesOfVessel: entriesInForceByVessel(db, access),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

export function createContext(
  db: DataSource, policy: PolicySet, principal: Principal, requestId: string, now = new Date(),
  settings: { reportRateLimit?: RateLimit; webhooks?: WebhookRuntime } = {},
): RequestContext {
  const access = new RecordAccess(policy, principal, now);
  return {
    principal,
    policy,
    db,
    access,
    loaders: createLoaders(db, access),
    requestId,
    sensitiveReads: new Map(),
    reportRateLimit: settings.reportRateLimit ?? DEFAULT_REPORT_RATE_LIMIT,
    webhooks: settings.webhooks,
  };
}
