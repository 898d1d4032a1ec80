/**
 * AIS_GAP, POSITION_SPOOFING, IDENTITY_MISMATCH and ENCOUNTER end to end: generated sentences on
 * one recorded timeline (tag-block times) replayed into a hub's listener, on the demo data, and
 * the alerts watched arrive at a subscriber of nl-customs (which owns the listed vessels' entries
 * and, by jurisdiction, sees the NL feed's own alerts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { positionPayload, sentences, staticPayload, type PositionFields, type StaticFields } from '../src/ais/encode';
import { replay } from '../src/ais/replay';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { Subscriber } from './support/subscriber';

const QUERY = `subscription {
  vesselAlerts {
    kind alertId
    alert { title tlp jurisdiction origin vesselAsGiven { imo mmsi } detection { rule observedAt explanation evidence { at lat lon } } }
  }
}`;
type Event = { kind: string; alertId: string; alert: Record<string, any> | null };

const T0 = Date.parse('2026-11-29T00:00:00Z');
const MIN = 60_000;
const MONA = { mmsi: 636022424, imo: 9314818 };
const SAKHALIN = { mmsi: 352002202 };

/** The timeline: [minutes after T0, sentences]. */
function timeline(): string[] {
  const at: [number, string[]][] = [];
  const pos = (min: number, p: PositionFields, channel: 'A' | 'B' = 'A') =>
    at.push([min, sentences(positionPayload(p), { at: new Date(T0 + min * MIN), channel })]);
  const stat = (min: number, s: StaticFields, seq: number) =>
    at.push([min, sentences(staticPayload(s), { at: new Date(T0 + min * MIN), sequenceId: seq })]);
  // AIS_GAP: MONA, listed, at sea, then silent for 14 hours while another vessel keeps the feed busy.
  pos(0, { mmsi: MONA.mmsi, lat: 56.0, lon: 3.0, sog: 12, cog: 45 });
  for (let h = 1; h <= 14; h++) pos(h * 60, { mmsi: 244650123, lat: 54 + h * 0.01, lon: 5, sog: 8, cog: 0 }, 'B');
  pos(14 * 60 + 5, { mmsi: MONA.mmsi, lat: 56.5, lon: 3.5, sog: 12, cog: 45 });
  // ENCOUNTER: SAKHALIN ISLAND, listed, drifting beside another vessel mid North Sea for 2 h 10 min.
  for (let m = 0; m <= 130; m += 10) {
    pos(m + 1, { mmsi: SAKHALIN.mmsi, lat: 57.5, lon: 2.0 + m * 0.00001, sog: 0.4, cog: 10 });
    pos(m + 2, { mmsi: 257111222, lat: 57.5015, lon: 2.001, sog: 0.3, cog: 190 }, 'B');
  }
  // POSITION_SPOOFING: a vessel (valid IMO) 60 nm away five minutes later.
  stat(30, { mmsi: 244777888, imo: 9074729, name: 'OCEAN STAR', destination: 'DEHAM' }, 3);
  pos(31, { mmsi: 244777888, lat: 52.5, lon: 3.0, sog: 10, cog: 0 });
  pos(36, { mmsi: 244777888, lat: 53.5, lon: 3.0, sog: 10, cog: 0 });
  // IDENTITY_MISMATCH: LADY LEILA's MMSI claiming MONA's IMO; MONA's MMSI sending an IMO that fails its check digit.
  stat(40, { mmsi: 273340060, imo: MONA.imo, name: 'LADY LEILA' }, 4);
  stat(41, { mmsi: MONA.mmsi, imo: 9314819, name: 'MONA' }, 5);
  // POSITION_SPOOFING on land: one vessel in Rotterdam's Waalhaven basin (inside the coarse land
  // polygons, but in the port's approach zone: not land), then one reporting from Toledo, central
  // Spain (not Madrid: the UN/LOCODE list has Madrid as a port, with an approach zone).
  stat(50, { mmsi: 244555666, imo: 9176187, name: 'WAAL TRADER', destination: 'NLRTM' }, 6);
  pos(51, { mmsi: 244555666, lat: 51.886, lon: 4.43, sog: 0.1, cog: 0 });
  stat(52, { mmsi: 224333444, imo: 9305609, name: 'MESETA', destination: 'ESVLC' }, 7);
  pos(53, { mmsi: 224333444, lat: 39.8628, lon: -4.0273, sog: 12, cog: 45 });
  return at.sort((a, b) => a[0] - b[0]).flatMap(([, lines]) => lines);
}

