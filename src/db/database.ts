/** Which PostgreSQL the hub uses: DATABASE_URL when given, otherwise the embedded one. */
import type { Config } from '../config';
import { startEmbeddedPostgres } from './embedded';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function openDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  const pg = await startEmbeddedPostgres({ dataDir: config.embeddedPgDir, port: config.embeddedPgPort });
  return { url: pg.url, embedded: true, stop: pg.stop };
}

/** Hide the password when a URL is shown to a person. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
