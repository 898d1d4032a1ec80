/**
 * File formats of the watchlist import, each turned into a stream of ParsedRow with the line
 * number where the record starts:
 *
 * - `csv`: Portcullis' own layout, a header row naming IMPORT_FIELDS (README "Bulk import");
 * - `json`: a JSON array of objects with the same keys, or JSON Lines (one object per line);
 * - `ofac`: the US Treasury OFAC SDN list `sdn.csv` (no header; 12 columns; `-0-` for empty):
 *   vessel rows become entries, IMO, MMSI and former names are read from the remarks, and every
 *   other row (individuals, entities, aircraft) is skipped and counted.
 */
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse, type Parser } from 'csv-parse';
import { canonicalField, IMPORT_FIELDS, type ImportField, type ParsedRow, type RawRow } from './row';
import { countryCodeOf } from './country-names';

export const IMPORT_FORMATS = ['csv', 'json', 'ofac'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A file that cannot be read as the format at all (as opposed to a bad row). */
export class ImportFormatError extends Error {}

function csvParser(): Parser {
  return parse({
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** CSV records with the line each starts on; unparseable records come back as errors. */
async function* csvRecords(input: Readable): AsyncGenerator<CsvRecord | { line: number; error: string }> {
  const parser = csvParser();
  const skipped: { line: number; error: string }[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => {
    skipped.push({ line: err.lines ?? 0, error: `not valid CSV: ${err.message.replace(/^Invalid \w+:\s*/, '')}` });
  });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  for await (const rec of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    // info.lines is where the record ends; a quoted field may span lines. `raw` carries the
    // empty lines skipped before the record and its own line break: neither counts.
    const body = rec.raw.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\r?\n$/, '');
    const newlines = body.match(/\n/g)?.length ?? 0;
    yield { line: rec.info.lines - newlines, fields: rec.record };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

/** The column a header or key names, if it is one of `columns`. */
const columnOf = (name: string, columns: readonly ImportField[]): ImportField | undefined => {
  const f = canonicalField(name);
  return f && columns.includes(f) ? f : undefined;
};

// ---------------------------------------------------------------------------------------------
// Own CSV layout

async function* parseOwnCsv(input: Readable, columns: readonly ImportField[]): AsyncGenerator<ParsedRow> {
  let header: (ImportField | undefined)[] | undefined;
  for await (const rec of csvRecords(input)) {
    if ('error' in rec) {
      if (!header) throw new ImportFormatError(`line ${rec.line}: ${rec.error}`);
      yield rec;
      continue;
    }
    if (!header) {
      header = rec.fields.map((f) => columnOf(f, columns));
      const unknown = rec.fields.filter((_, i) => header![i] === undefined);
      if (unknown.length > 0) {
        throw new ImportFormatError(
          `line ${rec.line}: unknown column ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}; the header names columns of: ${columns.join(', ')}`,
        );
      }
      const twice = header.find((h, i) => header!.indexOf(h) !== i);
      if (twice) throw new ImportFormatError(`line ${rec.line}: column ${twice} appears twice`);
      if (!header.includes('imo')) throw new ImportFormatError(`line ${rec.line}: the header has no imo column`);
      continue;
    }
    if (rec.fields.length !== header.length) {
      yield { line: rec.line, error: `has ${rec.fields.length} fields, the header has ${header.length}` };
      continue;
    }
    const row: RawRow = {};
    header.forEach((f, i) => (row[f!] = rec.fields[i]));
    yield { line: rec.line, row };
  }
  if (!header) throw new ImportFormatError('the file is empty: a CSV import starts with a header row');
}

// ---------------------------------------------------------------------------------------------
// JSON array or JSON Lines

function rowFromObject(value: unknown, columns: readonly ImportField[]): RawRow | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'each entry must be a JSON object';
  const row: RawRow = {};
  for (const [k, v] of Object.entries(value)) {
    const f = columnOf(k, columns);
    if (!f) return `unknown key "${k.slice(0, 40)}" (the keys are ${columns.join(', ')})`;
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      if (!v.every((x) => typeof x === 'string')) return `${f} must be text or a list of text`;
      row[f] = v;
    } else if (typeof v === 'string') row[f] = v;
    else if (typeof v === 'number' && (f === 'imo' || f === 'mmsi')) return `${f} must be a string (leading zeros matter), got a number`;
    else return `${f} must be text`;
  }
  return row;
}

/** Line on which each top-level element of a JSON array starts. */
function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectValue && !/[\s,\]]/.test(ch)) {
      lines.push(line);
      expectValue = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectValue = true;
  }
  return lines;
}

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

