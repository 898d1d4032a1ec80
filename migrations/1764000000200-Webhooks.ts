import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert webhooks (issue 4, item 6).
 *
 * - `webhooks`: one registration per endpoint, owned by an agency; the registering principal's
 *   roles, purpose and issuer; the signing secret encrypted (and the previous one during a
 *   rotation); `position`, the last alert-stream sequence fanned out to it.
 * - `webhook_shown`: the alerts a webhook was sent and still sees, so a later loss of visibility
 *   or a withdrawal reaches it as REVOKED, exactly as for a WebSocket subscriber.
 * - `webhook_deliveries`: the per-webhook queue, in `ord` order; the head of each webhook's queue
 *   is claimed with FOR UPDATE SKIP LOCKED and a lease, so several hub instances can send safely.
 */
export class Webhooks1764000000200 implements MigrationInterface {
  name = 'Webhooks1764000000200';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency text NOT NULL,
        url text NOT NULL,
        description text,
        filter jsonb NOT NULL DEFAULT '{}',
        roles text[] NOT NULL,
        purpose text,
        issuer text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        secret_ciphertext text NOT NULL,
        previous_secret_ciphertext text,
        previous_secret_expires_at timestamptz(3),
        secret_rotated_at timestamptz(3),
        position bigint NOT NULL,
        active boolean NOT NULL DEFAULT true,
        deactivated_at timestamptz(3),
        deactivated_reason text
      );
      CREATE INDEX webhooks_agency_idx ON webhooks (agency, created_at, id);
      CREATE INDEX webhooks_behind_idx ON webhooks (position) WHERE active;

      CREATE TABLE webhook_shown (
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        alert_id uuid NOT NULL REFERENCES vessel_alerts (id),
        PRIMARY KEY (webhook_id, alert_id)
      );

      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ord bigserial NOT NULL UNIQUE,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        agency text NOT NULL,
        sequence bigint NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PUBLISHED', 'UPDATED', 'REVOKED')),
        alert_id uuid NOT NULL REFERENCES vessel_alerts (id),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'FAILED', 'DELIVERED', 'GAVE_UP', 'WITHHELD')),
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_attempt_at timestamptz(3),
        next_attempt_at timestamptz(3) DEFAULT now(),
        delivered_at timestamptz(3),
        lease_until timestamptz(3),
        last_status_code int,
        last_error text,
        UNIQUE (webhook_id, sequence, alert_id, kind)
      );
      CREATE INDEX webhook_deliveries_queue_idx ON webhook_deliveries (webhook_id, ord) WHERE status IN ('PENDING', 'FAILED');
      CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, ord);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries, webhook_shown, webhooks;`);
  }
}
