/** A fresh, migrated database per test file, inside the server the global setup started. */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { connectAndMigrate } from '../../src/db/data-source';

export interface TestDatabase {
  url: string;
  db: DataSource;
  drop(): Promise<void>;
}

const adminUrl = () => {
  const url = process.env.PORTCULLIS_TEST_ADMIN_URL;
  if (!url) throw new Error('PORTCULLIS_TEST_ADMIN_URL is not set: run the tests through jest (global setup)');
  return url;
};

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(opts: { statementTimeoutMs?: number } = {}): Promise<TestDatabase> {
  const name = `portcullis_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const db = await connectAndMigrate(url.toString(), { poolSize: 5, ...opts });
  return {
    url: url.toString(),
    db,
    drop: async () => {
      if (db.isInitialized) await db.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
