/**
 * Production mode, as the image runs it: the compiled hub (`npm run build`, then
 * `node dist/src/main.js`) as a real process with NODE_ENV=production on a test database, which
 * it migrates itself from the compiled migrations. It answers /readyz and GraphQL; it refuses
 * introspection, hides field suggestions and serves no landing page from a CDN; and it refuses to
 * start while issuers.yaml trusts the development issuer, unless ALLOW_DEV_ISSUER=true.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { buildHubSchema } from '../src/api/schema';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { PolicyStore } from '../src/request/policy-store';
import { createTestDatabase, type TestDatabase } from './support/db';
import { copyDemoPolicies, DEMO_POLICIES, startTestHub, tokenFor } from './support/hub';
import { sleep } from './support/wait';

const ROOT = path.resolve(__dirname, '..');
const IDP = 'https://idp.test.example/realms/portcullis';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

interface Hub {
  child: ChildProcess;
  port: number;
  output: () => string;
}

let database: TestDatabase;
let tmp: string;
/** The demo membership with its one issuer replaced by an agency's own identity provider. */
let realPolicies: string;
let idpKey: crypto.KeyObject;
const running = new Set<ChildProcess>();

/** The compiled hub in production mode; `settings` adds to (or, with '', unsets) its environment. */
async function startCompiled(settings: Record<string, string>): Promise<Hub> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ALLOW_DEV_ISSUER: '',
      GRAPHQL_INTROSPECTION: '',
      METRICS_PORT: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database.url,
      SEED_DEMO: 'false',
      WEBHOOK_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
      ...settings,
    },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return { child, port, output: () => out };
}

/** Resolves when the hub says it runs; rejects with its output if it exits first. */
async function untilRunning(hub: Hub): Promise<Hub> {
  const deadline = Date.now() + 60_000;
  while (!hub.output().includes('Portcullis is running')) {
    if (hub.child.exitCode !== null || Date.now() > deadline) throw new Error(`hub did not start:\n${hub.output()}`);
    await sleep(100);
  }
  return hub;
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

async function stop(hub: Hub): Promise<void> {
  const exited = exitOf(hub.child);
  hub.child.kill('SIGTERM');
  expect(await exited).toBe(0);
}

async function graphql(hub: Hub, query: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${hub.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const idpToken = (agency = 'nl-customs') =>
  jwt.sign({ agency, roles: ['analyst'] }, idpKey, {
    algorithm: 'RS256',
    issuer: IDP,
    audience: 'portcullis',
    subject: 'alice',
    expiresIn: 600,
  });

beforeAll(async () => {
  // The build the image makes: tsc into dist/, the MID table beside it.
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: 240_000 });
  // An empty database: the compiled hub must run its compiled migrations itself.
  database = await createTestDatabase({ migrate: async (url) => createDataSource(url) });

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-production-'));
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  idpKey = privateKey;
  realPolicies = path.join(tmp, 'policies');
  fs.cpSync(DEMO_POLICIES, realPolicies, { recursive: true });
  fs.writeFileSync(path.join(realPolicies, 'idp.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  fs.writeFileSync(
    path.join(realPolicies, 'issuers.yaml'),
    `issuers:\n  - iss: ${IDP}\n    algorithms: [RS256]\n    publicKeyFile: idp.pub.pem\n    agencies: [nl-customs]\n`,
  );
}, 300_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await database?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the compiled hub in production mode is ready and answers, with no introspection, suggestions or CDN page', async () => {
  const hub = await untilRunning(await startCompiled({ POLICIES_DIR: realPolicies }));

  const ready = await fetch(`http://127.0.0.1:${hub.port}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({
    status: 'ready',
    checks: { database: 'ok', migrations: 'ok', policies: 'ok', alertStream: 'ok' },
  });

  const me = await graphql(hub, '{ me { agency { code } } watchlists { totalCount } }', idpToken());
  expect(me.body.errors).toBeUndefined();
  expect(me.body.data).toEqual({ me: { agency: { code: 'nl-customs' } }, watchlists: { totalCount: 0 } });

  for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Query") { name } }']) {
    const refused = await graphql(hub, query, idpToken());
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.body.errors![0].message).toMatch(/introspection has been disabled/);
  }
  // graphql-js would add `Did you mean "watchlist" or "watchlists"?`, spelling out the schema.
  const typo = await graphql(hub, '{ watchlistz { totalCount } }', idpToken());
  expect(typo.body.errors!.map((e) => e.message)).toEqual(['Cannot query field "watchlistz" on type "Query".']);

  // What a browser gets at /graphql: no page at all, so nothing is loaded from Apollo's CDN.
  const page = await fetch(`http://127.0.0.1:${hub.port}/graphql`, { headers: { accept: 'text/html' } });
  const html = await page.text();
  expect(page.headers.get('content-type')).toMatch(/^application\/json/);
  expect(html).not.toMatch(/apollographql\.com|<script|<html/i);

  // The development issuer is not in this membership: its tokens are nobody's.
  const dev = await graphql(hub, '{ me { agency { code } } }', tokenFor('nl-customs'));
  expect(dev.status).toBe(401);
  await stop(hub);
}, 120_000);

test('outside production too, a browser at /graphql gets no landing page from a CDN', async () => {
  // NODE_ENV=test here, where Apollo would serve its Sandbox from its CDN unless told otherwise.
  const hub = await startTestHub({ transport: { introspection: true } });
  try {
    const page = await fetch(hub.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await page.text()).not.toMatch(/apollographql\.com|<script|<html/i);
  } finally {
    await hub.stop();
  }
});

test('production mode refuses to start while issuers.yaml trusts the development issuer', async () => {
  const demo = copyDemoPolicies();
  try {
    for (const allow of ['', 'false']) {
      const hub = await startCompiled({ POLICIES_DIR: demo, ALLOW_DEV_ISSUER: allow });
      expect(await exitOf(hub.child)).toBe(1);
      expect(hub.output()).toContain(
        `Portcullis did not start: ${demo}/issuers.yaml trusts the development issuer portcullis-dev, which is refused unless NODE_ENV=development`,
      );
      expect(hub.output()).toContain('set ALLOW_DEV_ISSUER=true for a demo');
      expect(hub.output()).not.toContain('Portcullis is running');
    }
  } finally {
    fs.rmSync(demo, { recursive: true, force: true });
  }
}, 120_000);

test('with ALLOW_DEV_ISSUER=true production mode accepts the development issuer', async () => {
  const demo = copyDemoPolicies();
  try {
    const hub = await untilRunning(await startCompiled({ POLICIES_DIR: demo, ALLOW_DEV_ISSUER: 'true' }));
    const me = await graphql(hub, '{ me { agency { code } } }', tokenFor('be-customs'));
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data).toEqual({ me: { agency: { code: 'be-customs' } } });
    await stop(hub);
  } finally {
    fs.rmSync(demo, { recursive: true, force: true });
  }
}, 120_000);

test('everything the compiled hub and its tools load is a runtime dependency, not a devDependency', () => {
  const { dependencies } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const loaded = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.js')) {
        for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/\brequire\((?:"|')([^"'.][^"']*)(?:"|')\)/g)) {
          if (!spec.startsWith('node:')) loaded.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      }
    }
  };
  walk(path.join(ROOT, 'dist'));
  expect(loaded.size).toBeGreaterThan(20);
  expect([...loaded].filter((name) => !(name in dependencies))).toEqual([]);
});

