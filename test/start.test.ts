/**
 * The first-run promise of the README: `npm start` serves the demo on its embedded PostgreSQL,
 * and a restart keeps the data (no second seeding).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { tokenFor } from './support/hub';
import { pollUntil, sleep } from './support/wait';

const ROOT = path.resolve(__dirname, '..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** `npm start` by default; `direct` runs the same command without npm, which does not forward SIGHUP. */
async function startHub(env: NodeJS.ProcessEnv, direct = false): Promise<{ child: ChildProcess; output: () => string }> {
  let out = '';
  const [cmd, args] = direct
    ? [process.execPath, ['--max-semi-space-size=32', '-r', 'ts-node/register/transpile-only', 'src/main.ts']]
    : ['npm', ['start']];
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env, DATABASE_URL: '' }, detached: true });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Portcullis is running')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`hub did not start:\n${out}`);
    await sleep(200);
  }
  return { child, output: () => out };
}

/** SIGTERM to the process group (as a terminal or npm does), or to the hub process alone (as `kill` does). */
async function stopHub(child: ChildProcess, target: 'group' | 'process' = 'group') {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(target === 'group' ? -child.pid! : child.pid!, 'SIGTERM');
  await exited;
}

async function query(port: number, q: string, token = tokenFor('nl-customs')) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: q }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

test('npm start serves the demo data, and a restart keeps it', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-start-'));
  fs.chmodSync(dataDir, 0o755);
  const env = { PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), EMBEDDED_PG_DIR: path.join(dataDir, 'pg') };
  try {
    const first = await startHub(env);
    expect(first.output()).toMatch(/npm run -s token -- --agency nl-customs --roles analyst/);
    // The embedded server's password is this installation's own, and never logged.
    const password = fs.readFileSync(`${env.EMBEDDED_PG_DIR}.password`, 'utf8').trim();
    expect(password).not.toBe('portcullis-embedded');
    expect(first.output()).not.toContain(password);
    const health = await fetch(`http://127.0.0.1:${env.PORT}/health`);
    expect(health.status).toBe(200);
    const demo = await query(Number(env.PORT), '{ watchlists { totalCount } alerts { totalCount } }');
    expect(demo.errors).toBeUndefined();
    expect(demo.data.watchlists.totalCount).toBeGreaterThan(0);
    const created = await query(
      Number(env.PORT),
      'mutation { createWatchlist(input: { name: "kept", tlp: RED, jurisdiction: "NL" }) { id } }',
    );
    expect(created.errors).toBeUndefined();
    await stopHub(first.child);

    const second = await startHub(env);
    const after = await query(Number(env.PORT), '{ watchlists(first: 500) { totalCount edges { node { name } } } }');
    expect(after.data.watchlists.totalCount).toBe(demo.data.watchlists.totalCount + 1);
    expect(after.data.watchlists.edges.map((e: any) => e.node.name)).toContain('kept');
    expect(second.output()).not.toMatch(/demo data loaded/);
    await stopHub(second.child);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

test('SIGHUP reloads the policies while the hub and its embedded database keep running', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-sighup-'));
  fs.chmodSync(dir, 0o755);
  const policies = path.join(dir, 'policies');
  fs.cpSync(path.join(ROOT, 'policies'), policies, { recursive: true });
  const issuers = path.join(policies, 'issuers.yaml');
  fs.writeFileSync(issuers, fs.readFileSync(issuers, 'utf8').replace('../.keys/', `${path.join(ROOT, '.keys')}/`));
  const env = {
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    EMBEDDED_PG_DIR: path.join(dir, 'pg'),
    POLICIES_DIR: policies,
    SEED_DEMO: 'false',
  };
  const be = tokenFor('be-customs', ['analyst'], { purpose: 'CUSTOMS' });
  const agreementIds = async () =>
    ((await query(Number(env.PORT), '{ agreements { id } }', be)).data.agreements as { id: string }[]).map((a) => a.id);
  try {
    const hub = await startHub(env, true);
    expect(await agreementIds()).toContain('nl-customs--be-customs-narcotics');
    fs.rmSync(path.join(policies, 'agreements/nl-customs--be-customs-narcotics.yaml'));
    process.kill(hub.child.pid!, 'SIGHUP');
    await pollUntil(hub.output, (out) => out.includes('policies reloaded'), { timeoutMs: 10_000, intervalMs: 100 });
    expect(hub.output()).toContain('policies reloaded');
    expect(await agreementIds()).not.toContain('nl-customs--be-customs-narcotics');
    expect(hub.child.exitCode).toBeNull();
    // Only the hub is signalled: it must stop its embedded database itself and exit.
    await stopHub(hub.child, 'process');
    expect(hub.child.exitCode).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test('SIGTERM: a request in flight finishes and is kept, a new one gets 503 with Retry-After, then the hub exits', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-sigterm-'));
  fs.chmodSync(dir, 0o755);
  const env = {
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    EMBEDDED_PG_DIR: path.join(dir, 'pg'),
    SEED_DEMO: 'false',
    SHUTDOWN_GRACE_MS: '20000',
  };
  const port = Number(env.PORT);
  const token = tokenFor('nl-customs');
  const create = `mutation($key: String) {
    createWatchlist(input: { name: "in flight at SIGTERM", tlp: AMBER, jurisdiction: "NL" }, idempotencyKey: $key) { id } }`;
  const body = JSON.stringify({ query: create, variables: { key: 'sigterm-1' } });
  try {
    const hub = await startHub(env, true);
    // Expect: 100-continue: the hub answers "continue" once it has taken the request in.
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/graphql',
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${token}`,
        expect: '100-continue',
      },
    });
    const answer = new Promise<{ status?: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, body: text }));
      });
      req.on('error', reject);
    });
    await new Promise<void>((resolve) => req.once('continue', () => resolve()));
    req.write(body.slice(0, 10));

    const exited = new Promise((r) => hub.child.once('exit', r));
    process.kill(hub.child.pid!, 'SIGTERM');
    await pollUntil(hub.output, (out) => out.includes('"msg":"stopping"'), { timeoutMs: 10_000, intervalMs: 50 });
    const late = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ watchlists { totalCount } }' }),
    });
    expect([late.status, late.headers.get('retry-after')]).toEqual([503, '20']);
    expect(hub.child.exitCode).toBeNull();

    req.end(body.slice(10));
    const done = await answer;
    expect(done.status).toBe(200);
    const created = JSON.parse(done.body).data.createWatchlist.id as string;
    await exited;
    expect(hub.child.exitCode).toBe(0);

    const again = await startHub(env, true);
    const retried = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    expect(((await retried.json()) as { data: { createWatchlist: { id: string } } }).data.createWatchlist.id).toBe(created);
    const lists = await query(port, '{ watchlists { totalCount edges { node { id } } } }', token);
    expect(lists.data.watchlists).toEqual({ totalCount: 1, edges: [{ node: { id: created } }] });
    await stopHub(again.child, 'process');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
