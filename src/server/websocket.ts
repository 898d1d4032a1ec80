/**
 * GraphQL over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the same port and path
 * as HTTP, for subscriptions only. Nothing configured on Apollo applies here, so this transport
 * wires the same parts itself: token verification, the parser's token limit, validation rules,
 * error masking and the sensitive-read audit. Events are executed once per view and shared
 * (src/alert/shared-delivery.ts); each execution gets a fresh request context (policy snapshot,
 * decision cache, loaders).
 *
 * The socket glue is ours rather than graphql-ws's `useServer`, so that a flooding socket is cut
 * off before graphql-ws reads its messages, and socket errors reach our logger.
 *
 * Each operation has a request id of its own, in its errors, its audit records and its log line
 * (one line when it ends: ./request-log.ts); a refused token is logged like one over HTTP.
 */
import type http from 'node:http';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import type { DataSource } from 'typeorm';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AlertStream } from '../alert/alert-stream';
import type { LiveContext } from '../alert/live-context';
import { selectionKey, SharedDelivery } from '../alert/shared-delivery';
import { SubscriberKeys } from '../alert/subscriber-keys';
import { vesselById } from '../vessel/vessel.service';
import { AuditWriter } from '../audit/audit.service';
import { clientError } from '../common/errors';
import type { TransportLimits } from '../config';
import { decideRead } from '../policy/engine';
import { memberStanding } from '../policy/membership';
import type { PolicyStore } from '../request/policy-store';
import type { RevocationList } from '../revocation/revocation-list';
import type { Principal } from '../policy/types';
import { authenticate } from './authenticate';
import { createContext, type HubSettings } from '../request/context';
import { createErrorFormatter } from '../graphql/format-error';
import type { Availability } from '../common/db-availability';
import { operationRules } from './operation-rules';
import { operationCostErrors } from './admission';
import type { Logger } from '../common/logger';
import { REQUEST_ID_HEADER, requestIdFrom } from '../common/request-id';
import { denialReason } from '../common/errors';
import type { HubMetrics } from './metrics';
import { lineOf, newRecord, outcomeOf, type RateLimitedLog, type RequestRecord } from './request-log';
import { headerValue } from './authenticate';

/**
 * Close codes of our own, besides graphql-ws's (4400, 4401, 4403, ...) and WebSocket's 1009
 * (a message over MAX_BODY_BYTES). Listed in the README's table of limits.
 */
export const CLOSE_TOO_MANY_SOCKETS = 4290;
export const CLOSE_TOO_MANY_MESSAGES = 4291;

/** setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days): longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** As graphql-ws's useServer: ping every 12 s, and drop a socket that has not answered by the next. */
const KEEPALIVE_MS = 12_000;

/**
 * How often to look whether an agreement's validity window opened or closed: the only way time
 * changes what a subscriber may see. Live subscriptions then re-check what they show (a reload
 * makes them re-check at once).
 */
const RECHECK_INTERVAL_MS = 15_000;

interface Connection {
  socket: WebSocket;
  principal: Principal;
  /** Whose sockets this one counts toward (maxSocketsPerPrincipal, maxSocketsPerAgency). */
  principalKey: string;
  agencyCode: string;
  expiryTimer?: NodeJS.Timeout;
  aborts: Map<string, AbortController>;
  /** Each operation's log record, from its subscribe message to its end. */
  operations: Map<string, Operation>;
}

interface Operation extends RequestRecord {
  /** Executing: counted in portcullis_live_subscriptions until it ends. */
  live: boolean;
  events: number;
}

interface Extra {
  socket: WebSocket;
  request: http.IncomingMessage;
  conn?: Connection;
}

