/**
 * Sea ports by UN/LOCODE (web/src/time/sea-ports.json: name, time zone and position, trimmed
 * from the MIT-licensed `sea-ports` data, © 2016 marchah). A port missing from it takes the time
 * zone of another port of its country; failing that, times show in UTC.
 */
import seaPorts from './sea-ports.json';

export interface PortInfo {
  code: string;
  name?: string;
  timeZone: string;
  lat?: number;
  lon?: number;
}

const ports = seaPorts as Record<string, { name: string; timeZone?: string; lat?: number; lon?: number }>;

const countryZone = new Map<string, string>();
for (const [code, p] of Object.entries(ports))
  if (p.timeZone && !countryZone.has(code.slice(0, 2))) countryZone.set(code.slice(0, 2), p.timeZone);

export function portInfo(code: string | null | undefined): PortInfo | undefined {
  if (!code) return undefined;
  const p = ports[code];
  return { code, name: p?.name, timeZone: p?.timeZone ?? countryZone.get(code.slice(0, 2)) ?? 'UTC', lat: p?.lat, lon: p?.lon };
}

export function portLabel(code: string): string {
  const name = ports[code]?.name;
  return name ? `${name} (${code})` : code;
}
