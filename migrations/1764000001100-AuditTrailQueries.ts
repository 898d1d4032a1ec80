import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for what auditors ask of the trail (src/audit/audit-query.ts): events naming a record
 * (`record_ids @> ARRAY[id]`), events of one subject, and the reads in a window (auditReadVolume).
 * The acting agency and the data owners have theirs since the first migration.
 */
export class AuditTrailQueries1764000001100 implements MigrationInterface {
  name = 'AuditTrailQueries1764000001100';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_events_record_ids_idx ON audit_events USING gin (record_ids)`);
    await q.query(`CREATE INDEX audit_events_subject_idx ON audit_events (subject, sequence)`);
    await q.query(`CREATE INDEX audit_events_operation_at_idx ON audit_events (operation, at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_record_ids_idx, audit_events_subject_idx, audit_events_operation_at_idx`);
  }
}
