/**
 * The request id: one per HTTP request and per WebSocket operation, carried end to end (the
 * `x-request-id` response header, `extensions.requestId` of every error, the request's log line,
 * the audit records it writes). A caller's own id is kept when it is well formed, so a gateway's
 * or a client's id ties its logs to ours; anything else is replaced, never trimmed into shape.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * 1 to 128 characters of letters, digits and `. _ : + / = -`: a UUID, a W3C trace id, a
 * gateway's or base64 id fit; nothing that could break a log line, a header or a query.
 */
const WELL_FORMED = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/** The caller's id when it is well formed, else a new one. */
export function requestIdFrom(given: string | undefined): string {
  return given !== undefined && WELL_FORMED.test(given) ? given : randomUUID();
}

const ids = new AsyncLocalStorage<string>();

/** Runs `fn`, and everything it starts, as the work of request `id`. */
export const withRequestId = <T>(id: string, fn: () => T): T => ids.run(id, fn);

/** The id of the request whose work is running, or undefined outside one. */
export const currentRequestId = (): string | undefined => ids.getStore();
