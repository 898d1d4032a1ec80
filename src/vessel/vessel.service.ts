/**
 * Vessels: the shared registry (reference data every member reads) and the identity a record's
 * author gives. A record never writes the registry: it keeps its identity as given and links to
 * the registry's vessel by IMO, adding the IMO number alone when the registry does not know it.
 * Registry values come only from registry authorities (./registry.service.ts).
 */
import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { text } from '../common/validate';
import { byIdLoader } from '../request/by-id-loader';
import { defineLoader, defineSetting, type RequestContext } from '../request/context';
import type { VesselMentions } from '../request/module';
import { Vessel, type VesselIdentity } from './vessel.entity';

/** Vessels by id, for records that reference one: vessels are reference data every member reads. */
export const vesselById = defineLoader((ctx) => byIdLoader(ctx.db, Vessel));

/** The modules' checks of which vessels the caller sees a record about; given by the hub (none elsewhere: nothing shown). */
export const VESSEL_MENTIONS = defineSetting<VesselMentions[]>('vessel mentions', () => []);

/**
 * Vessels as a look-up (vessel(imo), node(id), federation, screening) may show them: one in the
 * registry (named by an authority) to every member; one that only records name, an IMO alone, only
 * to a caller that sees such a record. Otherwise that an IMO has a row at all would tell anyone
 * that some record, perhaps a hidden RED one, names it.
 */
export async function shownVessels(ctx: RequestContext, vessels: (Vessel | null)[]): Promise<(Vessel | null)[]> {
  const nameless = [...new Set(vessels.filter((v): v is Vessel => v !== null && v.name === null).map((v) => v.id))];
  const mentioned = new Set<string>();
  if (nameless.length > 0) {
    for (const check of ctx.settings.get(VESSEL_MENTIONS)) for (const id of await check(ctx, nameless)) mentioned.add(id);
  }
  return vessels.map((v) => (v && (v.name !== null || mentioned.has(v.id)) ? v : null));
}

/** shownVessels for one vessel; the checks of one request's look-ups go together (federation asks for many at once). */
const namelessShown = defineLoader(
  (ctx) => new DataLoader<Vessel, Vessel | null, string>((vessels) => shownVessels(ctx, [...vessels]), { cacheKeyFn: (v) => v.id }),
);

export const shownVessel = async (ctx: RequestContext, vessel: Vessel | null): Promise<Vessel | null> =>
  vessel === null || vessel.name !== null ? vessel : ctx.loaders.get(namelessShown).load(vessel);

/** Vessels by IMO number, batched over one request: federation asks for many at once. */
export const vesselByImo = defineLoader(
  (ctx) =>
    new DataLoader<string, Vessel | null>(async (imos) => {
      const rows = await ctx.db.getRepository(Vessel).findBy({ imo: In([...imos]) });
      const byImo = new Map(rows.map((v) => [v.imo, v]));
      return imos.map((imo) => byImo.get(imo) ?? null);
    }),
);

export interface VesselRef {
  imo: string;
  mmsi?: string | null;
  name: string;
  flag?: string | null;
  callSign?: string | null;
  vesselType?: string | null;
}

/** The identity a write gives, checked as at every edge (text limits, no control characters). */
export function identityAsGiven(ref: VesselRef, field = 'vessel'): VesselIdentity {
  return {
    imo: ref.imo,
    mmsi: ref.mmsi ?? null,
    name: text(ref.name, `${field}.name`, 200),
    flag: ref.flag ?? null,
    callSign: text(ref.callSign, `${field}.callSign`, 20),
    vesselType: text(ref.vesselType, `${field}.vesselType`, 100),
    formerNames: [],
  };
}

/**
 * The registry's vessel with this IMO number, added with the number alone if the registry does not
 * know it yet: nothing a record says about the vessel reaches the registry. A known vessel is only
 * read, so records about one vessel never queue behind each other's row lock.
 */
export async function vesselIdFor(manager: EntityManager, imo: string): Promise<string> {
  const known: { id: string }[] = await manager.query('SELECT id FROM vessels WHERE imo = $1', [imo]);
  if (known.length > 0) return known[0].id;
  const added: { id: string }[] = await manager.query(`INSERT INTO vessels (imo) VALUES ($1) ON CONFLICT (imo) DO NOTHING RETURNING id`, [
    imo,
  ]);
  // Another transaction added it meanwhile: ON CONFLICT waited for it to commit, so it is there now.
  return added[0]?.id ?? (await manager.query('SELECT id FROM vessels WHERE imo = $1', [imo]))[0].id;
}

/** The same for many IMO numbers in one statement (bulk import). */
export async function ensureVessels(manager: EntityManager, imos: string[]): Promise<void> {
  await manager.query(`INSERT INTO vessels (imo) SELECT DISTINCT unnest($1::text[]) ON CONFLICT (imo) DO NOTHING`, [imos]);
}
