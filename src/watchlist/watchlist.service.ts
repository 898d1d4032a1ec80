/** Watchlists and their entries: every read filtered by the policy engine, every write audited. */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { RISK_LEVELS, RISK_RANK } from '../graphql/enums';
import { badInput, notFound } from '../common/errors';
import { agencyCodes, text, validityWindow } from '../common/validate';
import { paginate, type PageArgs, type SortKey } from '../graphql/connection';
import { toGlobalId, uuidOf } from '../graphql/ids';
import { authorize, visibleRows } from '../request/authorize';
import { writeAudited } from '../audit/write-audited';
import { writeOnce } from '../audit/write-once';
import { TLP_RANK } from '../policy/engine';
import { byIdLoader } from '../request/by-id-loader';
import { defineLoader, type RequestContext } from '../request/context';
import { identityAsGiven, vesselIdFor } from '../vessel/vessel.service';
import type { AddWatchlistEntryInput, CreateWatchlistInput, UpdateWatchlistEntryInput, WatchlistEntryFilter } from './watchlist.inputs';
import { Watchlist } from './watchlist.entity';
import { WatchlistEntry } from './watchlist-entry.entity';

const BY_CREATION_W: SortKey = { column: 'w.created_at', property: 'createdAt', kind: 'timestamp' };
const BY_CREATION_E: SortKey = { column: 'e.created_at', property: 'createdAt', kind: 'timestamp' };

const visibleWatchlists = (ctx: RequestContext, m: EntityManager = ctx.db.manager) => visibleRows(ctx, m, Watchlist, 'Watchlist', 'w');
export const visibleEntries = (ctx: RequestContext, m: EntityManager = ctx.db.manager) =>
  visibleRows(ctx, m, WatchlistEntry, 'WatchlistEntry', 'e');

/** A list reached through one of its entries (the entry's visibility admits it by reference). */
export const watchlistById = defineLoader((ctx) => byIdLoader(ctx.db, Watchlist));

/** Entries in force of many vessels in one query, through the same row filter as every list. */
export const entriesInForceByVessel = defineLoader(
  (ctx) =>
    new DataLoader<string, WatchlistEntry[]>(async (vesselIds) => {
      const rows = await visibleEntries(ctx)
        .andWhere('e.vessel_id = ANY(:vids)', { vids: [...vesselIds] })
        .andWhere('e.valid_from <= now() AND (e.valid_until IS NULL OR e.valid_until > now())')
        .orderBy('e.created_at', 'ASC')
        .addOrderBy('e.id', 'ASC')
        .getMany();
      return vesselIds.map((id) => rows.filter((r) => r.vesselId === id));
    }),
);

export function listWatchlists(ctx: RequestContext, page: PageArgs) {
  return paginate(visibleWatchlists(ctx), 'w', BY_CREATION_W, 'ASC', page);
}

export async function findWatchlist(ctx: RequestContext, id: string, m?: EntityManager): Promise<Watchlist | null> {
  return visibleWatchlists(ctx, m)
    .andWhere('w.id = :id', { id: uuidOf('Watchlist', id) })
    .getOne();
}

async function findEntry(ctx: RequestContext, id: string, m?: EntityManager, lock = false): Promise<WatchlistEntry | null> {
  const qb = visibleEntries(ctx, m).andWhere('e.id = :id', { id: uuidOf('WatchlistEntry', id) });
  return (lock ? qb.setLock('pessimistic_write') : qb).getOne();
}

export function findEntryOrNull(ctx: RequestContext, id: string) {
  return findEntry(ctx, id);
}