describe('AIS rules', () => {
  let hub: TestHub;
  beforeAll(async () => {
    const dir = copyDemoPolicies();
    fs.writeFileSync(
      path.join(dir, 'ais.yaml'),
      'feeds:\n  - id: rules-test\n    agency: nl-coastguard\n    tlp: GREEN\n    listen: { tcp: 0 }\n',
    );
    hub = await startTestHub({ policiesDir: dir, seedDemo: true });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  test('a gap, an encounter, a spoofed MMSI, a position on land and identity mismatches each raise their alert', async () => {
    const sub = new Subscriber<Event>(hub, tokenFor('nl-customs'), {}, { query: QUERY });
    await sub.ready();
    await replay(timeline(), { host: '127.0.0.1', port: hub.aisPort('rules-test')!, rate: 2000 });

    const of = (es: Event[], rule: string, mmsi: number) =>
      es.filter((e) => e.alert?.detection?.rule === rule && e.alert.vesselAsGiven.mmsi === String(mmsi));
    const events = await sub.waitUntil(
      (es) =>
        of(es, 'AIS_GAP', MONA.mmsi).some((e) => e.kind === 'UPDATED') &&
        of(es, 'ENCOUNTER', SAKHALIN.mmsi).length > 0 &&
        of(es, 'POSITION_SPOOFING', 244777888).length > 0 &&
        of(es, 'IDENTITY_MISMATCH', 273340060).length > 0 &&
        of(es, 'IDENTITY_MISMATCH', MONA.mmsi).length > 0 &&
        of(es, 'POSITION_SPOOFING', 224333444).length > 0,
      20_000,
    );

    const gap = of(events, 'AIS_GAP', MONA.mmsi);
    expect(gap.map((e) => e.kind)).toEqual(['PUBLISHED', 'UPDATED']);
    expect(new Set(gap.map((e) => e.alertId)).size).toBe(1);
    expect(gap[0].alert!.detection.explanation).toMatch(/silent for more than 12 hours/);
    expect(gap[1].alert!.detection.explanation).toMatch(
      /silent for 14\.1 hours and reappeared at 2026-11-29T14:05:00.000Z 34\.\d nm from where it went silent/,
    );
    expect(gap[0].alert).toMatchObject({ tlp: 'AMBER', jurisdiction: 'NL', origin: 'AUTOMATIC' }); // the entry's

    const [encounter] = of(events, 'ENCOUNTER', SAKHALIN.mmsi);
    expect(encounter.alert!.detection.explanation).toMatch(/MMSI 257111222.*within 500 m .* since 2026-11-29T00:11:00.000Z \(2 hours\)/);
    expect(of(events, 'ENCOUNTER', SAKHALIN.mmsi)).toHaveLength(1);

    const [spoof] = of(events, 'POSITION_SPOOFING', 244777888);
    expect(spoof.alert).toMatchObject({ tlp: 'GREEN', jurisdiction: 'NL', vesselAsGiven: { imo: '9074729' } }); // the feed's
    expect(spoof.alert!.detection.explanation).toMatch(/60 nm in 5 min, 720 kn/);
    expect(spoof.alert!.detection.evidence).toHaveLength(2);
    expect(spoof.alert!.detection.explanation).not.toMatch(/on land/); // the open North Sea

    // Detections are published in the feed's order: Toledo's alert came after the Waalhaven report was judged.
    const [ashore] = of(events, 'POSITION_SPOOFING', 224333444);
    expect(ashore.alert!.title).toBe('Position on land for MESETA (MMSI 224333444)');
    expect(ashore.alert!.detection.explanation).toMatch(
      /^MMSI 224333444 reported 39\.8628, -4\.0273 at 2026-11-29T00:53:00\.000Z: on land, more than 2 km inside the coastline/,
    );
    expect(ashore.alert!.detection.evidence).toEqual([
      { at: '2026-11-29T00:53:00.000Z', lat: expect.closeTo(39.8628, 4), lon: expect.closeTo(-4.0273, 4) },
    ]);
    expect(events.filter((e) => e.alert?.vesselAsGiven.mmsi === '244555666')).toEqual([]);

    const [claimed] = of(events, 'IDENTITY_MISMATCH', 273340060);
    expect(claimed.alert!.detection.explanation).toMatch(/the registry knows IMO 9314818 under MMSI 636022424, not 273340060/);
    const [checkDigit] = of(events, 'IDENTITY_MISMATCH', MONA.mmsi);
    expect(checkDigit.alert!.detection.explanation).toMatch(/IMO number 9314819 it sends fails the IMO check digit/);
    expect(checkDigit.alert!.vesselAsGiven.imo).toBe('9314818'); // named by the registry's IMO for its MMSI
    await sub.close();
  }, 60_000);
});
