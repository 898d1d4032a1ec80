/**
 * An arrival list as the analyst pastes or uploads it: CSV with a header row and the columns imo,
 * mmsi, name and flag (any order, any case; each may be empty, but not all of a row). Every row is
 * checked as the hub would check it, so a bad row is named with its line and reason before
 * anything is sent, and the list is refused above MAX_ARRIVALS vessels.
 */
import Papa from 'papaparse';
import { t } from '../i18n';

export const MAX_ARRIVALS = 1000;
const COLUMNS = ['imo', 'mmsi', 'name', 'flag'] as const;
const MAX_NAME = 200;

export interface ArrivalVessel {
  /** The line of the file (the header is line 1). */
  line: number;
  imo?: string;
  mmsi?: string;
  name?: string;
  flag?: string;
}

export interface BadRow {
  line: number;
  reasons: string[];
}

export type ParsedList = { ok: true; vessels: ArrivalVessel[] } | { ok: false; problem?: string; bad: BadRow[]; vessels: ArrivalVessel[] };

/** The IMO number's check digit rule (the hub's src/common/identifiers.ts): 7 digits, the last checking the first six. */
export function imoProblem(raw: string): string | undefined {
  const m = /^(?:IMO\s?)?(\d{7})$/i.exec(raw.trim());
  if (!m) return t('screening.invalid.imoShape', { value: raw });
  const d = m[1];
  const sum = [7, 6, 5, 4, 3, 2].reduce((s, w, i) => s + w * Number(d[i]), 0);
  if (sum % 10 !== Number(d[6])) return t('screening.invalid.imoCheck', { value: d, expected: sum % 10 });
  return undefined;
}

function normaliseImo(raw: string): string {
  return /(\d{7})/.exec(raw)![1];
}

export function mmsiProblem(raw: string): string | undefined {
  return /^\d{9}$/.test(raw.trim()) ? undefined : t('screening.invalid.mmsi', { value: raw });
}

export function flagProblem(raw: string): string | undefined {
  return /^[A-Za-z]{2}$/.test(raw.trim()) ? undefined : t('screening.invalid.flag', { value: raw });
}

export function nameProblem(raw: string): string | undefined {
  return raw.trim().length > MAX_NAME ? t('screening.invalid.nameLength', { max: MAX_NAME }) : undefined;
}

/** The problems of one vessel to screen (an empty list when the hub will accept it). */
function vesselProblems(v: { imo?: string; mmsi?: string; name?: string; flag?: string }): string[] {
  const out: string[] = [];
  if (!v.imo && !v.mmsi && !v.name) out.push(t('screening.invalid.nothing'));
  if (v.imo) out.push(...[imoProblem(v.imo)].filter((p): p is string => !!p));
  if (v.mmsi) out.push(...[mmsiProblem(v.mmsi)].filter((p): p is string => !!p));
  if (v.name) out.push(...[nameProblem(v.name)].filter((p): p is string => !!p));
  if (v.flag) out.push(...[flagProblem(v.flag)].filter((p): p is string => !!p));
  return out;
}

/** The vessel as the API takes it: canonical IMO, upper-case flag, trimmed values, no empty ones. */
export function toQuery(v: ArrivalVessel): { imo?: string; mmsi?: string; name?: string; flag?: string } {
  return {
    ...(v.imo ? { imo: normaliseImo(v.imo) } : {}),
    ...(v.mmsi ? { mmsi: v.mmsi.trim() } : {}),
    ...(v.name ? { name: v.name.trim() } : {}),
    ...(v.flag ? { flag: v.flag.trim().toUpperCase() } : {}),
  };
}

export function parseArrivalList(text: string): ParsedList {
  // Blank lines are kept while parsing, so that row i is line i + 2 of the file, and dropped after.
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: false,
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = parsed.meta.fields ?? [];
  if (!fields.some((f) => (COLUMNS as readonly string[]).includes(f))) {
    return { ok: false, problem: t('screening.list.noHeader'), bad: [], vessels: [] };
  }
  const unknown = fields.filter((f) => f !== '' && !(COLUMNS as readonly string[]).includes(f));
  if (unknown.length > 0)
    return { ok: false, problem: t('screening.list.unknownColumns', { columns: unknown.join(', ') }), bad: [], vessels: [] };
  const blank = (row: Record<string, string>) => Object.values(row).every((v) => typeof v !== 'string' || v.trim() === '');
  const lines = parsed.data.map((row, i) => ({ row, line: i + 2 })).filter(({ row }) => !blank(row));
  if (lines.length > MAX_ARRIVALS) {
    return { ok: false, problem: t('screening.list.tooMany', { count: lines.length, max: MAX_ARRIVALS }), bad: [], vessels: [] };
  }
  if (lines.length === 0) return { ok: false, problem: t('screening.list.empty'), bad: [], vessels: [] };

  const vessels = lines.map(({ row, line }): ArrivalVessel => {
    const value = (k: (typeof COLUMNS)[number]) => {
      const v = row[k]?.trim();
      return v ? v : undefined;
    };
    return { line, imo: value('imo'), mmsi: value('mmsi'), name: value('name'), flag: value('flag') };
  });
  const kept = new Set(vessels.map((v) => v.line));
  const bad = new Map<number, string[]>();
  for (const e of parsed.errors) {
    // A row short of trailing columns has those values empty; anything else is a broken row.
    if (e.row === undefined || e.code === 'TooFewFields') continue;
    // papaparse counts data rows from 0; the header is line 1.
    const line = e.row + 2;
    if (!kept.has(line)) continue;
    bad.set(line, [...(bad.get(line) ?? []), t('screening.invalid.csv', { reason: e.message })]);
  }
  for (const v of vessels) {
    const problems = vesselProblems(v);
    if (problems.length > 0) bad.set(v.line, [...(bad.get(v.line) ?? []), ...problems]);
  }
  if (bad.size > 0) {
    return { ok: false, bad: [...bad].sort((a, b) => a[0] - b[0]).map(([line, reasons]) => ({ line, reasons })), vessels };
  }
  return { ok: true, vessels };
}
