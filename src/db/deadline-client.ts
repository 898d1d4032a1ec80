/**
 * The hub's database client: pg's Client, bound by the deadline of the request it works for
 * (src/common/request-deadline.ts). A statement asked for after the deadline is refused without
 * reaching the server; one still running when it passes is cancelled, as PostgreSQL's own
 * statement_timeout would cancel it. Either fails as PostgreSQL's query_canceled (57014), which
 * the hub answers as a timeout (src/graphql/format-error.ts).
 *
 * Ending a transaction is never refused or cancelled: ROLLBACK must always run, and a COMMIT under
 * way is waited for, so an answer never says a write failed that then commits.
 */
import net from 'node:net';
import pg from 'pg';
import { currentDeadline } from '../common/request-deadline';

const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i;

const cancelled = () =>
  Object.assign(new Error('canceling statement: the request deadline (REQUEST_TIMEOUT_MS) has passed'), { code: '57014' });

/** The statement text of a promise-style query call, or undefined for the forms this leaves alone. */
function textOf(args: unknown[]): string | undefined {
  if (typeof args.at(-1) === 'function') return undefined; // callback style
  const first = args[0];
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && !('submit' in first) && typeof (first as { text?: unknown }).text === 'string') {
    return (first as { text: string }).text;
  }
  return undefined; // a Submittable (cursor, stream)
}

export class DeadlineClient extends pg.Client {
  // pg's query has many overloads; this keeps each caller's own.
  override query(...args: unknown[]): never {
    const deadline = currentDeadline();
    const text = deadline === undefined ? undefined : textOf(args);
    const run = () => (super.query as (...a: unknown[]) => unknown)(...args) as never;
    if (deadline === undefined || text === undefined || ENDS_TRANSACTION.test(text)) return run();
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(cancelled()) as never;
    let settled = false;
    const timer = setTimeout(() => {
      if (!settled) this.cancelRunning();
    }, left);
    return (run() as Promise<unknown>).finally(() => {
      settled = true;
      clearTimeout(timer);
    }) as never;
  }

  /** PostgreSQL's cancel request (protocol 3.0, CancelRequest) for this connection's running statement, on a connection of its own. */
  private cancelRunning(): void {
    const { processID, secretKey, host, port } = this as unknown as { processID: number; secretKey: number; host: string; port: number };
    const request = Buffer.alloc(16);
    request.writeInt32BE(16, 0);
    request.writeInt32BE(80877102, 4);
    request.writeInt32BE(processID, 8);
    request.writeInt32BE(secretKey, 12);
    const socket = host.startsWith('/') ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect(port, host);
    socket.on('error', () => undefined); // the statement then ends at its statement_timeout
    socket.on('connect', () => socket.end(request));
  }
}
