/**
 * Is a position on land? Natural Earth's 1:50m land polygons (the `world-atlas` package, as
 * TopoJSON, © Natural Earth, public domain), indexed once in a grid so a check costs a few
 * microseconds instead of d3-geo's geoContains over 60,000 vertices (milliseconds).
 *
 * The grid has cells of CELL_DEG. Each cell lists the coastline segments that come within the
 * coastal margin of it, and knows whether its centre is on land. A point in a cell without
 * segments is as its centre (no coastline between them). In a cell with segments, a point within
 * the margin of one is coast (not land); otherwise it is its centre's answer flipped once per
 * segment the straight line from the centre to it crosses (the line stays inside the cell, so
 * every segment it crosses is listed there).
 *
 * The centres are classified the same way, cell to neighbouring cell over the whole grid, from one
 * centre d3-geo's geoContains classifies (mid-Pacific). Longitude and latitude are treated as a
 * plane within a cell: at 0.25° that is exact to metres. Segments that cross the antimeridian are
 * split there, so every ring is a closed curve on the [-180, 180] strip (Antarctica's runs from
 * edge to edge), which is what makes the parity hold.
 */
import fs from 'node:fs';
import { geoContains } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

type Position = number[];
interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

const CELL_DEG = 0.25;
const COLS = 360 / CELL_DEG;
const ROWS = 180 / CELL_DEG;
const KM_PER_DEG_LAT = 111.2;

/** Where the grid's classification starts: open ocean, as geoContains confirms when the index is built. */
const SEED = { lon: -150.125, lat: 0.125 };

export interface LandIndex {
  /** True when `lat, lon` lies on land more than the coastal margin from the coastline. */
  onLand(lat: number, lon: number): boolean;
  /** The margin, km: positions this close to the coastline are coast, not land. */
  readonly marginKm: number;
}

const col = (lon: number) => Math.min(COLS - 1, Math.max(0, Math.floor((lon + 180) / CELL_DEG)));
const row = (lat: number) => Math.min(ROWS - 1, Math.max(0, Math.floor((lat + 90) / CELL_DEG)));
const centreLon = (c: number) => -180 + (c + 0.5) * CELL_DEG;
const centreLat = (r: number) => -90 + (r + 0.5) * CELL_DEG;

/** Whether segment p1-p2 properly crosses segment q1-q2 (touching at an end counts as no crossing). */
function crosses(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  const d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

class GridLandIndex implements LandIndex {
  /** Segment i runs from (seg[4i], seg[4i+1]) to (seg[4i+2], seg[4i+3]), as lon, lat. */
  private readonly seg: Float64Array;
  /** Cell c's segments: cellSeg[cellStart[c] .. cellStart[c+1]). */
  private readonly cellStart: Int32Array;
  private readonly cellSeg: Int32Array;
  /** 1: the cell's centre is on land. */
  private readonly centreLand: Uint8Array;

  constructor(
    land: MultiPolygon,
    readonly marginKm: number,
  ) {
    this.seg = splitSegments(land);
    [this.cellStart, this.cellSeg] = this.indexSegments(marginKm);
    this.centreLand = this.classifyCentres();
  }

  onLand(lat: number, lon: number): boolean {
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) return false;
    const c = row(lat) * COLS + col(lon);
    const from = this.cellStart[c];
    const to = this.cellStart[c + 1];
    if (from === to) return this.centreLand[c] === 1;
    if (this.nearSegment(lat, lon, from, to)) return false;
    const cx = centreLon(c % COLS);
    const cy = centreLat(Math.floor(c / COLS));
    let inside = this.centreLand[c] === 1;
    for (let k = from; k < to; k++) {
      const i = this.cellSeg[k] * 4;
      const s = this.seg;
      if (crosses(cx, cy, lon, lat, s[i], s[i + 1], s[i + 2], s[i + 3])) inside = !inside;
    }
    return inside;
  }

  /** Within marginKm of one of the segments cellSeg[from..to)? (a local plane, longitude scaled by the latitude's cosine) */
  private nearSegment(lat: number, lon: number, from: number, to: number): boolean {
    const kx = KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
    const margin2 = this.marginKm * this.marginKm;
    const s = this.seg;
    for (let k = from; k < to; k++) {
      const i = this.cellSeg[k] * 4;
      const ax = (s[i] - lon) * kx;
      const ay = (s[i + 1] - lat) * KM_PER_DEG_LAT;
      const dx = (s[i + 2] - lon) * kx - ax;
      const dy = (s[i + 3] - lat) * KM_PER_DEG_LAT - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      const x = ax + t * dx;
      const y = ay + t * dy;
      if (x * x + y * y <= margin2) return true;
    }
    return false;
  }

  /** Each segment listed in every cell its bounding box, widened by the margin, touches. */
  private indexSegments(marginKm: number): [Int32Array, Int32Array] {
    const count = new Int32Array(COLS * ROWS + 1);
    const marginLat = marginKm / KM_PER_DEG_LAT;
    const cells = (i: number, visit: (cell: number) => void) => {
      const s = this.seg;
      const lat0 = Math.min(s[i + 1], s[i + 3]) - marginLat;
      const lat1 = Math.max(s[i + 1], s[i + 3]) + marginLat;
      // A degree of longitude shrinks with the cosine of the latitude: widen by the margin at the poleward end.
      const cos = Math.max(0.01, Math.cos((Math.min(89.9, Math.max(Math.abs(lat0), Math.abs(lat1))) * Math.PI) / 180));
      const marginLon = marginLat / cos;
      const c0 = col(Math.min(s[i], s[i + 2]) - marginLon);
      const c1 = col(Math.max(s[i], s[i + 2]) + marginLon);
      for (let r = row(lat0); r <= row(lat1); r++) for (let c = c0; c <= c1; c++) visit(r * COLS + c);
    };
    const n = this.seg.length / 4;
    for (let k = 0; k < n; k++) cells(k * 4, (cell) => count[cell + 1]++);
    for (let c = 0; c < COLS * ROWS; c++) count[c + 1] += count[c];
    const fill = count.slice(0, COLS * ROWS);
    const list = new Int32Array(count[COLS * ROWS]);
    for (let k = 0; k < n; k++) cells(k * 4, (cell) => (list[fill[cell]++] = k));
    return [count, list];
  }

  /**
   * Every cell centre, from the seed, each from a neighbour already known: flipped once per
   * segment the line between the two centres crosses (those segments are listed in one of the two
   * cells, or both: counted once).
   */
  private classifyCentres(): Uint8Array {
    const status = new Uint8Array(COLS * ROWS);
    const known = new Uint8Array(COLS * ROWS);
    const stamp = new Int32Array(this.seg.length / 4).fill(-1);
    const seed = row(SEED.lat) * COLS + col(SEED.lon);
    known[seed] = 1;
    status[seed] = 0;
    const queue = new Int32Array(COLS * ROWS);
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    let step = 0;
    while (head < tail) {
      const cur = queue[head++];
      const r = Math.floor(cur / COLS);
      const c = cur % COLS;
      for (const [nr, nc] of [
        [r - 1, c],
        [r + 1, c],
        [r, c - 1],
        [r, c + 1],
      ]) {
        if (nr < 0 || nr >= ROWS || nc < 0 || nc >= COLS) continue;
        const nb = nr * COLS + nc;
        if (known[nb]) continue;
        const ax = centreLon(c);
        const ay = centreLat(r);
        const bx = centreLon(nc);
        const by = centreLat(nr);
        let flips = 0;
        step++;
        for (const cell of [cur, nb]) {
          for (let k = this.cellStart[cell]; k < this.cellStart[cell + 1]; k++) {
            const id = this.cellSeg[k];
            if (stamp[id] === step) continue;
            stamp[id] = step;
            const i = id * 4;
            if (crosses(ax, ay, bx, by, this.seg[i], this.seg[i + 1], this.seg[i + 2], this.seg[i + 3])) flips++;
          }
        }
        status[nb] = status[cur] ^ (flips & 1);
        known[nb] = 1;
        queue[tail++] = nb;
      }
    }
    return status;
  }
}

