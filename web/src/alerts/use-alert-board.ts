/**
 * The board's alerts: the `alerts` query for what is there, then the `vesselAlerts` subscription
 * for what happens next. The stream resumes itself after a drop: it keeps the last `sequence`
 * received and resubscribes with `after` set to it, so an alert published while the connection
 * was down still arrives; events are deduplicated by sequence and alerts kept by id, so none
 * appears twice. Until an event has been received there is no position to resume from, so a
 * reconnect then re-reads the list instead.
 */
import { useEffect, useRef, useState } from 'react';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { graphql } from '../gql';
import type { AlertBoardLiveSubscription, AlertFilter, BoardAlertFragment } from '../gql/graphql';
import { createLiveClient } from '../api/live';
import type { Api, Credentials } from '../api/client';

/** @public graphql-codegen reads the fragment from this call; operations spread it by name. */
export const BoardAlertFragmentDoc = graphql(`
  fragment BoardAlert on VesselAlert {
    id
    title
    severity
    category
    status
    port
    issuedAt
    tlp
    access {
      ...AccessFields
    }
    vessel {
      imo
      name
    }
    vesselAsGiven {
      imo
      name
    }
  }
`);

const AlertBoardQuery = graphql(`
  query AlertBoard($filter: AlertFilter, $first: Int) {
    alerts(filter: $filter, first: $first) {
      edges {
        node {
          ...BoardAlert
        }
      }
    }
  }
`);

const AlertBoardLive = graphql(`
  subscription AlertBoardLive($after: String, $filter: AlertFilter) {
    vesselAlerts(after: $after, filter: $filter) {
      sequence
      kind
      alertId
      alert {
        ...BoardAlert
      }
    }
  }
`);
const LIVE_QUERY = print(AlertBoardLive);

export type BoardAlert = BoardAlertFragment;
type Connection = 'connecting' | 'live' | 'reconnecting';
type LiveEvent = AlertBoardLiveSubscription['vesselAlerts'];

/** How many alerts the board lists at most: the duty officer's screen, not an archive. */
const BOARD_SIZE = 100;
/** Reconnect backoff: from half a second, doubling, to at most five. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;

export interface BoardCallbacks {
  /** A new alert arrived live (PUBLISHED, not yet on the board). */
  published?(alert: BoardAlert): void;
  /** An alert left the board: withdrawn or no longer visible. */
  revoked?(alert: BoardAlert): void;
}

export interface AlertBoardState {
  alerts: BoardAlert[];
  connection: Connection;
  error?: string;
}

const newestFirst = (a: BoardAlert, b: BoardAlert) => b.issuedAt.localeCompare(a.issuedAt) || b.id.localeCompare(a.id);

export function useAlertBoard(api: Api, credentials: Credentials, filter: AlertFilter, on: BoardCallbacks = {}): AlertBoardState {
  const [alerts, setAlerts] = useState<BoardAlert[]>([]);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [error, setError] = useState<string>();
  // The latest callbacks, without restarting the stream when they change.
  const callbacks = useRef<BoardCallbacks>(on);
  useEffect(() => {
    callbacks.current = on;
  });
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    const variablesFilter = JSON.parse(filterKey) as AlertFilter;
    // A new filter is a new stream: say so until its connection is up.
    setConnection('connecting');
    let stopped = false;
    const board = new Map<string, BoardAlert>();
    const seenSequences = new Set<string>();
    let lastSequence: string | undefined;
    let client: Client | undefined;
    let generation = 0;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** Alerts a live event set or removed while a list read was under way: the event is newer than the read. */
    let touchedDuringRead: Set<string> | undefined;
    let readNumber = 0;

    const publish = () => setAlerts([...board.values()].sort(newestFirst));

    async function readList() {
      const mine = ++readNumber;
      const touched = new Set<string>();
      touchedDuringRead = touched;
      try {
        const data = await api.must(AlertBoardQuery, { filter: variablesFilter, first: BOARD_SIZE });
        if (stopped || mine !== readNumber) return;
        const listed = new Map(data.alerts.edges.map((e) => [e.node.id, e.node]));
        for (const id of touched) {
          const live = board.get(id);
          if (live) listed.set(id, live);
          else listed.delete(id);
        }
        board.clear();
        for (const [id, alert] of listed) board.set(id, alert);
        setError(undefined);
        publish();
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (touchedDuringRead === touched) touchedDuringRead = undefined;
      }
    }

    function receive(event: LiveEvent) {
      if (seenSequences.has(event.sequence)) return;
      seenSequences.add(event.sequence);
      lastSequence = event.sequence;
      touchedDuringRead?.add(event.alertId);
      const before = board.get(event.alertId);
      if (event.kind === 'REVOKED' || !event.alert) {
        if (before) {
          board.delete(event.alertId);
          callbacks.current.revoked?.(before);
        }
      } else {
        board.set(event.alertId, event.alert);
        if (event.kind === 'PUBLISHED' && !before) callbacks.current.published?.(event.alert);
      }
      publish();
    }

    function drop(gen: number) {
      if (stopped || gen !== generation) return;
      generation++;
      const old = client;
      client = undefined;
      void old?.dispose();
      setConnection('reconnecting');
      const delay = Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS);
      attempt++;
      retryTimer = setTimeout(connect, delay);
    }

    function connect() {
      if (stopped) return;
      const gen = ++generation;
      const after = lastSequence;
      client = createLiveClient(credentials, {
        connected: () => {
          if (gen !== generation) return;
          attempt = 0;
          setConnection('live');
          // Nothing received yet: no position to resume from, so what happened meanwhile is read from the list.
          if (after === undefined) void readList();
        },
        closed: () => drop(gen),
      });
      client.subscribe<AlertBoardLiveSubscription>(
        { query: LIVE_QUERY, variables: { after: after ?? null, filter: variablesFilter } },
        {
          next: (result) => {
            if (gen !== generation) return;
            if (result.data) receive(result.data.vesselAlerts);
          },
          error: () => drop(gen),
          complete: () => drop(gen),
        },
      );
    }

    // The list shows at once, even before (or without) the live connection.
    void readList();
    connect();
    return () => {
      stopped = true;
      generation++;
      clearTimeout(retryTimer);
      void client?.dispose();
    };
  }, [api, credentials, filterKey]);

  return { alerts, connection, error };
}
