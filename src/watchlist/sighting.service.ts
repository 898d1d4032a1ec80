/**
 * Sightings, the feedback loop of screening: an agency that checked a hit tells the entry's owner
 * what it found. Visibility comes from the policy engine (canReadSighting / sightingRowFilter):
 * the entry's owner and the reporter, nobody else. Writes are audited with the entry's owner as
 * data owner, so the owner's auditors see who reported on their entries.
 */
import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { badInput, notFound } from '../common/errors';
import { text } from '../common/validate';
import { paginate, type PageArgs, type SortKey } from '../graphql/connection';
import { uuidOf } from '../graphql/ids';
import { authorize } from '../request/authorize';
import { writeOnce } from '../audit/write-once';
import { sightingRowFilter } from '../policy/scopes';
import { defineLoader, type RequestContext } from '../request/context';
import { FEEDBACK_FEED } from './entry-feedback';
import { Sighting } from './sighting.entity';
import type { SightingFilter, SightingInput } from './sighting.inputs';
import { WatchlistEntry } from './watchlist-entry.entity';
import { visibleEntries } from './watchlist.service';

/**
 * A screened name as the false-positive memory compares it: the same vessel name typed with other
 * spacing or case is the same identity.
 */
export const screenedNameKey = (name: string | null | undefined): string | null => {
  const key = name?.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
  return key ? key : null;
};

/** The identifiers screened, checked at the edge: at least one, a name of bounded length. */
function screenedIdentity(input: SightingInput): Pick<Sighting, 'screenedImo' | 'screenedMmsi' | 'screenedName'> {
  const given = input.screened;
  if (!given) return { screenedImo: null, screenedMmsi: null, screenedName: null };
  const name = screenedNameKey(text(given.name, 'input.screened.name', 200));
  if (!given.imo && !given.mmsi && !name) throw badInput('input.screened needs at least one of imo, mmsi, name', 'input.screened');
  return { screenedImo: given.imo ?? null, screenedMmsi: given.mmsi ?? null, screenedName: name };
}

/** A sighting may be stamped a little ahead of the hub's clock, never more. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

const visibleSightings = (ctx: RequestContext, m: EntityManager = ctx.db.manager) => {
  const f = sightingRowFilter(ctx.principal, 's');
  return m.getRepository(Sighting).createQueryBuilder('s').where(f.sql, f.params);
};

export function reportSighting(
  ctx: RequestContext,
  entryId: string,
  input: SightingInput,
  idempotencyKey?: string | null,
): Promise<Sighting> {
  authorize(ctx, { kind: 'reportSighting' });
  const id = uuidOf('WatchlistEntry', entryId, 'entryId');
  if (input.observedAt.getTime() > Date.now() + FUTURE_SKEW_MS) {
    throw badInput('observedAt must not be in the future', 'input.observedAt');
  }
  const note = text(input.note, 'input.note', 2000);
  if (input.outcome === 'FALSE_POSITIVE' && !note) {
    throw badInput('a FALSE_POSITIVE needs a note saying why the entry does not apply', 'input.note');
  }
  const screened = screenedIdentity(input);
  const once = {
    operation: 'reportSighting',
    noun: 'sighting',
    key: idempotencyKey,
    payload: { entryId: id, input },
    idOf: (s: Sighting) => s.id,
    replay: (m: EntityManager, sid: string) =>
      visibleSightings(ctx, m)
        .andWhere('s.id = :sid', { sid })
        .getOne()
        .then((s) => s ?? null),
  };
  const written = writeOnce(ctx, once, async (m) => {
    // Only an entry the caller may see (in force or not) can be reported on; others do not exist for it.
    // FOR SHARE: a change to the entry committing meanwhile is waited for and the entry read (and
    // its visibility decided) after it, and none can commit before this sighting does, so the
    // version kept below is the one the reporter saw.
    const entry = await visibleEntries(ctx, m).andWhere('e.id = :id', { id }).setLock('pessimistic_read').getOne();
    if (!entry) throw notFound('watchlist entry', entryId);
    const [{ version }]: { version: number | null }[] = await m.query(
      'SELECT max(version) AS version FROM watchlist_entry_versions WHERE entry_id = $1',
      [entry.id],
    );
    const repo = m.getRepository(Sighting);
    const sighting = await repo.save(
      repo.create({
        entryId: entry.id,
        entryOwner: entry.ownerAgency,
        entryVersion: version,
        reportedBy: ctx.principal.agency.code,
        reportedBySubject: ctx.principal.subject,
        port: input.port ?? null,
        observedAt: input.observedAt,
        outcome: input.outcome,
        note,
        ...screened,
      }),
    );
    return {
      result: sighting,
      audit: [
        {
          operation: 'reportSighting',
          recordIds: [`Sighting:${sighting.id}`, `WatchlistEntry:${entry.id}`],
          dataOwners: [entry.ownerAgency],
        },
      ],
    };
  });
  // Committed: the owner's live subscribers on this instance hear of it now, not at the next poll.
  return written.then((sighting) => {
    ctx.settings.get(FEEDBACK_FEED)?.poke();
    return sighting;
  });
}

const BY_CREATION: SortKey = { column: 's.created_at', property: 'createdAt', kind: 'timestamp' };

/** Sightings the caller may see, newest first. */
export function listSightings(ctx: RequestContext, filter: SightingFilter | null | undefined, page: PageArgs) {
  const qb = visibleSightings(ctx);
  const f = filter ?? {};
  if (f.entryId) qb.andWhere('s.entry_id = :entry', { entry: uuidOf('WatchlistEntry', f.entryId, 'filter.entryId') });
  if (f.outcome) qb.andWhere('s.outcome = :outcome', { outcome: f.outcome });
  if (f.reportedByMe === true) qb.andWhere('s.reported_by = :me_code', { me_code: ctx.principal.agency.code });
  if (f.reportedByMe === false) qb.andWhere('s.entry_owner = :me_code', { me_code: ctx.principal.agency.code });
  return paginate(qb, 's', BY_CREATION, 'DESC', page);
}

