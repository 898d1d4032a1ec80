/**
 * The ITU Maritime Identification Digits table (data/itu-mid.csv): which flags agree with the
 * first three digits of a ship station's MMSI. Loaded once at start-up; the file ships with the
 * code and its provenance is in data/README.md.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface MidAllocation {
  mid: string;
  /** ITU's name of the administration, e.g. "Netherlands (Kingdom of the) - Curaçao" */
  allocatedTo: string;
  /** ISO 3166-1 alpha-2 flags consistent with this MID */
  countries: string[];
}

const MID_FILE = path.join(__dirname, 'data', 'itu-mid.csv');

/** Parses the table: `MID,Allocated_to,ISO_3166_1`, names quoted when they hold a comma. */
function parseMidTable(text: string): Map<string, MidAllocation[]> {
  const table = new Map<string, MidAllocation[]>();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  for (const [i, line] of lines.slice(1).entries()) {
    const m = /^(\d{3}),("(?:[^"]|"")*"|[^,]*),([A-Z]{2}(?: [A-Z]{2})*)$/.exec(line);
    if (!m) throw new Error(`${MID_FILE}: line ${i + 2} is not MID,Allocated_to,ISO_3166_1`);
    const allocatedTo = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/""/g, '"') : m[2];
    const entry = { mid: m[1], allocatedTo, countries: m[3].split(' ') };
    table.set(m[1], [...(table.get(m[1]) ?? []), entry]);
  }
  return table;
}

let cached: Map<string, MidAllocation[]> | undefined;

function table(): Map<string, MidAllocation[]> {
  cached ??= parseMidTable(fs.readFileSync(MID_FILE, 'utf8'));
  return cached;
}

/** Allocations of a MID (several for 306), or undefined when ITU has not allocated it. */
export function midAllocations(mid: string): MidAllocation[] | undefined {
  return table().get(mid);
}

/** The flags a MID agrees with, e.g. "244" -> ["NL"], "306" -> ["BQ", "NL", "CW", "SX"]. */
export function midCountries(mid: string): string[] {
  return [...new Set((midAllocations(mid) ?? []).flatMap((a) => a.countries))];
}
