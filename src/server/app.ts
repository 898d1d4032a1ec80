/**
 * The hub's HTTP server: GraphQL over HTTP at /graphql (Apollo Server 5 on Express 5), the
 * unauthenticated probes /healthz (liveness), /readyz (readiness) and /health (its alias), and
 * /metrics (unless METRICS_PORT gives it a listener of its own). One http.Server, so the
 * WebSocket transport can join on the same port. Every request gets an id and a log line
 * (./request-log.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../common/errors';
import type { DataSource } from 'typeorm';
import { AuditSealer } from '../audit/audit.service';
import { ReadAudit } from '../audit/read-audit';
import { AuditCheckpointer, DEFAULT_AUDIT_CHECKPOINT_MS, loadAuditSigningKey } from '../audit/audit-checkpoint';
import {
  DEFAULT_REQUEST_LIMITS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_TRANSPORT_LIMITS,
  type RateLimit,
  type RequestLimits,
  type TransportLimits,
  type ConsoleSettings,
  benchmarkSwitchesAllowed,
} from '../config';
import type { PolicyStore } from '../request/policy-store';
import { AlertStream } from '../alert/alert-stream';
import { createWebhookRuntime, type WebhookSettings } from '../webhook/settings';
import { WebhookWorker } from '../webhook/worker';
import { authenticate, headerValue } from './authenticate';
import { AUDIT_READS, createContext, HubSettings, type RequestContext } from '../request/context';
import { REPORT_RATE_LIMIT } from '../report/report-submission';
import { WEBHOOK_RUNTIME } from '../webhook/webhook.service';
import { attachWebSocket } from './websocket';
import { HttpDrain } from './drain';
import { createErrorFormatter } from '../graphql/format-error';
import type { Logger } from '../common/logger';
import { Semaphore } from '../common/semaphore';
import { SCREENING_RUNTIME } from '../screening/screening.service';
import { ADMISSION, admissionPlugin, createAdmission } from './admission';
import { readiness } from './readiness';
import { operationRules, subscriptionsOverWebSocketOnly } from './operation-rules';
import { bodyErrors, notFound } from './http-errors';
import { dropsNoRecordOwner } from '../api/membership-guard';
import { assertServable } from '../api/schema';
import { outsideDeadline, withDeadline } from '../common/request-deadline';
import { VESSEL_MENTION_CHECKS } from '../api/modules';
import { VESSEL_MENTIONS } from '../vessel/vessel.service';
import { mountConsole, securityHeaders } from './console';
import { HubMetrics } from './metrics';
import { bindRecord, DEFAULT_AUTH_FAILURE_LOG, RateLimitedLog, requestLog, requestLogPlugin, requestRecord } from './request-log';
import { withRequestId } from '../common/request-id';
import { DEFAULT_REVOCATION_REFRESH_MS, REVOCATIONS, RevocationList } from '../revocation/revocation-list';
import { DatabaseAvailability } from '../common/db-availability';
import { liveFeeds } from './live-feeds';
import { AisService, type AisSettings } from '../ais/ais-service';

export interface HubOptions {
  db: DataSource;
  /** The same database's URL, for the alert stream's LISTEN connection. */
  databaseUrl: string;
  policies: PolicyStore;
  schema: GraphQLSchema;
  log: Logger;
  port: number;
  host: string;
  /** /metrics on a listener of its own on this port (0: any free port); left out, on the main listener. */
  metricsPort?: number;
  /** Authentication failures logged per interval before they are only counted; DEFAULT_AUTH_FAILURE_LOG when left out. */
  authFailureLog?: { max: number; intervalMs: number };
  /** Report submissions per agency; DEFAULT_REPORT_RATE_LIMIT when left out. */
  reportRateLimit?: RateLimit;
  /** Webhook settings over those of the environment (WEBHOOK_*); tests shorten the backoff. */
  webhooks?: Partial<WebhookSettings>;
  /** Input bounds on both transports; DEFAULT_TRANSPORT_LIMITS for what is left out. */
  transport?: Partial<TransportLimits>;
  /** Cost, time, screening and rate limits over DEFAULT_REQUEST_LIMITS (the environment's, in main.ts). */
  limits?: Partial<RequestLimits>;
  /** How long stop() lets requests in flight finish (SHUTDOWN_GRACE_MS); DEFAULT_SHUTDOWN_GRACE_MS when left out. */
  shutdownGraceMs?: number;
  /** The web console; without it the hub serves the API only. */
  console?: ConsoleSettings;
  /** How often this instance reads the revocation list (REVOCATION_REFRESH_MS); DEFAULT_REVOCATION_REFRESH_MS when left out. */
  revocationRefreshMs?: number;
  /** How often this instance signs the audit chain's head when it moved (AUDIT_CHECKPOINT_SECONDS); 300 s when left out. */
  auditCheckpointMs?: number;
  /** How often this instance evaluates the audit anomaly thresholds (ANOMALY_CHECK_SECONDS); 60 s when left out. */
  anomalyCheckMs?: number;
  /** How often this instance reads new anomalies and entry feedback for live subscribers (LIVE_NOTICE_POLL_MS); 500 ms when left out. */
  liveNoticePollMs?: number;
  /** Records of reads that may wait to be written before responses wait for theirs; 20,000 when left out (src/audit/read-audit.ts). */
  auditReadBacklog?: number;
  /** Switches for benchmarks only: refused unless NODE_ENV=benchmark (benchmarkSwitchesAllowed). */
  benchmark?: { auditReadsOff?: boolean };
  /** AIS retention and memory bound (AIS_*); feeds come from policies/ais.yaml. */
  ais?: AisSettings;
}