export async function findSighting(ctx: RequestContext, id: string): Promise<Sighting | null> {
  return visibleSightings(ctx)
    .andWhere('s.id = :id', { id: uuidOf('Sighting', id) })
    .getOne();
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(String(v)));

/** A WatchlistEntry of an entry version's snapshot (the entity as saved, or as an import wrote it). */
function entryFromSnapshot(snap: Record<string, unknown>, changedAt: Date): WatchlistEntry {
  return Object.assign(new WatchlistEntry(), {
    id: snap.id,
    watchlistId: snap.watchlistId,
    vesselId: snap.vesselId,
    vesselAsGiven: snap.vesselAsGiven,
    category: snap.category,
    riskLevel: snap.riskLevel,
    reason: snap.reason,
    ownerAgency: snap.ownerAgency,
    tlp: snap.tlp,
    jurisdiction: snap.jurisdiction,
    recipients: snap.recipients ?? [],
    validFrom: date(snap.validFrom),
    validUntil: date(snap.validUntil),
    source: null,
    notes: null,
    createdAt: date(snap.createdAt),
    updatedAt: changedAt,
  });
}

/** Per-request loaders, batched over the entries of one response. */
export const sightingLoaders = defineLoader((ctx) => ({
  /** The sighted entries, unfiltered: Sighting.entry asks the engine about each for the caller now. */
  entry: new DataLoader<string, WatchlistEntry>(async (ids) => {
    const rows = await ctx.db.getRepository(WatchlistEntry).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? new Error(`watchlist entry ${id} of a sighting is missing`));
  }),
  /**
   * Each sighting's entry as it stood when the sighting was reported: the version its reporter saw
   * (kept on the sighting), or for sightings reported before that was kept, the version in force
   * then by time (watchlist_entry_versions, written with every change), or its first if none was yet.
   * Core fields only are ever read from it (SEEN_THEN); the sensitive ones are not carried.
   */
  asReported: new DataLoader<Sighting, WatchlistEntry, string>(
    async (list) => {
      const rows: { sighting_id: string; snapshot: Record<string, unknown>; changed_at: Date }[] = await ctx.db.query(
        // Every version carries vesselAsGiven (migration 1764000000800 gave it to older ones).
        `SELECT DISTINCT ON (s.id) s.id AS sighting_id, v.changed_at, v.snapshot
           FROM sightings s JOIN watchlist_entry_versions v ON v.entry_id = s.entry_id
          WHERE s.id = ANY($1) AND (s.entry_version IS NULL OR v.version = s.entry_version)
          ORDER BY s.id, CASE WHEN v.changed_at <= s.created_at THEN v.version ELSE -v.version END DESC`,
        [list.map((s) => s.id)],
      );
      const byId = new Map(rows.map((r) => [r.sighting_id, r]));
      return list.map((s) => {
        const row = byId.get(s.id);
        return row ? entryFromSnapshot(row.snapshot, row.changed_at) : new Error(`watchlist entry ${s.entryId} has no versions`);
      });
    },
    { cacheKeyFn: (s) => s.id },
  ),
  /** Sightings of each entry that the caller may see (all of them for the owner, its own for a reporter). */
  ofEntry: new DataLoader<string, Sighting[]>(async (entryIds) => {
    const rows = await visibleSightings(ctx)
      .andWhere('s.entry_id = ANY(:ids)', { ids: [...entryIds] })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .getMany();
    return entryIds.map((id) => rows.filter((r) => r.entryId === id));
  }),
  /** FALSE_POSITIVE sightings per entry, from every reporter: read only through an owner-class field. */
  falsePositives: new DataLoader<string, number>(async (entryIds) => {
    const rows: { entry_id: string; n: number }[] = await ctx.db.query(
      `SELECT entry_id, count(*)::int AS n FROM sightings
         WHERE entry_id = ANY($1) AND outcome = 'FALSE_POSITIVE' AND entry_owner = $2 GROUP BY entry_id`,
      [[...entryIds], ctx.principal.agency.code],
    );
    const counts = new Map(rows.map((r) => [r.entry_id, r.n]));
    return entryIds.map((id) => counts.get(id) ?? 0);
  }),
}));
