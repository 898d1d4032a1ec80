import type { FeatureModule } from '../request/module';
import { canPublish, capability, every, isAuthenticated } from '../request/rules';
import { ImportResolver } from './import.resolver';

/** Bulk import of watchlist entries (CSV, JSON, OFAC) into a list of the caller's own agency, and a registry authority's vessel particulars. */
export const importModule: FeatureModule = {
  name: 'import',
  resolvers: [ImportResolver],
  rules: {
    Mutation: {
      importWatchlistEntries: canPublish,
      importRegistry: capability(() => ({ kind: 'writeRegistry' })),
    },
    // Returned only to the analyst who ran the import, for a list of its own agency.
    ImportReport: every(
      [
        'watchlist',
        'mode',
        'dryRun',
        'feed',
        'rows',
        'created',
        'updated',
        'unchanged',
        'failed',
        'skipped',
        'ended',
        'examples',
        'batches',
        'errors',
        'seconds',
      ],
      isAuthenticated,
    ),
    ImportExamples: every(['created', 'updated', 'ended'], isAuthenticated),
    ImportedEntryRef: every(['ref', 'imo', 'name'], isAuthenticated),
    ImportRowError: every(['line', 'message'], isAuthenticated),
    // Returned only to the registry authority's analyst who ran the import.
    RegistryImportReport: every(['rows', 'created', 'updated', 'unchanged', 'failed', 'batches', 'errors', 'seconds'], isAuthenticated),
  },
};