async function* parseJson(input: Readable, columns: readonly ImportField[]): AsyncGenerator<ParsedRow> {
  // Peek at the first character: '[' is an array (read whole), anything else JSON Lines (streamed).
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? '' : String(first.value);
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    })(),
  );
  if (
    head
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('[')
  ) {
    const text = await readAll(rest);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ImportFormatError(`not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new ImportFormatError('a JSON import is an array of objects, or JSON Lines');
    const lines = arrayElementLines(text);
    for (const [i, value] of parsed.entries()) {
      const row = rowFromObject(value, columns);
      const line = lines[i] ?? 0;
      yield typeof row === 'string' ? { line, error: row } : { line, row };
    }
    return;
  }
  let line = 0;
  for await (const text of createInterface({ input: rest, crlfDelay: Infinity })) {
    line++;
    const t = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (t.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      yield { line, error: `not valid JSON: ${(e as Error).message}` };
      continue;
    }
    const row = rowFromObject(value, columns);
    yield typeof row === 'string' ? { line, error: row } : { line, row };
  }
}

// ---------------------------------------------------------------------------------------------
// OFAC SDN sdn.csv

/** Defaults for OFAC rows; the programme becomes the reason. */
export interface OfacOptions {
  /** e.g. "OFAC SDN list, 2024-05-03"; the entity number is appended */
  source?: string;
}

const OFAC_COLUMNS = 12;
const EMPTY = '-0-';
const val = (s: string | undefined) => {
  const t = (s ?? '').trim();
  return t === '' || t === EMPTY ? null : t;
};

/** IMO, MMSI and former names from the Remarks column. */
export function ofacRemarks(remarks: string | null) {
  const r = remarks ?? '';
  const imo =
    /IMO\s+(\d{7})\b/.exec(r)?.[1] ??
    // "Vessel Registration Identification 8606173." without "IMO": a bare 7-digit number not
    // followed by a country in parentheses (those are national registration numbers).
    /Vessel Registration Identification\s+(\d{7})\b(?!\s*\()/.exec(r)?.[1] ??
    null;
  const mmsi = /MMSI\s+(\d{9})\b/.exec(r)?.[1] ?? null;
  const formerNames = [...r.matchAll(/\b[fa]\.k\.a\.\s+'([^']+)'/g)].map((m) => m[1].trim());
  return { imo, mmsi, formerNames };
}

/**
 * The companies of "Linked To: NAME." in the Remarks column (owners, managers, operators; OFAC
 * does not say which), one per mention, each without the full stop that ends it.
 */
function ofacLinkedTo(remarks: string): string[] {
  return [...remarks.matchAll(/Linked To:\s*([^;]+?)\s*(?:;|$)/g)].map((m) => m[1].replace(/\.$/, '').trim()).filter(Boolean);
}

async function* parseOfacSdn(input: Readable, opts: OfacOptions = {}): AsyncGenerator<ParsedRow> {
  for await (const rec of csvRecords(input)) {
    if ('error' in rec) {
      yield rec;
      continue;
    }
    const f = rec.fields;
    // The published file ends with an MS-DOS end-of-file character (0x1A) on a line of its own.
    if (f.length === 1 && /^[\s\x1a]*$/.test(f[0])) continue;
    if (f.length !== OFAC_COLUMNS) {
      yield { line: rec.line, error: `has ${f.length} fields; an OFAC sdn.csv row has ${OFAC_COLUMNS}` };
      continue;
    }
    const [entNum, sdnName, sdnType, program, , callSign, vessType, , , vessFlag, vessOwner, remarks] = f.map(val);
    if ((sdnType ?? '').toLowerCase() !== 'vessel') {
      yield { line: rec.line, skipped: sdnType ?? 'entity' };
      continue;
    }
    const { imo, mmsi, formerNames } = ofacRemarks(remarks);
    // A bad vessel row still names its entry, so a replace keeps that entry rather than end it.
    const ref = entNum ? `OFAC:${entNum}` : undefined;
    if (!imo) {
      yield {
        line: rec.line,
        ref,
        error: `vessel ${sdnName ?? '?'} (ent_num ${entNum ?? '?'}) has no IMO number in its remarks; vessels are keyed by IMO`,
      };
      continue;
    }
    let flag: string | null = null;
    if (vessFlag) {
      const code = countryCodeOf(vessFlag);
      if (code === undefined) {
        yield { line: rec.line, ref, error: `unknown flag country "${vessFlag.slice(0, 60)}"` };
        continue;
      }
      flag = code;
    }
    const programmes = (program ?? '')
      .split(/\]\s*\[/)
      .map((p) => p.trim())
      .filter(Boolean);
    const row: RawRow = {
      ref: ref ?? 'OFAC:',
      imo,
      mmsi,
      name: sdnName,
      flag,
      callSign,
      vesselType: vessType,
      formerNames,
      reason: `OFAC SDN designation under ${programmes.length > 0 ? programmes.join(', ') : 'an unnamed programme'}`,
      source: `${opts.source ?? 'OFAC SDN list'} (ent_num ${entNum ?? '?'})`,
      notes: vessOwner ? `Owner per OFAC: ${vessOwner}` : null,
      // The Vess_owner column names the owner; "Linked To" names companies without saying how.
      relatedParties: [...(vessOwner ? [`${vessOwner} (owner)`] : []), ...ofacLinkedTo(remarks ?? '')],
    };
    yield { line: rec.line, row };
  }
}

/** `columns`: those a file may give (a watchlist's by default; a registry file's REGISTRY_IMPORT_FIELDS). */
export function parserFor(
  format: ImportFormat,
  input: Readable,
  opts: OfacOptions & { columns?: readonly ImportField[] } = {},
): AsyncGenerator<ParsedRow> {
  const columns = opts.columns ?? IMPORT_FIELDS;
  switch (format) {
    case 'csv':
      return parseOwnCsv(input, columns);
    case 'json':
      return parseJson(input, columns);
    case 'ofac':
      return parseOfacSdn(input, opts);
  }
}
