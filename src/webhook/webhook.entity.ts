/**
 * Webhook registrations and their deliveries. A registration belongs to one agency and carries
 * what the registering principal was (agency, roles, purpose, issuer): every delivery is decided
 * by the policy engine as that agency, at delivery time. Its signing secret is stored encrypted
 * (settings.ts) and never exposed as a field.
 */
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { asEnum } from '../graphql/enums';
import { ALERT_EVENT_KINDS } from '../alert/alert-event.type';
import type { AlertFilter } from '../alert/alert-filter';
import type { Purpose, Role } from '../policy/types';

/** What a delivery carries: an alert event, or a partner's feedback on one of the agency's entries. */
const WEBHOOK_EVENT_KINDS = [...ALERT_EVENT_KINDS, 'ENTRY_FEEDBACK'] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];
const WebhookEventKindEnum = asEnum(WEBHOOK_EVENT_KINDS);
registerEnumType(WebhookEventKindEnum, {
  name: 'WebhookEventKind',
  valuesConfig: {
    PUBLISHED: { description: 'An alert became visible to the agency' },
    UPDATED: { description: 'A visible alert changed' },
    REVOKED: { description: 'An alert the webhook received is no longer visible to the agency' },
    ENTRY_FEEDBACK: { description: "A partner's sighting or false positive on one of the agency's watchlist entries" },
  },
});

const DELIVERY_STATUSES = ['PENDING', 'FAILED', 'DELIVERED', 'GAVE_UP', 'WITHHELD'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DeliveryStatusEnum = asEnum(DELIVERY_STATUSES);
registerEnumType(DeliveryStatusEnum, {
  name: 'WebhookDeliveryStatus',
  valuesConfig: {
    PENDING: { description: 'Queued; not attempted yet, or waiting for an earlier delivery of the same webhook' },
    FAILED: { description: 'The last attempt failed; it is retried at nextAttemptAt' },
    DELIVERED: { description: 'The receiver answered 2xx' },
    GAVE_UP: { description: 'Not delivered within the maximum attempts or age (or the webhook was deleted)' },
    WITHHELD: { description: 'Not sent: when it was due, the alert was no longer visible to the agency' },
  },
});

@ObjectType('Webhook', { description: "An HTTPS endpoint that receives the agency's alert events, signed" })
@Entity('webhooks')
export class Webhook {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The owning agency's code. */
  @Column({ type: 'text' }) agency: string;
  @Field() @Column({ type: 'text' }) url: string;
  @Field(() => String, { nullable: true }) @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) filter: AlertFilter;
  @Field(() => [String], { description: 'Roles of the registering principal; deliveries are decided with them' })
  @Column({ type: 'text', array: true })
  roles: Role[];
  @Field(() => String, { nullable: true, description: 'Purpose of use of the registering principal' })
  @Column({ type: 'text', nullable: true })
  purpose: Purpose | null;
  @Column({ type: 'text' }) issuer: string;
  @Field({ description: 'Subject of the token that registered it' }) @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Field() @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column({ name: 'secret_ciphertext', type: 'text' }) secretCiphertext: string;
  @Column({ name: 'previous_secret_ciphertext', type: 'text', nullable: true }) previousSecretCiphertext: string | null;
  @Field(() => Date, { nullable: true, description: 'Until then deliveries are also signed with the previous secret' })
  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;
  @Field(() => Date, { nullable: true })
  @Column({ name: 'secret_rotated_at', type: 'timestamptz', precision: 3, nullable: true })
  secretRotatedAt: Date | null;
  /** Last stream position fanned out to this webhook (bigint); served as a token (WebhookResolver.position). */
  @Column({ type: 'bigint' })
  position: string;
  @Field() @Column({ type: 'boolean', default: true }) active: boolean;
  @Field(() => Date, { nullable: true })
  @Column({ name: 'deactivated_at', type: 'timestamptz', precision: 3, nullable: true })
  deactivatedAt: Date | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'deactivated_reason', type: 'text', nullable: true }) deactivatedReason:
    string | null;
}

@ObjectType('WebhookDelivery', { description: 'One alert event queued for a webhook, and how delivering it went' })
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @Field(() => ID, { description: 'Also sent as Portcullis-Delivery-Id: the same on every retry (idempotency key)' })
  @PrimaryGeneratedColumn('uuid')
  id: string;
  /** Queue order within the webhook (bigserial). */
  @Column({ type: 'bigint', insert: false }) ord: string;
  @Column({ name: 'webhook_id', type: 'uuid' }) webhookId: string;
  /** The owning agency's code (the webhook's), so field rules need no join. */
  @Column({ type: 'text' }) agency: string;
  /** Stream position of the event (bigint); served as a token (WebhookDeliveryResolver.sequence). */
  @Column({ type: 'bigint' })
  sequence: string;
  @Field(() => WebhookEventKindEnum) @Column({ type: 'text' }) kind: WebhookEventKind;
  /** The alert of an alert event; null for ENTRY_FEEDBACK. */
  @Column({ name: 'alert_id', type: 'uuid', nullable: true }) alertId: string | null;
  /** The sighting of an ENTRY_FEEDBACK delivery. */
  @Column({ name: 'sighting_id', type: 'uuid', nullable: true }) sightingId: string | null;
  @Field(() => DeliveryStatusEnum) @Column({ type: 'text' }) status: DeliveryStatus;
  @Field(() => Int) @Column({ type: 'int' }) attempts: number;
  @Field() @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  lastAttemptAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once DELIVERED, GAVE_UP or WITHHELD' })
  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;
  @Field(() => Date, { nullable: true })
  @Column({ name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;
  @Column({ name: 'lease_until', type: 'timestamptz', precision: 3, nullable: true }) leaseUntil: Date | null;
  @Field(() => Int, { nullable: true }) @Column({ name: 'last_status_code', type: 'int', nullable: true }) lastStatusCode: number | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, in short safe text' })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}

/** registerWebhook and rotateWebhookSecret: the only answers that carry the secret. */
@ObjectType('WebhookRegistration')
export class WebhookRegistration {
  @Field(() => Webhook) webhook: Webhook;
  @Field({ description: 'The signing secret. Shown only in this answer (and to a retry with the same idempotencyKey): store it.' })
  secret: string;
}
