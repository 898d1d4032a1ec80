/**
 * `npm run migrate`: apply pending migrations to DATABASE_URL or the embedded database (the running
 * hub's if it is up, started here otherwise). Exit status 0 applied or up to date, 1 failed.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openOrJoinDatabase, redactUrl } from '../src/db/database';
import { createDataSource } from '../src/db/data-source';

async function main() {
  const config = loadConfig();
  const database = await openOrJoinDatabase(config, 'npm run migrate');
  const ds = createDataSource(database.url);
  try {
    await ds.initialize();
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(
      applied.length === 0
        ? `${redactUrl(database.url)}: schema is up to date`
        : `${redactUrl(database.url)}: applied ${applied.map((m) => m.name).join(', ')}`,
    );
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
