/**
 * Verifies the audit trail's hash chain, for an auditor.
 *
 *   npm run audit:verify [-- --no-seal] [--checkpoint FILE]
 *
 * It uses DATABASE_URL, or the embedded server of `npm start` (the running hub's if it is up,
 * started here otherwise), and does not migrate the schema. First it seals the records still in
 * the audit inbox onto the chain (waiting its turn, as the `auditTrail` query does), so everything
 * recorded so far is checked; `--no-seal` checks the chain as it is. Then it recomputes every link
 * in sequence order, a page at a time, and compares the last with the chain's head.
 *
 * `--checkpoint FILE` also checks the chain against a head the hub signed and an auditor kept
 * elsewhere (the JSON `auditCheckpoint` returned): the signature must be valid for the hub's key
 * (AUDIT_SIGNING_KEY or .keys/audit-signing.pem, or the public key in `--public-key FILE`), and the
 * chain must still hold that sequence with that hash. A tail rewritten with recomputed hashes, or
 * cut below the checkpoint, is then found even though the chain itself verifies.
 *
 * Output: one line on stdout. Exit status: 0 the chain is intact, 1 it is broken (the first
 * broken link's sequence, or the newest links were removed), 2 it could not be checked (usage
 * error, the database could not be reached or read, or the checkpoint is unreadable or its
 * signature is not the hub's).
 */
import 'reflect-metadata';
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { checkAuditChain, sealAuditInbox, type AuditChainCheck } from '../src/audit/audit.service';
import { checkpointSignatureValid, keyIdOf, loadAuditSigningKey, type AuditCheckpoint } from '../src/audit/audit-checkpoint';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { openOrJoinDatabase, redactUrl, type DatabaseHandle } from '../src/db/database';

const USAGE =
  'usage: npm run audit:verify [-- --no-seal] [--checkpoint FILE [--public-key FILE]]\n' +
  '  Checks the audit hash chain in DATABASE_URL or the embedded database; exit 0 intact, 1 broken, 2 not checked.\n' +
  '  --no-seal: do not seal the pending audit inbox records onto the chain first.\n' +
  '  --checkpoint FILE: also check the chain against a signed head kept elsewhere (the JSON auditCheckpoint returned).\n' +
  "  --public-key FILE: the hub's public key (PEM) to check its signature with, instead of the hub's own key.";

interface Args {
  seal: boolean;
  checkpoint?: string;
  publicKey?: string;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      'no-seal': { type: 'boolean' },
      checkpoint: { type: 'string' },
      'public-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values['public-key'] !== undefined && values.checkpoint === undefined) throw usageError('--public-key needs --checkpoint');
  return { seal: !values['no-seal'], checkpoint: values.checkpoint, publicKey: values['public-key'] };
}

function usageError(text: string): Error {
  return Object.assign(new Error(text), { code: 'ERR_PARSE_ARGS_USAGE' });
}

/** A checkpoint the auditor kept: not checked, not used. */
class CheckpointRefused extends Error {}

const CHECKPOINT_FIELDS = ['sequence', 'hash', 'signedAt', 'signature'] as const;

/**
 * The checkpoint in `file` (the auditCheckpoint object, or the whole GraphQL answer holding it),
 * once its signature is valid for the hub's key. The key the file names is not trusted: anyone can
 * sign with a key of their own.
 */
function readCheckpoint(file: string, publicKeyFile: string | undefined): AuditCheckpoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CheckpointRefused(`the checkpoint ${file} is not readable JSON (${(e as Error).message.slice(0, 120)})`);
  }
  const c = ((parsed as { data?: { auditCheckpoint?: unknown } })?.data?.auditCheckpoint ?? parsed) as Record<string, unknown>;
  for (const f of CHECKPOINT_FIELDS) {
    if (typeof c?.[f] !== 'string' || c[f].length > 1_000) throw new CheckpointRefused(`the checkpoint ${file} has no valid ${f}`);
  }
  if (!/^[1-9][0-9]{0,18}$/.test(c.sequence as string)) throw new CheckpointRefused(`the checkpoint ${file} has no valid sequence`);
  let hubKey: KeyObject;
  try {
    hubKey = publicKeyFile
      ? crypto.createPublicKey(fs.readFileSync(publicKeyFile, 'utf8'))
      : loadAuditSigningKey(process.env, { create: false }).publicKey;
  } catch (e) {
    throw new CheckpointRefused(`the hub's audit signing key could not be read: ${(e as Error).message}`);
  }
  const checkpoint = c as unknown as AuditCheckpoint;
  if (!checkpointSignatureValid(checkpoint, hubKey)) {
    throw new CheckpointRefused(
      `the checkpoint's signature is not valid for the hub's key ${keyIdOf(hubKey)}: it was not signed by this hub, or was altered`,
    );
  }
  return checkpoint;
}

/** Whether the chain (intact up to its head) still holds the checkpoint's link: undefined if so, else what is wrong. */
async function checkpointMismatch(ds: DataSource, check: AuditChainCheck, c: AuditCheckpoint): Promise<string | undefined> {
  const [link]: { hash: string }[] = await ds.query('SELECT hash FROM audit_events WHERE sequence = $1', [c.sequence]);
  if (!link) {
    return `audit chain BROKEN: it ends at sequence ${check.lastSequence ?? 0}, below the signed checkpoint at sequence ${c.sequence} (the newest links were removed)`;
  }
  if (link.hash !== c.hash)
    return `audit chain BROKEN: sequence ${c.sequence} no longer has the hash of the signed checkpoint (the chain was rewritten)`;
  return undefined;
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
  // A checkpoint that is not the hub's is refused before the database is touched.
  const checkpoint = args.checkpoint === undefined ? undefined : readCheckpoint(args.checkpoint, args.publicKey);
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
    // Only an intact chain is compared with the checkpoint: a broken one is reported as such.
    const mismatch = checkpoint && check.broken === undefined ? await checkpointMismatch(ds, check, checkpoint) : undefined;
    const held =
      checkpoint && check.broken === undefined && !mismatch ? `; holds the signed checkpoint at sequence ${checkpoint.sequence}` : '';
    process.stdout.write(`${mismatch ?? outcome(check) + held}\n`);
    process.stderr.write(`${describeDatabase(db)}\n`);
    return check.broken === undefined && !mismatch ? 0 : 1;
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
