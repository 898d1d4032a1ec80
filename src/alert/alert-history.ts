/** An alert's status history from the alert stream's log (alert_events), batched per request. */
import DataLoader from 'dataloader';
import type { AlertStatus } from '../graphql/enums';
import { defineLoader, type RequestContext } from '../request/context';
import { AlertTransition } from './alert-transition.type';
import type { VesselAlert } from './vessel-alert.entity';

interface EventRow {
  alert_id: string;
  status: AlertStatus;
  note: string | null;
  actor: string;
  at: Date;
}

// Every publish and status change is one event of the log, in stream order; events still in the
// outbox (not yet sequenced) are not history yet, as they are not yet on the stream either.
const historyLoader = defineLoader(
  (ctx) =>
    new DataLoader<VesselAlert, AlertTransition[], string>(
      async (alerts) => {
        const rows: EventRow[] = await ctx.db.query(
          `SELECT alert_id, status, note, actor, at FROM alert_events WHERE alert_id = ANY($1) ORDER BY alert_id, sequence`,
          [alerts.map((a) => a.id)],
        );
        return alerts.map((alert) =>
          rows
            .filter((row) => row.alert_id === alert.id)
            .map((row) =>
              Object.assign(new AlertTransition(), { status: row.status, at: row.at, actor: row.actor, note: row.note, alert }),
            ),
        );
      },
      { cacheKeyFn: (a) => a.id },
    ),
);

export const alertHistory = (ctx: RequestContext, alert: VesselAlert) => ctx.loaders.get(historyLoader).load(alert);
