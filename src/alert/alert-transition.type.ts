import { Field, ObjectType } from 'type-graphql';
import { AlertStatusEnum, type AlertStatus } from '../graphql/enums';
import type { ShareableRecord } from '../policy/types';

/**
 * One status change of a vessel alert, oldest first in `VesselAlert.history`, read from the alert
 * stream's log (alert_events). Whoever sees the alert sees what its status became and when.
 * `actor` and `note` are the owning agency's own bookkeeping (who acknowledged it, why it was
 * withdrawn): the field rules ask the policy engine (readAlertNotes), so no partner reads them,
 * whatever the basis it sees the alert on.
 */
@ObjectType('AlertTransition', {
  description: 'One status change of an alert: what it became, when, and (for the owning agency) by whom and why',
})
export class AlertTransition {
  @Field(() => AlertStatusEnum, { description: 'The status after the change (ACTIVE for the publication)' })
  status: AlertStatus;

  @Field({ description: 'When the alert stream recorded the change' })
  at: Date;

  @Field(() => String, { nullable: true, description: 'The person who made the change (token subject); the owning agency only' })
  actor: string | null;

  @Field(() => String, { nullable: true, description: 'The note given with the change; the owning agency only' })
  note: string | null;

  /** The alert this change belongs to: what the field rules decide on. Not in the schema. */
  alert: ShareableRecord & { id: string };
}
