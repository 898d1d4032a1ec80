// Builds the web console (web/ -> web/dist) with Vite. `npm run build:console` always builds;
// `--if-stale` (npm start's prestart, and the test run's global setup) builds only when a source
// file is newer than the last build, so a fresh clone gets its console on first start.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const WEB = path.join(ROOT, 'web');
const STAMP = path.join(WEB, 'dist', '.built');
const SOURCES = [
  path.join(WEB, 'src'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.mts'),
  path.join(ROOT, 'package-lock.json'),
];

function newestChange(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((name) => newestChange(path.join(file, name))));
}

function isStale() {
  if (!fs.existsSync(STAMP)) return true;
  return SOURCES.some((s) => fs.existsSync(s) && newestChange(s) > fs.statSync(STAMP).mtimeMs);
}

export async function buildConsole({ ifStale = false } = {}) {
  if (ifStale && !isStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.mts'), logLevel: 'warn' });
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const ifStale = process.argv.includes('--if-stale');
  buildConsole({ ifStale }).then(
    (built) => console.log(built ? 'web console built (web/dist)' : 'web console is up to date (web/dist)'),
    (err) => {
      console.error(`the web console did not build: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
