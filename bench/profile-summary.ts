/**
 * The top self-time functions of a V8 CPU profile (`node --cpu-prof`), for docs/performance.md:
 * `ts-node --transpile-only bench/profile-summary.ts FILE.cpuprofile [N]`.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [N]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
/** Samples of the profiler itself (bench/api.ts stopping it through node:inspector) are not the hub's. */
const profilerItself = (id: number): boolean => {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    if (byId.get(at)!.callFrame.url === 'node:inspector') return true;
  }
  return false;
};
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  if (profilerItself(id)) return;
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = url
    ? `${url
        .replace(/^.*node_modules\//, '')
        .replace(/^file:\/\//, '')
        .replace(process.cwd() + path.sep, '')}:${lineNumber + 1}`
    : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
});
const idle = ['(idle)', '(program)', '(garbage collector)'];
const busy = total - idle.reduce((s, k) => s + (self.get(k) ?? 0), 0) + (self.get('(garbage collector)') ?? 0);
console.log(`total ${(total / 1e6).toFixed(1)} s, busy (not idle) ${(busy / 1e6).toFixed(1)} s; self time, share of busy:`);
for (const [k, us] of [...self]
  .filter(([k]) => k !== '(idle)' && k !== '(program)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(top))) {
  console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`);
}
