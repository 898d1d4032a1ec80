import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from '../api/modules';

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
