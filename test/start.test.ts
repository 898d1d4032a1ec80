/**
 * The first-run promise of the README: `npm start` serves the demo on its embedded PostgreSQL,
 * and a restart keeps the data (no second seeding).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { tokenFor } from './support/hub';

const ROOT = path.resolve(__dirname, '..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function startHub(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  let out = '';
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env, DATABASE_URL: '' }, detached: true });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Portcullis is running')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`hub did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => out };
}

async function stopHub(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

async function query(port: number, q: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor('nl-customs')}` },
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
    const health = await fetch(`http://127.0.0.1:${env.PORT}/health`);
    expect(health.status).toBe(200);
    const demo = await query(Number(env.PORT), '{ watchlists { totalCount } alerts { totalCount } }');
    expect(demo.errors).toBeUndefined();
    expect(demo.data.watchlists.totalCount).toBeGreaterThan(0);
    const created = await query(Number(env.PORT), 'mutation { createWatchlist(input: { name: "kept", tlp: RED, jurisdiction: "NL" }) { id } }');
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
