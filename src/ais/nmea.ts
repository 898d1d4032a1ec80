/**
 * NMEA 0183 framing of AIS sentences: `!AIVDM`/`!AIVDO` with their checksum, an optional IEC 61162-1
 * tag block (`\c:<unix time>*hh\` gives the receive time), and the reassembly of multi-sentence
 * messages. What comes out is a whole payload (six-bit armoured) and its fill bits, for decode.ts.
 */

/** A whole AIS message, reassembled from its sentences. */
export interface AisPayload {
  payload: string;
  fillBits: number;
  channel: string;
  /** From the tag block's `c:` when present, else the time the line arrived. */
  receivedAt: Date;
  /** VDO: the receiving station's own ship. */
  own: boolean;
}

/** Why a line was refused; the bounded set the ingest counts by. */
export const BAD_SENTENCE_REASONS = ['format', 'checksum', 'tag_block', 'fragment', 'payload'] as const;
export type BadSentenceReason = (typeof BAD_SENTENCE_REASONS)[number];

export class BadSentence extends Error {
  constructor(
    readonly reason: BadSentenceReason,
    message: string,
  ) {
    super(message);
  }
}

/** A line longer than this is no NMEA sentence (82 characters, plus a generous tag block). */
export const MAX_LINE_LENGTH = 512;
/** Messages span at most 9 sentences (the count is one digit). */
const MAX_PARTS = 9;
/** Parts of an unfinished message are dropped after this long, and beyond this many pending. */
const FRAGMENT_TIMEOUT_MS = 10_000;
const MAX_PENDING_MESSAGES = 1_000;

const SENTENCE =
  /^!(AI|AB|AD|AN|AR|AS|AT|AX|BS|SA)VD([MO]),([1-9]),([1-9]),([0-9]?),([AB12]?),([0-9:;<=>?@A-W`a-w]*),([0-5])\*([0-9A-F]{2})$/;

/** XOR of the characters between the start character and `*` (exclusive both). */
export function nmeaChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** The tag block's receive time (`c:` in seconds or milliseconds since the epoch), checked against its own checksum. */
function tagBlockTime(block: string): Date | undefined {
  const star = block.lastIndexOf('*');
  if (star < 0) throw new BadSentence('tag_block', 'tag block without checksum');
  const body = block.slice(0, star);
  if (nmeaChecksum(body) !== block.slice(star + 1).toUpperCase()) throw new BadSentence('tag_block', 'tag block checksum mismatch');
  for (const field of body.split(',')) {
    if (!field.startsWith('c:')) continue;
    const value = Number(field.slice(2));
    if (!Number.isSafeInteger(value) || value <= 0) throw new BadSentence('tag_block', 'tag block time is not a number');
    // Some receivers write milliseconds: anything past the year 33658 in seconds is.
    return new Date(value > 1e12 ? value : value * 1000);
  }
  return undefined;
}

interface Pending {
  parts: (string | undefined)[];
  received: number;
  firstAt: number;
  receivedAt: Date;
}

/** Turns lines into whole payloads, one stream (one feed connection) at a time. */
export class NmeaFramer {
  private readonly pending = new Map<string, Pending>();

  /** The whole message a line completes, or undefined while parts are missing; throws BadSentence. */
  accept(line: string, arrivedAt: Date = new Date()): AisPayload | undefined {
    let text = line.trim();
    if (text.length === 0 || text.length > MAX_LINE_LENGTH) throw new BadSentence('format', 'empty or overlong line');
    let receivedAt = arrivedAt;
    if (text.startsWith('\\')) {
      const end = text.indexOf('\\', 1);
      if (end < 0) throw new BadSentence('tag_block', 'unterminated tag block');
      receivedAt = tagBlockTime(text.slice(1, end)) ?? arrivedAt;
      text = text.slice(end + 1);
    }
    const m = SENTENCE.exec(text);
    if (!m) throw new BadSentence('format', 'not an AIVDM/AIVDO sentence');
    const [, , kind, total, number, seq, channel, payload, fill, checksum] = m;
    if (nmeaChecksum(text.slice(1, text.lastIndexOf('*'))) !== checksum) throw new BadSentence('checksum', 'checksum mismatch');
    const parts = Number(total);
    const part = Number(number);
    if (part > parts) throw new BadSentence('fragment', 'part number beyond the part count');
    const base = { channel, receivedAt, own: kind === 'O' };
    if (parts === 1) return { ...base, payload, fillBits: Number(fill) };
    return this.reassemble(`${kind}${channel}${seq}:${parts}`, parts, part, payload, Number(fill), base, arrivedAt.getTime());
  }

  private reassemble(
    key: string,
    parts: number,
    part: number,
    payload: string,
    fill: number,
    base: Omit<AisPayload, 'payload' | 'fillBits'>,
    now: number,
  ): AisPayload | undefined {
    this.expire(now);
    let p = this.pending.get(key);
    if (part === 1) {
      // A new first part replaces whatever an unfinished message with the same sequence id left.
      p = {
        parts: new Array<string | undefined>(Math.min(parts, MAX_PARTS)).fill(undefined),
        received: 0,
        firstAt: now,
        receivedAt: base.receivedAt,
      };
      this.pending.delete(key); // re-inserted at the end: the map stays in age order
      this.pending.set(key, p);
      if (this.pending.size > MAX_PENDING_MESSAGES) this.pending.delete(this.pending.keys().next().value!);
    } else if (!p) {
      throw new BadSentence('fragment', 'a later part without its first part');
    }
    if (p.parts[part - 1] !== undefined) throw new BadSentence('fragment', 'a part received twice');
    p.parts[part - 1] = payload;
    p.received++;
    if (p.received < parts) return undefined;
    this.pending.delete(key);
    return { ...base, receivedAt: p.receivedAt, payload: p.parts.join(''), fillBits: fill };
  }

  /** Unfinished messages older than the timeout are dropped: their missing part will not come. */
  private expire(now: number): void {
    for (const [key, p] of this.pending) {
      if (now - p.firstAt <= FRAGMENT_TIMEOUT_MS) break; // insertion order is age order
      this.pending.delete(key);
    }
  }

  /** Messages waiting for parts (bounded by MAX_PENDING_MESSAGES). */
  get pendingCount(): number {
    return this.pending.size;
  }
}