export function listEntries(ctx: RequestContext, filter: WatchlistEntryFilter | null | undefined, page: PageArgs, watchlistId?: string) {
  const qb = visibleEntries(ctx);
  const f = filter ?? {};
  const listId = watchlistId ?? (f.watchlistId ? uuidOf('Watchlist', f.watchlistId, 'filter.watchlistId') : undefined);
  if (listId) qb.andWhere('e.watchlist_id = :wl', { wl: listId });
  if (f.imo || f.mmsi) {
    qb.innerJoin('vessels', 'v', 'v.id = e.vessel_id');
    if (f.imo) qb.andWhere('v.imo = :imo', { imo: f.imo });
    // The registry's MMSI, or the one the entry gives (the caller sees the entry, so also what it gives).
    if (f.mmsi) qb.andWhere("(v.mmsi = :mmsi OR e.vessel_as_given->>'mmsi' = :mmsi)", { mmsi: f.mmsi });
  }
  if (f.categories?.length) qb.andWhere('e.category = ANY(:cats)', { cats: f.categories });
  if (f.minRiskLevel) {
    qb.andWhere('e.risk_level = ANY(:risks)', { risks: RISK_LEVELS.filter((r) => RISK_RANK[r] >= RISK_RANK[f.minRiskLevel!]) });
  }
  if (f.jurisdiction) qb.andWhere('e.jurisdiction = :jur', { jur: f.jurisdiction });
  if (f.tlp?.length) qb.andWhere('e.tlp = ANY(:tlps)', { tlps: f.tlp });
  if (f.activeOnly) qb.andWhere('e.valid_from <= now() AND (e.valid_until IS NULL OR e.valid_until > now())');
  return paginate(qb, 'e', BY_CREATION_E, 'ASC', page);
}

export function createWatchlist(ctx: RequestContext, input: CreateWatchlistInput, idempotencyKey?: string | null): Promise<Watchlist> {
  const owner = ctx.principal.agency.code;
  authorize(ctx, { kind: 'publish', type: 'Watchlist', ownerAgency: owner });
  const values = {
    name: text(input.name, 'name', 200),
    description: text(input.description, 'description', 2000),
    tlp: input.tlp,
    jurisdiction: input.jurisdiction,
    recipients: agencyCodes(input.recipients, 'recipients', ctx.policy.agencies, ctx.policy.departed),
    ownerAgency: owner,
  };
  const once = {
    operation: 'createWatchlist',
    noun: 'watchlist',
    key: idempotencyKey,
    payload: input,
    idOf: (w: Watchlist) => w.id,
    replay: (m: EntityManager, id: string) => findWatchlist(ctx, toGlobalId('Watchlist', id), m),
  };
  return writeOnce(ctx, once, async (m) => {
    const list = await m.getRepository(Watchlist).save(m.getRepository(Watchlist).create(values));
    return { result: list, audit: [{ operation: 'createWatchlist', recordIds: [`Watchlist:${list.id}`], dataOwners: [owner] }] };
  });
}

/** An entry's TLP may tighten its watchlist's marking, never loosen it (ACCESS-MODEL.md). */
function checkEntryTlp(entryTlp: WatchlistEntry['tlp'], list: Watchlist): void {
  if (TLP_RANK[entryTlp] < TLP_RANK[list.tlp]) {
    throw badInput(`tlp ${entryTlp} is looser than the watchlist's ${list.tlp}; use ${list.tlp} or stricter`, 'tlp');
  }
}

async function recordVersion(m: EntityManager, ctx: RequestContext, entry: WatchlistEntry, operation: string) {
  await m.query(
    `INSERT INTO watchlist_entry_versions (entry_id, version, changed_by, changed_by_agency, operation, snapshot)
     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM watchlist_entry_versions WHERE entry_id = $1`,
    [entry.id, ctx.principal.subject, ctx.principal.agency.code, operation, JSON.stringify(entry)],
  );
}

const entryAudit = (operation: string, e: WatchlistEntry) => ({
  operation,
  recordIds: [`WatchlistEntry:${e.id}`, `Watchlist:${e.watchlistId}`],
  dataOwners: [e.ownerAgency],
});

