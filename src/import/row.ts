/**
 * One row of a watchlist import, as every format hands it over (text values by canonical field
 * name), and its validation into an entry ready to load. Validation uses the same checks as the
 * API (identifiers, text limits, enums, TLP never looser than the list); a failure is a message
 * for `line N: <message>`, never an exception that stops the import.
 */
import { GraphQLError } from 'graphql';
import { RISK_LEVELS, THREAT_CATEGORIES, type RiskLevel, type ThreatCategory } from '../graphql/enums';
import { IdentifierError, parseCountryCode, parseImo, parseMmsi } from '../common/identifiers';
import { text } from '../common/validate';
import { parseDateTime } from '../graphql/scalars';
import { TLP_RANK } from '../policy/engine';
import { TLP_LEVELS, type Tlp } from '../policy/types';
import type { RegistryRecord } from '../vessel/registry.service';
import { MAX_PARTY_NAME, MAX_RELATED_PARTIES, type RelatedParty } from '../watchlist/related-party';

/** Canonical field names; CSV headers and JSON keys use these (snake_case is accepted too). */
export const IMPORT_FIELDS = [
  'ref',
  'imo',
  'mmsi',
  'name',
  'flag',
  'callSign',
  'vesselType',
  'formerNames',
  'category',
  'riskLevel',
  'reason',
  'tlp',
  'jurisdiction',
  'recipients',
  'validFrom',
  'validUntil',
  'source',
  'notes',
  'relatedParties',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field values as read from a file: text, or lists for formerNames and recipients (JSON). */
export type RawRow = Partial<Record<ImportField, string | string[] | null>>;

/** What a format adapter yields for each record of the file. */
export type ParsedRow =
  | { line: number; row: RawRow }
  /** `ref`: the entry the bad record is about, when the format can still tell (a replace keeps that entry) */
  | { line: number; error: string; ref?: string }
  /** a record the format defines as out of scope (a non-vessel row of the OFAC list) */
  | { line: number; skipped: string };

/** Rows checked and written together, in one transaction, by either import. */
export const IMPORT_BATCH_SIZE = 2000;

/** Most row errors an import's report lists; its `failed` count covers them all. */
const MAX_REPORTED_ERRORS = 1000;

/** Records a row's failure in an import's report: counted always, listed up to MAX_REPORTED_ERRORS. */
export const rowFailures =
  (report: { failed: number; errors: { line: number; message: string }[] }) =>
  (line: number, message: string): void => {
    report.failed++;
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line, message });
  };

/** An entry ready for the loader. */
export interface ImportEntry {
  line: number;
  ref: string;
  imo: string;
  mmsi: string | null;
  name: string;
  flag: string | null;
  callSign: string | null;
  vesselType: string | null;
  formerNames: string[];
  category: ThreatCategory;
  riskLevel: RiskLevel;
  reason: string;
  tlp: Tlp;
  jurisdiction: string;
  recipients: string[];
  validFrom: Date | null;
  validUntil: Date | null;
  source: string | null;
  notes: string | null;
  relatedParties: RelatedParty[];
}

/** What rows are checked against: the target list and the membership. */
export interface RowContext {
  listTlp: Tlp;
  listJurisdiction: string;
  agencies: ReadonlyMap<string, unknown>;
  /** Used when a row gives none (CLI --category / --risk-level, OFAC defaults). */
  defaults?: { category?: ThreatCategory; riskLevel?: RiskLevel; tlp?: Tlp };
}

class RowError extends Error {}

const fail = (message: string): never => {
  throw new RowError(message);
};

function scalar(row: RawRow, field: ImportField): string | null {
  const v = row[field];
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return fail(`${field} must be a single value, not a list`);
  if (typeof v !== 'string') return fail(`${field} must be text, got ${typeof v}`);
  const t = v.trim();
  return t === '' ? null : t;
}

function list(row: RawRow, field: ImportField): string[] {
  const v = row[field];
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(';') : fail(`${field} must be text or a list`);
  return items.map((x) => (typeof x === 'string' ? x.trim() : fail(`${field} must hold text`))).filter((x) => x !== '');
}

/** The API's text() check, with its message. */
function checked(value: string | null, field: string, max: number): string | null {
  try {
    return text(value, field, max);
  } catch (e) {
    return fail(e instanceof GraphQLError ? e.message : String(e));
  }
}

