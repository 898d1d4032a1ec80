/** What an import did (or, dry, would do), and the pieces both ways of loading share. */
import type { EntryRef, RowError, WrittenEntry } from './upsert';

/**
 * MERGE adds and updates; REPLACE also ends the entries of the same feed that the file no longer
 * contains (README "Bulk import").
 */
export type ImportMode = 'MERGE' | 'REPLACE';

export interface ImportProgress {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
}

/** The first few entries of each kind of change, for a report a person reads. */
export const REPORTED_EXAMPLES = 10;

export interface ImportReport extends ImportProgress {
  watchlistId: string;
  mode: ImportMode;
  dryRun: boolean;
  feed: string;
  /** Entries of the feed that a replace ended (validUntil set): no longer in the file. */
  ended: number;
  examples: { created: EntryRef[]; updated: EntryRef[]; ended: EntryRef[] };
  batches: number;
  errors: RowError[];
  /** seconds */
  elapsed: number;
}

/** Bad rows of a file, as a replace needs them: the entries they still name, and how many name none. */
export interface BadRows {
  refs: Set<string>;
  unnamed: number;
  /** `line N: reason` of the first few that name none */
  unnamedExamples: string[];
}

/** Counts a batch's written entries into the report, with the first few of each kind. */
export function countWritten(report: ImportReport, written: WrittenEntry[]): void {
  for (const w of written) {
    const kind = w.created ? 'created' : 'updated';
    report[kind]++;
    if (report.examples[kind].length < REPORTED_EXAMPLES) report.examples[kind].push({ ref: w.ref, imo: w.imo, name: w.name });
  }
}

export const auditOf = (listId: string, owner: string, entryIds: string[]) => ({
  operation: 'importWatchlistEntries',
  recordIds: [`Watchlist:${listId}`, ...entryIds.map((id) => `WatchlistEntry:${id}`)],
  dataOwners: [owner],
});
