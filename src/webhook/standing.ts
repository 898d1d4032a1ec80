/**
 * Whether a webhook may still act for its agency. Both fan-out and sending ask; a webhook whose
 * agency lost its standing (the engine's membership standing, webhookPrincipal) is deactivated
 * and its queue given up, wherever that is noticed first.
 */
import type { EntityManager } from 'typeorm';
import type { Logger } from '../common/logger';
import { RecordAccess } from '../request/record-access';
import type { PolicySnapshot } from '../request/policy-store';
import { Webhook } from './webhook.entity';
import { giveUpQueue, webhookPrincipal } from './webhook.service';

export async function deactivateWebhook(m: EntityManager, log: Logger, w: Webhook, reason: string): Promise<void> {
  log.warn({ webhook: w.id, agency: w.agency, reason }, 'webhook deactivated');
  await m.getRepository(Webhook).update({ id: w.id }, { active: false, deactivatedAt: new Date(), deactivatedReason: reason });
  await giveUpQueue(m, w.id, reason);
}

/** The webhook's view under `policy`, or undefined after deactivating a webhook whose agency lost its standing. */
export async function accessOrDeactivate(
  m: EntityManager,
  log: Logger,
  w: Webhook,
  policy: PolicySnapshot['policy'],
  now: Date,
): Promise<RecordAccess | undefined> {
  const p = webhookPrincipal(w, policy);
  if ('reason' in p) {
    await deactivateWebhook(m, log, w, p.reason);
    return undefined;
  }
  return new RecordAccess(policy, p.principal, now);
}
