import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { asEnum } from '../graphql/enums';
import type { Vessel } from '../vessel/vessel.entity';
import { VesselAlert } from './vessel-alert.entity';

export const ALERT_EVENT_KINDS = ['PUBLISHED', 'UPDATED', 'REVOKED'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];
const AlertEventKindEnum = asEnum(ALERT_EVENT_KINDS);
registerEnumType(AlertEventKindEnum, {
  name: 'AlertEventKind',
  valuesConfig: {
    REVOKED: { description: 'An alert the subscriber could see was withdrawn or is no longer visible to it; `alert` is null' },
  },
});

@ObjectType('AlertEvent', { description: 'One event of the alert stream, as this subscriber may see it' })
export class AlertEvent {
  /** Position in the stream (a bigint as a string); served as a token (AlertSubscriptionResolver.sequence). */
  sequence: string;
  @Field(() => AlertEventKindEnum) kind: AlertEventKind;
  @Field(() => ID) alertId: string;
  @Field(() => VesselAlert, { nullable: true }) alert: VesselAlert | null;
  /** Not a field: the alert's vessel as the stream read it, so resolving `alert.vessel` costs no query. */
  vessel?: Vessel;
}