test('the development issuer is trusted only in development and tests, or when ALLOW_DEV_ISSUER=true', () => {
  const saved = { NODE_ENV: process.env.NODE_ENV, ALLOW_DEV_ISSUER: process.env.ALLOW_DEV_ISSUER };
  const allowed = (nodeEnv: string | undefined, allow: string | undefined) => {
    for (const [name, value] of Object.entries({ NODE_ENV: nodeEnv, ALLOW_DEV_ISSUER: allow })) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return loadConfig().allowDevIssuer;
  };
  try {
    expect(allowed('development', undefined)).toBe(true);
    expect(allowed('test', undefined)).toBe(true);
    expect(allowed('production', undefined)).toBe(false);
    // A hub started without saying which mode it runs in gets the safe one.
    expect(allowed(undefined, undefined)).toBe(false);
    expect(allowed('production', 'true')).toBe(true);
    expect(allowed('development', 'false')).toBe(false);
    expect(() => allowed('production', 'yes')).toThrow('ALLOW_DEV_ISSUER must be true or false, got "yes"');
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test('a policy reload that adds the development issuer is refused where it is not allowed', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'reload-'));
  fs.cpSync(realPolicies, dir, { recursive: true });
  const store = new PolicyStore(dir, await buildHubSchema(), 'portcullis', { allowDevIssuer: false });
  const demo = copyDemoPolicies();
  try {
    fs.copyFileSync(path.join(demo, 'issuers.yaml'), path.join(dir, 'issuers.yaml'));
    const result = await store.reload();
    expect(result).toEqual({ ok: false, error: expect.stringContaining('trusts the development issuer portcullis-dev') });
    expect(store.current.policy.issuers.map((i) => i.iss)).toEqual([IDP]);
  } finally {
    fs.rmSync(demo, { recursive: true, force: true });
  }
});
