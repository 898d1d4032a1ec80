/** How an alert's enumerations read, shared by the board and the detail page. */
import { t, type MessageKey } from '../i18n';
import { riskText } from '../i18n/vocabulary';

export const statusText = (s: string) => t(`alerts.status.${s}` as MessageKey);

/** Severity as text in its colour: never colour alone. */
export function Severity({ level }: { level: string }) {
  return <span className={`severity severity-${level.toLowerCase()}`}>{riskText(level)}</span>;
}

/** The registry's name when a registry authority recorded one, else the name the publisher gave. */
export function vesselName(alert: { vessel: { name?: string | null }; vesselAsGiven: { name: string } }): string {
  return alert.vessel.name ?? alert.vesselAsGiven.name;
}
