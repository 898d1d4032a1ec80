/**
 * `npm run bench:ais-land [-- --points 200000]`: what POSITION_SPOOFING's land check costs per
 * position, side by side in one run: the grid index (src/ais/land.ts) against d3-geo's geoContains
 * on the same Natural Earth 1:50m polygons, and the whole check AisService makes (the index, then
 * the ports' approach zones for a position the index puts on land). Points: uniform over the
 * North Sea and Channel (the bench:ais area: sea, coast and land) and over the whole globe.
 * Prints the build time and memory, nanoseconds per check, and the ratios; writes bench/results/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { landContains, landIndex } from '../src/ais/land';
import { loadPorts, PortZones } from '../src/ais/ports';

const { values: args } = parseArgs({ options: { points: { type: 'string', default: '200000' } } });
const POINTS = Number(args.points);
/** geoContains costs milliseconds: it gets a sample of the points. */
const EXACT_POINTS = Math.max(50, Math.round(POINTS / 1000));

let seed = 42;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const box = (lat0: number, lat1: number, lon0: number, lon1: number, n: number) =>
  Array.from({ length: n }, () => ({ lat: lat0 + random() * (lat1 - lat0), lon: lon0 + random() * (lon1 - lon0) }));

/** Heap and array buffers (the index is typed arrays, outside the heap). */
const memoryMb = () => {
  global.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
};

function time(points: { lat: number; lon: number }[], check: (lat: number, lon: number) => boolean) {
  let ashore = 0;
  const t0 = process.hrtime.bigint();
  for (const p of points) if (check(p.lat, p.lon)) ashore++;
  const ns = Number(process.hrtime.bigint() - t0) / points.length;
  return { ns, ashore: ashore / points.length };
}

const out: string[] = [];
const say = (line: string) => {
  out.push(line);
  console.log(line);
};

say(`bench:ais-land ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}`);
const memoryBefore = memoryMb();
const t0 = process.hrtime.bigint();
const land = landIndex();
const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
say(
  `index build: ${buildMs.toFixed(0)} ms, memory +${(memoryMb() - memoryBefore).toFixed(1)} MB (heap and array buffers, after GC) (margin ${land.marginKm} km)`,
);
const zones = new PortZones(loadPorts(), 20);
const ashore = (lat: number, lon: number) => land.onLand(lat, lon) && zones.zonesAt({ lat, lon }).length === 0;

say('');
say('points             | check                          | ns per check | on land | vs geoContains');
for (const [name, area] of [
  ['North Sea, Channel', () => box(49, 58, -5, 10, POINTS)],
  ['whole globe', () => box(-85, 85, -180, 180, POINTS)],
] as const) {
  const points = area();
  time(points, land.onLand.bind(land)); // warm up
  const exact = time(points.slice(0, EXACT_POINTS), landContains);
  const grid = time(points, land.onLand.bind(land));
  const full = time(points, ashore);
  const row = (what: string, r: { ns: number; ashore: number }) =>
    say(
      `${name.padEnd(18)} | ${what.padEnd(30)} | ${r.ns.toFixed(0).padStart(12)} | ${(r.ashore * 100).toFixed(1).padStart(6)} % | ${(exact.ns / r.ns).toFixed(0).padStart(8)} x`,
    );
  row(`geoContains (${EXACT_POINTS} points)`, exact);
  row('grid index', grid);
  row('index + approach zones', full);
}
say('');
say(
  'Reading: the land check adds the grid index per position (and the zones for the few on land) to an evaluation that bench:ais ' +
    'measures at about 12,000 ns per sentence (80,000 sentences per CPU-second).',
);

fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(__dirname, `results/ais-land-${new Date().toISOString().slice(0, 10)}.txt`), out.join('\n') + '\n');
