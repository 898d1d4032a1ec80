/**
 * Issue 12, items 8 and 9: command-line tools never hurt a running hub, and keep their exit
 * statuses. Real processes over a real embedded PostgreSQL in a temporary folder:
 *
 * - a hub (as `npm start` runs it) on non-default ports records its embedded server in hub.json
 *   and its pid in hub.pid beside the data directory;
 * - `audit:verify`, `import` and `migrate`, given the data directory but not the port, join the
 *   hub's server: their exit statuses (verify 0 intact, 1 broken; import 3 bad rows, 1 unknown
 *   watchlist) hold, and the hub and its postmaster keep running and answering;
 * - a second hub with plain settings is refused with what to do, and the first keeps answering;
 * - `kill -HUP "$(cat hub.pid)"` reloads the policies; SIGTERM stops the hub, which exits 0 and
 *   removes its records;
 * - with no hub, the same tools start the server themselves, keep the same exit statuses, and
 *   leave no server running.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { tokenFor } from './support/hub';
import { badImo, imoFrom } from './support/vessels';
import { pollUntil, sleep } from './support/wait';

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

jest.setTimeout(120_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let dataDir: string;
/** Plain settings: the data directory (a test cannot use the checkout's .data/) and nothing about a hub or a port. */
let plain: NodeJS.ProcessEnv;

/** A program of the repository (`scripts/verify-audit.ts`, `src/main.ts`) with `env`; its exit status and output. */
function program(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  return run(process.execPath, [...TS_NODE, file, ...args], { cwd: ROOT, env, timeout: 90_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: Result) => e,
  );
}

const verify = (env = plain) => program('scripts/verify-audit.ts', [], env);
const importFile = (args: string[], env = plain) => program('scripts/import.ts', args, env);

interface Hub {
  child: ChildProcess;
  output: () => string;
  port: number;
  pgPort: number;
}

async function startHub(): Promise<Hub> {
  const port = await freePort();
  const pgPort = await freePort();
  let out = '';
  const child = spawn(process.execPath, [...TS_NODE, 'src/main.ts'], {
    cwd: ROOT,
    env: { ...plain, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort) },
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Portcullis is running')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`hub did not start:\n${out}`);
    await sleep(200);
  }
  return { child, output: () => out, port, pgPort };
}

