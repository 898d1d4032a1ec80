import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { VesselAlert } from '../alert/vessel-alert.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { SuspiciousActivityReport } from '../report/report.entity';
import { Vessel } from '../vessel/vessel.entity';
import { Watchlist } from '../watchlist/watchlist.entity';
import { WatchlistEntry } from '../watchlist/watchlist-entry.entity';
import { Sighting } from '../watchlist/sighting.entity';
import { Webhook, WebhookDelivery } from '../webhook/webhook.entity';

export const ENTITIES = [Vessel, Watchlist, WatchlistEntry, VesselAlert, SuspiciousActivityReport, AuditEvent, Sighting, Webhook, WebhookDelivery];

/** Schema changes only through migrations: synchronize stays off. */
export function createDataSource(url: string, opts: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.applicationName ?? 'portcullis',
  });
}

/** Connect and bring the schema up to date; returns the names of migrations applied now. */
export async function connectAndMigrate(url: string, opts?: { poolSize?: number }): Promise<DataSource> {
  const ds = createDataSource(url, opts);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
