/**
 * A test delivery: one signed POST to a webhook's URL, now, so its analysts can check that the
 * receiver is reachable and verifies signatures before a real alert event depends on it. It is
 * signed and addressed like a delivery (same headers, same target checks, same timeout) but
 * carries no alert, joins no queue and is not retried; the answer says how the receiver replied.
 */
import { randomUUID } from 'node:crypto';
import { Field, Int, ObjectType } from 'type-graphql';
import { badInput, notFound } from '../common/errors';
import { toGlobalId } from '../graphql/ids';
import type { RequestContext } from '../request/context';
import { SIGNATURE_HEADER, signWebhookBody } from './signature';
import { postWebhook } from './target';
import { findWebhook, WEBHOOK_RUNTIME } from './webhook.service';

@ObjectType('WebhookTestResult', { description: 'How the receiver answered a test delivery' })
export class WebhookTestResult {
  /** The owning agency's code, for the field rules (not a field). */
  agency: string;
  @Field({ description: 'The receiver answered 2xx' }) delivered: boolean;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status, when it answered" }) statusCode: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed, in short safe text' }) error: string | null;
  @Field({ description: 'Sent as Portcullis-Delivery-Id' }) deliveryId: string;
  @Field() sentAt: Date;
}

export async function testWebhook(ctx: RequestContext, id: string): Promise<WebhookTestResult> {
  const w = await findWebhook(ctx, id);
  if (!w) throw notFound('webhook', id);
  if (!w.active) throw badInput('the webhook is deleted; register a new one', 'id');
  const { settings, cipher } = ctx.settings.get(WEBHOOK_RUNTIME);
  const sentAt = new Date();
  const deliveryId = randomUUID();
  const webhookId = toGlobalId('Webhook', w.id);
  const body = JSON.stringify({ webhookId, deliveryId, test: true, sentAt: sentAt.toISOString() });
  const secrets = [cipher.decrypt(w.secretCiphertext, w.id)];
  if (w.previousSecretCiphertext && w.previousSecretExpiresAt && w.previousSecretExpiresAt > sentAt) {
    secrets.push(cipher.decrypt(w.previousSecretCiphertext, w.id));
  }
  const result = await postWebhook(
    w.url,
    body,
    {
      'user-agent': 'Portcullis-Webhook/1',
      [SIGNATURE_HEADER]: signWebhookBody(secrets, body),
      'portcullis-delivery-id': deliveryId,
      'portcullis-webhook-id': webhookId,
      'portcullis-test': 'true',
    },
    { allowInsecureLoopback: settings.allowInsecureLoopback, timeoutMs: settings.timeoutMs },
  );
  return { agency: w.agency, delivered: !result.error, statusCode: result.status ?? null, error: result.error ?? null, deliveryId, sentAt };
}
