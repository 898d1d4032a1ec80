/**
 * What an automatic alert carries about its detection (src/ais/ raises them): the rule, the
 * feed, when it was observed, a plain-language explanation and the positions that triggered it.
 */
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { asEnum } from '../graphql/enums';

const ALERT_ORIGINS = ['MANUAL', 'AUTOMATIC'] as const;
export type AlertOrigin = (typeof ALERT_ORIGINS)[number];
export const AlertOriginEnum = asEnum(ALERT_ORIGINS);
registerEnumType(AlertOriginEnum, { name: 'AlertOrigin', description: 'Published by a person, or raised by a detection rule' });

const DETECTION_RULES = ['WATCHLIST_APPROACH', 'AIS_GAP', 'IDENTITY_MISMATCH', 'POSITION_SPOOFING', 'ENCOUNTER'] as const;
export type DetectionRule = (typeof DETECTION_RULES)[number];
const DetectionRuleEnum = asEnum(DETECTION_RULES);
registerEnumType(DetectionRuleEnum, { name: 'DetectionRule', description: 'The AIS rule that raised an automatic alert' });

/** Evidence kept per alert; older points give way to newer ones. */
export const MAX_EVIDENCE = 20;

@ObjectType('DetectionEvidence', { description: 'A position report that triggered or updated the detection' })
export class DetectionEvidence {
  @Field() at: Date;
  @Field(() => Float) lat: number;
  @Field(() => Float) lon: number;
  @Field(() => Float, { nullable: true, description: 'Speed over ground, knots' }) sog: number | null;
  @Field(() => Float, { nullable: true, description: 'Course over ground, degrees true' }) cog: number | null;
}

@ObjectType('AlertDetection')
export class AlertDetection {
  @Field(() => DetectionRuleEnum) rule: DetectionRule;
  @Field({ description: 'The AIS feed (policies/ais.yaml id) the evidence came from' }) feed: string;
  @Field({ description: 'When the latest evidence was received' }) observedAt: Date;
  @Field() explanation: string;
  @Field(() => [DetectionEvidence]) evidence: DetectionEvidence[];
}

/** As stored in vessel_alerts.detection (jsonb: times as ISO text). */
export interface StoredDetection {
  rule: DetectionRule;
  feed: string;
  observedAt: string;
  explanation: string;
  evidence: { at: string; lat: number; lon: number; sog: number | null; cog: number | null }[];
}

export function detectionFromStored(d: StoredDetection | null): AlertDetection | null {
  if (!d) return null;
  return {
    ...d,
    observedAt: new Date(d.observedAt),
    evidence: d.evidence.map((e) => ({ ...e, at: new Date(e.at) })),
  };
}
