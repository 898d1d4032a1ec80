/**
 * Vessel.lastPosition and vesselTrack: the sample recording replayed into a hub's AIS listener, on
 * the demo data, from an AMBER feed of nl-coastguard. The positions are nl-coastguard's records at
 * AMBER in NL: nl-customs (a Dutch public agency) sees them by JURISDICTION, fr-douane and the
 * Dutch terminal operator do not see them at all (ACCESS-MODEL.md, row visibility).
 */
import fs from 'node:fs';
import path from 'node:path';
import { replay } from '../src/ais/replay';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { pollUntil } from './support/wait';

const SAMPLE = path.resolve(__dirname, '../samples/ais/lady-leila-rotterdam.nmea');
const LADY_LEILA = { imo: '9683740', mmsi: '273340060' };
const FIRST_FIX = '2026-11-29T06:00:00.000Z';
const LAST_FIX = '2026-11-29T08:40:00.000Z';
const DAY = { from: '2026-11-29T00:00:00Z', to: '2026-11-30T00:00:00Z' };

const LAST_POSITION = `query ($imo: IMONumber!) {
  vessel(imo: $imo) { imo lastPosition { mmsi at lat lon sog cog feed tlp jurisdiction ownerAgency { code } access { basis } } }
}`;
const TRACK = `query ($imo: IMONumber, $mmsi: MMSI, $from: DateTime!, $to: DateTime!) {
  vesselTrack(imo: $imo, mmsi: $mmsi, from: $from, to: $to) { id mmsi at lat lon sog cog feed tlp access { basis } }
}`;

