/**
 * A child process of bench/alerts.ts holding one hub's share of the subscribers: plain `ws`
 * sockets speaking graphql-transport-ws (the protocol graphql-ws clients speak), one subscription
 * each, and a record of every message with the time it arrived. A full graphql-ws client per
 * socket would cost this process CPU the hubs need on a small machine; the wire is the same.
 *
 * Parent -> child: { type: 'start', url, query, subscribers: [{ index, token, variables }] },
 *                  { type: 'count' }, { type: 'finish', outFile }
 * Child -> parent: { type: 'ready', connected, failed, errors }, { type: 'count', received },
 *                  { type: 'finished', records }
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

interface StartMessage {
  type: 'start';
  url: string;
  query: string;
  subscribers: { index: number; token: string; variables: Record<string, unknown> }[];
}

/** One delivery: [subscriber, alert index or -1, arrival ms (wall clock), sequence, kind, basis, agreementId, summary, error paths]. */
export type DeliveryRecord = [number, number, number, string, string, string | null, string | null, string | null, string[]];

const now = () => performance.timeOrigin + performance.now();
const records: DeliveryRecord[] = [];
/**
 * Raw frames with their arrival time, parsed after the run so parsing never delays a timestamp.
 * Kept as bytes in large chunks and numbers in flat arrays, not an object per frame: a heap of
 * half a million small objects would make this process's garbage collector pause, and every
 * pause would be counted as delivery latency.
 */
const CHUNK_BYTES = 32 << 20;
const chunks: Buffer[] = [Buffer.allocUnsafe(CHUNK_BYTES)];
let chunkUsed = 0;
const frame = { sub: [] as number[], at: [] as number[], chunk: [] as number[], offset: [] as number[], length: [] as number[] };

function keep(sub: number, at: number, data: Buffer): void {
  if (chunkUsed + data.length > CHUNK_BYTES) {
    chunks.push(Buffer.allocUnsafe(Math.max(CHUNK_BYTES, data.length)));
    chunkUsed = 0;
  }
  data.copy(chunks[chunks.length - 1], chunkUsed);
  frame.sub.push(sub);
  frame.at.push(at);
  frame.chunk.push(chunks.length - 1);
  frame.offset.push(chunkUsed);
  frame.length.push(data.length);
  chunkUsed += data.length;
}
const sockets: WebSocket[] = [];
const problems: string[] = [];

function open(url: string, query: string, s: StartMessage['subscribers'][number]): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    sockets.push(ws);
    let acked = false;
    const fail = (why: string) => {
      if (problems.length < 20) problems.push(`subscriber ${s.index}: ${why}`);
      resolve(false);
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${s.token}` } })));
    ws.on('message', (data: Buffer) => {
      const at = now();
      if (!acked) {
        const msg = JSON.parse(data.toString('utf8'));
        if (msg.type === 'connection_ack') {
          acked = true;
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: s.variables } }));
          resolve(true);
        } else if (msg.type === 'ping') {
          ws.send(JSON.stringify({ type: 'pong' }));
        }
        return;
      }
      keep(s.index, at, data);
    });
    ws.on('close', (code, reason) => {
      if (!acked) fail(`closed ${code} ${reason.toString()}`);
      else if (code !== 1000 && code !== 1005 && problems.length < 20)
        problems.push(`subscriber ${s.index}: closed ${code} ${reason.toString()}`);
    });
    ws.on('error', (err) => fail(err.message));
  });
}

function parseAll(): void {
  for (let i = 0; i < frame.sub.length; i++) {
    const sub = frame.sub[i];
    const at = frame.at[i];
    const msg = JSON.parse(chunks[frame.chunk[i]].toString('utf8', frame.offset[i], frame.offset[i] + frame.length[i]));
    if (msg.type === 'ping') continue;
    if (msg.type !== 'next') {
      if (problems.length < 20) problems.push(`subscriber ${sub}: ${msg.type} ${JSON.stringify(msg.payload ?? '').slice(0, 200)}`);
      continue;
    }
    const event = msg.payload?.data?.vesselAlerts;
    if (!event) {
      if (problems.length < 20) problems.push(`subscriber ${sub}: payload without data ${JSON.stringify(msg.payload).slice(0, 200)}`);
      continue;
    }
    const alert = event.alert;
    const m = /^bench#(\d+)$/.exec(alert?.title ?? '');
    const errorPaths = (msg.payload.errors ?? []).map(
      (e: { path?: unknown[]; extensions?: { code?: string } }) => `${(e.path ?? []).join('.')}:${e.extensions?.code ?? ''}`,
    );
    records.push([
      sub,
      m ? Number(m[1]) : -1,
      at,
      event.sequence,
      event.kind,
      alert?.access?.basis ?? null,
      alert?.access?.agreementId ?? null,
      alert?.intelligenceSummary ?? null,
      errorPaths,
    ]);
  }
}

process.on('message', (msg: { type: string; [k: string]: unknown }) => void onMessage(msg));

async function onMessage(msg: { type: string; [k: string]: unknown }): Promise<void> {
  if (msg.type === 'start') {
    const { url, query, subscribers } = msg as unknown as StartMessage;
    let connected = 0;
    let failed = 0;
    // Open in waves so the hub's token checks and the TCP backlog are not flooded at once.
    for (let i = 0; i < subscribers.length; i += 100) {
      const results = await Promise.all(subscribers.slice(i, i + 100).map((s) => open(url, query, s)));
      connected += results.filter(Boolean).length;
      failed += results.filter((r) => !r).length;
    }
    process.send!({ type: 'ready', connected, failed, errors: problems.slice() });
  } else if (msg.type === 'count') {
    process.send!({ type: 'count', received: frame.sub.length });
  } else if (msg.type === 'finish') {
    for (const ws of sockets) ws.close(1000);
    parseAll();
    fs.writeFileSync(msg.outFile as string, JSON.stringify({ records, problems }));
    process.send!({ type: 'finished', records: records.length });
    setTimeout(() => process.exit(0), 200);
  }
}
