/**
 * Verifies the audit trail's hash chain, for an auditor.
 *
 *   npm run audit:verify [-- --no-seal]
 *
 * It uses DATABASE_URL, or the embedded server of `npm start` (the running hub's if it is up,
 * started here otherwise), and does not migrate the schema. First it seals the records still in
 * the audit inbox onto the chain (waiting its turn, as the `auditTrail` query does), so everything
 * recorded so far is checked; `--no-seal` checks the chain as it is. Then it recomputes every link
 * in sequence order, a page at a time, and compares the last with the chain's head.
 *
 * Output: one line on stdout. Exit status: 0 the chain is intact, 1 it is broken (the first
 * broken link's sequence, or the newest links were removed), 2 it could not be checked (usage
 * error, or the database could not be reached or read).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { checkAuditChain, sealAuditInbox, type AuditChainCheck } from '../src/audit/audit.service';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { openOrJoinDatabase, redactUrl, type DatabaseHandle } from '../src/db/database';

const USAGE =
  'usage: npm run audit:verify [-- --no-seal]\n' +
  '  Checks the audit hash chain in DATABASE_URL or the embedded database; exit 0 intact, 1 broken, 2 not checked.\n' +
  '  --no-seal: do not seal the pending audit inbox records onto the chain first.';

interface Args {
  seal: boolean;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      'no-seal': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return { seal: !values['no-seal'] };
}

/** Where it checked, for the person running it: no user, no password. */
function describeDatabase(db: DatabaseHandle): string {
  try {
    const url = new URL(db.url);
    return `database ${url.pathname.replace(/^\//, '') || '(default)'} on ${url.host}${db.embedded ? ' (embedded)' : ''}`;
  } catch {
    return 'database (unreadable DATABASE_URL)';
  }
}

async function requireAuditTables(ds: DataSource): Promise<void> {
  const [tables]: { events: boolean; head: boolean; inbox: boolean }[] = await ds.query(
    `SELECT to_regclass('audit_events') IS NOT NULL AS events, to_regclass('audit_chain_head') IS NOT NULL AS head,
            to_regclass('audit_inbox') IS NOT NULL AS inbox`,
  );
  if (!tables.events || !tables.head || !tables.inbox) {
    throw new Error(
      'this database has no audit trail (audit_events, audit_chain_head, audit_inbox): is the schema up to date? (npm run migrate)',
    );
  }
}

function outcome(check: AuditChainCheck): string {
  if (check.broken === 'head') return 'audit chain BROKEN: the newest links were removed (head does not match the last link)';
  if (check.broken !== undefined) return `audit chain BROKEN at sequence ${check.broken}`;
  return `audit chain intact: ${check.links} links, last sequence ${check.lastSequence ?? check.head?.sequence ?? 0}, head ${check.head?.hash.slice(0, 16)}`;
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  const db = await openOrJoinDatabase(loadConfig(), 'npm run audit:verify');
  secrets.push(db.url);
  const ds = createDataSource(db.url, { poolSize: 2, applicationName: 'portcullis-audit-verify' });
  try {
    await ds.initialize();
    await requireAuditTables(ds);
    let sealError: unknown;
    if (args.seal) {
      try {
        const sealed = await sealAuditInbox(ds, { wait: true });
        process.stderr.write(`sealed ${sealed} pending audit record${sealed === 1 ? '' : 's'} onto the chain\n`);
      } catch (e) {
        sealError = e; // a broken chain (a missing head) is reported as such below; otherwise it is the error
      }
    }
    const check = await checkAuditChain(ds.manager);
    if (sealError !== undefined && check.broken === undefined) throw sealError;
    if (sealError !== undefined) process.stderr.write(`audit:verify: could not seal the inbox first: ${message(sealError)}\n`);
    if (check.broken === 'head' && !check.head) process.stderr.write('audit:verify: the chain head row (audit_chain_head) is missing\n');
    process.stdout.write(`${outcome(check)}\n`);
    process.stderr.write(`${describeDatabase(db)}\n`);
    return check.broken === undefined ? 0 : 1;
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.stop();
  }
}

/** Connection strings and passwords never reach the output, whatever an error says. */
const secrets: string[] = process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [];

function message(e: unknown): string {
  let text = e instanceof Error ? e.message : String(e);
  // A connection refused on every address is an AggregateError with an empty message.
  if (!text && e instanceof AggregateError) text = e.errors.map((x) => (x instanceof Error ? x.message : String(x))).join('; ');
  if (!text) text = String((e as { code?: unknown })?.code ?? 'unknown error');
  for (const url of secrets) {
    text = text.split(url).join(redactUrl(url));
    try {
      const { password } = new URL(url);
      for (const p of new Set([password, decodeURIComponent(password)])) if (p) text = text.split(p).join('***');
    } catch {
      // not a URL: nothing more to hide than the string itself
    }
  }
  return redactUrl(text);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = String((e as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`audit:verify: ${usage ? (e as Error).message : `the audit chain could not be checked: ${message(e)}`}\n`);
    if (usage) process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
  },
);
