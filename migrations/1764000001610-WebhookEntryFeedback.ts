import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entry feedback on webhooks (issue 13, item 6): a partner's sighting on one of the agency's
 * entries is a delivery of kind ENTRY_FEEDBACK naming the sighting instead of an alert.
 * `feedback_horizon` is how far (by writing transaction, see src/request/live-notices.ts) each
 * webhook's feedback has been queued; existing webhooks receive feedback reported from now on.
 */
export class WebhookEntryFeedback1764000001610 implements MigrationInterface {
  name = 'WebhookEntryFeedback1764000001610';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks ADD COLUMN feedback_horizon xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot());
      ALTER TABLE webhook_deliveries ALTER COLUMN alert_id DROP NOT NULL;
      ALTER TABLE webhook_deliveries ADD COLUMN sighting_id uuid REFERENCES sightings (id) ON DELETE CASCADE;
      ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_kind_check;
      ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_kind_check
        CHECK (kind IN ('PUBLISHED', 'UPDATED', 'REVOKED', 'ENTRY_FEEDBACK'));
      ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_subject_check
        CHECK (CASE WHEN kind = 'ENTRY_FEEDBACK' THEN sighting_id IS NOT NULL AND alert_id IS NULL ELSE alert_id IS NOT NULL AND sighting_id IS NULL END);
      CREATE UNIQUE INDEX webhook_deliveries_sighting_idx ON webhook_deliveries (webhook_id, sighting_id) WHERE sighting_id IS NOT NULL;
      CREATE INDEX sightings_owner_xid_idx ON sightings (entry_owner, xid);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX sightings_owner_xid_idx, webhook_deliveries_sighting_idx;
      DELETE FROM webhook_deliveries WHERE kind = 'ENTRY_FEEDBACK';
      ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_subject_check, DROP CONSTRAINT webhook_deliveries_kind_check;
      ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_kind_check CHECK (kind IN ('PUBLISHED', 'UPDATED', 'REVOKED'));
      ALTER TABLE webhook_deliveries DROP COLUMN sighting_id;
      ALTER TABLE webhook_deliveries ALTER COLUMN alert_id SET NOT NULL;
      ALTER TABLE webhooks DROP COLUMN feedback_horizon;
    `);
  }
}
