/**
 * GraphQL over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the same port and path
 * as HTTP, for subscriptions only. Nothing configured on Apollo applies here, so this transport
 * wires the same parts itself: token verification, query limits, error masking and the
 * sensitive-read audit. Events are executed once per view and shared (src/alert/shared-delivery.ts);
 * each execution gets a fresh request context (policy snapshot, decision cache, loaders).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { DataSource } from 'typeorm';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AlertStream } from '../alert/alert-stream';
import type { LiveContext } from '../alert/live-context';
import { selectionKey, SharedDelivery } from '../alert/shared-delivery';
import { SubscriberKeys } from '../alert/subscriber-keys';
import { vesselById } from '../vessel/vessel.service';
import { AuditWriter } from '../audit/audit.service';
import { decideRead } from '../policy/engine';
import { memberStanding } from '../policy/membership';
import type { PolicyStore } from '../request/policy-store';
import type { Principal } from '../policy/types';
import { authenticate } from './authenticate';
import { createContext, type HubSettings } from '../request/context';
import { createErrorFormatter } from '../graphql/format-error';
import { queryLimitRules } from '../graphql/limits';
import { operationCostErrors } from './admission';
import type { Logger } from '../common/logger';

/**
 * How often to look whether an agreement's validity window opened or closed: the only way time
 * changes what a subscriber may see. Live subscriptions then re-check what they show (a reload
 * makes them re-check at once).
 */
const RECHECK_INTERVAL_MS = 15_000;

interface Connection {
  socket: WebSocket;
  principal: Principal;
  expiryTimer?: NodeJS.Timeout;
  aborts: Map<string, AbortController>;
}

export interface WebSocketTransport {
  dispose(): Promise<void>;
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
  stream: AlertStream;
  settings: HubSettings;
  log: Logger;
}): WebSocketTransport {
  const { schema, db, policies, stream, settings, log } = opts;
  const formatError = createErrorFormatter(log);
  const wss = new WebSocketServer({ server: opts.httpServer, path: '/graphql' });
  const connections = new Set<Connection>();
  const feeds = new Set<{ recheck(): void }>();
  const delivery = new SharedDelivery();
  const audit = new AuditWriter(db);

  const closeConnection = (conn: Connection, code: number, reason: string) => {
    clearTimeout(conn.expiryTimer);
    for (const abort of conn.aborts.values()) abort.abort();
    conn.socket.close(code, reason);
  };

  // A reload re-derives each principal from the new membership, then every feed re-checks.
  const unsubscribeReload = policies.onReload(({ policy }) => {
    for (const conn of connections) {
      const standing = memberStanding(policy, conn.principal.agency.code, conn.principal.issuer);
      if ('agency' in standing) conn.principal = { ...conn.principal, agency: standing.agency };
      else closeConnection(conn, CloseCode.Forbidden, 'membership changed: reconnect with a new token');
    }
    for (const feed of feeds) feed.recheck();
  });
  const stopWindowWatch = policies.onAgreementWindow(RECHECK_INTERVAL_MS, () => feeds.forEach((f) => f.recheck()));

  const server = useServer<Record<string, unknown>, { conn: Connection }>(
    {
      onConnect: (ctx) => {
        try {
          const params = ctx.connectionParams;
          const purpose = params?.purpose ?? params?.['x-purpose-of-use'];
          const { principal } = authenticate(policies, bearerFrom(params), typeof purpose === 'string' ? purpose : undefined);
          const conn: Connection = { socket: ctx.extra.socket, principal, aborts: new Map() };
          const msLeft = principal.expiresAt * 1000 - Date.now();
          conn.expiryTimer = setTimeout(() => closeConnection(conn, CloseCode.Unauthorized, 'token expired'), Math.max(msLeft, 0));
          ctx.extra.conn = conn;
          connections.add(conn);
          return true;
        } catch (err) {
          const reason = err instanceof GraphQLError ? err.message : 'not authenticated';
          ctx.extra.socket.close(CloseCode.Unauthorized, reason.slice(0, 120));
          return false;
        }
      },
      onClose: (ctx) => {
        const conn = ctx.extra.conn;
        if (!conn) return;
        clearTimeout(conn.expiryTimer);
        for (const abort of conn.aborts.values()) abort.abort();
        connections.delete(conn);
      },
      onSubscribe: (ctx, id, payload) => {
        const conn = ctx.extra.conn!;
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('could not parse the operation')];
        }
        const errors = validate(schema, document, [...specifiedRules, ...queryLimitRules]);
        if (errors.length > 0) return errors;
        const overLimit = operationCostErrors(settings, { document, operationName: payload.operationName, variables: payload.variables });
        if (overLimit) return overLimit;
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [
            new GraphQLError('only subscriptions over WebSocket; send queries and mutations over HTTP', {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        }
        const abort = new AbortController();
        conn.aborts.set(id, abort);
        const requestId = randomUUID();
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
        return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName, contextValue };
      },
      subscribe: delivery.subscribe,
      onNext: async (ctx, _id, _payload, args, result) => {
        // On the record before it is sent: the reads of a shared result, as this subscriber's own.
        const reads = delivery.sensitiveReadsOf(result);
        if (reads.length > 0) {
          await audit.append({ principal: ctx.extra.conn!.principal, requestId: (args.contextValue as LiveContext).requestId }, reads);
        }
        if (!result.errors) return result;
        return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
      onComplete: (ctx, id) => {
        ctx.extra.conn?.aborts.get(id)?.abort();
        ctx.extra.conn?.aborts.delete(id);
      },
    },
    wss,
  );

  return {
    async dispose() {
      unsubscribeReload();
      stopWindowWatch();
      for (const conn of connections) closeConnection(conn, 1001, 'server shutting down');
      await server.dispose();
      await audit.idle();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
