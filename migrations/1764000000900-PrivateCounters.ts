import crypto from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters that tell no member about the others (issue 10):
 * - report references count per submitting agency and year (SAR-<agency>-<year>-<number>), no
 *   longer per port, where one operator's numbers told it how many reports the others at its
 *   port had filed. References already issued stay as they are; the new form cannot collide with
 *   them (agency codes are lower case, ports upper case);
 * - the alert stream's position is shown to clients only as a token encrypted under a key of the
 *   hub (src/alert/stream-position.ts), made here, once, for every instance.
 */
export class PrivateCounters1764000000900 implements MigrationInterface {
  name = 'PrivateCounters1764000000900';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE report_reference_counters;
      CREATE TABLE report_reference_counters (
        agency text NOT NULL,
        year int NOT NULL,
        last_number int NOT NULL,
        PRIMARY KEY (agency, year)
      );
      CREATE TABLE hub_secrets (
        name text PRIMARY KEY,
        value bytea NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      );
    `);
    await q.query(`INSERT INTO hub_secrets (name, value) VALUES ('alert-stream-position', $1)`, [crypto.randomBytes(32)]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE hub_secrets;
      DROP TABLE report_reference_counters;
      CREATE TABLE report_reference_counters (
        port char(5) NOT NULL,
        year int NOT NULL,
        last_number int NOT NULL,
        PRIMARY KEY (port, year)
      );
      INSERT INTO report_reference_counters (port, year, last_number)
        SELECT port, split_part(reference, '-', 3)::int, max(split_part(reference, '-', 4)::int)
        FROM suspicious_activity_reports WHERE reference ~ '^SAR-[A-Z0-9]{5}-[0-9]{4}-[0-9]{6}$'
        GROUP BY port, split_part(reference, '-', 3)::int;
    `);
  }
}
