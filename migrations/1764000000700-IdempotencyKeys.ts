import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One record of idempotency keys for every creating mutation (src/audit/write-once.ts): a key is
 * claimed by inserting its row in the creating transaction, so concurrent retries queue on the
 * primary key and exactly one of them creates. Keys are kept as long as the records they name.
 * The reports' own key columns move here.
 */
export class IdempotencyKeys1764000000700 implements MigrationInterface {
  name = 'IdempotencyKeys1764000000700';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        agency text NOT NULL,
        operation text NOT NULL,
        key text NOT NULL,
        payload_hash text NOT NULL,
        result_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (agency, operation, key)
      );
      INSERT INTO idempotency_keys (agency, operation, key, payload_hash, result_id, created_at)
        SELECT owner_agency, 'submitSuspiciousActivityReport', idempotency_key, COALESCE(payload_hash, ''), id, created_at
          FROM suspicious_activity_reports WHERE idempotency_key IS NOT NULL;
      ALTER TABLE suspicious_activity_reports DROP COLUMN idempotency_key, DROP COLUMN payload_hash;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE suspicious_activity_reports ADD COLUMN idempotency_key text, ADD COLUMN payload_hash text,
        ADD UNIQUE (owner_agency, idempotency_key);
      UPDATE suspicious_activity_reports r SET idempotency_key = k.key, payload_hash = k.payload_hash
        FROM idempotency_keys k
       WHERE k.operation = 'submitSuspiciousActivityReport' AND k.result_id = r.id;
      DROP TABLE idempotency_keys;
    `);
  }
}
