/**
 * A TCP proxy in front of a hub, for a real network drop: `cut()` ends every connection and
 * stops accepting (the browser sees its WebSocket fail and its reconnects refused); `restore()`
 * accepts again on the same port.
 */
import net from 'node:net';

export interface Proxy {
  port: number;
  origin: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, host = '127.0.0.1'): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const port = await listen(0);
  return {
    port,
    origin: `http://${host}:${port}`,
    async cut() {
      const closed = stopListening();
      for (const s of sockets) s.destroy();
      await closed;
    },
    async restore() {
      await listen(port);
    },
    async close() {
      const closed = stopListening();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