function identifier<T>(parse: (s: string) => T, value: string | null, field: string): T | null {
  if (value === null) return null;
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof IdentifierError) return fail(`${field}: ${e.message}`);
    throw e;
  }
}

/** ISO 8601 with a zone, or a plain date (start of that day, UTC; for validUntil the end of it). */
function date(value: string | null, field: string, endOfDay: boolean): Date | null {
  if (value === null) return null;
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (plain) {
    const d = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) fail(`${field}: "${value}" is not a real date`);
    return endOfDay ? new Date(d.getTime() + 86_400_000 - 1) : d;
  }
  return identifier(parseDateTime, value, field);
}

function oneOf<T extends string>(values: readonly T[], value: string | null, field: string): T | null {
  if (value === null) return null;
  const v = value.toUpperCase();
  if (!(values as readonly string[]).includes(v)) {
    const shown = values.length > 8 ? `${values.slice(0, 8).join(', ')}, …` : values.join(', ');
    fail(`${field} "${value.slice(0, 40)}" is not one of ${shown}`);
  }
  return v as T;
}

export function validateRow(line: number, row: RawRow, c: RowContext): { entry: ImportEntry } | { error: string } {
  try {
    const imo = identifier(parseImo, scalar(row, 'imo'), 'imo') ?? fail('imo is required (vessels are keyed by IMO number)');
    const name = checked(scalar(row, 'name'), 'name', 200) ?? fail('name is required');
    const formerNames = list(row, 'formerNames').map((n) => checked(n, 'formerNames', 200)!);
    if (formerNames.length > 50) fail('formerNames may hold at most 50 names');
    const category = oneOf(THREAT_CATEGORIES, scalar(row, 'category'), 'category') ?? c.defaults?.category ?? fail('category is required');
    const riskLevel = oneOf(RISK_LEVELS, scalar(row, 'riskLevel'), 'riskLevel') ?? c.defaults?.riskLevel ?? fail('riskLevel is required');
    const tlp = oneOf(TLP_LEVELS, scalar(row, 'tlp'), 'tlp') ?? c.defaults?.tlp ?? c.listTlp;
    if (TLP_RANK[tlp] < TLP_RANK[c.listTlp]) fail(`tlp ${tlp} is looser than the watchlist's ${c.listTlp}`);
    const recipients = list(row, 'recipients');
    const unknown = recipients.filter((r) => !c.agencies.has(r));
    if (unknown.length > 0) fail(`recipients: unknown agency code ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}`);
    if (recipients.length > 100) fail('recipients may name at most 100 agencies');
    const validFrom = date(scalar(row, 'validFrom'), 'validFrom', false);
    const validUntil = date(scalar(row, 'validUntil'), 'validUntil', true);
    if (validUntil && validFrom && validUntil.getTime() < validFrom.getTime()) {
      fail('validUntil must not be before validFrom');
    }
    const ref = checked(scalar(row, 'ref'), 'ref', 200) ?? `IMO:${imo}`;
    return {
      entry: {
        line,
        ref,
        imo,
        mmsi: identifier(parseMmsi, scalar(row, 'mmsi'), 'mmsi'),
        name,
        flag: identifier(parseCountryCode, scalar(row, 'flag')?.toUpperCase() ?? null, 'flag'),
        callSign: checked(scalar(row, 'callSign'), 'callSign', 20),
        vesselType: checked(scalar(row, 'vesselType'), 'vesselType', 100),
        formerNames: [...new Set(formerNames)].filter((n) => n.toUpperCase() !== name.toUpperCase()),
        category,
        riskLevel,
        reason: checked(scalar(row, 'reason'), 'reason', 2000) ?? fail('reason is required'),
        tlp,
        jurisdiction:
          identifier(parseCountryCode, scalar(row, 'jurisdiction')?.toUpperCase() ?? null, 'jurisdiction') ?? c.listJurisdiction,
        recipients: [...new Set(recipients)],
        validFrom,
        validUntil,
        source: checked(scalar(row, 'source'), 'source', 2000),
        notes: checked(scalar(row, 'notes'), 'notes', 10000),
        relatedParties: relatedParties(list(row, 'relatedParties')),
      },
    };
  } catch (e) {
    if (e instanceof RowError) return { error: e.message };
    throw e;
  }
}

