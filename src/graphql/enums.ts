/** Enumerations of the public contract, registered once for type-graphql. */
import { registerEnumType } from 'type-graphql';
import { ACCESS_BASES, AGENCY_KINDS, TLP_LEVELS } from '../policy/types';

export const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const TlpEnum = asEnum(TLP_LEVELS);
export const AgencyKindEnum = asEnum(AGENCY_KINDS);
export const AccessBasisEnum = asEnum(ACCESS_BASES);

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RiskLevelEnum = asEnum(RISK_LEVELS);

export const THREAT_CATEGORIES = [
  'SMUGGLING',
  'DRUG_TRAFFICKING',
  'WEAPONS_TRAFFICKING',
  'HUMAN_TRAFFICKING',
  'IRREGULAR_MIGRATION',
  'SANCTIONS_EVASION',
  'ILLEGAL_FISHING',
  'THEFT',
  'PIRACY',
  'UNAUTHORIZED_ACCESS',
  'SECURITY_BREACH',
  'SURVEILLANCE',
  'CYBER',
  'AIS_MANIPULATION',
  'SHIP_TO_SHIP_TRANSFER',
  'IDENTITY_FRAUD',
  'POLLUTION',
  'TERRORISM',
  'CUSTOMS_VIOLATION',
  'OTHER',
] as const;
export type ThreatCategory = (typeof THREAT_CATEGORIES)[number];
export const ThreatCategoryEnum = asEnum(THREAT_CATEGORIES);

export const ALERT_STATUSES = ['ACTIVE', 'ACKNOWLEDGED', 'RESOLVED', 'WITHDRAWN'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const AlertStatusEnum = asEnum(ALERT_STATUSES);

const REPORT_STATUSES = ['SUBMITTED', 'UNDER_REVIEW', 'ESCALATED', 'CLOSED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const ReportStatusEnum = asEnum(REPORT_STATUSES);

registerEnumType(TlpEnum, { name: 'Tlp', description: 'Traffic Light Protocol 2.0 marking' });
registerEnumType(AgencyKindEnum, { name: 'AgencyKind' });
registerEnumType(AccessBasisEnum, {
  name: 'AccessBasis',
  description: 'Why the caller sees a record (first matching rule of the access model)',
  valuesConfig: {
    REFERENCED: {
      description:
        'Seen only through another record (the list of an entry the caller sees, or an entry as it stood when the caller reported a sighting on it): core fields only',
    },
  },
});
registerEnumType(RiskLevelEnum, { name: 'RiskLevel' });
registerEnumType(ThreatCategoryEnum, { name: 'ThreatCategory' });
registerEnumType(AlertStatusEnum, { name: 'AlertStatus' });
registerEnumType(ReportStatusEnum, { name: 'ReportStatus' });

export const RISK_RANK: Record<RiskLevel, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };
