/**
 * The alert filter. One class serves as the `filter` argument of alerts, Vessel.alerts and the
 * vesselAlerts subscription (input AlertFilter) and as a webhook's stored filter, served back as
 * it was given (type WebhookFilter), so the two cannot drift apart.
 *
 * Its meaning has two forms because it is applied in two places: in memory to the alert stream
 * (matchesFilter: live feeds and webhooks) and in SQL to lists (whereAlertMatches). A property
 * test against PostgreSQL holds them to each other (test/alert-filter.test.ts).
 */
import { Field, InputType, ObjectType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import {
  AlertStatusEnum,
  RISK_LEVELS,
  RISK_RANK,
  RiskLevelEnum,
  ThreatCategoryEnum,
  type AlertStatus,
  type RiskLevel,
  type ThreatCategory,
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

/** Narrows a query of vessel_alerts (as `alias`) to the alerts matchesFilter lets through. */
export function whereAlertMatches<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  filter: AlertFilter | null | undefined,
  alias: string,
): SelectQueryBuilder<T> {
  const f = filter ?? {};
  if (f.ports?.length) qb.andWhere(`${alias}.port = ANY(:ports)`, { ports: f.ports });
  if (f.jurisdictions?.length) qb.andWhere(`${alias}.jurisdiction = ANY(:jurs)`, { jurs: f.jurisdictions });
  if (f.categories?.length) qb.andWhere(`${alias}.category = ANY(:cats)`, { cats: f.categories });
  if (f.minSeverity) {
    qb.andWhere(`${alias}.severity = ANY(:sev)`, { sev: RISK_LEVELS.filter((r) => RISK_RANK[r] >= RISK_RANK[f.minSeverity!]) });
  }
  if (f.imo) qb.andWhere(`${alias}.vessel_id IN (SELECT id FROM vessels WHERE imo = :imo)`, { imo: f.imo });
  if (f.status?.length) qb.andWhere(`${alias}.status = ANY(:st)`, { st: f.status });
  return qb;
}
