import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed heads of the audit chain (src/audit/audit-checkpoint.ts): one row per head the hub
 * signed, kept so auditors can fetch the latest and store it outside the database.
 */
export class AuditCheckpoints1764000001400 implements MigrationInterface {
  name = 'AuditCheckpoints1764000001400';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoints (
        sequence bigint PRIMARY KEY,
        hash text NOT NULL,
        signed_at text NOT NULL,
        key_id text NOT NULL,
        public_key text NOT NULL,
        signature text NOT NULL
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoints`);
  }
}
