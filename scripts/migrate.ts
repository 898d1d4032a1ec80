/** `npm run migrate`: apply pending migrations to DATABASE_URL or the embedded database. */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase, redactUrl } from '../src/db/database';
import { createDataSource } from '../src/db/data-source';

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config);
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
  process.exit(1);
});
