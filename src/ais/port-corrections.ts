/** How the shipped port list (data/sea-ports.json) is made from the sea-ports data and data/port-corrections.json. */

export type SourcePorts = Record<string, { name: string; coordinates?: number[] }>;

export interface PortCorrections {
  note: string;
  /** [lon, lat] for ports the source gives no coordinates. */
  added: Record<string, [number, number]>;
  /** Ports whose coordinates the source gives as [lat, lon]. */
  swapped: string[];
}

export interface ShippedPorts {
  attribution: string;
  /** [name, lon, lat] by UN/LOCODE. */
  ports: Record<string, [string, number, number]>;
}

export function applyPortCorrections(source: SourcePorts, corrections: PortCorrections): ShippedPorts {
  const ports: ShippedPorts['ports'] = {};
  for (const locode of Object.keys(source).sort()) {
    const { name, coordinates } = source[locode];
    const [lon, lat] =
      corrections.added[locode] ?? (corrections.swapped.includes(locode) ? [coordinates![1], coordinates![0]] : coordinates!);
    ports[locode] = [name, lon, lat];
  }
  return {
    attribution:
      'UN/LOCODE sea ports from the sea-ports package data, MIT licence, (c) 2016 marchah; corrected as port-corrections.json says. Each port: [name, lon, lat].',
    ports,
  };
}
