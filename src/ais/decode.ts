/**
 * AIS payloads to reports. The bit layouts are ais-stream-decoder's (types 1-3, 5, 18 and 24);
 * type 19, which it lacks, shares type 18's position fields and adds the name and ship type at
 * the offsets of ITU-R M.1371-5, read with the same library's bit field. Lengths and value
 * ranges are checked here: the library reads past a truncated payload as NaN.
 */
import AisBitField from 'ais-stream-decoder/dist/ais-bitfield';
import AisMessage123 from 'ais-stream-decoder/dist/messages/ais-message-123';
import AisMessage18 from 'ais-stream-decoder/dist/messages/ais-message-18';
import AisMessage24 from 'ais-stream-decoder/dist/messages/ais-message-24';
import AisMessage5 from 'ais-stream-decoder/dist/messages/ais-message-5';
import { BadSentence, type AisPayload } from './nmea';

export interface AisPosition {
  kind: 'position';
  type: number;
  mmsi: string;
  at: Date;
  lat: number;
  lon: number;
  /** Knots; null when not available. */
  sog: number | null;
  /** Degrees true; null when not available. */
  cog: number | null;
  heading: number | null;
  /** Type 19 carries the name and ship type with the position. */
  name?: string | null;
  shipType?: number | null;
}

export interface AisStatic {
  kind: 'static';
  type: number;
  mmsi: string;
  at: Date;
  imo?: string | null;
  name?: string | null;
  callSign?: string | null;
  shipType?: number | null;
  destination?: string | null;
}

export type AisReport = AisPosition | AisStatic;

/** The fewest bits each type needs for the fields read (some transmitters send 420-bit type 5s). */
const MIN_BITS: Record<number, number> = { 1: 168, 2: 168, 3: 168, 5: 420, 18: 168, 19: 312, 24: 160 };

const mmsiOf = (n: number) => String(n).padStart(9, '0');
const textOrNull = (s: string | undefined) => (s && s.trim() !== '' ? s.trim() : null);

/** A report, or null for a message type the hub does not use; throws BadSentence('payload') for a broken one. */
export function decodePayload({ payload, fillBits, receivedAt }: AisPayload): AisReport | null {
  const bits = new AisBitField(payload);
  const length = payload.length * 6 - fillBits;
  const type = bits.getInt(0, 6);
  const min = MIN_BITS[type];
  if (min === undefined) return null;
  if (length < min) throw new BadSentence('payload', `type ${type} payload of ${length} bits, at least ${min} expected`);
  switch (type) {
    case 1:
    case 2:
    case 3: {
      const m = new AisMessage123(type, '', bits);
      return position(type, m.mmsi, receivedAt, m.lat, m.lon, m.speedOverGround, m.courseOverGround, m.heading);
    }
    case 18: {
      const m = new AisMessage18(type, '', bits);
      return position(type, m.mmsi, receivedAt, m.lat, m.lon, m.speedOverGround, m.courseOverGround, m.heading);
    }
    case 19: {
      // Type 18's layout up to bit 139, then the name (143, 120 bits) and ship type (263, 8 bits).
      const m = new AisMessage18(type, '', bits);
      return position(type, m.mmsi, receivedAt, m.lat, m.lon, m.speedOverGround, m.courseOverGround, m.heading, {
        name: textOrNull(bits.getString(143, 120)),
        shipType: bits.getInt(263, 8) || null,
      });
    }
    case 5: {
      const m = new AisMessage5(type, '', bits);
      return {
        kind: 'static',
        type,
        mmsi: mmsiOf(m.mmsi),
        at: receivedAt,
        imo: m.imo > 0 ? String(m.imo).padStart(7, '0') : null,
        name: textOrNull(m.name),
        callSign: textOrNull(m.callsign),
        shipType: m.typeAndCargo || null,
        destination: textOrNull(m.destination),
      };
    }
    case 24: {
      let m: AisMessage24;
      try {
        m = new AisMessage24(type, '', bits);
      } catch {
        throw new BadSentence('payload', 'type 24 with an invalid part number');
      }
      return m.partNum === 0
        ? { kind: 'static', type, mmsi: mmsiOf(m.mmsi), at: receivedAt, name: textOrNull(m.name) }
        : {
            kind: 'static',
            type,
            mmsi: mmsiOf(m.mmsi),
            at: receivedAt,
            callSign: textOrNull(m.callsign),
            shipType: m.typeAndCargo || null,
          };
    }
  }
  return null;
}

/**
 * A position report, or null when it has no position (lat 91 / lon 181 mean "not available");
 * a coordinate outside its range is a broken payload.
 */
function position(
  type: number,
  mmsi: number,
  at: Date,
  lat: number | null,
  lon: number | null,
  sog: number | null,
  cog: number | null,
  heading: number | null,
  extra?: Omit<AisStatic, 'kind' | 'type' | 'mmsi' | 'at'>,
): AisReport | null {
  if (lat !== null && (lat < -90 || lat > 90)) throw new BadSentence('payload', 'latitude out of range');
  if (lon !== null && (lon < -180 || lon > 180)) throw new BadSentence('payload', 'longitude out of range');
  if (lat === null || lon === null) return extra ? { kind: 'static', type, mmsi: mmsiOf(mmsi), at, ...extra } : null;
  return { kind: 'position', type, mmsi: mmsiOf(mmsi), at, lat, lon, sog, cog: cog !== null && cog > 360 ? null : cog, heading, ...extra };
}
