/** AIS ingest: framing, checksums, tag blocks, reassembly and decoding, on real sentences with known values. */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { decodePayload, type AisPosition, type AisStatic } from '../src/ais/decode';
import { positionPayload, sentences, staticPayload } from '../src/ais/encode';
import { BadSentence, NmeaFramer } from '../src/ais/nmea';
import { applyPortCorrections, type PortCorrections, type SourcePorts } from '../src/ais/port-corrections';
import { gapsAt } from '../src/ais/behaviour';
import { loadPorts, PortZones } from '../src/ais/ports';
import { VesselTracks } from '../src/ais/tracks';
import type { WatchedEntry } from '../src/ais/watched';
import { DEFAULT_AIS_RULES } from '../src/policy/types';
import { loadPolicies, PolicyError } from '../src/policy/load';
import { copyDemoPolicies } from './support/hub';

/** Decodes lines through one framer; throws what the framer throws. */
function decodeAll(lines: string[], framer = new NmeaFramer()) {
  const out = [];
  for (const line of lines) {
    const payload = framer.accept(line, new Date('2026-01-01T00:00:00Z'));
    if (payload) out.push(decodePayload(payload));
  }
  return out;
}

const reasonOf = (line: string, framer = new NmeaFramer()) => {
  try {
    const p = framer.accept(line);
    if (p) decodePayload(p);
    return 'accepted';
  } catch (e) {
    return e instanceof BadSentence ? e.reason : `threw ${String(e)}`;
  }
};

// Published examples (gpsd's test data and the AIVDM/AIVDO protocol decoding notes) with their decoded values.
describe('real AIS sentences', () => {
  test('type 1 position report', () => {
    const [p] = decodeAll(['!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C']) as AisPosition[];
    expect(p).toMatchObject({ kind: 'position', type: 1, mmsi: '477553000', sog: 0, cog: 51, heading: 181 });
    expect(p.lat).toBeCloseTo(47.582833, 5);
    expect(p.lon).toBeCloseTo(-122.345832, 5);
  });

  test('type 5 static and voyage data, two sentences reassembled', () => {
    const [s] = decodeAll([
      '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
      '!AIVDM,2,2,1,A,88888888880,2*25',
    ]) as AisStatic[];
    expect(s).toMatchObject({
      kind: 'static',
      type: 5,
      mmsi: '351759000',
      imo: '9134270',
      callSign: '3FOF8',
      name: 'EVER DIADEM',
      shipType: 70,
      destination: 'NEW YORK',
    });
  });

  test('type 18 class B position', () => {
    const [p] = decodeAll(['!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C']) as AisPosition[];
    expect(p).toMatchObject({ type: 18, mmsi: '338087471', sog: 0.1, cog: 79.6, heading: null });
    expect(p.lat).toBeCloseTo(40.68454, 5);
    expect(p.lon).toBeCloseTo(-74.072132, 5);
  });

  test('type 19 extended class B: position with name and ship type', () => {
    const [p] = decodeAll(['!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B']) as AisPosition[];
    expect(p).toMatchObject({ type: 19, mmsi: '367059850', sog: 8.7, cog: 335.9, name: 'CAPT.J.RIMES', shipType: 70 });
    expect(p.lat).toBeCloseTo(29.543695, 5);
    expect(p.lon).toBeCloseTo(-88.810392, 5);
  });

  test('type 24 static data, parts A and B', () => {
    const [a, b] = decodeAll(['!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D', '!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40']);
    expect(a).toMatchObject({ kind: 'static', type: 24, mmsi: '271041815', name: 'PROGUY' });
    expect(b).toMatchObject({ kind: 'static', type: 24, mmsi: '271041815', callSign: 'TC6163', shipType: 60 });
  });

  test('a tag block gives the receive time', () => {
    const framer = new NmeaFramer();
    const payload = framer.accept('\\s:2573345,c:1671620143*0E\\!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C');
    expect(payload?.receivedAt.toISOString()).toBe('2022-12-21T10:55:43.000Z');
  });
});

