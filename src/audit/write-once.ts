/**
 * Creating mutations with an `idempotencyKey`: the same key with the same arguments answers the
 * record the first call made, without a second write; the same key with other arguments is a
 * CONFLICT. Keys are scoped per agency and per mutation, and kept as long as the records they
 * name. A key is claimed by inserting its row in the creating transaction, so a concurrent retry
 * waits on that row's primary key until the first call commits (and then answers its record) or
 * rolls back (and then creates it itself): exactly one record, however many retries race.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badInput, clientError } from '../common/errors';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from '../graphql/args';
import type { RequestContext } from '../request/context';
import { writeAudited, type AuditedWork } from './write-audited';

/** Visible ASCII: what UUIDs, ULIDs and base64 values are made of, and safe to log and compare. */
const KEY_CHARACTERS = /^[\x21-\x7e]*$/;

export interface Once<R> {
  /** The mutation's name: a key used for one mutation is free for another. */
  operation: string;
  /** What the mutation makes, for the conflict message ("a different <noun>"). */
  noun: string;
  key: string | null | undefined;
  /** What makes two calls the same call: every argument but the key. */
  payload: unknown;
  /** The id of the record the call made. */
  idOf(result: R): string;
  /** The first call's answer again, read as the caller may see it now; null when it cannot. */
  replay(m: EntityManager, id: string): Promise<R | null>;
}

/** The key as given, or null when left out; BAD_USER_INPUT saying what is wrong otherwise. */
function checkIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (key.length === 0)
    throw badInput('idempotencyKey is empty: use a value that is unique per request, such as a UUID, or leave it out', 'idempotencyKey');
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw badInput(
      `idempotencyKey is too long (${key.length} characters; the limit is ${IDEMPOTENCY_KEY_MAX_LENGTH}): ` +
        'use a short value that is unique per request, such as a UUID',
      'idempotencyKey',
    );
  }
  if (!KEY_CHARACTERS.test(key)) {
    throw badInput(
      'idempotencyKey may contain only letters, digits and ASCII punctuation, without spaces: use a value such as a UUID',
      'idempotencyKey',
    );
  }
  return key;
}

/** Key order and absent-versus-null must not make a retry look like a different call. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(canonical);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

const payloadHash = (payload: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(payload)))
    .digest('hex');

/** `writeAudited`, once per idempotency key when the call gives one. */
export function writeOnce<R>(ctx: RequestContext, once: Once<R>, work: AuditedWork<R>): Promise<R> {
  const key = checkIdempotencyKey(once.key);
  if (key === null) return writeAudited(ctx, work);
  const scope = [ctx.principal.agency.code, once.operation, key];
  const hash = payloadHash(once.payload);
  return writeAudited(ctx, async (m) => {
    const claimed: unknown[] = await m.query(
      `INSERT INTO idempotency_keys (agency, operation, key, payload_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [...scope, hash],
    );
    if (claimed.length === 0) {
      const [first]: { payload_hash: string; result_id: string }[] = await m.query(
        'SELECT payload_hash, result_id FROM idempotency_keys WHERE agency = $1 AND operation = $2 AND key = $3',
        scope,
      );
      if (first.payload_hash !== hash) {
        throw clientError('CONFLICT', `idempotencyKey was already used for a different ${once.noun}; use a new key for a new ${once.noun}`);
      }
      const again = await once.replay(m, first.result_id);
      if (again === null) {
        throw clientError('CONFLICT', `the ${once.noun} this idempotencyKey made is no longer yours to see; use a new key`);
      }
      return { result: again, audit: [] };
    }
    const done = await work(m);
    await m.query('UPDATE idempotency_keys SET result_id = $4 WHERE agency = $1 AND operation = $2 AND key = $3', [
      ...scope,
      once.idOf(done.result),
    ]);
    return done;
  });
}
