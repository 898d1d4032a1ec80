/**
 * False-positive memory (issue 13, item 6): a partner that reported a hit as FALSE_POSITIVE with
 * the identifiers it screened (SightingInput.screened) is remembered for that (entry, identity)
 * pair, and the next screening of the same identity marks the hit `falsePositiveReported`
 * instead of raising it blind.
 *
 * The same identity: the strongest identifier the report kept (IMO, else MMSI, else the name,
 * compared through screening's one normalisation, vessel_name_norm) equals the one screened. Who may see a report is the sightings' scope (the engine's
 * sightingRowFilter): the entry's owner sees every report, the reporting agency its own, a
 * third agency none (its hit is unmarked). One statement answers every hit of a screening call
 * (or of a batch), and only when the field is asked for.
 */
import DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { agencyByCode } from '../agency/agency.service';
import { AgencyType } from '../agency/agency.type';
import { sightingRowFilter } from '../policy/scopes';
import { defineLoader, type RequestContext } from '../request/context';
import { screenedNameKey } from '../watchlist/sighting.service';
import { ScreeningHit } from './screening.types';

@ObjectType({ description: 'A FALSE_POSITIVE sighting reported for this entry and the identity screened' })
export class FalsePositiveReport {
  @Field({ description: 'When it was reported (the latest such report the caller may see)' }) at: Date;
  @Field(() => AgencyType, { description: 'The agency that reported it' }) by: AgencyType;
}

interface RememberedKey {
  entryId: string;
  imo: string | null;
  mmsi: string | null;
  name: string | null;
}

const keyOf = (hit: ScreeningHit): RememberedKey => ({
  entryId: hit.entry.id,
  imo: hit.screened?.imo ?? null,
  mmsi: hit.screened?.mmsi ?? null,
  name: screenedNameKey(hit.screened?.name),
});

const memory = defineLoader(
  (ctx) =>
    new DataLoader<RememberedKey, { at: Date; by: string } | null, string>(
      async (keys) => {
        const scope = sightingRowFilter(ctx.principal, 's');
        const [sql, params] = ctx.db.driver.escapeQueryWithParameters(
          `SELECT DISTINCT ON (k.n) k.n, s.created_at AS at, s.reported_by AS by
             FROM jsonb_to_recordset(CAST(:keys AS jsonb)) AS k(n int, "entryId" uuid, imo text, mmsi text, name text)
             JOIN sightings s ON s.entry_id = k."entryId" AND s.outcome = 'FALSE_POSITIVE'
              AND CASE WHEN s.screened_imo IS NOT NULL THEN s.screened_imo = k.imo
                       WHEN s.screened_mmsi IS NOT NULL THEN s.screened_mmsi = k.mmsi
                       ELSE vessel_name_norm(s.screened_name) = vessel_name_norm(k.name) END
            WHERE ${scope.sql}
            ORDER BY k.n, s.created_at DESC, s.id DESC`,
          { ...scope.params, keys: JSON.stringify(keys.map((k, n) => ({ ...k, n }))) },
        );
        const rows: { n: number; at: Date; by: string }[] = await ctx.db.query(sql, params);
        const byKey = new Map(rows.map((r) => [r.n, { at: r.at, by: r.by }]));
        return keys.map((_, n) => byKey.get(n) ?? null);
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
);

@Resolver(() => ScreeningHit)
export class FalsePositiveMemoryResolver {
  @FieldResolver(() => FalsePositiveReport, {
    nullable: true,
    description:
      'A partner reported this entry as a false positive for the identity screened: when and by whom, where the caller may see ' +
      "that report (the entry's owner, and the agency that reported it); null otherwise",
  })
  async falsePositiveReported(@Root() hit: ScreeningHit, @Ctx() ctx: RequestContext): Promise<FalsePositiveReport | null> {
    if (!hit.screened) return null;
    const found = await ctx.loaders.get(memory).load(keyOf(hit));
    return found && { at: found.at, by: agencyByCode(ctx.policy, found.by) };
  }
}
