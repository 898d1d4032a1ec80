/**
 * The alert stream's position as clients see it (VesselAlert.sequence, AlertEvent.sequence and
 * `after`, a webhook's position, its deliveries' sequence and the Portcullis-Event-Sequence
 * header): an opaque token, never the number. The stream numbers every agency's events, so a
 * plain number would tell each member how much the others publish, even events it never sees.
 *
 * A token is one AES-256 block: the position (8 bytes) and a fixed tag (8 bytes), encrypted under
 * the hub's stream key. Deterministic, so an event keeps one token on every delivery and retry and
 * clients deduplicate by it as before; a pseudorandom permutation, so tokens show no order and
 * no count; and authenticated by the tag, so a made-up token is refused (1 in 2^64 passes) rather
 * than read as some position. Clients compare tokens for equality only and give one back in
 * `after`. The key sits in the database (hub_secrets, made by migration 1764000000900), so every
 * instance and every restart reads the same tokens; it hides nothing the database does not hold.
 */
import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { badInput } from '../common/errors';

const TAG = Buffer.from('PCSTREAM', 'latin1');
const KEY_NAME = 'alert-stream-position';

export class StreamPositionCodec {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the stream position key must be 32 bytes');
  }

  encode(position: bigint | string): string {
    const block = Buffer.alloc(16);
    block.writeBigUInt64BE(BigInt(position), 0);
    TAG.copy(block, 8);
    const cipher = crypto.createCipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
  }

  /** The position in a token from `encode`; BAD_USER_INPUT naming `field` for anything else. */
  decode(token: string, field: string): bigint {
    const refuse = () => badInput(`${field} must be a sequence given by the hub (an event's sequence), as it was given`, field);
    const bytes = Buffer.from(token, 'base64url');
    // Only the one spelling encode gives: base64url ignores the last character's low bits.
    if (bytes.length !== 16 || bytes.toString('base64url') !== token) throw refuse();
    const decipher = crypto.createDecipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    const block = Buffer.concat([decipher.update(bytes), decipher.final()]);
    if (!block.subarray(8).equals(TAG)) throw refuse();
    return block.readBigUInt64BE(0);
  }
}

const codecs = new WeakMap<DataSource, Promise<StreamPositionCodec>>();

/** The codec of the hub whose database is `db`: its key read once per connection pool. */
export function streamPositions(db: DataSource): Promise<StreamPositionCodec> {
  let codec = codecs.get(db);
  if (!codec) {
    codec = db.query('SELECT value FROM hub_secrets WHERE name = $1', [KEY_NAME]).then((rows: { value: Buffer }[]) => {
      if (rows.length === 0) throw new Error(`hub_secrets has no ${KEY_NAME} key: run the migrations`);
      return new StreamPositionCodec(rows[0].value);
    });
    codec.catch(() => codecs.delete(db));
    codecs.set(db, codec);
  }
  return codec;
}
