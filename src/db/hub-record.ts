/**
 * What a running hub (or a command-line tool that started the embedded server itself) leaves on
 * disk, in the folder of the embedded data directory (`.data/` for `.data/pg`):
 *
 * - `hub.json`, the record of the embedded server: who started it (pid, and the process's start
 *   time, so a reused pid is not taken for it), its data directory, port and postmaster pid, and
 *   the hub's URL once it listens. Written atomically; removed when its owner stops. Tools read it
 *   to say who holds the server; a second hub refuses to start while its owner runs.
 * - `hub.pid`, the hub's pid alone, for `kill -HUP "$(cat .data/hub.pid)"`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from './embedded';

export interface HubRecord {
  /** The process that started the embedded server and will stop it. */
  pid: number;
  /** Its start time (/proc), when known: a record whose pid now names another process is stale. */
  startTime?: string;
  /** `hub`, or the command of the tool that started the server (`npm run import`). */
  owner: string;
  dataDir: string;
  /** The embedded PostgreSQL's port and postmaster pid. */
  port: number;
  postmasterPid?: number;
  /** The hub's GraphQL URL, once it listens. */
  url?: string;
}

export const recordFileOf = (dataDir: string) => path.join(path.dirname(path.resolve(dataDir)), 'hub.json');
export const pidFileOf = (dataDir: string) => path.join(path.dirname(path.resolve(dataDir)), 'hub.pid');

/** Field 22 of /proc/<pid>/stat (after the parenthesised command): when the process started. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Is the process that wrote `record` still running (the same process, not a reuse of its pid)? */
function ownerAlive(record: HubRecord): boolean {
  if (!processAlive(record.pid)) return false;
  return record.startTime === undefined || startTimeOf(record.pid) === undefined || startTimeOf(record.pid) === record.startTime;
}

function readRecord(file: string): HubRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as HubRecord;
    return Number.isInteger(record?.pid) ? record : undefined;
  } catch {
    return undefined; // missing, or cut short by a crash while written: as good as none
  }
}

/** The record in `file`, if the process that wrote it still runs. */
function liveRecord(file: string): HubRecord | undefined {
  const record = readRecord(file);
  return record && ownerAlive(record) ? record : undefined;
}

const tmpOf = (file: string) => `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;

/** Writes `text` to `file` at once: readers see the old content or the new, never a part. */
function writeAtomically(file: string, text: string): void {
  const tmp = tmpOf(file);
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
}

/**
 * Claims the embedded server of `record.dataDir` for this process: writes the record unless a live
 * process holds it (that one's record is returned). A record whose owner is gone is replaced. Two
 * processes claiming at the same instant: one wins the exclusive create; PostgreSQL's own lock file
 * (postmaster.pid) stops a second server on one data directory in any case.
 */
export function claimRecord(
  file: string,
  record: Omit<HubRecord, 'pid' | 'startTime'>,
): { claimed: true; record: HubRecord } | { claimed: false; holder: HubRecord } {
  const mine: HubRecord = { pid: process.pid, startTime: startTimeOf(process.pid), ...record };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const tmp = tmpOf(file);
    fs.writeFileSync(tmp, `${JSON.stringify(mine, null, 2)}\n`, { mode: 0o644, flag: 'wx' });
    try {
      fs.linkSync(tmp, file); // fails if the file exists
      return { claimed: true, record: mine };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const holder = liveRecord(file);
    if (holder) return { claimed: false, holder };
    fs.rmSync(file, { force: true }); // its owner is gone
  }
  throw new Error(`could not claim ${file}: it keeps changing`);
}

/** Rewrites this process's record (as `update` changes it); nothing if the record is no longer its own. */
export function updateRecord(file: string, update: Partial<HubRecord>): void {
  const record = readRecord(file);
  if (record?.pid !== process.pid) return;
  writeAtomically(file, `${JSON.stringify({ ...record, ...update }, null, 2)}\n`);
}

/** Removes `file` if this process wrote it (a record or a pid file); a successor's is left. */
export function releaseFile(file: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return;
  }
  const pid = text.trim().startsWith('{') ? readRecord(file)?.pid : Number(text.trim());
  if (pid === process.pid) fs.rmSync(file, { force: true });
}

/**
 * Writes this process's pid to `file`, unless another live process's pid is there and `replace`
 * is false (that pid is returned then). The hub that holds the embedded server's record replaces
 * it: it is the hub of this folder, and the pid left by a crash may name anything by now.
 */
export function writePidFile(file: string, replace: boolean): number | undefined {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const other = Number(fs.readFileSync(file, { encoding: 'utf8', flag: 'a+' }).trim());
  if (!replace && Number.isInteger(other) && other > 0 && other !== process.pid && processAlive(other)) return other;
  writeAtomically(file, `${process.pid}\n`);
  return undefined;
}
