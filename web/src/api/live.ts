/**
 * Live data over graphql-ws on the hub's own origin. The console resumes a stream itself: each
 * socket carries one subscription with `after` set to the last position received, so after a
 * drop nothing is missed and nothing is replayed twice (the hub replays every event after it).
 */
import { createClient, type Client } from 'graphql-ws';
import { GRAPHQL_PATH, type Credentials } from './client';

/** graphql-ws does not notice a half-open socket: a ping left unanswered this long closes it. */
const PONG_TIMEOUT_MS = 5_000;
const KEEP_ALIVE_MS = 10_000;

function liveUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${GRAPHQL_PATH}`;
}

export function createLiveClient(credentials: Credentials, on: { connected?: () => void; closed?: (code?: number) => void } = {}): Client {
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | undefined;
  return createClient({
    url: liveUrl(),
    lazy: true,
    // The console resubscribes with a newer `after` itself (see useAlertStream); the client's own
    // retries would resend the first `after` and replay events already shown.
    retryAttempts: 0,
    keepAlive: KEEP_ALIVE_MS,
    connectionParams: () => ({
      authorization: `Bearer ${credentials.token}`,
      ...(credentials.purpose ? { purpose: credentials.purpose } : {}),
    }),
    on: {
      opened: (opened) => {
        socket = opened as WebSocket;
      },
      connected: () => on.connected?.(),
      closed: (event) => {
        clearTimeout(pongTimer);
        on.closed?.((event as CloseEvent | undefined)?.code);
      },
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => {
          if (socket?.readyState === WebSocket.OPEN) socket.close(4408, 'no pong');
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });
}
