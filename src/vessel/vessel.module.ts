import { badInput } from '../common/errors';
import { isValidImo, parseImo } from '../common/identifiers';
import { UUID } from '../graphql/ids';
import type { FeatureModule } from '../request/module';
import { every, isAuthenticated } from '../request/rules';
import { Vessel } from './vessel.entity';
import { VesselResolver } from './vessel.resolver';
import { shownVessel, vesselByImo } from './vessel.service';

/** The shared vessel registry: reference data every authenticated member reads, written by registry authorities only. */
export const vesselModule: FeatureModule = {
  name: 'vessel',
  resolvers: [VesselResolver],
  entities: [Vessel],
  nodes: {
    Vessel: async (ctx, _id, key) => (UUID.test(key) ? shownVessel(ctx, await ctx.db.getRepository(Vessel).findOneBy({ id: key })) : null),
  },
  rules: {
    Query: every(['vessel', 'vessels'], isAuthenticated),
    // What hangs off a vessel (entries, alerts) is added, with its rules, by the modules that own it.
    Vessel: every(['id', 'imo', 'mmsi', 'name', 'flag', 'callSign', 'vesselType', 'formerNames', 'provenance'], isAuthenticated),
    VesselValueOrigin: every(['field', 'agencyCode', 'source', 'recordedAt'], isAuthenticated),
    // Reached only through a record's vesselAsGiven, a field the record's own rule releases.
    VesselIdentity: every(['imo', 'mmsi', 'name', 'flag', 'callSign', 'vesselType', 'formerNames'], isAuthenticated),
  },
  connections: ['Vessel'],
  references: {
    Vessel: (ref, ctx) => {
      // Representations are untyped (_Any): check the key as the IMONumber scalar would.
      if (typeof ref.imo !== 'string' || !isValidImo(ref.imo)) {
        throw badInput('a Vessel representation needs imo: a valid IMO number such as "9074729"', 'representations');
      }
      return ctx.loaders
        .get(vesselByImo)
        .load(parseImo(ref.imo))
        .then((v) => shownVessel(ctx, v));
    },
  },
};
