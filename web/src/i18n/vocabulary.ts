/**
 * The API's enumerations as the console lists and names them. Each list is the keys of a record
 * over the generated type, so a value the schema adds or drops is a compile error here, not a
 * missing option on a screen.
 */
import type { ReportStatus, RiskLevel, ThreatCategory } from '../gql/graphql';
import { t, type MessageKey } from './index';

/** In the order the schema gives them (the order of the lists in the screens). */
const CATEGORY_ORDER: Record<ThreatCategory, number> = {
  SMUGGLING: 0,
  DRUG_TRAFFICKING: 1,
  WEAPONS_TRAFFICKING: 2,
  HUMAN_TRAFFICKING: 3,
  IRREGULAR_MIGRATION: 4,
  SANCTIONS_EVASION: 5,
  ILLEGAL_FISHING: 6,
  THEFT: 7,
  PIRACY: 8,
  UNAUTHORIZED_ACCESS: 9,
  SECURITY_BREACH: 10,
  SURVEILLANCE: 11,
  CYBER: 12,
  AIS_MANIPULATION: 13,
  SHIP_TO_SHIP_TRANSFER: 14,
  IDENTITY_FRAUD: 15,
  POLLUTION: 16,
  TERRORISM: 17,
  CUSTOMS_VIOLATION: 18,
  OTHER: 19,
};

/** Least to most serious: alert severity and entry risk share the scale. */
const RISK_RANK: Record<RiskLevel, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

/** A report's way through triage. */
const REPORT_STATUS_ORDER: Record<ReportStatus, number> = { SUBMITTED: 0, UNDER_REVIEW: 1, ESCALATED: 2, CLOSED: 3 };

const byValue = <T extends string>(order: Record<T, number>) => (Object.keys(order) as T[]).sort((a, b) => order[a] - order[b]);

export const THREAT_CATEGORIES: readonly ThreatCategory[] = byValue(CATEGORY_ORDER);
export const RISK_LEVELS: readonly RiskLevel[] = byValue(RISK_RANK);
export const REPORT_STATUSES: readonly ReportStatus[] = byValue(REPORT_STATUS_ORDER);

export const categoryText = (c: string) => t(`category.${c}` as MessageKey);
export const riskText = (level: string) => t(`risk.${level}` as MessageKey);
