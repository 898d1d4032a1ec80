/**
 * An alert's position on an offline map: land from Natural Earth (world-atlas's 110m TopoJSON,
 * bundled with the console) drawn as SVG with d3-geo. No tiles, nothing from another origin, so
 * it works under the hub's CSP and on a ship's satellite link alike. The coordinates are given as
 * text too: the map is a picture of them, not their only form.
 */
import { geoGraticule10, geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import land110m from 'world-atlas/land-110m.json';
import { t } from '../i18n';

const WIDTH = 640;
const HEIGHT = 400;
/** Degrees of longitude shown either side of the position: a region, so the coast is recognisable. */
const SPAN_DEGREES = 8;

const topology = land110m as unknown as Topology<{ land: GeometryCollection }>;
const land = feature(topology, topology.objects.land);

function formatPosition(lat: number, lon: number): string {
  const latText = t(lat >= 0 ? 'alerts.detail.north' : 'alerts.detail.south', { value: Math.abs(lat).toFixed(3) });
  const lonText = t(lon >= 0 ? 'alerts.detail.east' : 'alerts.detail.west', { value: Math.abs(lon).toFixed(3) });
  return t('alerts.detail.coordinates', { lat: latText, lon: lonText });
}

export function PositionMap({ lat, lon }: { lat: number; lon: number }) {
  // Mercator centred on the position: a region's shapes look as on a nautical chart.
  const projection = geoMercator()
    .center([lon, lat])
    .scale(WIDTH / ((2 * SPAN_DEGREES * Math.PI) / 180))
    .translate([WIDTH / 2, HEIGHT / 2]);
  const path = geoPath(projection);
  const [x, y] = projection([lon, lat]) ?? [WIDTH / 2, HEIGHT / 2];
  const position = formatPosition(lat, lon);
  return (
    <figure className="alert-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('alerts.detail.mapLabel', { position })} data-map="position">
        <path className="graticule" d={path(geoGraticule10()) ?? undefined} />
        <path className="land" d={path(land) ?? undefined} />
        <circle className="marker-ring" cx={x} cy={y} r={14} />
        <circle className="marker" cx={x} cy={y} r={6} />
      </svg>
      <figcaption>{position}</figcaption>
    </figure>
  );
}
