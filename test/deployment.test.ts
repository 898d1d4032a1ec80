/**
 * The deployment files, read as Docker would read them (Docker itself cannot run here):
 * docker-compose.yml runs two hub replicas in production mode on one database behind a load
 * balancer, checked on /readyz, published on loopback only; deploy/Caddyfile sends everything,
 * WebSocket upgrades on /graphql included, to both; the Dockerfile runs the compiled hub as an
 * unprivileged user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const hubs = Object.entries(services).filter(([, s]) => s.build !== undefined);

test('two hub replicas share one database, one webhook key and one membership, in production mode', () => {
  expect(hubs.map(([name]) => name)).toEqual(['hub-1', 'hub-2']);
  const [[, first], [, second]] = hubs;
  expect(second.environment).toEqual(first.environment);
  expect(second.volumes).toEqual(first.volumes);

  for (const [, hub] of hubs) {
    const env = hub.environment!;
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/portcullis:[^@]+@db:5432\/portcullis$/);
    // Required, not defaulted: replicas with keys of their own could not read each other's secrets.
    expect(env.WEBHOOK_SECRET_KEY).toMatch(/^\$\{WEBHOOK_SECRET_KEY:\?/);
    expect(env.JWT_AUDIENCE).toBeDefined();
    expect(env.ALLOW_DEV_ISSUER).toBe('${ALLOW_DEV_ISSUER:-false}');
    expect(hub.volumes).toContain(`./policies:${env.POLICIES_DIR}:ro`);
    expect(hub.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${env.PORT}/readyz`);
    // Only the load balancer is published; /metrics has its own port, never published.
    expect(hub.ports).toBeUndefined();
    expect(env.METRICS_PORT).toMatch(/^\d+$/);
    expect(hub.depends_on!.db).toEqual({ condition: 'service_healthy' });
  }
  // The second starts once the first has migrated the database.
  expect(second.depends_on!['hub-1']).toEqual({ condition: 'service_healthy' });
});

test('the load balancer is an official image, waits for healthy hubs and is published on loopback only', () => {
  const lb = services.lb;
  expect(lb.image).toMatch(/^(caddy|nginx|traefik):/);
  for (const [name] of hubs) expect(lb.depends_on![name]).toEqual({ condition: 'service_healthy' });
  expect(lb.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');

  const published = Object.values(services).flatMap((s) => s.ports ?? []);
  expect(published).toEqual(['127.0.0.1:${PORTCULLIS_PORT:-4000}:80']);
  expect(services.db.ports).toBeUndefined();
});

test('the Caddyfile sends every path, /graphql and its WebSocket upgrades included, to both hubs checked on /readyz', () => {
  const caddyfile = read('deploy/Caddyfile')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  expect(caddyfile).toContain(':80 {');
  // One reverse_proxy without a matcher: /graphql, /, the probes alike. Caddy passes upgrades on
  // as they come unless told to drop the Upgrade or Connection header, which nothing here does.
  const proxies = caddyfile.filter((line) => line.startsWith('reverse_proxy'));
  expect(proxies).toEqual([`reverse_proxy ${hubs.map(([name, s]) => `${name}:${s.environment!.PORT}`).join(' ')} {`]);
  expect(caddyfile.filter((line) => /^(handle|route|respond|redir|@)/.test(line))).toEqual([]);
  expect(caddyfile.join('\n')).not.toMatch(/header_up\s+-(Upgrade|Connection)/i);
  expect(caddyfile).toContain('health_uri /readyz');
  expect(caddyfile).toContain('health_status 200');
});

test('the image builds in a stage of its own and runs the compiled hub in production mode as the node user', () => {
  const dockerfile = read('Dockerfile')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  expect(stages).toHaveLength(2);
  const [build, runtime] = stages;
  expect(build).toMatch(/^RUN npm ci\b/m);
  expect(build).toMatch(/^RUN npm run build && npm run build:console$/m);
  expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
  expect(runtime).toMatch(/^RUN npm ci --omit=dev\b/m);
  expect(runtime).toContain('COPY --from=build /app/dist ./dist');
  expect(runtime).toContain('COPY --from=build /app/web/dist ./web/dist');
  expect(runtime).not.toMatch(/ts-node/);
  const user = runtime.search(/^USER node$/m);
  const cmd = runtime.search(/^CMD \["node", "--max-semi-space-size=32", "dist\/src\/main\.js"\]$/m);
  expect(user).toBeGreaterThan(0);
  expect(cmd).toBeGreaterThan(user);
});