describe('AIS tracks: Vessel.lastPosition and vesselTrack under the feed owner and TLP', () => {
  let hub: TestHub;

  beforeAll(async () => {
    const dir = copyDemoPolicies();
    fs.writeFileSync(
      path.join(dir, 'ais.yaml'),
      'feeds:\n  - id: north-sea-amber\n    agency: nl-coastguard\n    tlp: AMBER\n    listen: { tcp: 0 }\n',
    );
    hub = await startTestHub({ policiesDir: dir, seedDemo: true });
    const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n');
    await replay(lines, { host: '127.0.0.1', port: hub.aisPort('north-sea-amber')!, rate: 500 });
    // The tracks are flushed each second: wait for the last fix and every kept position.
    await pollUntil(
      () => hub.database.db.query(`SELECT count(*)::int AS n FROM ais_positions WHERE mmsi = $1`, [LADY_LEILA.mmsi]),
      (rows: { n: number }[]) => rows[0].n === 17,
    );
    await pollUntil(
      () => hub.database.db.query(`SELECT position_at FROM ais_vessels WHERE mmsi = $1`, [LADY_LEILA.mmsi]),
      (rows: { position_at: Date }[]) => rows[0]?.position_at.toISOString() === LAST_FIX,
    );
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
  });

  test('an agency that may see the feed’s AMBER records gets the last position and the track', async () => {
    const last = await hub.gql(tokenFor('nl-customs', ['viewer']), LAST_POSITION, { imo: LADY_LEILA.imo });
    expect(last.errors).toBeUndefined();
    expect(last.data!.vessel.lastPosition).toEqual({
      mmsi: LADY_LEILA.mmsi,
      at: LAST_FIX,
      lat: 51.95,
      lon: 4.1,
      sog: 11.2,
      cog: 92.4,
      feed: 'north-sea-amber',
      tlp: 'AMBER',
      jurisdiction: 'NL',
      ownerAgency: { code: 'nl-coastguard' },
      access: { basis: 'JURISDICTION' },
    });

    const byImo = await hub.gql(tokenFor('nl-customs', ['viewer']), TRACK, { imo: LADY_LEILA.imo, ...DAY });
    expect(byImo.errors).toBeUndefined();
    const track = byImo.data!.vesselTrack as {
      at: string;
      lat: number;
      lon: number;
      mmsi: string;
      feed: string;
      access: { basis: string };
    }[];
    expect(track.slice(0, 2).map(({ at, lat, lon }) => ({ at, lat, lon }))).toEqual([
      { at: FIRST_FIX, lat: 51.99, lon: 3.3 },
      { at: '2026-11-29T06:10:00.000Z', lat: 51.9875, lon: 3.35 },
    ]);
    expect(track).toHaveLength(17);
    expect(track[0].at).toBe(FIRST_FIX);
    expect(track.at(-1)!.at).toBe(LAST_FIX);
    expect([...track.map((p) => p.at)].sort()).toEqual(track.map((p) => p.at)); // oldest first
    expect(new Set(track.map((p) => `${p.mmsi} ${p.feed} ${p.access.basis}`))).toEqual(
      new Set([`${LADY_LEILA.mmsi} north-sea-amber JURISDICTION`]),
    );

    // By MMSI, the same positions; a window that ends before the last fix leaves it out.
    const byMmsi = await hub.gql(tokenFor('nl-customs', ['viewer']), TRACK, { mmsi: LADY_LEILA.mmsi, ...DAY });
    expect(byMmsi.data!.vesselTrack).toEqual(track);
    const earlier = await hub.gql(tokenFor('nl-customs', ['viewer']), TRACK, { mmsi: LADY_LEILA.mmsi, from: DAY.from, to: LAST_FIX });
    expect(earlier.data!.vesselTrack).toHaveLength(16);

    // The feed's own agency reads them as their owner.
    const owner = await hub.gql(tokenFor('nl-coastguard', ['viewer']), LAST_POSITION, { imo: LADY_LEILA.imo });
    expect(owner.data!.vessel.lastPosition.access).toEqual({ basis: 'OWNER' });
  });

  test('an agency that may not see them gets no last position and an empty track, as for a vessel never heard', async () => {
    for (const agency of ['fr-douane', 'nl-ect-terminal']) {
      const last = await hub.gql(tokenFor(agency, ['viewer']), LAST_POSITION, { imo: LADY_LEILA.imo });
      expect(last.errors).toBeUndefined();
      expect(last.data!.vessel).toEqual({ imo: LADY_LEILA.imo, lastPosition: null });
      for (const by of [{ imo: LADY_LEILA.imo }, { mmsi: LADY_LEILA.mmsi }]) {
        const track = await hub.gql(tokenFor(agency, ['viewer']), TRACK, { ...by, ...DAY });
        expect(track.errors).toBeUndefined();
        expect(track.data!.vesselTrack).toEqual([]);
      }
    }
    // A vessel no feed heard answers the same to the agency that sees the feed.
    const never = await hub.gql(tokenFor('nl-customs', ['viewer']), LAST_POSITION, { imo: '9249128' });
    expect(never.data!.vessel).toEqual({ imo: '9249128', lastPosition: null });
  });

  test('inputs are bounded: one identifier, a valid one, a window of at most 31 days, at most 10,000 positions', async () => {
    const token = tokenFor('nl-customs', ['viewer']);
    const refused = async (variables: Record<string, unknown>) => {
      const r = await hub.gql(token, TRACK, variables);
      expect(r.data?.vesselTrack ?? null).toBeNull();
      return { code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message };
    };
    expect(await refused({ ...DAY })).toEqual({ code: 'BAD_USER_INPUT', message: 'give exactly one of imo and mmsi' });
    expect(await refused({ ...LADY_LEILA, ...DAY })).toEqual({ code: 'BAD_USER_INPUT', message: 'give exactly one of imo and mmsi' });
    expect((await refused({ imo: '9683741', ...DAY })).code).toBe('BAD_USER_INPUT'); // check digit
    expect((await refused({ mmsi: '27334006', ...DAY })).code).toBe('BAD_USER_INPUT'); // 8 digits
    expect(await refused({ mmsi: LADY_LEILA.mmsi, from: DAY.to, to: DAY.from })).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'to must be later than from',
    });
    expect(await refused({ mmsi: LADY_LEILA.mmsi, from: '2026-10-29T00:00:00Z', to: '2026-11-30T00:00:00Z' })).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'the window from..to may span at most 31 days',
    });
    const exactly31 = await hub.gql(token, TRACK, { mmsi: LADY_LEILA.mmsi, from: '2026-10-30T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    expect(exactly31.data!.vesselTrack).toHaveLength(17);

    // A vessel with 10,001 positions in the window: refused, not cut short.
    const busy = '244650000';
    await hub.database.db.query(
      `INSERT INTO ais_positions (mmsi, feed_id, at, lat, lon, sog, cog)
       SELECT $1, 'north-sea-amber', timestamptz '2026-11-29T10:00:00Z' + n * interval '1 second', 52, 3, 10, 90
         FROM generate_series(1, $2::int) AS n`,
      [busy, 10_001],
    );
    expect(await refused({ mmsi: busy, ...DAY })).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'the window holds more than 10000 positions: ask for a shorter one',
    });
    const shorter = await hub.gql(token, TRACK, { mmsi: busy, from: DAY.from, to: '2026-11-29T12:00:00Z' });
    expect(shorter.errors).toBeUndefined();
    expect(shorter.data!.vesselTrack).toHaveLength(7199);
  }, 30_000);
});
