/** How an alert's enumerations read, shared by the board and the detail page. */
import { t, type MessageKey } from '../i18n';

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const CATEGORIES = [
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

export const severityText = (s: string) => t(`alerts.severity.${s}` as MessageKey);
export const statusText = (s: string) => t(`alerts.status.${s}` as MessageKey);
export const categoryText = (c: string) => t(`alerts.category.${c}` as MessageKey);

/** Severity as text in its colour: never colour alone. */
export function Severity({ level }: { level: string }) {
  return <span className={`severity severity-${level.toLowerCase()}`}>{severityText(level)}</span>;
}

/** The registry's name when a registry authority recorded one, else the name the publisher gave. */
export function vesselName(alert: { vessel: { name?: string | null }; vesselAsGiven: { name: string } }): string {
  return alert.vessel.name ?? alert.vesselAsGiven.name;
}
