/**
 * A position in a hub-wide sequence (the alert stream, the audit chain) as members see it: an
 * opaque token, never the number. The sequences count every agency's activity, so a plain number
 * would tell each member how much the others do, even what it never sees.
 *
 * A token is one AES-256 block: the position (8 bytes) and a fixed tag (8 bytes), encrypted under
 * a hub key. Deterministic, so a position keeps one token on every delivery and retry and clients
 * deduplicate by it; a pseudorandom permutation, so tokens show no order and no count; and
 * authenticated by the tag, so a made-up token is refused (1 in 2^64 passes) rather than read as
 * some position. Clients compare tokens for equality only and give one back where asked.
 */
import crypto from 'node:crypto';
import { badInput } from './errors';
import { hubSecret, type KeyReader } from './hub-secrets';

const TAG = Buffer.from('PCSTREAM', 'latin1');

export class PositionCodec {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a position key must be 32 bytes');
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

/** The codec under hub key `keyName` of the hub whose database `db` reads (src/common/hub-secrets.ts). */
export const positionCodec = (db: KeyReader, keyName: string): Promise<PositionCodec> =>
  hubSecret(db, keyName).then((key) => new PositionCodec(key));
