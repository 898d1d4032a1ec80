import crypto from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain seals the acting person under a hub key. Each link's hash covered the subject
 * in clear, and every other input of it is readable by the auditors who may see the event: an
 * auditor from whom the engine withholds the person (canReadAuditSubject) could test guesses
 * against the hash. Links sealed from now on hash an HMAC of the subject under `audit-subject`
 * (hub_secrets) instead; links sealed before keep their form, told apart by `subject_sealed`.
 * The flag is not hashed, but flipping it breaks the link's check either way.
 *
 * And `audit-sequence`: the key under which members see a link's place on the chain as an opaque
 * token (AuditEvent.sequence, id and cursors): the chain numbers every agency's events, so a plain
 * number would tell an auditor how much other agencies read and write.
 */
export class AuditSubjectSeal1764000000950 implements MigrationInterface {
  name = 'AuditSubjectSeal1764000000950';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO hub_secrets (name, value) VALUES ('audit-subject', $1), ('audit-sequence', $2)`, [
      crypto.randomBytes(32),
      crypto.randomBytes(32),
    ]);
    await q.query(`ALTER TABLE audit_events ADD COLUMN subject_sealed boolean NOT NULL DEFAULT false`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events DROP COLUMN subject_sealed`);
    await q.query(`DELETE FROM hub_secrets WHERE name IN ('audit-subject', 'audit-sequence')`);
  }
}