export function addEntry(ctx: RequestContext, input: AddWatchlistEntryInput, idempotencyKey?: string | null): Promise<WatchlistEntry> {
  const once = {
    operation: 'addWatchlistEntry',
    noun: 'watchlist entry',
    key: idempotencyKey,
    payload: input,
    idOf: (e: WatchlistEntry) => e.id,
    replay: (m: EntityManager, id: string) => findEntry(ctx, toGlobalId('WatchlistEntry', id), m),
  };
  return writeOnce(ctx, once, async (m) => {
    const list = await findWatchlist(ctx, input.watchlistId, m);
    if (!list) throw notFound('watchlist', input.watchlistId);
    authorize(ctx, { kind: 'publish', type: 'WatchlistEntry', ownerAgency: list.ownerAgency });
    const tlp = input.tlp ?? list.tlp;
    checkEntryTlp(tlp, list);
    const validFrom = input.validFrom ?? new Date();
    validityWindow(validFrom, input.validUntil);
    const reason = text(input.reason, 'reason', 2000);
    const recipients = agencyCodes(input.recipients, 'recipients', ctx.policy.agencies, ctx.policy.departed);
    const source = text(input.source, 'source', 2000);
    const notes = text(input.notes, 'notes', 10000);
    // The entry keeps the vessel as its author gave it; the registry learns nothing from it.
    const vesselAsGiven = identityAsGiven(input.vessel);
    const vesselId = await vesselIdFor(m, vesselAsGiven.imo);
    const repo = m.getRepository(WatchlistEntry);
    const entry = await repo.save(
      repo.create({
        watchlistId: list.id,
        vesselId,
        vesselAsGiven,
        category: input.category,
        riskLevel: input.riskLevel,
        reason,
        tlp,
        jurisdiction: input.jurisdiction ?? list.jurisdiction,
        recipients,
        ownerAgency: list.ownerAgency,
        validFrom,
        validUntil: input.validUntil ?? null,
        source,
        notes,
      }),
    );
    await recordVersion(m, ctx, entry, 'CREATE');
    return { result: entry, audit: [entryAudit('addWatchlistEntry', entry)] };
  });
}

async function changeEntry(
  ctx: RequestContext,
  id: string,
  operation: string,
  apply: (e: WatchlistEntry, list: Watchlist) => void,
): Promise<WatchlistEntry> {
  return writeAudited(ctx, async (m) => {
    const entry = await findEntry(ctx, id, m, true);
    if (!entry) throw notFound('watchlist entry', id);
    authorize(ctx, { kind: 'publish', type: 'WatchlistEntry', ownerAgency: entry.ownerAgency });
    const list = await m.getRepository(Watchlist).findOneByOrFail({ id: entry.watchlistId });
    apply(entry, list);
    const saved = await m.getRepository(WatchlistEntry).save(entry);
    await recordVersion(m, ctx, saved, operation);
    return { result: saved, audit: [entryAudit(operation === 'REMOVE' ? 'removeWatchlistEntry' : 'updateWatchlistEntry', saved)] };
  });
}

export function updateEntry(ctx: RequestContext, id: string, input: UpdateWatchlistEntryInput): Promise<WatchlistEntry> {
  return changeEntry(ctx, id, 'UPDATE', (e, list) => {
    if (input.category) e.category = input.category;
    if (input.riskLevel) e.riskLevel = input.riskLevel;
    if (input.reason !== undefined && input.reason !== null) e.reason = text(input.reason, 'reason', 2000);
    if (input.tlp) {
      checkEntryTlp(input.tlp, list);
      e.tlp = input.tlp;
    }
    if (input.recipients) e.recipients = agencyCodes(input.recipients, 'recipients', ctx.policy.agencies, ctx.policy.departed);
    if (input.validUntil !== undefined) {
      validityWindow(e.validFrom, input.validUntil);
      e.validUntil = input.validUntil;
    }
    if (input.source !== undefined) e.source = text(input.source, 'source', 2000);
    if (input.notes !== undefined) e.notes = text(input.notes, 'notes', 10000);
  });
}

/** Ends the entry's validity now; the row and its versions stay for the record. */
export function removeEntry(ctx: RequestContext, id: string): Promise<WatchlistEntry> {
  return changeEntry(ctx, id, 'REMOVE', (e) => {
    const now = new Date();
    if (e.validUntil && e.validUntil.getTime() <= now.getTime()) {
      throw badInput('the entry has already ended', 'id');
    }
    e.validUntil = now.getTime() < e.validFrom.getTime() ? e.validFrom : now;
  });
}
