/**
 * The one list of feature modules. The schema, the shield tree, node(id), federation references
 * and the database's entities are all collected from it; nothing else names a module's parts.
 */
import { agencyModule } from '../agency/agency.module';
import { aisModule } from '../ais/ais.module';
import { alertModule } from '../alert/alert.module';
import { auditModule } from '../audit/audit.module';
import { importModule } from '../import/import.module';
import { reportModule } from '../report/report.module';
import { revocationModule } from '../revocation/revocation.module';
import type { FieldCosts } from '../graphql/cost';
import type { FeatureModule } from '../request/module';
import { screeningModule } from '../screening/screening.module';
import { shareableModule } from '../shareable/shareable.module';
import { vesselModule } from '../vessel/vessel.module';
import { watchlistModule } from '../watchlist/watchlist.module';
import { webhookModule } from '../webhook/webhook.module';

export const MODULES: readonly FeatureModule[] = [
  agencyModule,
  shareableModule,
  auditModule,
  vesselModule,
  watchlistModule,
  alertModule,
  reportModule,
  screeningModule,
  importModule,
  webhookModule,
  revocationModule,
  aisModule,
];

export const ENTITIES = MODULES.flatMap((m) => m.entities ?? []);

/**
 * Every module's field costs, merged by type (several modules add fields to Query), and the
 * federation's `_entities`: each representation is a look-up with its own selection.
 */
export const FIELD_COSTS: FieldCosts = {
  Query: {
    _entities: ({ args, childCost }) => 1 + (Array.isArray(args.representations) ? args.representations.length : 1) * (1 + childCost),
  },
};
for (const m of MODULES) {
  for (const [type, fields] of Object.entries(m.costs ?? {})) FIELD_COSTS[type] = { ...FIELD_COSTS[type], ...fields };
}

/** Every module's check of which vessels a caller sees a record about (src/vessel/vessel.service.ts, shownVessels). */
export const VESSEL_MENTION_CHECKS = MODULES.flatMap((m) => m.vesselMentions ?? []);
