/**
 * An entry's earlier versions (watchlist_entry_versions, written in the same transaction as each
 * change), read back as "who changed what, when". Only reached through WatchlistEntry.history,
 * an owner-class field (policies/fields.yaml), so only the owning agency reads it.
 */
import DataLoader from 'dataloader';
import { findAgency } from '../agency/agency.service';
import { defineLoader, type RequestContext } from '../request/context';
import type { FieldChange, WatchlistEntryVersion } from './entry-history.types';

/** Snapshot keys shown in a history, in this order, with how to print each value. */
const TRACKED: [field: string, key: string, kind: Kind][] = [
  ['vessel', 'vesselId', 'vessel'],
  ['vesselAsGiven', 'vesselAsGiven', 'identity'],
  ['category', 'category', 'text'],
  ['riskLevel', 'riskLevel', 'text'],
  ['reason', 'reason', 'text'],
  ['tlp', 'tlp', 'text'],
  ['jurisdiction', 'jurisdiction', 'text'],
  ['recipients', 'recipients', 'list'],
  ['validFrom', 'validFrom', 'date'],
  ['validUntil', 'validUntil', 'date'],
  ['source', 'source', 'text'],
  ['notes', 'notes', 'text'],
  ['relatedParties', 'relatedParties', 'parties'],
];

type Kind = 'text' | 'date' | 'list' | 'vessel' | 'identity' | 'parties';

/** The identity fields in one order, so versions written by the API and by imports print alike. */
const IDENTITY_KEYS = ['imo', 'name', 'mmsi', 'flag', 'callSign', 'vesselType', 'formerNames'] as const;

function show(value: unknown, kind: Kind): string | null {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'date': {
      // Versions written by the API hold JSON dates, imports PostgreSQL's: print both alike.
      const d = new Date(String(value));
      return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
    }
    case 'list':
      if (!Array.isArray(value)) return String(value);
      return value.length === 0 ? null : [...value].map(String).sort().join(', ');
    case 'vessel':
      return `Vessel:${String(value)}`;
    case 'parties': {
      // Versions from before related parties were kept have none; an empty list shows as none.
      if (!Array.isArray(value) || value.length === 0) return null;
      return (value as { name: string; relation: string | null }[])
        .map((p) => (p.relation ? `${p.name} (${p.relation})` : p.name))
        .join('; ');
    }
    case 'identity': {
      // Versions from before the registry change have none; a later one then shows as set.
      const given = value as Record<string, unknown>;
      const parts = IDENTITY_KEYS.flatMap((k) => {
        const v = given[k];
        if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return [];
        return [`${k}: ${Array.isArray(v) ? v.map(String).join('; ') : String(v)}`];
      });
      return parts.join(', ');
    }
    default:
      return String(value);
  }
}

function diffSnapshots(before: Record<string, unknown> | null, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, key, kind] of TRACKED) {
    const from = before ? show(before[key], kind) : null;
    const to = show(after[key], kind);
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

interface VersionRow {
  entry_id: string;
  version: number;
  changed_at: Date;
  changed_by: string;
  changed_by_agency: string;
  operation: string;
  snapshot: Record<string, unknown>;
}

const historyLoader = defineLoader(
  (ctx) =>
    new DataLoader<string, WatchlistEntryVersion[]>(async (entryIds) => {
      const rows: VersionRow[] = await ctx.db.query(
        `SELECT entry_id, version, changed_at, changed_by, changed_by_agency, operation, snapshot
       FROM watchlist_entry_versions WHERE entry_id = ANY($1) ORDER BY entry_id, version`,
        [[...entryIds]],
      );
      const byEntry = new Map<string, WatchlistEntryVersion[]>();
      let previous: VersionRow | undefined;
      for (const row of rows) {
        const before = previous?.entry_id === row.entry_id ? previous.snapshot : null;
        const list = byEntry.get(row.entry_id) ?? [];
        list.push({
          version: row.version,
          operation: row.operation,
          changedAt: row.changed_at,
          changedBy: row.changed_by,
          changedByAgency: findAgency(ctx.policy, row.changed_by_agency),
          changes: diffSnapshots(before, row.snapshot),
        });
        byEntry.set(row.entry_id, list);
        previous = row;
      }
      return entryIds.map((id) => byEntry.get(id) ?? []);
    }),
);

export function entryHistory(ctx: RequestContext, entryId: string): Promise<WatchlistEntryVersion[]> {
  return ctx.loaders.get(historyLoader).load(entryId);
}
