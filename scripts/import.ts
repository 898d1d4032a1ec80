/**
 * Bulk import of watchlist entries, with the importing agency's credentials.
 *
 *   npm run import -- --watchlist <id> --format csv|json|ofac [--token <jwt>] [--purpose P]
 *                     [--category C] [--risk-level R] [--source TEXT] [--batch-size N]
 *                     [--replace] [--dry-run] [--feed NAME] FILE
 *
 * `--replace` also ends (validUntil now, history kept) the list's entries of the same feed (--feed,
 * default OFAC_SDN for ofac and FILE for csv/json) that the file no longer contains, in one
 * transaction; it is refused, with nothing written, on a file with unreadable or too many bad rows.
 * `--dry-run` prints what would be created, updated and ended and writes nothing.
 *   npm run import -- --registry --format csv|json [--source TEXT] [--token <jwt>] FILE
 *
 * `--registry` records vessel particulars in the shared registry, as a registry authority
 * (agencies.yaml registryAuthority), each value kept with its origin: the agency, the source
 * (--source, else the file's name) and the time.
 *
 * How it authenticates: it needs both the database (DATABASE_URL, or the embedded server of
 * `npm start`) and a bearer token of an analyst of the list's agency (--token or
 * PORTCULLIS_TOKEN), verified by the hub's own verifier against POLICIES_DIR (issuer, key,
 * audience, expiry, agency). Everything then runs through the hub's services as that principal:
 * the policy engine decides whether it may write to the list, each batch is audited under the
 * token's subject, agency and purpose (request id `import:<uuid>`), and every entry it creates or
 * changes gets a version naming the subject. Database credentials alone cannot import.
 *
 * Output: a progress bar on stderr when it is a terminal, the summary and the bad rows
 * (`line N: reason`) on stdout. Exit status: 0 all rows loaded, 3 loaded with bad rows reported,
 * 2 usage error, 1 the import could not run (nothing after the last committed batch is loaded; a
 * replace or a dry run: nothing at all).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { AuthError } from '../src/auth/tokens';
import { createTokenVerifier } from '../src/auth/tokens';
import { RISK_LEVELS, THREAT_CATEGORIES, type RiskLevel, type ThreatCategory } from '../src/graphql/enums';
import { loadConfig } from '../src/config';
import { connectAndMigrate } from '../src/db/data-source';
import { openOrJoinDatabase, redactUrl } from '../src/db/database';
import { ImportFormatError, IMPORT_FORMATS, parserFor, type ImportFormat } from '../src/import/formats';
import { importEntries, importFeed, type ImportReport } from '../src/import/loader';
import { importRegistry, registrySource, type RegistryImportReport } from '../src/import/registry-loader';
import { REGISTRY_IMPORT_FIELDS } from '../src/import/row';
import { loadPolicies } from '../src/policy/load';
import { createContext } from '../src/request/context';

const USAGE =
  'usage: npm run import -- --watchlist <Watchlist id> --format csv|json|ofac [--token <jwt>] [--purpose <PURPOSE>]\n' +
  '                         [--category <ThreatCategory>] [--risk-level <RiskLevel>] [--source <text>] [--batch-size <n>]\n' +
  '                         [--replace] [--dry-run] [--feed <name>] FILE\n' +
  '  --replace ends the entries of the same feed that FILE no longer contains; --dry-run writes nothing.\n' +
  "  The token (or PORTCULLIS_TOKEN) must be an analyst token of the watchlist's agency.\n" +
  'usage: npm run import -- --registry --format csv|json [--source <text>] [--token <jwt>] FILE\n' +
  '  The token must be an analyst token of a registry authority (agencies.yaml registryAuthority).';

class UsageError extends Error {}

interface Args {
  /** undefined: a registry import */
  watchlist?: string;
  format: ImportFormat;
  file: string;
  token: string;
  purpose?: string;
  category?: ThreatCategory;
  riskLevel?: RiskLevel;
  source?: string;
  batchSize?: number;
  replace: boolean;
  dryRun: boolean;
  feed: string;
}

function readArgs(argv: string[]): Args {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      watchlist: { type: 'string' },
      registry: { type: 'boolean' },
      format: { type: 'string' },
      token: { type: 'string' },
      purpose: { type: 'string' },
      category: { type: 'string' },
      'risk-level': { type: 'string' },
      source: { type: 'string' },
      'batch-size': { type: 'string' },
      replace: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      feed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.registry && values.watchlist) throw new UsageError('give either --watchlist or --registry, not both');
  if (!values.registry && !values.watchlist) {
    throw new UsageError("--watchlist is required (the list's id, e.g. Watchlist:0b7e...), or --registry for vessel particulars");
  }
  const format = values.format === 'ofac-sdn' ? 'ofac' : values.format;
  const formats = values.registry ? IMPORT_FORMATS.filter((f) => f !== 'ofac') : IMPORT_FORMATS;
  if (!format || !(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
  const token = values.token ?? process.env.PORTCULLIS_TOKEN;
  if (!token)
    throw new UsageError('a token is required: --token <jwt> or PORTCULLIS_TOKEN (npm run -s token -- --agency <code> --roles analyst)');
  const category = values.category?.toUpperCase();
  if (category && !(THREAT_CATEGORIES as readonly string[]).includes(category)) {
    throw new UsageError(`--category must be one of ${THREAT_CATEGORIES.join(', ')}`);
  }
  const riskLevel = values['risk-level']?.toUpperCase();
  if (riskLevel && !(RISK_LEVELS as readonly string[]).includes(riskLevel)) {
    throw new UsageError(`--risk-level must be one of ${RISK_LEVELS.join(', ')}`);
  }
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
    throw new UsageError('--batch-size must be a whole number from 1 to 10000');
  }
  if (values.registry && (values.replace || values['dry-run'] || values.feed)) {
    throw new UsageError('--replace, --dry-run and --feed are for watchlist imports, not --registry');
  }
  const feed = importFeed(format as ImportFormat, values.feed);
  if (typeof feed !== 'string') throw new UsageError(`--feed: ${feed.error}`);
  return {
    replace: values.replace ?? false,
    dryRun: values['dry-run'] ?? false,
    feed,
    watchlist: values.watchlist,
    format: format as ImportFormat,
    file: positionals[0],
    token,
    purpose: values.purpose,
    category: category as ThreatCategory | undefined,
    riskLevel: riskLevel as RiskLevel | undefined,
    source: values.source,
    batchSize,
  };
}

