/**
 * POSITION_SPOOFING's land check (src/ais/land.ts): the grid index against d3-geo's geoContains on
 * the same Natural Earth polygons, and real places: inland Spain is land, the open sea and the
 * coast are not, and Rotterdam's port basins (inside the coarse polygons) are left to the ports'
 * approach zones by AisService (test/ais-rules.test.ts).
 */
import { COASTAL_MARGIN_KM, landContains, landIndex } from '../src/ais/land';

describe('land index', () => {
  const land = landIndex();
  const exact = landIndex(0);

  test('real places', () => {
    expect(land.marginKm).toBe(COASTAL_MARGIN_KM);
    expect(land.onLand(40.4168, -3.7038)).toBe(true); // Madrid, central Spain
    expect(land.onLand(39.47, -6.37)).toBe(true); // Cáceres
    expect(land.onLand(50.94, 6.96)).toBe(true); // Cologne
    expect(land.onLand(-80, 0)).toBe(true); // Antarctica: the ring that runs edge to edge of the strip
    expect(land.onLand(66, 178)).toBe(true); // Chukotka, east of the antimeridian
    expect(land.onLand(66, -175)).toBe(true); // and west of it
    expect(land.onLand(53.0, 3.0)).toBe(false); // North Sea
    expect(land.onLand(0, -150)).toBe(false); // mid-Pacific
    expect(land.onLand(35.95, -5.6)).toBe(false); // Strait of Gibraltar
    expect(land.onLand(85, 0)).toBe(false); // Arctic Ocean
    // Algeciras anchorage: 1.8 km from the 1:50m coastline, inside the polygons with no margin.
    expect(land.onLand(36.13, -5.43)).toBe(false);
    // Rotterdam: the Europoort basins are 3.3 km inside the generalised coastline, Waalhaven 24 km.
    expect(land.onLand(51.95, 4.1)).toBe(true);
    expect(land.onLand(51.886, 4.43)).toBe(true);
    expect(land.onLand(NaN, 0)).toBe(false);
  });

  test('with no margin, the index answers as geoContains on 200 random points', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const disagree: [number, number][] = [];
    let ashore = 0;
    for (let i = 0; i < 200; i++) {
      const lat = random() * 170 - 85;
      const lon = random() * 360 - 180;
      const inside = landContains(lat, lon);
      if (inside) ashore++;
      if (exact.onLand(lat, lon) !== inside) disagree.push([lat, lon]);
    }
    expect(disagree).toEqual([]);
    expect(ashore).toBeGreaterThan(25); // both answers were exercised (land is about 29 % of the surface)
    expect(ashore).toBeLessThan(90);
  }, 60_000);

  test('the margin: a point just inland of the coast is coast, one further in is land', () => {
    // Along the parallel 40.4N, west from the Mediterranean: the 1:50m coast meets it near 0.43E.
    const along = (lon: number) => [land.onLand(40.4, lon), exact.onLand(40.4, lon)];
    expect(along(0.5)).toEqual([false, false]); // at sea
    expect(along(0.42)).toEqual([false, true]); // about 1 km inland: inside the polygon, within the margin
    expect(along(0.38)).toEqual([true, true]); // about 4 km inland
  });
});
