/**
 * Prometheus metrics (prom-client), at /metrics on the main listener, or on a listener of their
 * own when METRICS_PORT is set (so the public port need not expose them). Every label takes a
 * value from a small fixed set, or a bounded one: no agency code, subject or other identifier
 * is ever a label.
 *
 * Each hub has a registry of its own (a test process runs several hubs).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DENIAL_REASONS, type DenialReason } from '../common/errors';
import type { Logger } from '../common/logger';
import type { AisCounters } from '../ais/ais-service';
import { BAD_SENTENCE_REASONS } from '../ais/nmea';

/** Distinct operation names kept as labels; later names, and anonymous operations, are "other". */
const MAX_OPERATION_LABELS = 100;
const MAX_OPERATION_LABEL_LENGTH = 64;

/** What the gauges read at each scrape. */
export interface MetricSources {
  liveSubscriptions(): number;
  /** The pool's connections: in use, idle, and callers waiting for one. */
  pool(): { active: number; idle: number; waiting: number };
  /** Audit records not yet sealed into the chain; null when the database did not answer. */
  auditInboxPending(): Promise<number | null>;
}

const WEBHOOK_OUTCOMES = ['delivered', 'failed', 'gave_up', 'withheld'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export class HubMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly durations: Histogram<'operation'>;
  private readonly denials: Counter<'reason'>;
  private readonly alertDeliveries: Counter;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private readonly aisSentences: Counter<'outcome'>;
  private readonly aisDetections: Counter<'outcome'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'portcullis_graphql_requests_total',
      help: 'GraphQL requests over HTTP, by operation name (bounded; else "other") and outcome ("ok" or the gravest error code)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.durations = new Histogram({
      name: 'portcullis_graphql_request_duration_seconds',
      help: 'Time from the request reaching the hub to its answer, GraphQL over HTTP, by operation name',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.denials = new Counter({
      name: 'portcullis_authz_denials_total',
      help: 'FORBIDDEN answers of the policy engine: ACTION (a capability), RECORD (a record not visible), FIELD (a field withheld), NO_RULE',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of DENIAL_REASONS) this.denials.inc({ reason }, 0);
    this.alertDeliveries = new Counter({
      name: 'portcullis_alert_deliveries_total',
      help: 'Alert events sent to live subscribers over WebSocket',
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'portcullis_webhook_deliveries_total',
      help: 'Webhook deliveries settled: delivered, failed (to be retried), gave_up, or withheld (the alert is no longer visible to the webhook)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of WEBHOOK_OUTCOMES) this.webhookDeliveries.inc({ outcome }, 0);
    this.aisSentences = new Counter({
      name: 'portcullis_ais_sentences_total',
      help: 'AIS messages decoded ("decoded"), and sentences skipped by why: format, checksum, tag_block, fragment, payload',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['decoded', ...BAD_SENTENCE_REASONS]) this.aisSentences.inc({ outcome }, 0);
    this.aisDetections = new Counter({
      name: 'portcullis_ais_detections_total',
      help: 'AIS rule detections: published (a new alert), updated (evidence added), skipped (owner departed), dropped (queue full), failed',
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: 'portcullis_live_subscriptions',
      help: 'Live subscriptions open on this instance',
      registers,
      collect() {
        this.set(sources.liveSubscriptions());
      },
    });
    new Gauge({
      name: 'portcullis_db_pool_connections',
      help: "The database pool's connections on this instance: active, idle, and waiting (callers waiting for one)",
      labelNames: ['state'],
      registers,
      collect() {
        const pool = sources.pool();
        for (const state of ['active', 'idle', 'waiting'] as const) this.set({ state }, pool[state]);
      },
    });
    new Gauge({
      name: 'portcullis_audit_inbox_pending',
      help: 'Audit records written but not yet sealed into the hash chain (all instances)',
      registers,
      async collect() {
        const pending = await sources.auditInboxPending();
        if (pending === null) this.reset();
        else this.set(pending);
      },
    });
  }

  /**
   * The operation's label: its name (a GraphQL name, so letters, digits and `_` only) while at most
   * MAX_OPERATION_LABELS names have been seen and it is at most MAX_OPERATION_LABEL_LENGTH long, else "other".
   */
  operationLabel(name: string | undefined): string {
    if (name === undefined || name.length > MAX_OPERATION_LABEL_LENGTH) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_LABELS) return 'other';
    this.operationNames.add(name);
    return name;
  }

  graphqlRequest(operationName: string | undefined, outcome: string, seconds: number): void {
    const operation = this.operationLabel(operationName);
    this.requests.inc({ operation, outcome });
    this.durations.observe({ operation }, seconds);
  }

  denial(reason: DenialReason): void {
    this.denials.inc({ reason });
  }

  alertDelivered(): void {
    this.alertDeliveries.inc();
  }

  webhookSettled(outcome: WebhookOutcome, count = 1): void {
    if (count > 0) this.webhookDeliveries.inc({ outcome }, count);
  }

  /** What the AIS runtime counts. */
  readonly ais: AisCounters = {
    badSentence: (reason) => this.aisSentences.inc({ outcome: reason }),
    decoded: () => this.aisSentences.inc({ outcome: 'decoded' }),
    detection: (outcome) => this.aisDetections.inc({ outcome }),
  };

  /** GET /metrics in Prometheus' text format. */
  readonly handler = (_req: Request, res: Response): void => {
    this.registry
      .metrics()
      .then((text) => res.set('Content-Type', this.registry.contentType).set('Cache-Control', 'no-store').send(text))
      .catch(() => res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
  };

  /** A listener of its own that serves GET /metrics and nothing else (METRICS_PORT). */
  async listen(port: number, host: string, log: Logger): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/metrics') {
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store' }).end(text),
          () => res.writeHead(500).end(),
        );
        return;
      }
      res
        .writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}/metrics`;
    log.info({ url }, 'metrics listening');
    return {
      url,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }
}
