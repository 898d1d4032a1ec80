import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert events are queued in the writer's transaction and moved onto the stream (alert_events)
 * right after its commit by one statement that holds the stream lock only while it runs
 * (src/alert/alert-stream.ts), instead of the writer holding that lock to its own commit.
 */
export class AlertOutbox1764000000500 implements MigrationInterface {
  name = 'AlertOutbox1764000000500';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_outbox (
        id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES vessel_alerts (id),
        kind text NOT NULL CHECK (kind IN ('PUBLISHED', 'UPDATED')),
        status alert_status NOT NULL,
        note text,
        actor text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      );
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE alert_outbox');
  }
}