describe('bad sentences are refused with a reason, never thrown otherwise', () => {
  test.each([
    ['checksum', '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5D'],
    ['format', '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47'],
    ['format', '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH'],
    ['tag_block', '\\c:1671620143*00\\!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C'],
    ['fragment', '!AIVDM,2,2,1,A,88888888880,2*25'],
    // Truncated: a type 1 payload of 60 bits (its checksum made right).
    ['payload', sentences({ payload: '177KQJ5000', fillBits: 0 })[0]],
  ])('%s: %s', (reason, line) => {
    expect(reasonOf(line)).toBe(reason);
  });

  test('any line at all: accepted or refused as a BadSentence', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (junk) => {
        const r = reasonOf(junk);
        expect(r.startsWith('threw')).toBe(false);
      }),
    );
  });
});

describe('the encoder agrees with the decoder', () => {
  test('positions and static data round-trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200_000_000, max: 799_999_999 }),
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        fc.double({ min: -179.9, max: 179.9, noNaN: true }),
        fc.integer({ min: 0, max: 1022 }),
        (mmsi, lat, lon, sog10) => {
          const [p] = decodeAll(sentences(positionPayload({ mmsi, lat, lon, sog: sog10 / 10, cog: 123.4 }))) as AisPosition[];
          expect(p.mmsi).toBe(String(mmsi));
          expect(Math.abs(p.lat - lat)).toBeLessThan(1e-5);
          expect(Math.abs(p.lon - lon)).toBeLessThan(1e-5);
          expect(p.sog).toBeCloseTo(sog10 / 10, 5);
        },
      ),
    );
    const [s] = decodeAll(
      sentences(staticPayload({ mmsi: 273340060, imo: 9683740, name: 'LADY LEILA', destination: 'NLRTM' }), { sequenceId: 7 }),
    ) as AisStatic[];
    expect(s).toMatchObject({ mmsi: '273340060', imo: '9683740', name: 'LADY LEILA', destination: 'NLRTM' });
  });
});

describe('ports', () => {
  const source = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../shared/data/sea-ports.json'), 'utf8')) as SourcePorts;
  const corrections = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../src/ais/data/port-corrections.json'), 'utf8'),
  ) as PortCorrections;
  const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../src/ais/data/sea-ports.json'), 'utf8'));

  test('the shipped copy is the source with the corrections, and every port has a position', () => {
    expect(shipped).toEqual(applyPortCorrections(source, corrections));
    const missing = Object.keys(source).filter((k) => source[k].coordinates?.length !== 2);
    expect(missing.sort()).toEqual(Object.keys(corrections.added).sort());
    for (const [, lon, lat] of Object.values(shipped.ports as Record<string, [string, number, number]>)) {
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
    }
  });

  test('the swapped ports now lie near their countries: Boma on the Congo, Annaba in Algeria, Eskifjordur in Iceland', () => {
    const p = shipped.ports;
    expect(p.CDBOA.slice(1)).toEqual([13.022875, -5.8347218]);
    expect(p.DZAAE[2]).toBeGreaterThan(36); // latitude north of 36
    expect(p.ISESK[2]).toBeGreaterThan(63); // Iceland lies between 63 and 67 N
    const zones = new PortZones(loadPorts(), 20);
    expect(zones.zonesAt({ lat: 65.07, lon: -14.0 }).map((z) => z.port.locode)).toContain('ISESK');
  });

  test('destinations name ports by UN/LOCODE or by name', () => {
    const zones = new PortZones(loadPorts(), 20);
    expect(zones.destination('NL RTM')?.locode).toBe('NLRTM');
    expect(zones.destination('antwerpen')?.locode).toBe('BEANR');
    expect(zones.destination('ROTTERDAM')).toBeUndefined(); // also a town in New York
    expect(zones.destination('RTM>ANR')).toBeUndefined();
  });
});

