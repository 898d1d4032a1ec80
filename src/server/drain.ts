/**
 * Stopping the HTTP transport so that no write commits after its client was told it failed.
 * From `stop()` on, every new request (on a new or a kept-alive connection, /health included)
 * and every WebSocket upgrade is answered 503 with Retry-After. Requests in flight get the grace
 * period to finish. Those still running when it ends are shut out of committing (their commit
 * gate; their running statement cancelled) and get one more grace period (at least a second) to
 * answer; only then are connections closed. A request that had begun to commit is never cut off
 * before that. A request whose client hangs up before its answer is shut out of committing too.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { Client } from 'pg';
import type { Logger } from '../common/logger';
import { CommitGate, type OpenTransaction } from '../request/commit-gate';
import { requestRecord } from './request-log';

/** The probes answer a plain status while stopping, as they do otherwise. */
const PROBES = new Set(['/healthz', '/readyz', '/health']);

/** The least time stopped requests get to answer, even with no grace period: a request already committing must not be cut off. */
const LAST_ANSWERS_MS = 1_000;

export class HttpDrain {
  private stopping = false;
  private readonly inFlight = new Map<Response, CommitGate>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly opts: {
      server: http.Server;
      /** For cancelling statements on a connection of its own: the pool may be held by the very requests to stop. */
      databaseUrl: string;
      graceMs: number;
      log: Logger;
    },
  ) {
    // Before the WebSocket server's own listener: a refused upgrade never reaches it as writable.
    opts.server.prependListener('upgrade', (_req: http.IncomingMessage, socket: Duplex) => {
      if (!this.stopping) return;
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${this.retryAfterSeconds}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    });
  }

  /** Where a client should look again: by then this instance is gone and its successor (or a peer) answers. */
  private get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.opts.graceMs / 1000));
  }

  /** The first middleware: follows each request until its response is done, and turns new ones away while stopping. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (this.stopping) {
      this.refuse(req, res);
      return;
    }
    const gate = new CommitGate();
    this.inFlight.set(res, gate);
    res.once('close', () => {
      // The client went away before its answer: it saw a failure, so the write must not commit.
      // (No statement is cancelled: that would take a database connection per dropped request.)
      if (!res.writableFinished) gate.shutOut();
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) for (const wake of this.waiters) wake();
    });
    next();
  };

  /** The commit gate of the request `res` answers (a fresh one for a response not followed here). */
  gateOf(res: Response): CommitGate {
    return this.inFlight.get(res) ?? new CommitGate();
  }

  private refuse(req: Request, res: Response): void {
    res.status(503).set({ 'Retry-After': String(this.retryAfterSeconds), Connection: 'close' });
    if (PROBES.has(req.path)) {
      res.json({ status: 'stopping' });
      return;
    }
    const record = requestRecord(res);
    record?.errorCodes.add('SHUTTING_DOWN');
    res.json({
      errors: [
        {
          message: `The hub is stopping and takes no new requests: retry in ${this.retryAfterSeconds} seconds (a write with an idempotencyKey is safe to retry)`,
          extensions: {
            code: 'SHUTTING_DOWN',
            retryAfterSeconds: this.retryAfterSeconds,
            ...(record ? { requestId: record.requestId } : {}),
          },
        },
      ],
    });
  }

  async stop(): Promise<void> {
    const { server, graceMs, log } = this.opts;
    this.stopping = true;
    server.closeIdleConnections();
    for (const res of this.inFlight.keys()) if (!res.headersSent) res.setHeader('Connection', 'close');
    if (!(await this.settled(graceMs))) {
      log.warn({ requests: this.inFlight.size }, 'shutdown grace period over: requests still running are stopped without committing');
      const open = [...this.inFlight.values()].flatMap((gate) => gate.shutOut());
      await this.cancelStatements(open);
      if (!(await this.settled(Math.max(graceMs, LAST_ANSWERS_MS))))
        log.warn({ requests: this.inFlight.size }, 'closing connections of requests that did not answer');
    }
    server.close();
    server.closeAllConnections();
  }

  /** True once no request is in flight; false if `ms` pass first. */
  private settled(ms: number): Promise<boolean> {
    if (this.inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (idle: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(idle);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.waiters.add(wake);
    });
  }

  private async cancelStatements(transactions: OpenTransaction[]): Promise<void> {
    if (transactions.length === 0) return;
    const client = new Client({ connectionString: this.opts.databaseUrl });
    try {
      await client.connect();
      // Only while the backend still runs that same transaction: one that ended meanwhile has
      // gone back to the pool, and what it runs now (another request, a worker) is not to be cancelled.
      await client.query(
        `SELECT pg_cancel_backend(a.pid)
           FROM pg_stat_activity a
           JOIN unnest($1::int[], $2::timestamptz[]) AS t(pid, started_at) ON a.pid = t.pid AND a.xact_start = t.started_at`,
        [transactions.map((t) => t.pid), transactions.map((t) => t.startedAt)],
      );
    } catch (err) {
      // The gates are shut whatever happens here: those writes still cannot commit, they only end later.
      this.opts.log.warn({ err }, 'cancelling the statements of stopped requests failed');
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