export interface Hub {
  url: string;
  port: number;
  /** The local port of an AIS feed's listener or UDP socket (policies/ais.yaml), once started. */
  aisPort(feedId: string): number | undefined;
  /** Where /metrics is served. */
  metricsUrl: string;
  stop(): Promise<void>;
}

export async function startHub(opts: HubOptions): Promise<Hub> {
  const { db, policies, schema, log } = opts;
  if (opts.benchmark && !benchmarkSwitchesAllowed()) throw new Error('benchmark switches need NODE_ENV=benchmark');
  assertServable(schema);
  const membershipCheck = dropsNoRecordOwner(db);
  const refusal = await membershipCheck(policies.current.policy);
  if (refusal) throw new Error(`${policies.dir}: ${refusal}`);
  const removeMembershipCheck = policies.addCheck(membershipCheck);
  const limits: TransportLimits = { ...DEFAULT_TRANSPORT_LIMITS, ...opts.transport };
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const authFailures = new RateLimitedLog(log, 'authentication failures', opts.authFailureLog ?? DEFAULT_AUTH_FAILURE_LOG);
  // Set once the transport exists; read at each scrape.
  let liveSubscriptions = () => 0;
  const pool = (db.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  const metrics = new HubMetrics({
    liveSubscriptions: () => liveSubscriptions(),
    pool: () => ({
      active: pool ? pool.totalCount - pool.idleCount : 0,
      idle: pool?.idleCount ?? 0,
      waiting: pool?.waitingCount ?? 0,
    }),
    auditInboxPending: () => auditInboxPending(db),
  });
  // First: every answer, a refusal while stopping included, has its id and its log line.
  app.use(
    requestLog({
      log,
      authFailures,
      onGraphqlRequest: (record, outcome, seconds) => metrics.graphqlRequest(record.operationName, outcome, seconds),
    }),
  );
  const drain = new HttpDrain({
    server: httpServer,
    databaseUrl: opts.databaseUrl,
    graceMs: opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    log,
  });
  app.use(drain.middleware);
  app.use(securityHeaders(policies));
  // An outage is logged once when it starts and once when it ends, whoever meets it.
  const availability = new DatabaseAvailability(() => db.query('SELECT 1'), log);
  const stream = new AlertStream(db, opts.databaseUrl, {
    availability,
    onError: (err) => availability.failed(err) || log.warn({ err }, 'alert stream read failed'),
  });
  await stream.start();
  // A list that cannot be read because the database is down is the outage's to log, once.
  let revocationsMissedForOutage = false;
  const revocations = new RevocationList(db, {
    refreshMs: opts.revocationRefreshMs ?? DEFAULT_REVOCATION_REFRESH_MS,
    onState: (ok, err) => {
      if (!ok) revocationsMissedForOutage = availability.failed(err);
      if (revocationsMissedForOutage) return;
      if (ok) log.info('revocation list read again');
      else log.warn({ err }, 'revocation list cannot be read; the last one read stays in force');
    },
  });
  await revocations.start();
  availability.onUp(() => stream.reconnectNow());
  const webhookRuntime = createWebhookRuntime(opts.webhooks);
  const requestLimits = { ...DEFAULT_REQUEST_LIMITS, ...opts.limits };
  const feeds = liveFeeds({ db, policies, log, availability, anomalyCheckMs: opts.anomalyCheckMs, pollMs: opts.liveNoticePollMs });
  const settings = new HubSettings([
    ...feeds.settings,
    [REPORT_RATE_LIMIT, opts.reportRateLimit],
    [WEBHOOK_RUNTIME, webhookRuntime],
    [ADMISSION, createAdmission(schema, db, requestLimits)],
    [VESSEL_MENTIONS, VESSEL_MENTION_CHECKS],
    [REVOCATIONS, revocations],
    [AUDIT_READS, !opts.benchmark?.auditReadsOff],
    [
      SCREENING_RUNTIME,
      { slots: new Semaphore(requestLimits.screeningConnections, requestLimits.screeningQueue), timeoutMs: requestLimits.timeoutMs },
    ],
  ]);
  const websocket = attachWebSocket({
    httpServer,
    schema,
    db,
    policies,
    revocations,
    stream,
    settings,
    limits,
    log,
    authFailures,
    metrics,
    availability,
  });
  liveSubscriptions = () => websocket.liveSubscriptions();
  if (webhookRuntime.settings.secretKeySource !== 'WEBHOOK_SECRET_KEY') {
    log.warn('WEBHOOK_SECRET_KEY is not set: webhook secrets are encrypted with the development key in .keys/ (set it in production)');
  }
  const webhookWorker = new WebhookWorker({
    db,
    stream,
    schema,
    policies,
    log,
    runtime: webhookRuntime,
    availability,
    onSettled: (status, count) => metrics.webhookSettled(WEBHOOK_OUTCOME[status], count),
  });
  webhookWorker.start();
  // Any instance may seal; what one leaves in the inbox at shutdown, another (or the next start) seals.
  const auditSealer = new AuditSealer(
    db,
    (err) => availability.failed(err) || log.warn({ err }, 'sealing the audit inbox failed'),
    undefined,
    availability,
  );
  auditSealer.start();
  const readAudit = new ReadAudit(db, {
    maxBacklog: opts.auditReadBacklog,
    availability,
    onError: (err, records) => log.error({ err, records }, 'audit records of reads could not be written'),
  });
  const auditSigningKey = loadAuditSigningKey();
  if (auditSigningKey.source !== 'AUDIT_SIGNING_KEY') {
    log.warn('AUDIT_SIGNING_KEY is not set: audit checkpoints are signed with the development key in .keys/ (set it in production)');
  }
  const auditCheckpointer = new AuditCheckpointer(
    db,
    auditSigningKey,
    opts.auditCheckpointMs ?? DEFAULT_AUDIT_CHECKPOINT_MS,
    (err) => availability.failed(err) || log.warn({ err }, 'signing an audit checkpoint failed'),
    availability,
  );
  auditCheckpointer.start();
  feeds.start();
  const ais = new AisService(db, policies, log, opts.ais ?? { retentionDays: 90, maxVessels: 200_000 }, metrics.ais);
  await ais.start();

  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError: createErrorFormatter(log, { suggestions: limits.introspection, onUnavailable: (err) => availability.failed(err) }),
    // Apollo's own few lines, as JSON lines like ours.
    logger: log,
    validationRules: operationRules(limits),
    // Introspection is refused by operationRules, on both transports alike; Apollo's own switch
    // would add a second rule with another message.
    introspection: true,
    parseOptions: { maxTokens: limits.maxTokens },
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals and stops the hub, then the database, in order.
    stopOnTerminationSignals: false,
    plugins: [
      {
        async serverWillStart() {
          return {
            // In order: HTTP requests finish (or are stopped without committing) while subscribers
            // still receive their events; then subscribers are told the hub is going (1001).
            async drainServer() {
              await drain.stop();
              // AIS first: its publishes are audited, so the read audit's last batch comes after.
              await ais.stop();
              await readAudit.stop();
              await websocket.dispose();
              await webhookWorker.stop();
              await stream.stop();
              await auditSealer.stop();
              await auditCheckpointer.stop();
              await feeds.stop();
              revocations.stop();
              availability.stop();
            },
          };
        },
      },
      // Traces would carry error details and timings to any gateway that asks: off.
      ApolloServerPluginInlineTraceDisabled(),
      // Apollo's landing pages (Sandbox in development, its production page too) load from Apollo's
      // CDN, which closed networks cannot reach and which nothing here should trust: none, in any
      // mode. The console at / is the hub's own page; GET /graphql is GraphQL over GET.
      ApolloServerPluginLandingPageDisabled(),
      // Apollo's cache-control plugin hooks every field of every row (willResolveField) only to
      // conclude `no-store`: nothing here carries a cache hint, and every answer is the caller's own.
      ApolloServerPluginCacheControlDisabled(),
      subscriptionsOverWebSocketOnly,
      {
        // An answer that could not reach the database: 503 with Retry-After, so clients and load
        // balancers wait and retry (the error itself says SERVICE_UNAVAILABLE, src/graphql/format-error.ts).
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              response.http.headers.set('cache-control', 'no-store');
              const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
              if (!errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
              response.http.status = 503;
              response.http.headers.set('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
            },
          };
        },
      },
      admissionPlugin,
      requestLogPlugin((reason) => metrics.denial(reason)),
      {
        // Reads of other agencies' records are queued for the audit trail once the response is
        // settled; it waits for them only when the queue is backed up (src/audit/read-audit.ts).
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue: ctx }) {
              if (!ctx?.reads || ctx.reads.empty) return;
              // Reads already made are recorded even for a request that ran late.
              await outsideDeadline(() => readAudit.record({ principal: ctx.principal, requestId: ctx.requestId }, ctx.reads.toAudit()));
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // Liveness: the process serves. No database: an outage must not get a healthy hub restarted.
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  // Readiness, and /health as its older name.
  app.get(['/readyz', '/health'], async (_req, res) => {
    const { ready, checks } = await readiness(db, policies, () => stream.listening);
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'not ready', checks });
  });
  const metricsListener = opts.metricsPort === undefined ? undefined : await metrics.listen(opts.metricsPort, opts.host, log);
  if (!metricsListener) app.get('/metrics', metrics.handler);

  app.use(
    '/graphql',
    express.json({ limit: limits.maxRequestBytes }),
    // After the body is read (its stream events would lose the request's async context): from
    // here on, every statement of the request is bound by its deadline, and its work carries its id.
    (_req: Request, res: Response, next: NextFunction) =>
      withRequestId(requestRecord(res)!.requestId, () => withDeadline(requestLimits.timeoutMs, next)),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const record = requestRecord(res)!;
        let authenticated;
        try {
          authenticated = await authenticate(
            policies,
            revocations,
            headerValue(req.headers.authorization),
            headerValue(req.headers['x-purpose-of-use']),
          );
        } catch (err) {
          if (err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED') {
            record.authFailure = err.message.replace(/^not authenticated: /, '');
            record.errorCodes.add('UNAUTHENTICATED');
          }
          throw err;
        }
        const { policy, principal } = authenticated;
        record.agency = principal.agency.code;
        record.subject = principal.subject;
        // One id end to end: the header, the errors, the log line and the audit records.
        const ctx = createContext(db, policy, principal, record.requestId, new Date(), settings);
        ctx.commitGate = drain.gateOf(res);
        bindRecord(ctx, record);
        return ctx;
      },
    }),
  );

  if (opts.console) mountConsole(app, opts.console, policies, log);
  app.use(notFound);
  app.use(bodyErrors(log, limits.maxRequestBytes));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}/graphql`;
  log.info({ url }, 'Portcullis hub listening');
  return {
    url,
    port,
    metricsUrl: metricsListener?.url ?? url.replace(/\/graphql$/, '/metrics'),
    aisPort: (feedId) => ais.portOf(feedId),
    stop: async () => {
      removeMembershipCheck();
      await apollo.stop();
      authFailures.flush();
      await metricsListener?.close();
    },
  };
}

const WEBHOOK_OUTCOME = { DELIVERED: 'delivered', FAILED: 'failed', GAVE_UP: 'gave_up', WITHHELD: 'withheld' } as const;

/** Audit records in the inbox, not yet sealed into the chain; null when the database does not answer in time. */
async function auditInboxPending(db: DataSource): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      db.query('SELECT count(*)::int AS n FROM audit_inbox').then((rows: { n: number }[]) => rows[0].n),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 2000))),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
