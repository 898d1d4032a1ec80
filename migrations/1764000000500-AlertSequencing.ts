import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert events are written in the writer's transaction without a sequence, and sequenced right
 * after its commit by one statement that holds the stream lock only while it runs
 * (src/alert/alert-stream.ts), instead of the writer holding that lock to its own commit.
 *
 * - alert_events.id: the event's identity (and the order in which pending events are sequenced);
 *   `sequence` is NULL until the event is sequenced, and unique once it is;
 * - alert_stream_head: the last sequence given, in its one row; the sequencer numbers from it.
 */
export class AlertSequencing1764000000500 implements MigrationInterface {
  name = 'AlertSequencing1764000000500';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alert_events ADD COLUMN id bigserial;
      ALTER TABLE alert_events DROP CONSTRAINT alert_events_pkey;
      ALTER TABLE alert_events ADD PRIMARY KEY (id);
      ALTER TABLE alert_events ALTER COLUMN sequence DROP DEFAULT, ALTER COLUMN sequence DROP NOT NULL;
      DROP SEQUENCE alert_events_sequence_seq;
      ALTER TABLE alert_events ADD CONSTRAINT alert_events_sequence_key UNIQUE (sequence);
      CREATE INDEX alert_events_pending_idx ON alert_events (id) WHERE sequence IS NULL;
      CREATE TABLE alert_stream_head (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        last bigint NOT NULL
      );
      INSERT INTO alert_stream_head (last) SELECT COALESCE(max(sequence), 0) FROM alert_events;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE alert_stream_head;
      DELETE FROM alert_events WHERE sequence IS NULL;
      DROP INDEX alert_events_pending_idx;
      ALTER TABLE alert_events DROP CONSTRAINT alert_events_sequence_key;
      ALTER TABLE alert_events DROP CONSTRAINT alert_events_pkey;
      ALTER TABLE alert_events DROP COLUMN id;
      CREATE SEQUENCE alert_events_sequence_seq OWNED BY alert_events.sequence;
      SELECT setval('alert_events_sequence_seq', COALESCE((SELECT max(sequence) FROM alert_events), 0) + 1, false);
      ALTER TABLE alert_events ALTER COLUMN sequence SET DEFAULT nextval('alert_events_sequence_seq'), ALTER COLUMN sequence SET NOT NULL;
      ALTER TABLE alert_events ADD PRIMARY KEY (sequence);
    `);
  }
}