/** Every edge of every ring, as lon/lat segments; an edge across the antimeridian becomes two, meeting it at both edges of the strip. */
function splitSegments(land: MultiPolygon): Float64Array {
  const out: number[] = [];
  const push = (a: Position, b: Position) => out.push(a[0], a[1], b[0], b[1]);
  for (const polygon of land.coordinates) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1];
        const b = ring[i];
        if (Math.abs(b[0] - a[0]) <= 180) {
          push(a, b);
          continue;
        }
        // Unwrap b next to a, find where the edge meets ±180, and split there.
        const east = a[0] > 0; // a is on the eastern edge, b over the antimeridian to the west
        const bx = east ? b[0] + 360 : b[0] - 360;
        const edge = east ? 180 : -180;
        const t = (edge - a[0]) / (bx - a[0]);
        const lat = a[1] + t * (b[1] - a[1]);
        push(a, [edge, lat]);
        push([-edge, lat], b);
      }
    }
  }
  return Float64Array.from(out);
}

/** Natural Earth 1:50m land as one MultiPolygon. */
function naturalEarthLand(): MultiPolygon {
  // Read, not required: require would keep the parsed file in its cache for good.
  const file = require.resolve('world-atlas/land-50m.json');
  const topology = JSON.parse(fs.readFileSync(file, 'utf8')) as Topology<{ land: GeometryCollection }>;
  const land = feature(topology, topology.objects.land);
  const coordinates: Position[][][] = [];
  for (const f of land.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') coordinates.push(g.coordinates);
    else if (g.type === 'MultiPolygon') coordinates.push(...g.coordinates);
  }
  return { type: 'MultiPolygon', coordinates };
}

let shared: LandIndex | undefined;

/**
 * The land index with the coastal margin `marginKm`, built on first use (about a second) and
 * kept: one per process for the default margin.
 */
export function landIndex(marginKm = COASTAL_MARGIN_KM): LandIndex {
  if (marginKm === COASTAL_MARGIN_KM && shared) return shared;
  const land = naturalEarthLand();
  if (geoContains(land, [SEED.lon, SEED.lat])) throw new Error('land index: the seed point is not at sea');
  const index = new GridLandIndex(land, marginKm);
  if (marginKm === COASTAL_MARGIN_KM) shared = index;
  return index;
}

/** What geoContains says of the same data: for tests that hold the index to it. */
export function landContains(lat: number, lon: number): boolean {
  return geoContains(naturalEarthLandCached(), [lon, lat]);
}

let cachedLand: MultiPolygon | undefined;
const naturalEarthLandCached = () => (cachedLand ??= naturalEarthLand());

/**
 * Positions this close to the 1:50m coastline are coast, not land: that coastline is generalised
 * by kilometres (the Europoort basins lie 3 km inside it), and a ship alongside a quay is on it.
 */
export const COASTAL_MARGIN_KM = 2;
