/** Great-circle distances on a sphere of the Earth's mean radius: good to about 0.5 %, ample for zones of miles. */

const EARTH_RADIUS_M = 6_371_008.8;
const METRES_PER_NM = 1852;
const RAD = Math.PI / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

function distanceMetres(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const distanceNm = (a: LatLon, b: LatLon) => distanceMetres(a, b) / METRES_PER_NM;
