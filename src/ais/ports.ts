/**
 * Sea ports by UN/LOCODE with their positions (data/sea-ports.json: the sea-ports package data,
 * MIT, with the corrections of data/port-corrections.json), and the approach zones around them.
 */
import seaPorts from './data/sea-ports.json';
import { distanceNm, type LatLon } from './geo';
import type { ShippedPorts } from './port-corrections';

export interface Port extends LatLon {
  locode: string;
  name: string;
}

/** Ports as shipped: [name, lon, lat] by UN/LOCODE. */
export function loadPorts(): Port[] {
  return Object.entries((seaPorts as unknown as ShippedPorts).ports).map(([locode, [name, lon, lat]]) => ({
    locode,
    name,
    lat,
    lon,
  }));
}

/** One-degree cells, so a position is compared with the ports near it only. */
const cellOf = (lat: number, lon: number) => `${Math.floor(lat)}:${Math.floor(lon)}`;

export class PortZones {
  private readonly cells = new Map<string, Port[]>();
  private readonly byLocode = new Map<string, Port>();
  /** How many cells either side to look, from the widest zone. */
  private readonly reachDeg: number;

  constructor(
    ports: Port[],
    private readonly approachNm: number,
    private readonly overrides: ReadonlyMap<string, { approachNm: number }> = new Map(),
  ) {
    for (const port of ports) {
      this.byLocode.set(port.locode, port);
      const key = cellOf(port.lat, port.lon);
      this.cells.set(key, [...(this.cells.get(key) ?? []), port]);
    }
    const widest = Math.max(approachNm, ...[...overrides.values()].map((o) => o.approachNm));
    this.reachDeg = Math.ceil(widest / 60);
  }

  radiusNm(locode: string): number {
    return this.overrides.get(locode)?.approachNm ?? this.approachNm;
  }

  port(locode: string): Port | undefined {
    return this.byLocode.get(locode);
  }

  /** The ports whose approach zone contains `p`, nearest first, with the distance. */
  zonesAt(p: LatLon): { port: Port; distanceNm: number }[] {
    const found: { port: Port; distanceNm: number }[] = [];
    const lat0 = Math.floor(p.lat);
    const lon0 = Math.floor(p.lon);
    // Meridians converge: near the poles a degree of longitude is short, so look further east and west.
    const lonReach = Math.min(
      180,
      Math.ceil(this.reachDeg / Math.max(0.05, Math.cos(((Math.abs(p.lat) + this.reachDeg) * Math.PI) / 180))),
    );
    for (let dLat = -this.reachDeg; dLat <= this.reachDeg; dLat++) {
      for (let dLon = -lonReach; dLon <= lonReach; dLon++) {
        const lon = ((((lon0 + dLon + 180) % 360) + 360) % 360) - 180;
        for (const port of this.cells.get(`${lat0 + dLat}:${lon}`) ?? []) {
          const d = distanceNm(p, port);
          if (d <= this.radiusNm(port.locode)) found.push({ port, distanceNm: d });
        }
      }
    }
    return found.sort((a, b) => a.distanceNm - b.distanceNm);
  }

  /**
   * The port an AIS destination names: a UN/LOCODE as given (`NLRTM`, `NL RTM`, `NL-RTM`), or a
   * port name exactly (`ANTWERPEN`) when only one port has that name (`ROTTERDAM` is also a
   * town in New York). Free text beyond that (`RTM>ANR`) is not guessed at.
   */
  destination(text: string | null | undefined): Port | undefined {
    if (!text) return undefined;
    const t = text.toUpperCase().trim();
    const code = t.replace(/[\s-]/g, '');
    if (/^[A-Z]{2}[A-Z2-9]{3}$/.test(code) && this.byLocode.has(code)) return this.byLocode.get(code);
    if (!this.byName) {
      this.byName = new Map();
      for (const p of this.byLocode.values()) {
        const name = p.name.toUpperCase();
        this.byName.set(name, this.byName.has(name) ? null : p);
      }
    }
    return this.byName.get(t) ?? undefined;
  }

  /** null: more than one port has the name. */
  private byName?: Map<string, Port | null>;
}