/** A bucket of messages that refills at `perSecond` and holds at most one second's worth. */
function messageBudget(perSecond: number): () => boolean {
  let tokens = perSecond;
  let last = performance.now();
  return () => {
    const now = performance.now();
    tokens = Math.min(perSecond, tokens + ((now - last) / 1000) * perSecond);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/** Open sockets per key (a principal, an agency), each key at most `max`. */
class OpenSockets {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  full(key: string): boolean {
    return (this.counts.get(key) ?? 0) >= this.max;
  }

  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  remove(key: string): void {
    const left = (this.counts.get(key) ?? 1) - 1;
    if (left > 0) this.counts.set(key, left);
    else this.counts.delete(key);
  }
}

/** The token's identity, whichever token of it is used: its issuer, agency and subject. */
const principalKeyOf = (p: Principal) => JSON.stringify([p.issuer, p.agency.code, p.subject]);

export interface WebSocketTransport {
  dispose(): Promise<void>;
  /** Subscriptions executing on this instance now. */
  liveSubscriptions(): number;
}

const bearerFrom = (params: Record<string, unknown> | undefined): string | undefined => {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
};

export function attachWebSocket(opts: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  db: DataSource;
  policies: PolicyStore;
  revocations: RevocationList;
  stream: AlertStream;
  settings: HubSettings;
  limits: TransportLimits;
  log: Logger;
  authFailures: RateLimitedLog;
  metrics: HubMetrics;
  /** Told of errors that say the database is unreachable. */
  availability?: Pick<Availability, 'failed' | 'whenUp'>;
}): WebSocketTransport {
  const { schema, db, policies, revocations, stream, settings, limits, log, authFailures, metrics } = opts;
  const formatError = createErrorFormatter(log, {
    suggestions: limits.introspection,
    onUnavailable: (err) => opts.availability?.failed(err),
  });
  const rules = [...specifiedRules, ...operationRules(limits)];
  // maxPayload: ws stops reading a larger message and closes with 1009 before buffering it.
  const wss = new WebSocketServer({ server: opts.httpServer, path: '/graphql', maxPayload: limits.maxRequestBytes, handleProtocols });
  const connections = new Set<Connection>();
  const socketsPerPrincipal = new OpenSockets(limits.maxSocketsPerPrincipal);
  const socketsPerAgency = new OpenSockets(limits.maxSocketsPerAgency);
  const feeds = new Set<{ recheck(): void }>();
  const delivery = new SharedDelivery(undefined, opts.availability);
  const audit = new AuditWriter(db);
  let live = 0;

  /** The operation's codes and denials, from errors as graphql-js made them (before masking). */
  const noteErrors = (op: Operation | undefined, errors: readonly GraphQLError[]) => {
    for (const e of errors) {
      const reason = denialReason(e);
      if (reason) metrics.denial(reason);
    }
    return <F extends { extensions?: Record<string, unknown> }>(formatted: F[]) => {
      for (const f of formatted) if (typeof f.extensions?.code === 'string') op?.errorCodes.add(f.extensions.code);
      return formatted;
    };
  };

  /** The operation's one log line, when it ends (or was refused, or its socket closed). */
  const finish = (conn: Connection, id: string) => {
    const op = conn.operations.get(id);
    if (!op) return;
    conn.operations.delete(id);
    if (op.live) live--;
    log.info({ ...lineOf(op, outcomeOf(op.errorCodes)), transport: 'ws', events: op.events }, 'operation');
  };

  const closeConnection = (conn: Connection, code: number, reason: string) => {
    clearTimeout(conn.expiryTimer);
    for (const abort of conn.aborts.values()) abort.abort();
    conn.socket.close(code, reason);
  };

  const armExpiry = (conn: Connection) => {
    const msLeft = conn.principal.expiresAt * 1000 - Date.now();
    if (msLeft <= 0) return closeConnection(conn, CloseCode.Unauthorized, 'token expired');
    conn.expiryTimer = setTimeout(() => armExpiry(conn), Math.min(msLeft, MAX_TIMER_MS));
  };

  const forget = (conn: Connection) => {
    if (!connections.delete(conn)) return;
    socketsPerPrincipal.remove(conn.principalKey);
    socketsPerAgency.remove(conn.agencyCode);
  };

  /** A revoked token's connection is closed, as one whose token expired (4403: it will not come back). */
  const closeRevoked = () => {
    const { policy } = policies.current;
    for (const conn of connections) {
      if (revocations.revocationOf(conn.principal, policy)) closeConnection(conn, CloseCode.Forbidden, 'token revoked');
    }
  };
  const unsubscribeRevocations = revocations.onChange(closeRevoked);

  // A reload re-derives each principal from the new membership, then every feed re-checks.
  const unsubscribeReload = policies.onReload(({ policy }) => {
    for (const conn of connections) {
      const standing = memberStanding(policy, conn.principal.agency.code, conn.principal.issuer);
      if ('agency' in standing) conn.principal = { ...conn.principal, agency: standing.agency };
      else closeConnection(conn, CloseCode.Forbidden, 'membership changed: reconnect with a new token');
    }
    closeRevoked(); // revoked.yaml is part of the policies
    for (const feed of feeds) feed.recheck();
  });
  const stopWindowWatch = policies.onAgreementWindow(RECHECK_INTERVAL_MS, () => feeds.forEach((f) => f.recheck()));

  const server = makeServer<Record<string, unknown>, Extra>({
    onConnect: async (ctx) => {
      let principal: Principal;
      try {
        const params = ctx.connectionParams;
        const purpose = params?.purpose ?? params?.['x-purpose-of-use'];
        ({ principal } = await authenticate(policies, revocations, bearerFrom(params), typeof purpose === 'string' ? purpose : undefined));
      } catch (err) {
        const reason = err instanceof GraphQLError ? err.message : 'not authenticated';
        const record = newRecord(requestIdFrom(headerValue(ctx.extra.request.headers[REQUEST_ID_HEADER])));
        authFailures.warn(
          { ...lineOf(record, 'unauthenticated'), transport: 'ws', reason: reason.replace(/^not authenticated: /, '').slice(0, 120) },
          'authentication failed',
        );
        ctx.extra.socket.close(CloseCode.Unauthorized, reason.slice(0, 120));
        return false;
      }
      const principalKey = principalKeyOf(principal);
      const agencyCode = principal.agency.code;
      if (socketsPerPrincipal.full(principalKey)) {
        ctx.extra.socket.close(CLOSE_TOO_MANY_SOCKETS, `too many connections: at most ${limits.maxSocketsPerPrincipal} per principal`);
        return false;
      }
      if (socketsPerAgency.full(agencyCode)) {
        ctx.extra.socket.close(CLOSE_TOO_MANY_SOCKETS, `too many connections: at most ${limits.maxSocketsPerAgency} per agency`);
        return false;
      }
      const conn: Connection = {
        socket: ctx.extra.socket,
        principal,
        principalKey,
        agencyCode,
        aborts: new Map(),
        operations: new Map(),
      };
      socketsPerPrincipal.add(principalKey);
      socketsPerAgency.add(agencyCode);
      connections.add(conn);
      ctx.extra.conn = conn;
      armExpiry(conn);
      return true;
    },
    onClose: (ctx) => {
      const conn = ctx.extra.conn;
      if (!conn) return;
      clearTimeout(conn.expiryTimer);
      for (const abort of conn.aborts.values()) abort.abort();
      for (const id of [...conn.operations.keys()]) finish(conn, id);
      forget(conn);
    },
    onSubscribe: (ctx, id, payload) => {
      const conn = ctx.extra.conn!;
      // A client reusing an id it has not completed: the old operation's line is written now.
      finish(conn, id);
      const op: Operation = {
        ...newRecord(requestIdFrom(undefined)),
        agency: conn.principal.agency.code,
        subject: conn.principal.subject,
        operationName: typeof payload.operationName === 'string' ? payload.operationName : undefined,
        live: false,
        events: 0,
      };
      conn.operations.set(id, op);
      // graphql-ws has already counted this one.
      if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
        return [
          clientError(
            'RATE_LIMITED',
            `too many subscriptions: at most ${limits.maxSubscriptionsPerSocket} per connection; complete one first`,
          ),
        ];
      }
      let document;
      try {
        document = parse(payload.query, { maxTokens: limits.maxTokens });
      } catch (err) {
        // Coded as Apollo codes them over HTTP, so the error formatter treats both transports alike.
        return [withCode(err instanceof GraphQLError ? err : new GraphQLError('could not parse the operation'), 'GRAPHQL_PARSE_FAILED')];
      }
      const errors = validate(schema, document, rules);
      if (errors.length > 0) return errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
      const overLimit = operationCostErrors(settings, { document, operationName: payload.operationName, variables: payload.variables });
      if (overLimit) return overLimit;
      const operation = getOperationAST(document, payload.operationName);
      op.operationName = operation?.name?.value;
      op.operationType = operation?.operation;
      if (operation?.operation !== 'subscription') {
        return [
          new GraphQLError('only subscriptions over WebSocket; send queries and mutations over HTTP', {
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        ];
      }
      const abort = new AbortController();
      conn.aborts.set(id, abort);
      const requestId = op.requestId;
      const keys = new SubscriberKeys(selectionKey(document, payload.query, payload.operationName, payload.variables), () => ({
        policy: policies.current.policy,
        principal: conn.principal,
      }));
      const contextValue = createContext(db, policies.current.policy, conn.principal, requestId, new Date(), settings) as LiveContext;
      contextValue.live = {
        stream,
        signal: abort.signal,
        keys,
        canRead: (alert) =>
          delivery.canRead(
            alert,
            keys.decisions(),
            () => decideRead(policies.current.policy, conn.principal, 'VesselAlert', alert, new Date()).allowed,
          ),
        contextFor: (event) => {
          const eventContext = createContext(db, policies.current.policy, conn.principal, requestId, new Date(), settings);
          if (event.vessel) eventContext.loaders.get(vesselById).prime(event.vessel.id, event.vessel);
          return eventContext;
        },
        track: (feed) => {
          feeds.add(feed);
          return () => feeds.delete(feed);
        },
      };
      op.live = true;
      live++;
      return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName, contextValue };
    },
    subscribe: delivery.subscribe,
    onNext: async (ctx, id, _payload, args, result) => {
      const { requestId } = args.contextValue as LiveContext;
      // On the record before it is sent: the reads of a shared result, as this subscriber's own.
      const reads = delivery.readsOf(result);
      if (reads.length > 0) {
        await audit.append({ principal: ctx.extra.conn!.principal, requestId }, reads);
      }
      const op = ctx.extra.conn?.operations.get(id);
      // An event (its data, withheld fields and all); not a subscription that failed to start.
      if (result.data !== null && result.data !== undefined) {
        if (op) op.events++;
        metrics.alertDelivered();
      }
      if (!result.errors) return result;
      const errors = noteErrors(op, result.errors)(result.errors.map((e) => formatError(e.toJSON(), e, requestId)));
      return { ...result, errors };
    },
    onError: (ctx, id, _payload, errors) => {
      const conn = ctx.extra.conn;
      const op = conn?.operations.get(id);
      const formatted = noteErrors(op, errors)(errors.map((e) => formatError(e.toJSON(), e, op?.requestId)));
      // Refused before it ran: graphql-ws completes nothing, so its line is written now.
      if (conn && op && !op.live) finish(conn, id);
      return formatted;
    },
    onComplete: (ctx, id) => {
      ctx.extra.conn?.aborts.get(id)?.abort();
      ctx.extra.conn?.aborts.delete(id);
      if (ctx.extra.conn) finish(ctx.extra.conn, id);
    },
  });

  wss.on('error', (err) => log.error({ err }, 'WebSocket server error'));
  wss.on('connection', (socket, request) => {
    // A message over maxPayload or a broken frame: ws has already closed the socket (1009, 1002, ...).
    socket.on('error', (err) =>
      log.info({ code: (err as NodeJS.ErrnoException).code, reason: err.message }, 'WebSocket closed on a bad message'),
    );
    const withinBudget = messageBudget(limits.maxMessagesPerSecond);
    let alive = true;
    socket.on('pong', () => (alive = true));
    const keepalive = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, KEEPALIVE_MS);
    const extra: Extra = { socket, request };
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            // Nothing is read from a socket that is closing.
            if (socket.readyState !== socket.OPEN) return;
            if (!withinBudget()) {
              return socket.close(CLOSE_TOO_MANY_MESSAGES, `too many messages: at most ${limits.maxMessagesPerSecond} per second`);
            }
            handle(String(data)).catch((err: unknown) => {
              log.error({ err }, 'WebSocket message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepalive);
      // Its subscriptions stop waiting for the next event now: graphql-ws ends each one (and only
      // then tells onClose) once its feed returns.
      for (const abort of extra.conn?.aborts.values() ?? []) abort.abort();
      void closed(code, String(reason));
    });
  });

  return {
    async dispose() {
      unsubscribeReload();
      unsubscribeRevocations();
      stopWindowWatch();
      for (const conn of connections) closeConnection(conn, 1001, 'server shutting down');
      for (const socket of wss.clients) socket.close(1001, 'server shutting down');
      await audit.idle();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    liveSubscriptions: () => live,
  };
}

/** The same error with a code, unless it has one (a query limit's QUERY_TOO_COMPLEX). */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
