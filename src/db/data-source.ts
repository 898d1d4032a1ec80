import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from '../api/modules';
import { DeadlineClient } from './deadline-client';

export interface DataSourceOptions {
  poolSize?: number;
  applicationName?: string;
  /** statement_timeout of every connection (the hub's REQUEST_TIMEOUT_MS); none when left out. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (from the pool, or a new one) before giving up; DEFAULT_CONNECT_TIMEOUT_MS when left out. */
  connectTimeoutMs?: number;
}

/**
 * A server that does not answer must not hold a request past the hub's promise of an answer
 * within 5 s during an outage: a connection not had in 3 s fails, and the request is answered
 * SERVICE_UNAVAILABLE (src/graphql/format-error.ts).
 */
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

/** Schema changes only through migrations: synchronize stays off. */
export function createDataSource(url: string, opts: DataSourceOptions = {}): DataSource {
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
    extra: {
      // Statements of a request are refused, or cancelled, once its deadline has passed.
      Client: DeadlineClient,
      // pg-pool's: waiting for a free connection or for a new one to open.
      connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // pg sends it when each connection opens: no statement runs longer, in a request or not.
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    },
  });
}

/**
 * Connect and bring the schema up to date. With a statement timeout, migrations run first on
 * connections of their own without it: a migration of existing data may take longer than a request.
 */
export async function connectAndMigrate(url: string, opts: DataSourceOptions = {}): Promise<DataSource> {
  const { statementTimeoutMs, ...rest } = opts;
  const migrator = createDataSource(url, { ...rest, poolSize: statementTimeoutMs ? 1 : rest.poolSize });
  await migrator.initialize();
  await migrator.runMigrations({ transaction: 'each' });
  if (!statementTimeoutMs) return migrator;
  await migrator.destroy();
  const ds = createDataSource(url, opts);
  await ds.initialize();
  return ds;
}
