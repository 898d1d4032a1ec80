/**
 * Where sentences come from. The rules only ever see `SentenceSource`: a TCP listener the hub
 * opens (how AIS-catcher, rtl-ais and national networks forward NMEA), a TCP client to a feed,
 * or a UDP port; a broker consumer (NATS, Kafka) would be one more implementation.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { MAX_LINE_LENGTH } from './nmea';

/** What a source hands on: each line, with the stream it came on (parts of a message share one). */
export interface SentenceSink {
  line(text: string, stream: string): void;
  /** A stream ended: its unfinished messages will not complete. */
  closed(stream: string): void;
  /** A line too long to be a sentence was cut off and dropped. */
  overlong(): void;
}

export interface SentenceSource {
  start(sink: SentenceSink): Promise<void>;
  stop(): Promise<void>;
  /** The local port a listener or UDP source is bound to (useful when configured as 0). */
  readonly port?: number;
}

/** Connections one TCP listener accepts at once; a feed is a handful of forwarders, not the public. */
const MAX_TCP_CONNECTIONS = 32;

/** Splits a byte stream into lines, dropping any line longer than a sentence can be. */
class LineSplitter {
  private buffer = '';
  private skipping = false;

  constructor(
    private readonly stream: string,
    private readonly sink: SentenceSink,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        this.buffer = '';
        continue;
      }
      const line = this.buffer + piece;
      this.buffer = '';
      if (line.length > MAX_LINE_LENGTH) this.sink.overlong();
      else if (line.trim() !== '') this.sink.line(line, this.stream);
    }
    if (this.skipping) return;
    this.buffer += chunk.slice(start);
    if (this.buffer.length > MAX_LINE_LENGTH) {
      this.sink.overlong();
      this.buffer = '';
      this.skipping = true;
    }
  }
}

let streamCounter = 0;
const nextStream = (kind: string) => `${kind}-${++streamCounter}`;

export class TcpListenerSource implements SentenceSource {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly listenPort: number,
    private readonly host: string,
  ) {}

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  start(sink: SentenceSink): Promise<void> {
    const server = net.createServer((socket) => {
      if (this.sockets.size >= MAX_TCP_CONNECTIONS) return void socket.destroy();
      this.sockets.add(socket);
      const stream = nextStream('tcp');
      const lines = new LineSplitter(stream, sink);
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => lines.push(chunk));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        sink.closed(stream);
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Connects to a feed and reconnects with backoff (1 s doubling to 60 s) when it drops. */
export class TcpClientSource implements SentenceSource {
  private socket?: net.Socket;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private backoffMs = 1000;

  constructor(
    private readonly host: string,
    private readonly remotePort: number,
    private readonly onState: (connected: boolean) => void = () => undefined,
  ) {}

  start(sink: SentenceSink): Promise<void> {
    this.connect(sink);
    return Promise.resolve();
  }

  private connect(sink: SentenceSink): void {
    if (this.stopped) return;
    const stream = nextStream('tcp-client');
    const lines = new LineSplitter(stream, sink);
    const socket = net.connect({ host: this.host, port: this.remotePort });
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      this.backoffMs = 1000;
      this.onState(true);
    });
    socket.on('data', (chunk: string) => lines.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sink.closed(stream);
      if (this.stopped) return;
      this.onState(false);
      this.timer = setTimeout(() => this.connect(sink), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 60_000);
    });
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.destroy();
    return Promise.resolve();
  }
}

/** One datagram may carry several lines; each sender is a stream of its own. */
export class UdpSource implements SentenceSource {
  private socket?: dgram.Socket;

  constructor(
    private readonly listenPort: number,
    private readonly host: string,
  ) {}

  get port(): number | undefined {
    return this.socket?.address().port;
  }

  start(sink: SentenceSink): Promise<void> {
    const socket = dgram.createSocket('udp4');
    this.socket = socket;
    socket.on('message', (msg, from) => {
      const stream = `udp-${from.address}:${from.port}`;
      for (const line of msg.toString('latin1').split('\n')) {
        if (line.length > MAX_LINE_LENGTH) sink.overlong();
        else if (line.trim() !== '') sink.line(line, stream);
      }
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.listenPort, this.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }
}