describe('policies/ais.yaml', () => {
  const withAis = (text: string) => {
    const dir = copyDemoPolicies();
    fs.writeFileSync(path.join(dir, 'ais.yaml'), text);
    return dir;
  };

  test('a valid file: feeds, listeners on loopback unless told, per-port zones', () => {
    const policy = loadPolicies(
      withAis(
        'approachNm: 15\nfeeds:\n  - { id: a, agency: nl-coastguard, tlp: GREEN, listen: { tcp: 10110 } }\n' +
          '  - { id: b, agency: es-guardia-civil, tlp: AMBER, connect: { host: feed.example, port: 5631 } }\n' +
          '  - { id: c, agency: nl-coastguard, tlp: CLEAR, udp: { port: 10111, host: 0.0.0.0 } }\n' +
          'ports:\n  - { locode: NLRTM, approachNm: 12 }\n',
      ),
    );
    expect(policy.ais?.approachNm).toBe(15);
    expect(policy.ais?.feeds.map((f) => f.source)).toEqual([
      { kind: 'listen', port: 10110, host: '127.0.0.1' },
      { kind: 'connect', host: 'feed.example', port: 5631 },
      { kind: 'udp', port: 10111, host: '0.0.0.0' },
    ]);
    expect(policy.ais?.ports.get('NLRTM')).toEqual({ approachNm: 12 });
    expect(policy.ais?.rules).toEqual(DEFAULT_AIS_RULES);
  });

  test('rule thresholds: those of the file over the defaults', () => {
    const policy = loadPolicies(withAis('feeds: []\nrules: { gapHours: 6, encounterMeters: 1000, encounterMaxKn: 1.5 }\n'));
    expect(policy.ais?.rules).toEqual({ gapHours: 6, maxSpeedKn: 50, encounterMeters: 1000, encounterHours: 2, encounterMaxKn: 1.5 });
  });

  test('AIS_GAP follows the configured silence', () => {
    const tracks = new VesselTracks(10);
    const at = new Date('2026-11-29T00:00:00Z');
    tracks.position({ kind: 'position', mmsi: '273340060', at, lat: 52, lon: 3, sog: 10, cog: 90 } as AisPosition, 'feed');
    const entry = {
      id: 'e1',
      imo: '9683740',
      mmsis: [],
      name: 'LADY LEILA',
      category: 'SANCTIONS',
      riskLevel: 'HIGH',
    } as unknown as WatchedEntry;
    const sevenHoursLater = at.getTime() + 7 * 3_600_000;
    const gaps = (gapHours: number) => gapsAt(sevenHoursLater, tracks.all(), () => [entry], 'feed', { ...DEFAULT_AIS_RULES, gapHours });
    expect(gaps(12)).toEqual([]);
    const [gap] = gaps(6);
    expect(gap).toMatchObject({ rule: 'AIS_GAP', key: `AIS_GAP:e1:273340060:${at.getTime()}` });
    expect(gap.explanation).toMatch(/silent for more than 6 hours/);
  });

  test.each([
    ['feeds:\n  - { id: a, agency: nobody, tlp: GREEN, listen: { tcp: 1 } }\n', 'feeds[0].agency "nobody" is not an agency'],
    ['feeds:\n  - { id: a, agency: nl-coastguard, tlp: RED, listen: { tcp: 1 } }\n', 'feeds[0].tlp "RED" must be one of'],
    ['feeds:\n  - { id: a, agency: nl-coastguard, tlp: GREEN }\n', 'needs exactly one of listen, connect, udp'],
    ['feeds:\n  - { id: a, agency: nl-coastguard, tlp: GREEN, listen: { tcp: 70000 } }\n', 'feeds[0].listen.tcp must be a port number'],
    ['feeds: []\nports:\n  - { locode: NLRTM, approachNm: 500 }\n', 'ports[0].approachNm must be a number of nautical miles'],
    ['feeds:\n  - { id: a, agency: nl-coastguard, tlp: GREEN, listen: { tcp: 1 }, extra: 1 }\n', 'unknown key "extra"'],
    ['feeds: []\nrules: { gapHours: 0 }\n', 'rules.gapHours must be a number of hours from 1 to 168, got the number 0'],
    ['feeds: []\nrules: { maxSpeedKn: "fast" }\n', 'rules.maxSpeedKn must be a number of knots from 30 to 200'],
    [
      'feeds: []\nrules: { encounterMeters: 5000 }\n',
      'rules.encounterMeters must be a number of metres from 50 to 2000, got the number 5000',
    ],
    ['feeds: []\nrules: { encounterHours: 0.1 }\n', 'rules.encounterHours must be a number of hours from 0.25 to 48'],
    ['feeds: []\nrules: { encounterMaxKn: 11 }\n', 'rules.encounterMaxKn must be a number of knots from 0.5 to 10'],
    ['feeds: []\nrules: { gapMinutes: 30 }\n', 'unknown key "gapMinutes"'],
  ])('refused: %s', (text, message) => {
    expect(() => loadPolicies(withAis(text))).toThrow(PolicyError);
    expect(() => loadPolicies(withAis(text))).toThrow(message);
  });

  test('no file, no AIS', () => {
    expect(loadPolicies(copyDemoPolicies()).ais).toBeUndefined();
  });
});
