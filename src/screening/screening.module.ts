import type { FeatureModule } from '../request/module';
import { every, isAuthenticated } from '../request/rules';
import { ScreeningResolver } from './screening.resolver';

/**
 * Screening arriving vessels against every list the caller may see. The envelope of hits is open
 * to members; each hit's entry is a WatchlistEntry with that type's rules, and only entries the
 * row filter admitted become hits.
 */
export const screeningModule: FeatureModule = {
  name: 'screening',
  resolvers: [ScreeningResolver],
  rules: {
    Query: every(['screenVessel', 'screenVessels'], isAuthenticated),
    ScreeningResult: every(['query', 'hits', 'totalHits', 'warnings', 'vessel', 'screenedAt'], isAuthenticated),
    ScreeningHit: every(['entry', 'matchedOn', 'score', 'matchedName'], isAuthenticated),
    ScreeningWarning: every(['code', 'message'], isAuthenticated),
    ScreeningQuery: every(['imo', 'mmsi', 'name', 'flag', 'normalizedName'], isAuthenticated),
  },
};
