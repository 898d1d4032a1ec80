/**
 * Issue 10, item 8: the embedded PostgreSQL's superuser password is per installation: generated
 * on first start, kept beside the data directory (0600), reused on restart, read by tools that
 * join the running hub's database; an installation initialised with the former constant still
 * starts and is moved to a generated password once. A real embedded server in a temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { embeddedUrl } from '../src/db/embedded';

const ROOT = path.resolve(__dirname, '..');
const CHILD = path.join(__dirname, 'support', 'embedded-child.ts');
const LEGACY = 'portcullis-embedded';

jest.setTimeout(120_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

function run(mode: string, dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, mode, dataDir, String(port)], { cwd: ROOT });
}

/** Starts the embedded server in a child; its URL and a stop that waits for it to exit. */
async function start(dataDir: string, port: number): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const child = run('start', dataDir, port);
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    let line = '';
    child.stdout!.on('data', (d) => {
      line += d;
      if (line.includes('\n')) resolve((JSON.parse(line.split('\n')[0]) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`embedded server exited (${code}): ${out}`)));
  });
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

async function loginWorks(port: number, password: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === '28P01') return false;
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-pgpass-'));
  fs.chmodSync(dir, 0o755); // as root, the postgres user must reach the data directory
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a new installation generates its password (0600, beside the data directory), reuses it on restart, and tools read it', async () => {
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  const first = await start(dataDir, port);
  const file = `${dataDir}.password`;
  const password = fs.readFileSync(file, 'utf8').trim();
  try {
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.url).toBe(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
    expect(await loginWorks(port, password)).toBe(true);
    expect(await loginWorks(port, LEGACY)).toBe(false);
    // A tool joining the running hub's database (openOrJoinDatabase) builds the same URL.
    expect(embeddedUrl(port, dataDir)).toBe(first.url);
    expect(first.output()).not.toContain(password);
    // The throwaway it was initialised with is gone, and passwords are checked by SCRAM, never sent in clear.
    expect(fs.existsSync(`${dataDir}.password.init`)).toBe(false);
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await client.connect();
    try {
      const rules = await client.query(`SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'`);
      expect(rules.rows).toEqual([{ auth_method: 'scram-sha-256' }]);
    } finally {
      await client.end();
    }
  } finally {
    await first.stop();
  }
  // With its server down, the password goes to no other process that holds the port.
  const impostor = net.createServer();
  await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
  try {
    expect(() => embeddedUrl(port, dataDir)).toThrow(`port ${port} is in use, but not by the embedded PostgreSQL of ${dataDir}`);
  } finally {
    await new Promise((resolve) => impostor.close(resolve));
  }
  const second = await start(dataDir, port);
  try {
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(password);
    expect(second.url).toBe(first.url);
    expect(await loginWorks(port, password)).toBe(true);
  } finally {
    await second.stop();
  }
  // Another installation gets another password.
  const other = await start(path.join(dir, 'other'), await freePort());
  await other.stop();
  expect(fs.readFileSync(path.join(dir, 'other.password'), 'utf8').trim()).not.toBe(password);
});

test('an installation initialised with the former constant still starts, and its password is replaced once', async () => {
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  const init = run('legacy-init', dataDir, port);
  expect(await new Promise((resolve) => init.once('exit', resolve))).toBe(0);
  expect(fs.existsSync(`${dataDir}.password`)).toBe(false);

  const first = await start(dataDir, port);
  const password = fs.readFileSync(`${dataDir}.password`, 'utf8').trim();
  try {
    expect(password).not.toBe(LEGACY);
    expect(fs.statSync(`${dataDir}.password`).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${dataDir}.password.pending`)).toBe(false);
    expect(first.url).toBe(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
    expect(await loginWorks(port, password)).toBe(true);
    expect(await loginWorks(port, LEGACY)).toBe(false);
    expect(first.output()).not.toContain(password);
  } finally {
    await first.stop();
  }
  const second = await start(dataDir, port);
  try {
    expect(await loginWorks(port, password)).toBe(true);
  } finally {
    await second.stop();
  }
});