/**
 * How a related party may be linked, written after its name in parentheses: `ACME SHIPPING LTD
 * (manager)`. Only these words are read as a relation, so a name that ends in parentheses, such
 * as `ACME (HK) LTD` or `ACME (PVT)`, stays whole.
 */
const PARTY_RELATIONS = [
  'owner',
  'registered owner',
  'beneficial owner',
  'manager',
  'ship manager',
  'technical manager',
  'commercial manager',
  'ism manager',
  'operator',
  'charterer',
] as const;

/** "NAME" or "NAME (relation)" items, each company once (the first mention with a relation wins). */
function relatedParties(items: string[]): RelatedParty[] {
  if (items.length > MAX_RELATED_PARTIES) fail(`relatedParties may name at most ${MAX_RELATED_PARTIES} companies`);
  const byName = new Map<string, RelatedParty>();
  for (const item of items) {
    const m = /^(.*\S)\s*\(([^()]+)\)$/.exec(item);
    const relation = m && (PARTY_RELATIONS as readonly string[]).includes(m[2].trim().toLowerCase()) ? m[2].trim().toLowerCase() : null;
    const name = checked(relation ? m![1] : item, 'relatedParties', MAX_PARTY_NAME)!;
    const key = name.toUpperCase();
    const known = byName.get(key);
    if (!known) byName.set(key, { name, relation });
    else if (!known.relation && relation) known.relation = relation;
  }
  return [...byName.values()];
}

/** The entry a row that failed validation is about, when its ref or IMO number can still be read. */
export function refOfBadRow(row: RawRow): string | undefined {
  try {
    const ref = checked(scalar(row, 'ref'), 'ref', 200);
    if (ref) return ref;
    const imo = identifier(parseImo, scalar(row, 'imo'), 'imo');
    return imo ? `IMO:${imo}` : undefined;
  } catch (e) {
    if (e instanceof RowError) return undefined;
    throw e;
  }
}

/** Header or key names to canonical fields: `callSign`, `call_sign`, `Call Sign` all mean callSign. */
export function canonicalField(name: string): ImportField | undefined {
  const k = name
    .trim()
    .replace(/[\s_-]+/g, '')
    .toLowerCase();
  return IMPORT_FIELDS.find((f) => f.toLowerCase() === k);
}

/** The columns of a registry file: a vessel's particulars, nothing about watchlists. */
export const REGISTRY_IMPORT_FIELDS: readonly ImportField[] = ['imo', 'mmsi', 'name', 'flag', 'callSign', 'vesselType', 'formerNames'];

/** A registry row: an IMO number and a name, the other particulars where the source gives them. */
export function validateRegistryRow(row: RawRow): { record: RegistryRecord } | { error: string } {
  try {
    const extra = Object.keys(row).filter((k) => !REGISTRY_IMPORT_FIELDS.includes(k as ImportField) && scalar(row, k as ImportField));
    if (extra.length > 0) fail(`${extra.join(', ')}: not a registry column (a registry file gives ${REGISTRY_IMPORT_FIELDS.join(', ')})`);
    const imo = identifier(parseImo, scalar(row, 'imo'), 'imo') ?? fail('imo is required (vessels are keyed by IMO number)');
    const name = checked(scalar(row, 'name'), 'name', 200) ?? fail('name is required');
    const formerNames = list(row, 'formerNames').map((n) => checked(n, 'formerNames', 200)!);
    if (formerNames.length > 50) fail('formerNames may hold at most 50 names');
    return {
      record: {
        imo,
        name,
        mmsi: identifier(parseMmsi, scalar(row, 'mmsi'), 'mmsi'),
        flag: identifier(parseCountryCode, scalar(row, 'flag')?.toUpperCase() ?? null, 'flag'),
        callSign: checked(scalar(row, 'callSign'), 'callSign', 20),
        vesselType: checked(scalar(row, 'vesselType'), 'vesselType', 100),
        formerNames: [...new Set(formerNames)].filter((n) => n.toUpperCase() !== name.toUpperCase()),
      },
    };
  } catch (e) {
    if (e instanceof RowError) return { error: e.message };
    throw e;
  }
}
