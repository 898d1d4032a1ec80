/**
 * Replays a recorded NMEA file into a hub's AIS listener (policies/ais.yaml `listen: { tcp }`).
 *
 *   npm run ais:replay -- --to 127.0.0.1:10110 FILE [--rate N | --speed N]
 *
 * Without --rate, lines with a tag block (`\c:<unix time>*hh\`) are paced by their recorded times,
 * --speed times faster (pauses capped at 10 s); --rate sends N lines per second regardless.
 * Bad input exits with code 2 and says what is accepted.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { replay } from '../src/ais/replay';

const USAGE = 'usage: npm run ais:replay -- --to <host>:<port> FILE [--rate <lines per second> | --speed <factor>]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      options: { to: { type: 'string' }, rate: { type: 'string' }, speed: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const { values, positionals } = parsed;
  const to = /^([^:\s]+):(\d{1,5})$/.exec(values.to ?? '');
  if (!to || Number(to[2]) < 1 || Number(to[2]) > 65535) fail('--to must be host:port, e.g. 127.0.0.1:10110');
  if (positionals.length !== 1) fail('give exactly one FILE');
  const number = (raw: string | undefined, name: string) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!(n > 0) || n > 1_000_000) fail(`--${name} must be a number above 0 and at most 1000000, got "${raw}"`);
    return n;
  };
  const rate = number(values.rate, 'rate');
  const speed = number(values.speed, 'speed');
  if (rate && speed) fail('give --rate or --speed, not both');
  let text: string;
  try {
    text = fs.readFileSync(positionals[0], 'latin1');
  } catch (err) {
    fail(`cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const sent = await replay(text.split(/\r?\n/), { host: to[1], port: Number(to[2]), rate, speed });
  process.stderr.write(`sent ${sent} lines to ${to[1]}:${to[2]}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`ais:replay failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
