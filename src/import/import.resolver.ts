import { Readable } from 'node:stream';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { badInput } from '../common/errors';
import { text } from '../common/validate';
import type { RequestContext } from '../request/context';
import { findWatchlist } from '../watchlist/watchlist.service';
import { ImportFormatError, parserFor, type ImportFormat } from './formats';
import {
  ImportDefaultsInput,
  ImportFormatEnum,
  ImportModeEnum,
  ImportReport,
  RegistryFormatEnum,
  RegistryImportReport,
  type ImportFormatName,
  type RegistryFormatName,
} from './import.types';
import { importEntries, importFeed } from './loader';
import { ImportRefused } from './whole-file';
import { importRegistry, registrySource } from './registry-loader';
import { REGISTRY_IMPORT_FIELDS } from './row';

const FORMATS: Record<ImportFormatName, ImportFormat> = { CSV: 'csv', JSON: 'json', OFAC_SDN: 'ofac' };

/** The mutation is for files of moderate size (the request body is limited to 2 MB); `npm run import` for any size. */
@Resolver()
export class ImportResolver {
  @Mutation(() => ImportReport, {
    description:
      "Loads entries into a watchlist of the caller's agency from a file's content: bad rows are reported by line, " +
      'good rows load, and loading the same file again changes nothing. mode REPLACE also ends the entries of the same feed ' +
      'that the file no longer contains, in one transaction; dryRun reports what would change and writes nothing. ' +
      'For large files use `npm run import`.',
  })
  async importWatchlistEntries(
    @Arg('watchlistId', () => ID) watchlistId: string,
    @Arg('format', () => ImportFormatEnum) format: ImportFormatName,
    @Arg('content', { description: 'The file, as text' }) content: string,
    @Arg('defaults', () => ImportDefaultsInput, { nullable: true }) defaults: ImportDefaultsInput | null,
    @Arg('mode', () => ImportModeEnum, { defaultValue: 'MERGE' }) mode: keyof typeof ImportModeEnum,
    @Arg('dryRun', { defaultValue: false, description: 'Report what would be created, updated and ended; write nothing' }) dryRun: boolean,
    @Arg('feed', () => String, {
      nullable: true,
      description: 'The feed the entries come from (default OFAC_SDN for OFAC_SDN, FILE for CSV and JSON); REPLACE ends only its entries',
    })
    feed: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ImportReport> {
    const source = text(defaults?.source, 'defaults.source', 200) ?? undefined;
    const fmt = FORMATS[format];
    const feedName = importFeed(fmt, feed);
    if (typeof feedName !== 'string') throw badInput(`feed: ${feedName.error}`, 'feed');
    try {
      const report = await importEntries(ctx, watchlistId, parserFor(fmt, Readable.from([content]), { source }), {
        format: fmt,
        defaults: { category: defaults?.category ?? undefined, riskLevel: defaults?.riskLevel ?? undefined },
        mode,
        dryRun,
        feed: feedName,
      });
      const watchlist = (await findWatchlist(ctx, report.watchlistId))!;
      return { ...report, watchlist, seconds: Math.round(report.elapsed * 1000) / 1000 };
    } catch (e) {
      if (e instanceof ImportFormatError) throw badInput(`content: ${e.message}`, 'content');
      if (e instanceof ImportRefused) throw badInput(e.message, 'mode');
      throw e;
    }
  }

  @Mutation(() => RegistryImportReport, {
    description:
      "Records vessel particulars in the shared registry from a registry authority's source (agencies.yaml registryAuthority), " +
      'each value with its origin (the agency, `source`, the time). Values a row leaves out keep their stored ones; ' +
      'loading the same file again changes nothing. For large files use `npm run import -- --registry`.',
  })
  async importRegistry(
    @Arg('format', () => RegistryFormatEnum) format: RegistryFormatName,
    @Arg('content', { description: 'The file, as text' }) content: string,
    @Arg('source', { description: 'The source the values come from, kept with each value, e.g. "Register extract 2026-11-29"' })
    source: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RegistryImportReport> {
    const from = registrySource(source, 'source');
    try {
      const report = await importRegistry(
        ctx,
        from,
        parserFor(FORMATS[format], Readable.from([content]), { columns: REGISTRY_IMPORT_FIELDS }),
      );
      return { ...report, seconds: Math.round(report.elapsed * 1000) / 1000 };
    } catch (e) {
      if (e instanceof ImportFormatError) throw badInput(`content: ${e.message}`, 'content');
      throw e;
    }
  }
}
