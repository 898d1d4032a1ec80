/** Which PostgreSQL the hub uses: DATABASE_URL when given, otherwise the embedded one. */
import type { Config } from '../config';
import { embeddedUrl, portIsFree, startEmbeddedPostgres } from './embedded';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** `onNotice`: told what the embedded server's start changed on this machine (folder modes, its password). */
export async function openDatabase(config: Config, onNotice?: (message: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  const pg = await startEmbeddedPostgres({ dataDir: config.embeddedPgDir, port: config.embeddedPgPort, onNotice });
  return { url: pg.url, embedded: true, stop: pg.stop };
}

/**
 * For command-line tools (`npm run import`, `npm run audit:verify`): DATABASE_URL; else the
 * embedded server: the running hub's if it is up, or started here (and stopped by `stop`).
 */
export async function openOrJoinDatabase(config: Config): Promise<DatabaseHandle> {
  if (!config.databaseUrl && !(await portIsFree(config.embeddedPgPort))) {
    return { url: embeddedUrl(config.embeddedPgPort, config.embeddedPgDir), embedded: true, stop: async () => undefined };
  }
  return openDatabase(config);
}

/** Hide the password when a URL is shown to a person. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
