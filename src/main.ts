/**
 * `npm start`: the hub on DATABASE_URL or its embedded PostgreSQL, migrated, with demo data on
 * first run. SIGHUP reloads policies/; SIGINT/SIGTERM stop cleanly (and stop the embedded server):
 * hub.stop() lets requests in flight finish within SHUTDOWN_GRACE_MS and stops the rest without
 * committing (src/server/drain.ts) before the database goes.
 */
import 'reflect-metadata';
import { ensureDevKeys } from './auth/dev-keys';
import { loadConfig } from './config';
import { openDatabase, redactUrl } from './db/database';
import { connectAndMigrate } from './db/data-source';
import { seedDemoData } from './demo/seed';
import { buildHubSchema, protectSchema } from './api/schema';
import { PolicyStore } from './request/policy-store';
import { startHub } from './server/app';
import { createLogger } from './common/logger';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // The development issuer's key pair, made on first run and never committed. Made in production
  // too, so that issuers.yaml still naming it gets the store's clear refusal rather than a missing
  // file; trusted by nothing there.
  ensureDevKeys();
  const schema = await buildHubSchema();
  const policies = new PolicyStore(config.policiesDir, schema, config.audience, {
    allowDevIssuer: config.allowDevIssuer,
    ...config.remoteKeys,
    // One line when an issuer's keys stop loading and one when they load again; the last good keys stay in use.
    onState: ({ iss, ok, error }) =>
      ok
        ? log.info({ issuer: iss }, "issuer's keys loaded again")
        : log.warn({ issuer: iss, error }, "issuer's keys cannot be loaded; the last good keys stay in use"),
  });
  const database = await openDatabase(config, (message) => log.info(message));
  log.info({ database: redactUrl(database.url), embedded: database.embedded }, 'database ready');
  const db = await connectAndMigrate(database.url, { statementTimeoutMs: config.limits.timeoutMs });
  if (config.seedDemo && (await seedDemoData(db, policies.current.policy))) log.info('demo data loaded');
  const hub = await startHub({
    db,
    databaseUrl: database.url,
    policies,
    schema: protectSchema(schema),
    log,
    port: config.port,
    host: config.host,
    metricsPort: config.metricsPort,
    reportRateLimit: config.reportRateLimit,
    limits: config.limits,
    transport: config.transport,
    shutdownGraceMs: config.shutdownGraceMs,
    console: config.console,
    revocationRefreshMs: config.revocationRefreshMs,
  });

  process.on('SIGHUP', () => {
    void policies.reload().then((result) => {
      if (result.ok) log.info({ dir: config.policiesDir }, 'policies reloaded');
      else log.error({ error: result.error }, 'policy reload refused; the previous policies stay in force');
    });
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await hub.stop();
    await db.destroy();
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  console.log(`
Portcullis is running: ${hub.url}
The console:   ${hub.url.replace(/graphql$/, '')}
Get a token:   TOKEN=$(npm run -s token -- --agency nl-customs --roles analyst)
Query it:      curl -s ${hub.url} -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
                 -d '{"query":"{ me { agency { name } } watchlists { totalCount } }"}'
`);
}

main().catch((err) => {
  console.error(`Portcullis did not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
