/**
 * A small AIS encoder for position (type 1) and static (type 5) reports, for the replay sample,
 * the benchmark's synthetic feed and tests. No npm encoder is kept well enough to depend on
 * (ggencoder pulls a protobuf stack for a GPS tracker framework), and the six-bit armouring is a
 * page; the tests check it against the decoder and against real sentences.
 */
import { nmeaChecksum } from './nmea';

class Bits {
  private readonly bits: number[] = [];

  uint(value: number, width: number): this {
    for (let i = width - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) % 2);
    return this;
  }

  int(value: number, width: number): this {
    return this.uint(value < 0 ? 2 ** width + value : value, width);
  }

  text(value: string, chars: number): this {
    const padded = value.toUpperCase().padEnd(chars, '@').slice(0, chars);
    for (const ch of padded) {
      const code = ch.charCodeAt(0);
      this.uint(code >= 64 ? code - 64 : code, 6);
    }
    return this;
  }

  /** The six-bit armoured payload and its fill bits. */
  armour(): { payload: string; fillBits: number } {
    const fillBits = (6 - (this.bits.length % 6)) % 6;
    const all = [...this.bits, ...new Array<number>(fillBits).fill(0)];
    let payload = '';
    for (let i = 0; i < all.length; i += 6) {
      let v = 0;
      for (let j = 0; j < 6; j++) v = v * 2 + all[i + j];
      payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
    }
    return { payload, fillBits };
  }
}

export interface PositionFields {
  mmsi: string | number;
  lat: number;
  lon: number;
  sog?: number;
  cog?: number;
  heading?: number;
}

export interface StaticFields {
  mmsi: string | number;
  imo?: string | number;
  name?: string;
  callSign?: string;
  shipType?: number;
  destination?: string;
}

/** A type 1 position report's payload. */
export function positionPayload(p: PositionFields) {
  return new Bits()
    .uint(1, 6)
    .uint(0, 2)
    .uint(Number(p.mmsi), 30)
    .uint(0, 4) // under way using engine
    .int(-128, 8) // rate of turn not available
    .uint(p.sog === undefined ? 1023 : Math.round(p.sog * 10), 10)
    .uint(0, 1)
    .int(Math.round(p.lon * 600000), 28)
    .int(Math.round(p.lat * 600000), 27)
    .uint(p.cog === undefined ? 3600 : Math.round(p.cog * 10), 12)
    .uint(p.heading ?? 511, 9)
    .uint(60, 6)
    .uint(0, 2)
    .uint(0, 3)
    .uint(0, 1)
    .uint(0, 19)
    .armour();
}

/** A type 5 static and voyage report's payload (424 bits: two sentences). */
export function staticPayload(s: StaticFields) {
  return new Bits()
    .uint(5, 6)
    .uint(0, 2)
    .uint(Number(s.mmsi), 30)
    .uint(0, 2)
    .uint(Number(s.imo ?? 0), 30)
    .text(s.callSign ?? '', 7)
    .text(s.name ?? '', 20)
    .uint(s.shipType ?? 0, 8)
    .uint(0, 9)
    .uint(0, 9)
    .uint(0, 6)
    .uint(0, 6)
    .uint(1, 4)
    .uint(0, 4)
    .uint(0, 5)
    .uint(24, 5)
    .uint(60, 6)
    .uint(0, 8)
    .text(s.destination ?? '', 20)
    .uint(0, 1)
    .uint(0, 1)
    .armour();
}

const MAX_PAYLOAD_PER_SENTENCE = 60;

/**
 * The `!AIVDM` sentences of one payload, with a `\c:<unix seconds>*hh\` tag block when `at` is
 * given; `sequenceId` (0-9) tells the parts of concurrent multi-sentence messages apart.
 */
export function sentences(
  armoured: { payload: string; fillBits: number },
  opts: { at?: Date; sequenceId?: number; channel?: 'A' | 'B' } = {},
): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < armoured.payload.length; i += MAX_PAYLOAD_PER_SENTENCE)
    chunks.push(armoured.payload.slice(i, i + MAX_PAYLOAD_PER_SENTENCE));
  const seq = chunks.length > 1 ? String(opts.sequenceId ?? 0) : '';
  const tag = opts.at ? tagBlock(`c:${Math.floor(opts.at.getTime() / 1000)}`) : '';
  return chunks.map((chunk, i) => {
    const fill = i === chunks.length - 1 ? armoured.fillBits : 0;
    const body = `AIVDM,${chunks.length},${i + 1},${seq},${opts.channel ?? 'A'},${chunk},${fill}`;
    return `${i === 0 ? tag : ''}!${body}*${nmeaChecksum(body)}`;
  });
}

const tagBlock = (body: string) => `\\${body}*${nmeaChecksum(body)}\\`;
