import type { FieldCost } from '../graphql/cost';
import type { FeatureModule } from '../request/module';
import { every, isAuthenticated } from '../request/rules';
import { FalsePositiveMemoryResolver } from './false-positive-memory';
import { PartyScreeningResolver } from './related-party';
import { ScreeningResolver } from './screening.resolver';
import { DEFAULT_MAX_HITS, MAX_HITS } from './screening.service';

/** The per-operation tally of screened names, limited by SCREENING_MAX_NAMES. */
export const SCREENED_NAMES = 'screened names';
/** The per-operation tally of hits screening may return (vessels × maxHits), limited by SCREENING_MAX_HITS. */
export const SCREENING_HITS = 'screening hits (vessels × maxHits)';

/**
 * A name is a search of the name keys and a scoring of its candidates (a few ms at a million
 * entries), an IMO or MMSI one index row (about 0.15 ms): each vessel costs its result's selection,
 * and each name this much more, in proportion to maxHits above its default (a name may match many
 * vessels; an IMO, a few entries).
 */
const NAME_COST = 40;

const hasName = (v: unknown) => typeof (v as { name?: unknown } | null)?.name === 'string' && (v as { name: string }).name.trim() !== '';

const screeningCost =
  (vesselsOf: (args: Record<string, unknown>) => unknown[]): FieldCost =>
  ({ args, childCost, tally }) => {
    const vessels = vesselsOf(args);
    const names = vessels.filter(hasName).length;
    tally(SCREENED_NAMES, names);
    // Out of range, maxHits is refused as bad input when the field runs: count at most the most.
    const maxHits = typeof args.maxHits === 'number' ? Math.min(Math.max(args.maxHits, 1), MAX_HITS) : DEFAULT_MAX_HITS;
    // Every vessel may return maxHits entries, by IMO as by name: bounded per operation.
    tally(SCREENING_HITS, vessels.length * maxHits);
    return 1 + vessels.length * (1 + childCost) + names * NAME_COST * Math.max(1, maxHits / DEFAULT_MAX_HITS);
  };

/**
 * Screening arriving vessels against every list the caller may see. The envelope of hits is open
 * to members; each hit's entry is a WatchlistEntry with that type's rules, and only entries the
 * row filter admitted become hits.
 */
export const screeningModule: FeatureModule = {
  name: 'screening',
  resolvers: [ScreeningResolver, FalsePositiveMemoryResolver, PartyScreeningResolver],
  costs: {
    Query: {
      screenVessel: screeningCost((args) => [args]),
      screenVessels: screeningCost((args) => (Array.isArray(args.vessels) ? args.vessels : [])),
      screenParty: screeningCost((args) => [args]),
    },
  },
  rules: {
    Query: every(['screenVessel', 'screenVessels', 'screenParty'], isAuthenticated),
    // The hits of screenParty: only entries whose relatedParties the caller may read (related-party.ts).
    PartyScreeningResult: every(['query', 'hits', 'totalHits', 'screenedAt'], isAuthenticated),
    PartyHit: every(['entry', 'score', 'party'], isAuthenticated),
    PartyQuery: every(['name', 'normalizedName'], isAuthenticated),
    ScreeningResult: every(['query', 'hits', 'totalHits', 'warnings', 'vessel', 'screenedAt', 'algorithm'], isAuthenticated),
    // falsePositiveReported: its SQL keeps to the sightings' scope (the engine's sightingRowFilter).
    ScreeningHit: every(['entry', 'matchedOn', 'score', 'matchedName', 'explanation', 'falsePositiveReported'], isAuthenticated),
    FalsePositiveReport: every(['at', 'by'], isAuthenticated),
    MatchExplanation: every(
      ['similarity', 'terms', 'numbersAgreed', 'unmatchedScreened', 'unmatchedListed', 'identifiersDisagreed'],
      isAuthenticated,
    ),
    NameTermMatch: every(['screened', 'listed', 'how'], isAuthenticated),
    ScreeningWarning: every(['code', 'message'], isAuthenticated),
    ScreeningQuery: every(['imo', 'mmsi', 'name', 'flag', 'normalizedName'], isAuthenticated),
  },
};