function summary(r: ImportReport, file: string): string {
  const lines = [
    `${path.basename(file)} -> ${r.watchlistId} (${r.mode === 'REPLACE' ? 'replace' : 'merge'}, feed ${r.feed})${r.dryRun ? ': DRY RUN, nothing written' : ''}`,
    `  read ${r.rows} rows in ${r.elapsed.toFixed(1)} s (${Math.round(r.rows / Math.max(r.elapsed, 0.001))} rows/s), ${r.batches} batches`,
    `  ${r.dryRun ? 'would create' : 'created'} ${r.created}, ${r.dryRun ? 'would update' : 'updated'} ${r.updated}, ` +
      `unchanged ${r.unchanged}, skipped ${r.skipped} (out of scope), failed ${r.failed}` +
      (r.mode === 'REPLACE' ? `, ${r.dryRun ? 'would end' : 'ended'} ${r.ended}` : ''),
  ];
  for (const kind of ['created', 'updated', 'ended'] as const) {
    const first = r.examples[kind];
    if (first.length === 0) continue;
    lines.push(`  ${kind}${first.length < r[kind] ? ` (first ${first.length} of ${r[kind]})` : ''}:`);
    for (const e of first) lines.push(`    ${e.ref}  ${e.name ?? ''}${e.imo ? ` (IMO ${e.imo})` : ''}`);
  }
  if (r.failed > 0) {
    lines.push(`  bad rows${r.errors.length < r.failed ? ` (first ${r.errors.length})` : ''}:`);
    for (const e of r.errors) lines.push(`    line ${e.line}: ${e.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function registrySummary(r: RegistryImportReport, file: string): string {
  const lines = [
    `${path.basename(file)} -> vessel registry`,
    `  read ${r.rows} rows in ${r.elapsed.toFixed(1)} s, ${r.batches} batches`,
    `  created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, failed ${r.failed}`,
  ];
  if (r.failed > 0) {
    lines.push(`  bad rows${r.errors.length < r.failed ? ` (first ${r.errors.length})` : ''}:`);
    for (const e of r.errors) lines.push(`    line ${e.line}: ${e.message}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  if (!fs.existsSync(args.file) || !fs.statSync(args.file).isFile()) throw new UsageError(`no such file: ${args.file}`);
  const config = loadConfig();
  const policy = loadPolicies(config.policiesDir);
  let principal;
  try {
    principal = await createTokenVerifier(policy, { audience: config.audience }).verifyAsync(args.token, args.purpose);
  } catch (e) {
    if (e instanceof AuthError) throw new UsageError(`the token was refused: ${e.reason}`);
    throw e;
  }

  const db = await openOrJoinDatabase(config, 'npm run import');
  const ds = await connectAndMigrate(db.url, { poolSize: 2 });
  try {
    const ctx = createContext(ds, policy, principal, `import:${randomUUID()}`);
    const size = fs.statSync(args.file).size;
    let bytes = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: 'importing |{bar}| {percentage}% | {rows} rows | {created} new, {updated} changed, {failed} bad | {eta_formatted}',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    bar?.start(size, 0, { rows: 0, created: 0, updated: 0, failed: 0 });
    const input = fs.createReadStream(args.file).pipe(counted);
    if (args.watchlist === undefined) {
      let registry: RegistryImportReport;
      try {
        registry = await importRegistry(
          ctx,
          registrySource(args.source ?? path.basename(args.file), '--source'),
          parserFor(args.format, input, { columns: REGISTRY_IMPORT_FIELDS }),
        );
      } finally {
        bar?.update(bytes);
        bar?.stop();
      }
      process.stdout.write(registrySummary(registry, args.file));
      process.stderr.write(
        `database ${redactUrl(db.url)}; as ${principal.subject} of ${principal.agency.code}; request ${ctx.requestId}\n`,
      );
      return registry.failed > 0 ? 3 : 0;
    }
    let report: ImportReport;
    try {
      report = await importEntries(ctx, args.watchlist, parserFor(args.format, input, { source: args.source }), {
        format: args.format,
        batchSize: args.batchSize,
        defaults: { category: args.category, riskLevel: args.riskLevel },
        mode: args.replace ? 'REPLACE' : 'MERGE',
        dryRun: args.dryRun,
        feed: args.feed,
        onProgress: (p) => bar?.update(bytes, p),
      });
    } finally {
      bar?.update(bytes);
      bar?.stop();
    }
    process.stdout.write(summary(report, args.file));
    process.stderr.write(`database ${redactUrl(db.url)}; as ${principal.subject} of ${principal.agency.code}; request ${ctx.requestId}\n`);
    return report.failed > 0 ? 3 : 0;
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = e instanceof UsageError || String((e as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS');
    const message =
      e instanceof ImportFormatError ? `the file cannot be read as this format: ${e.message}` : e instanceof Error ? e.message : String(e);
    process.stderr.write(`import: ${message}\n`);
    if (usage) process.stderr.write(`${USAGE}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
