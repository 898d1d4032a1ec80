/**
 * A watchlist file cut into parts that each fit in one request under the hub's body limit
 * (MAX_BODY_BYTES, 2 MiB by default): the import mutation takes the file as one string, and
 * importing is idempotent per row, so parts sent one after another load what the whole file would.
 * Each part keeps whole records and whole lines (a quoted CSV field may span lines), repeats the
 * CSV header, and knows how far its lines are from the file's, so bad rows are reported at the
 * file's own line numbers.
 */
import type { ImportFormat } from '../gql/graphql';

export interface FilePart {
  content: string;
  /** Added to a line number the hub reports for this part gives the line in the file. */
  lineOffset: number;
  /** Records (lines, for JSON Lines) in this part, for the progress shown. */
  records: number;
}

export interface SplitFile {
  /** The records of the file, each as its whole lines with their line breaks. */
  records: string[];
  /** The line each record starts on in the file (1-based). */
  startLines: number[];
  /** The CSV header repeated at the top of every part, or '' when the format has none. */
  header: string;
}

/** Whole lines, each with its line break. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A CSV file's records: lines joined while a quoted field is open (an odd count of quotes so far). */
function csvRecords(all: string[], firstLine: number): Pick<SplitFile, 'records' | 'startLines'> {
  const records: string[] = [];
  const startLines: number[] = [];
  let current = '';
  let open = false;
  all.forEach((line, i) => {
    if (current === '') startLines.push(firstLine + i);
    current += line;
    if ((line.match(/"/g)?.length ?? 0) % 2 === 1) open = !open;
    if (!open) {
      records.push(current);
      current = '';
    }
  });
  if (current !== '') records.push(current);
  return { records, startLines };
}

/**
 * The file's records, or undefined when it cannot be cut (a JSON array: its line numbers belong to
 * the array as a whole, so it goes in one request).
 */
export function splitFile(text: string, format: ImportFormat): SplitFile | undefined {
  const all = lines(text);
  if (format === 'JSON') {
    if (text.trimStart().startsWith('[')) return undefined;
    return { records: all, startLines: all.map((_, i) => i + 1), header: '' };
  }
  if (format === 'OFAC_SDN') return { ...csvRecords(all, 1), header: '' };
  // Portcullis' CSV layout: the first record is the header (blank lines before it stay with it).
  const body = csvRecords(all, 1);
  const headerEnd = body.records.findIndex((r) => r.trim() !== '');
  if (headerEnd < 0) return { records: [], startLines: [], header: text };
  const header = body.records.slice(0, headerEnd + 1).join('');
  return {
    header: header.endsWith('\n') ? header : `${header}\n`,
    records: body.records.slice(headerEnd + 1),
    startLines: body.startLines.slice(headerEnd + 1),
  };
}

/** Bytes of a string in UTF-8, as it travels. */
export const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * The next part: as many records from `from` as fit in `budget` bytes (at least one). The JSON
 * string that carries the part can be up to twice its size (quotes and line breaks are escaped),
 * so callers pass half the room they have.
 */
export function nextPart(file: SplitFile, from: number, budget: number): FilePart {
  let size = utf8Bytes(file.header);
  let end = from;
  while (end < file.records.length) {
    const next = utf8Bytes(file.records[end]);
    if (end > from && size + next > budget) break;
    size += next;
    end++;
  }
  const headerLines = lines(file.header).length;
  return {
    content: file.header + file.records.slice(from, end).join(''),
    lineOffset: (file.startLines[from] ?? 1) - 1 - headerLines,
    records: end - from,
  };
}
