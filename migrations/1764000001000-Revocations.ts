import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revoked tokens (by jti) and subjects, each of one agency, kept by its auditors. One row per
 * agency, kind and value: revoking again changes the reason and the end. Every instance reads
 * the rows in force every few seconds (src/revocation/revocation-list.ts).
 */
export class Revocations1764000001000 implements MigrationInterface {
  name = 'Revocations1764000001000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE revocations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('TOKEN', 'SUBJECT')),
        value text NOT NULL CHECK (length(value) BETWEEN 1 AND 256),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        until timestamptz,
        revoked_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency, kind, value)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE revocations`);
  }
}
