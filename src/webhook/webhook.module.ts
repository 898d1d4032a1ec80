import { rule } from 'graphql-shield';
import { decide } from '../policy/engine';
import type { RequestContext } from '../request/context';
import type { FeatureModule } from '../request/module';
import { capability, denied, every, isAuthenticated } from '../request/rules';
import { Webhook, WebhookDelivery } from './webhook.entity';
import { WebhookDeliveryResolver, WebhookResolver } from './webhook.resolver';

/** Webhooks: analysts of the agency (the engine's manageWebhooks); the service checks the record's agency again. */
const canManageWebhooks = capability((ctx) => ({ kind: 'manageWebhooks', ownerAgency: ctx.principal.agency.code }));

/** Every field of a webhook, its deliveries and its registration: only for the owning agency's analysts. */
const webhookField = rule({ cache: 'strict' })((parent: { agency?: string; webhook?: { agency: string } }, _a, ctx: RequestContext) => {
  const owner = parent.agency ?? parent.webhook?.agency;
  const d = decide(ctx.policy, ctx.principal, { kind: 'manageWebhooks', ownerAgency: owner ?? '' });
  return d.allowed || denied('ACTION', "not allowed: webhooks are shown only to their own agency's analysts");
});

/** Signed HTTP deliveries of the alert stream to an agency's own systems. */
export const webhookModule: FeatureModule = {
  name: 'webhook',
  resolvers: [WebhookResolver, WebhookDeliveryResolver],
  entities: [Webhook, WebhookDelivery],
  rules: {
    Query: every(['webhooks', 'webhook'], canManageWebhooks),
    Mutation: every(['registerWebhook', 'deleteWebhook', 'rotateWebhookSecret', 'testWebhook'], canManageWebhooks),
    Webhook: every(
      [
        'id',
        'agency',
        'url',
        'description',
        'filter',
        'roles',
        'purpose',
        'createdBy',
        'createdAt',
        'previousSecretExpiresAt',
        'secretRotatedAt',
        'position',
        'active',
        'deactivatedAt',
        'deactivatedReason',
        'deliveries',
      ],
      webhookField,
    ),
    WebhookDelivery: every(
      [
        'id',
        'sequence',
        'kind',
        'alertId',
        'sightingId',
        'status',
        'attempts',
        'createdAt',
        'lastAttemptAt',
        'nextAttemptAt',
        'deliveredAt',
        'lastStatusCode',
        'lastError',
      ],
      webhookField,
    ),
    WebhookRegistration: every(['webhook', 'secret'], webhookField),
    WebhookTestResult: every(['delivered', 'statusCode', 'error', 'deliveryId', 'sentAt'], webhookField),
    // Reached only through Webhook.filter, whose rule has checked the webhook's agency.
    WebhookFilter: every(['ports', 'jurisdictions', 'categories', 'minSeverity', 'imo', 'status'], isAuthenticated),
  },
  connections: ['Webhook', 'WebhookDelivery'],
};
