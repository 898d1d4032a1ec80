/**
 * The alert filter. One class serves as the `filter` argument of alerts, Vessel.alerts and the
 * vesselAlerts subscription (input AlertFilter) and as a webhook's stored filter, served back as
 * it was given (type WebhookFilter), so the two cannot drift apart.
 */
import { Field, InputType, ObjectType } from 'type-graphql';
import {
  AlertStatusEnum, RISK_RANK, RiskLevelEnum, ThreatCategoryEnum, type AlertStatus, type RiskLevel, type ThreatCategory,
} from '../graphql/enums';
import { CountryCodeScalar, IMONumberScalar, UNLocodeScalar } from '../graphql/scalars';
import type { StreamEvent } from './alert-stream';

@InputType('AlertFilter')
@ObjectType('WebhookFilter', { description: 'The AlertFilter a webhook was registered with' })
export class AlertFilter {
  @Field(() => [UNLocodeScalar], { nullable: true }) ports?: string[] | null;
  @Field(() => [CountryCodeScalar], { nullable: true }) jurisdictions?: string[] | null;
  @Field(() => [ThreatCategoryEnum], { nullable: true }) categories?: ThreatCategory[] | null;
  @Field(() => RiskLevelEnum, { nullable: true }) minSeverity?: RiskLevel | null;
  @Field(() => IMONumberScalar, { nullable: true }) imo?: string | null;
  @Field(() => [AlertStatusEnum], { nullable: true }) status?: AlertStatus[] | null;
}

export function matchesFilter(f: AlertFilter | null | undefined, e: Pick<StreamEvent, 'alert' | 'vessel'>): boolean {
  if (!f) return true;
  const a = e.alert;
  if (f.ports?.length && (!a.port || !f.ports.includes(a.port))) return false;
  if (f.jurisdictions?.length && !f.jurisdictions.includes(a.jurisdiction)) return false;
  if (f.categories?.length && !f.categories.includes(a.category)) return false;
  if (f.minSeverity && RISK_RANK[a.severity] < RISK_RANK[f.minSeverity]) return false;
  if (f.imo && e.vessel.imo !== f.imo) return false;
  if (f.status?.length && !f.status.includes(a.status)) return false;
  return true;
}
