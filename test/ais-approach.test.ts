/**
 * WATCHLIST_APPROACH end to end: the sample recording (samples/ais/) replayed into a hub's AIS
 * listener over TCP, on the demo data, where LADY LEILA is on nl-customs' AMBER shadow-fleet list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { replay } from '../src/ais/replay';
import { TrackStore } from '../src/ais/tracks';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { publishAlert } from './support/builders';
import { Subscriber } from './support/subscriber';
import { pollUntil } from './support/wait';

const SAMPLE = path.resolve(__dirname, '../samples/ais/lady-leila-rotterdam.nmea');
const LAST_LADY_LEILA_FIX = '2026-11-29T08:40:00.000Z';

const WITH_DETECTION = `subscription {
  vesselAlerts {
    sequence kind alertId
    alert { id title tlp jurisdiction origin port detection { rule feed observedAt explanation evidence { at lat lon sog cog } } }
  }
}`;

type Event = { kind: string; alertId: string; alert: Record<string, any> | null };

async function metric(hub: TestHub, name: string, outcome: string): Promise<number> {
  const text = await (await fetch(hub.metricsUrl)).text();
  const m = new RegExp(`^${name}\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

describe('AIS: a listed vessel approaching a port', () => {
  let hub: TestHub;
  let dir: string;

  beforeAll(async () => {
    dir = copyDemoPolicies();
    fs.writeFileSync(
      path.join(dir, 'ais.yaml'),
      'feeds:\n  - id: north-sea-test\n    agency: nl-coastguard\n    tlp: GREEN\n    listen: { tcp: 0 }\n',
    );
    hub = await startTestHub({ policiesDir: dir, seedDemo: true });
  });

  afterAll(async () => {
    await hub?.stop();
  });

  test('the alert reaches an agency that sees the entry and not one that does not; one alert per visit', async () => {
    const sees = new Subscriber<Event>(hub, tokenFor('nl-coastguard'), {}, { query: WITH_DETECTION });
    const seesNot = new Subscriber<Event>(hub, tokenFor('fr-douane'), {}, { query: WITH_DETECTION });
    await Promise.all([sees.ready(), seesNot.ready()]);

    const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n');
    await replay(lines, { host: '127.0.0.1', port: hub.aisPort('north-sea-test')!, rate: 500 });

    const isLadyLeila = (e: Event) => e.alert?.origin === 'AUTOMATIC' && /LADY LEILA/.test(e.alert.title);
    const events = await sees.waitUntil(
      (es) => es.some((e) => isLadyLeila(e) && e.alert!.detection.observedAt === LAST_LADY_LEILA_FIX),
      20_000,
    );
    const mine = events.filter(isLadyLeila);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    // One alert for the visit: published once, then updated by later evidence.
    expect(new Set(mine.map((e) => e.alertId)).size).toBe(1);
    expect(mine.map((e) => e.kind)).toEqual(['PUBLISHED', ...new Array(mine.length - 1).fill('UPDATED')]);
    const alert = mine.at(-1)!.alert!;
    // The entry's marking and jurisdiction, not the feed's.
    expect(alert).toMatchObject({ tlp: 'AMBER', jurisdiction: 'NL', port: 'NLRTM' });
    expect(alert.detection).toMatchObject({ rule: 'WATCHLIST_APPROACH', feed: 'north-sea-test' });
    expect(alert.detection.explanation).toMatch(/nm from Rotterdam \(NLRTM\), inside its 20 nm approach zone/);
    const first = alert.detection.evidence[0];
    expect(first.sog).toBeCloseTo(11.2, 5);
    expect(first.cog).toBeCloseTo(92.4, 5);
    expect(alert.detection.evidence.at(-1).at).toBe(LAST_LADY_LEILA_FIX);

    // A later event fr-douane does see: by then the approach alert would have reached it too.
    const marker = await publishAlert(hub, tokenFor('fr-douane'), { port: 'FRLEH', tlp: 'GREEN', title: 'fr marker' });
    const theirs = await seesNot.waitUntil((es) => es.some((e) => e.alertId === marker.id));
    expect(theirs.some((e) => e.alertId === marker.id)).toBe(true);
    expect(theirs.filter(isLadyLeila)).toEqual([]);

    // Every message decoded but the one with a bad checksum, which was counted and skipped.
    expect(
      await pollUntil(
        () => metric(hub, 'portcullis_ais_sentences_total', 'decoded'),
        (n) => n === 36,
      ),
    ).toBe(36);
    expect(await metric(hub, 'portcullis_ais_sentences_total', 'checksum')).toBe(1);
    const rows = await hub.database.db.query(`SELECT count(*)::int AS n FROM vessel_alerts WHERE origin = 'AUTOMATIC'`);
    expect(rows[0].n).toBe(1);
    await Promise.all([sees.close(), seesNot.close()]);
  }, 60_000);

  test('tracks: the latest state per MMSI, and the listed vessel positions in day partitions that retention drops', async () => {
    const db = hub.database.db;
    const vessel = await pollUntil(
      () => db.query(`SELECT imo, name, destination, lat, lon FROM ais_vessels WHERE mmsi = '273340060'`),
      // Written each second: wait for the flush after the last report.
      (rows: { lon: number }[]) => rows.length === 1 && rows[0].lon === 4.1,
    );
    expect(vessel[0]).toMatchObject({ imo: '9683740', name: 'LADY LEILA', destination: 'NLRTM', lat: 51.95, lon: 4.1 });
    const kept = await pollUntil(
      () => db.query(`SELECT mmsi, count(*)::int AS n FROM ais_positions GROUP BY mmsi`),
      (rows: { n: number }[]) => rows.length > 0 && rows[0].n === 17,
    );
    // Only the listed vessel's positions are kept, all 17, in the partition of their day.
    expect(kept).toEqual([{ mmsi: '273340060', n: 17 }]);
    const partitions = await db.query(`SELECT count(*)::int AS n FROM ais_positions_20261129`);
    expect(partitions[0].n).toBe(17);
    const store = new TrackStore(db, 1);
    expect(await store.dropExpired(new Date('2026-11-30T12:00:00Z'))).toBe(0); // within a day: kept
    expect(await store.dropExpired(new Date('2026-12-02T00:00:00Z'))).toBe(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM ais_positions`))[0].n).toBe(0);
  });

  test('a policy reload starts a new feed and stops the one removed; a bad ais.yaml keeps the feeds running', async () => {
    fs.writeFileSync(path.join(dir, 'ais.yaml'), 'feeds:\n  - { id: second-feed, agency: nl-coastguard, tlp: GREEN, udp: { port: 0 } }\n');
    expect(await hub.policies.reload()).toEqual({ ok: true });
    expect(
      await pollUntil(
        () => hub.aisPort('second-feed'),
        (p) => p !== undefined,
      ),
    ).toBeGreaterThan(0);
    expect(
      await pollUntil(
        () => hub.aisPort('north-sea-test'),
        (p) => p === undefined,
      ),
    ).toBeUndefined();

    fs.writeFileSync(path.join(dir, 'ais.yaml'), 'feeds:\n  - { id: second-feed, agency: nobody, tlp: GREEN, udp: { port: 0 } }\n');
    const refused = await hub.policies.reload();
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('ais.yaml: feeds[0].agency "nobody" is not an agency') });
    expect(hub.aisPort('second-feed')).toBeGreaterThan(0);
  });
});
