/**
 * `npm start`: the hub on DATABASE_URL or its embedded PostgreSQL, migrated, with demo data on
 * first run. SIGHUP reloads policies/; SIGINT/SIGTERM stop cleanly (and stop the embedded server):
 * hub.stop() lets requests in flight finish within SHUTDOWN_GRACE_MS and stops the rest without
 * committing (src/server/drain.ts) before the database goes. Its pid is in `.data/hub.pid` (the
 * folder of EMBEDDED_PG_DIR) while it runs, for `kill -HUP "$(cat .data/hub.pid)"`.
 */
import 'reflect-metadata';
import { ensureDevKeys } from './auth/dev-keys';
import { loadConfig } from './config';
import { openDatabase, redactUrl, type DatabaseHandle } from './db/database';
import { pidFileOf, releaseFile, writePidFile } from './db/hub-record';
import { connectAndMigrate } from './db/data-source';
import { seedDemoData } from './demo/seed';
import { buildHubSchema, protectSchema } from './api/schema';
import { PolicyStore } from './request/policy-store';
import { startHub } from './server/app';
import { createLogger, type Logger } from './common/logger';

/**
 * The pid file for `kill -HUP "$(cat .data/hub.pid)"`, removed at exit. The hub of the embedded
 * server is the hub of its folder; on DATABASE_URL another hub may have written it first, and a
 * folder the hub may not write (a container's) only costs the file.
 */
function writeHubPidFile(pidFile: string, replace: boolean, log: Logger): void {
  try {
    const otherHub = writePidFile(pidFile, replace);
    if (otherHub) {
      log.warn({ pidFile, pid: otherHub }, 'the pid file names another running hub: this one writes none');
      return;
    }
  } catch (err) {
    if (replace) throw err;
    log.warn({ pidFile, error: (err as Error).message }, 'no pid file: it could not be written');
    return;
  }
  process.once('exit', () => releaseFile(pidFile));
}

/** Set once the database is open: a start that fails after that stops the embedded server it started. */
let database: DatabaseHandle | undefined;

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
  // From the start on: the default action of SIGHUP would end the hub.
  process.on('SIGHUP', () => {
    void policies.reload().then((result) => {
      if (result.ok) log.info({ dir: config.policiesDir }, 'policies reloaded');
      else log.error({ error: result.error }, 'policy reload refused; the previous policies stay in force');
    });
  });
  // Stopped while starting: exit at once; the embedded server is told to stop and the records go on `exit`.
  const stoppedWhileStarting = (signal: NodeJS.Signals) => {
    console.error(`Portcullis stopped by ${signal} while starting`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', stoppedWhileStarting);
  process.on('SIGTERM', stoppedWhileStarting);
  database = await openDatabase(config, (message) => log.info(message));
  writeHubPidFile(pidFileOf(config.embeddedPgDir), database.owned, log);
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
    auditCheckpointMs: config.auditCheckpointSeconds * 1000,
    anomalyCheckMs: config.anomalyCheckSeconds * 1000,
    liveNoticePollMs: config.liveNoticePollMs,
    ais: config.ais,
  });
  database.noteUrl(hub.url);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    let status = 0;
    try {
      await hub.stop();
      await db.destroy();
    } catch (err) {
      log.error({ err }, 'the hub did not stop cleanly');
      status = 1;
    }
    await database!.stop();
    process.exit(status);
  };
  process.removeListener('SIGINT', stoppedWhileStarting);
  process.removeListener('SIGTERM', stoppedWhileStarting);
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

main().catch(async (err) => {
  console.error(`Portcullis did not start: ${err instanceof Error ? err.message : String(err)}`);
  await database?.stop().catch(() => undefined);
  process.exit(1);
});