async function gql(hub: Hub, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`http://127.0.0.1:${hub.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor('nl-customs', ['analyst'])}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

/** SQL on the embedded server of `dataDir` listening on `port`, as its superuser. */
async function sql<T = any>(port: number, text: string, values?: unknown[]): Promise<T[]> {
  const password = fs.readFileSync(`${dataDir}.password`, 'utf8').trim();
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs the embedded server of `dataDir` in a child of its own (test/support/embedded-child.ts) while `fn` runs. */
async function withServer(fn: (port: number) => Promise<unknown>): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [...TS_NODE, 'test/support/embedded-child.ts', 'start', dataDir, String(port)], { cwd: ROOT });
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`embedded server exited (${code})`)));
  });
  try {
    await fn(port);
  } finally {
    child.stdin.end();
    await exited;
  }
}

const recordFile = () => path.join(dir, 'hub.json');
const pidFile = () => path.join(dir, 'hub.pid');
const postmasterPid = () => path.join(dataDir, 'postmaster.pid');

let hub: Hub;
let watchlist: string;
let csv: string;
const unknownWatchlist = `Watchlist:${randomUUID()}`;
/** The link altered to break the chain, and its operation before. */
let broken: { sequence: string; operation: string };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-tools-'));
  fs.chmodSync(dir, 0o755); // as root, the postgres user must reach the data directory
  dataDir = path.join(dir, 'pg');
  plain = { ...process.env, DATABASE_URL: '', EMBEDDED_PG_DIR: dataDir, PORTCULLIS_TOKEN: tokenFor('nl-customs', ['analyst']) };
  delete plain.EMBEDDED_PG_PORT;
  delete plain.PORT;
  csv = path.join(dir, 'list.csv');
  fs.writeFileSync(
    csv,
    `imo,name,category,riskLevel,reason\n${imoFrom(970001)},GOOD ROW,OTHER,LOW,r\n${badImo(970002)},BAD ROW,OTHER,LOW,r\n`,
  );
  hub = await startHub();
});

afterAll(async () => {
  if (hub?.child.exitCode === null) {
    const exited = new Promise((r) => hub.child.once('exit', r));
    hub.child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('beside a running hub on non-default ports', () => {
  test('the hub records its embedded server (hub.json) and its pid (hub.pid) beside the data directory', () => {
    const record = JSON.parse(fs.readFileSync(recordFile(), 'utf8'));
    expect(record).toMatchObject({
      pid: hub.child.pid,
      owner: 'hub',
      dataDir,
      port: hub.pgPort,
      url: `http://127.0.0.1:${hub.port}/graphql`,
    });
    expect(alive(record.postmasterPid)).toBe(true);
    expect(fs.readFileSync(postmasterPid(), 'utf8').split('\n')[0]).toBe(String(record.postmasterPid));
    expect(fs.readFileSync(pidFile(), 'utf8')).toBe(`${hub.child.pid}\n`);
  });

  test('audit:verify with plain settings joins the hub: 0 intact, 1 broken; the hub keeps answering', async () => {
    const { postmasterPid: pgPid } = JSON.parse(fs.readFileSync(recordFile(), 'utf8'));
    const intact = await verify();
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ links/);
    expect(intact.stderr).toContain(`on 127.0.0.1:${hub.pgPort} (embedded)`);
    expect(intact.code).toBe(0);

    const [link] = await sql(hub.pgPort, 'SELECT sequence::text AS sequence, operation FROM audit_events ORDER BY sequence LIMIT 1');
    broken = link;
    await sql(hub.pgPort, `UPDATE audit_events SET operation = 'altered' WHERE sequence = $1`, [link.sequence]);
    const r = await verify();
    expect(r.stdout).toBe(`audit chain BROKEN at sequence ${link.sequence}\n`);
    expect(r.code).toBe(1);

    expect(alive(pgPid)).toBe(true);
    const answer = await gql(hub, '{ watchlists { totalCount } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data.watchlists.totalCount).toBeGreaterThan(0);
  });

  test('import with plain settings joins the hub: 3 with bad rows, 1 for an unknown watchlist; migrate 0', async () => {
    const created = await gql(hub, 'mutation { createWatchlist(input: { name: "tools", tlp: AMBER, jurisdiction: "NL" }) { id } }');
    watchlist = created.data.createWatchlist.id;
    const bad = await importFile(['--watchlist', watchlist, '--format', 'csv', csv]);
    expect(bad.stdout).toMatch(/created 1, updated 0, unchanged 0, skipped 0 \(out of scope\), failed 1/);
    expect(bad.stdout).toMatch(/line 3: /);
    expect(bad.code).toBe(3);
    const unknown = await importFile(['--watchlist', unknownWatchlist, '--format', 'csv', csv]);
    expect(unknown.stderr).toMatch(/^import: .*not found/m);
    expect(unknown.code).toBe(1);
    const migrate = await program('scripts/migrate.ts', [], plain);
    expect(migrate.stdout).toMatch(/schema is up to date/);
    expect(migrate.code).toBe(0);

    const entries = await gql(hub, 'query($id: ID!) { node(id: $id) { ... on Watchlist { entries { totalCount } } } }', { id: watchlist });
    expect(entries.errors).toBeUndefined();
    expect(entries.data.node.entries.totalCount).toBe(1);
  });

  test('a second hub with plain settings is refused with what to do; the first keeps its server and answers', async () => {
    const record = fs.readFileSync(recordFile(), 'utf8');
    const second = await program('src/main.ts', [], { ...plain, PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Portcullis did not start: a hub is already running on port ${hub.port} (pid ${hub.child.pid}; its embedded PostgreSQL: ${dataDir}, port ${hub.pgPort}); ` +
        'stop it first, or set EMBEDDED_PG_DIR/EMBEDDED_PG_PORT for another one',
    );
    expect(fs.readFileSync(recordFile(), 'utf8')).toBe(record);
    expect(fs.readFileSync(pidFile(), 'utf8')).toBe(`${hub.child.pid}\n`);
    const answer = await gql(hub, '{ watchlists { totalCount } }');
    expect(answer.errors).toBeUndefined();
  });

  test('kill -HUP "$(cat hub.pid)" reloads the policies; SIGTERM stops the hub, which exits 0 and removes its records', async () => {
    await run('sh', ['-c', 'kill -HUP "$(cat hub.pid)"'], { cwd: dir });
    await pollUntil(hub.output, (out) => out.includes('policies reloaded'), { timeoutMs: 10_000, intervalMs: 100 });
    expect(hub.output()).toContain('policies reloaded');
    expect(hub.child.exitCode).toBeNull();

    const { postmasterPid: pgPid } = JSON.parse(fs.readFileSync(recordFile(), 'utf8'));
    const exited = new Promise((r) => hub.child.once('exit', r));
    await run('sh', ['-c', 'kill -TERM "$(cat hub.pid)"'], { cwd: dir });
    await exited;
    expect(hub.child.exitCode).toBe(0);
    expect(alive(pgPid)).toBe(false);
    expect([fs.existsSync(recordFile()), fs.existsSync(pidFile()), fs.existsSync(postmasterPid())]).toEqual([false, false, false]);
  });
});

describe('with no hub running, the tools start the embedded server themselves', () => {
  /** After every tool: no server left running, no record left. */
  const leftNothing = () => expect([fs.existsSync(postmasterPid()), fs.existsSync(recordFile())]).toEqual([false, false]);
  let own: NodeJS.ProcessEnv;
  beforeAll(async () => {
    // The default port may be taken on a shared machine: any free one, as a user would set it.
    own = { ...plain, EMBEDDED_PG_PORT: String(await freePort()) };
  });

  test('npm run -s audit:verify: 1 broken, 0 intact', async () => {
    const r = await run('npm', ['run', '-s', 'audit:verify'], { cwd: ROOT, env: own }).then(
      () => ({ code: 0, stdout: '' }),
      (e: Result) => e,
    );
    expect(r.stdout).toBe(`audit chain BROKEN at sequence ${broken.sequence}\n`);
    expect(r.code).toBe(1);
    leftNothing();

    await withServer((port) =>
      sql(port, 'UPDATE audit_events SET operation = $2 WHERE sequence = $1', [broken.sequence, broken.operation]),
    );
    const intact = await verify(own);
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ links/);
    expect(intact.code).toBe(0);
    leftNothing();
  });

  test('import: 3 with bad rows, 1 for an unknown watchlist', async () => {
    fs.writeFileSync(csv, `imo,name,category,riskLevel,reason\n${imoFrom(970003)},GOOD,OTHER,LOW,r\n${badImo(970004)},BAD,OTHER,LOW,r\n`);
    const bad = await importFile(['--watchlist', watchlist, '--format', 'csv', csv], own);
    expect(bad.stdout).toMatch(/created 1, updated 0, unchanged 0, skipped 0 \(out of scope\), failed 1/);
    expect(bad.code).toBe(3);
    leftNothing();
    const unknown = await importFile(['--watchlist', unknownWatchlist, '--format', 'csv', csv], own);
    expect(unknown.stderr).toMatch(/^import: .*not found/m);
    expect(unknown.code).toBe(1);
    leftNothing();
  });
});

describe('what is stale, and what is not', () => {
  let own: NodeJS.ProcessEnv;
  beforeAll(async () => {
    own = { ...plain, EMBEDDED_PG_PORT: String(await freePort()) };
  });

  test('a postmaster.pid naming a live process that is not PostgreSQL is stale: removed, and that process is not signalled', async () => {
    const bystander = spawn('sleep', ['120']);
    try {
      // As a reboot leaves it: the pid now names something else.
      fs.writeFileSync(postmasterPid(), `${bystander.pid}\n${dataDir}\n1700000000\n${own.EMBEDDED_PG_PORT}\n`);
      const r = await verify(own);
      expect(r.stdout).toMatch(/^audit chain intact: /);
      expect(r.code).toBe(0);
      expect([bystander.exitCode, bystander.signalCode]).toEqual([null, null]);
      expect(fs.existsSync(postmasterPid())).toBe(false);
    } finally {
      bystander.kill();
    }
  });

  test('a server that no hub recorded (its hub was killed) is joined by the tools and never stopped; a hub refuses, saying how to stop it', async () => {
    await withServer(async (port) => {
      const pid = Number(fs.readFileSync(postmasterPid(), 'utf8').split('\n')[0]);
      const r = await verify();
      expect(r.stderr).toContain(`on 127.0.0.1:${port} (embedded)`);
      expect(r.code).toBe(0);
      const refused = await program('src/main.ts', [], { ...plain, PORT: String(await freePort()) });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `Portcullis did not start: the embedded PostgreSQL of ${dataDir} is running (pid ${pid}, port ${port}), but no running hub or tool recorded it`,
      );
      expect(refused.stderr).toContain(`stop it (kill -INT ${pid}) and start again`);
      expect(alive(pid)).toBe(true);
      expect(fs.existsSync(recordFile())).toBe(false);
      expect((await sql(port, 'SELECT 1 AS one'))[0].one).toBe(1);
    });
  });
});

test('a hub stopped by SIGTERM while it starts exits 143, and its embedded server stops and its records go', async () => {
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-tools-start-'));
  fs.chmodSync(other, 0o755);
  const otherData = path.join(other, 'pg');
  try {
    let out = '';
    const child = spawn(process.execPath, [...TS_NODE, 'src/main.ts'], {
      cwd: ROOT,
      env: { ...plain, EMBEDDED_PG_DIR: otherData, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) },
    });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.once('exit', r));
    // The first start migrates and loads the demo after this line: seconds in which it is still starting.
    await pollUntil(
      () => out,
      (o) => o.includes('"msg":"database ready"'),
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    const pgPid = JSON.parse(fs.readFileSync(path.join(other, 'hub.json'), 'utf8')).postmasterPid as number;
    expect(alive(pgPid)).toBe(true);
    child.kill('SIGTERM');
    await exited;
    expect(out).not.toContain('Portcullis is running');
    expect(child.exitCode).toBe(143);
    expect(out).toContain('Portcullis stopped by SIGTERM while starting');
    expect(
      await pollUntil(
        () => alive(pgPid),
        (a) => !a,
        { timeoutMs: 10_000, intervalMs: 100 },
      ),
    ).toBe(false);
    expect([fs.existsSync(path.join(other, 'hub.json')), fs.existsSync(path.join(other, 'hub.pid'))]).toEqual([false, false]);
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
});
