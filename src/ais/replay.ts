/**
 * Streams recorded NMEA lines into a TCP listener, paced by their tag-block times (`speed` times
 * faster) or at a fixed `rate` of lines per second. Used by `npm run ais:replay` and the tests.
 */
import net from 'node:net';

export interface ReplayOptions {
  host: string;
  port: number;
  /** Lines per second, ignoring tag-block times. */
  rate?: number;
  /** With tag-block times: how many times faster than recorded (default 1). */
  speed?: number;
  /** Longest pause between two lines, whatever the recorded gap (default 10 s). */
  maxPauseMs?: number;
}

const TAG_TIME = /^\\(?:[^\\]*,)?c:(\d+)[,*]/;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The receive time of a line's tag block, in ms, if it has one. */
function tagTime(line: string): number | undefined {
  const m = TAG_TIME.exec(line);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v > 1e12 ? v : v * 1000;
}

/** Sends every line and resolves once the socket has flushed and closed; returns the count sent. */
export async function replay(lines: string[], opts: ReplayOptions): Promise<number> {
  const socket = net.connect({ host: opts.host, port: opts.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const started = Date.now();
  let firstTagMs: number | undefined;
  let sent = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let due: number | undefined;
    if (opts.rate) due = started + (sent * 1000) / opts.rate;
    else {
      const t = tagTime(line);
      if (t !== undefined) {
        firstTagMs ??= t;
        due = started + (t - firstTagMs) / (opts.speed ?? 1);
      }
    }
    const wait = due === undefined ? 0 : Math.min(due - Date.now(), opts.maxPauseMs ?? 10_000);
    if (wait > 0) await sleep(wait);
    if (!socket.write(line + '\r\n')) await new Promise((r) => socket.once('drain', r));
    sent++;
  }
  await new Promise<void>((resolve) => socket.end(resolve));
  return sent;
}
