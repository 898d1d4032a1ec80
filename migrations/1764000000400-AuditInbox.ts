import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit records are written to an inbox and sealed onto the hash chain by one sealer at a time
 * (src/audit/audit.service.ts), so writers no longer queue on the chain's lock:
 *
 * - audit_inbox: records committed with the change or read they record, not yet chained;
 * - audit_chain_head: the hash and sequence of the chain's last link, in its one row. The sealer
 *   locks it and numbers new links from it; verifying the chain compares it with the last link,
 *   so removing the newest links shows too.
 */
export class AuditInbox1764000000400 implements MigrationInterface {
  name = 'AuditInbox1764000000400';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_inbox (
        id bigserial PRIMARY KEY,
        at timestamptz(3) NOT NULL,
        subject text NOT NULL,
        agency text NOT NULL,
        operation text NOT NULL,
        record_ids text[] NOT NULL,
        data_owners text[] NOT NULL,
        basis text,
        agreement_id text,
        purpose text,
        request_id text
      );
      CREATE TABLE audit_chain_head (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        hash text NOT NULL,
        sequence bigint NOT NULL
      );
      INSERT INTO audit_chain_head (hash, sequence)
        SELECT COALESCE((SELECT hash FROM audit_events ORDER BY sequence DESC LIMIT 1), repeat('0', 64)),
               COALESCE((SELECT max(sequence) FROM audit_events), 0);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_chain_head, audit_inbox');
  }
}
