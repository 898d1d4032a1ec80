/**
 * Registering, listing, rotating and deleting webhooks. Every operation asks the policy engine
 * (manageWebhooks: analysts, for their own agency) and every lookup is limited to the caller's
 * agency in SQL, so another agency's webhook answers exactly like a missing id.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badInput, clientError, notFound } from '../common/errors';
import { text } from '../common/validate';
import { paginate, type PageArgs } from '../graphql/connection';
import { toGlobalId, uuidOf } from '../graphql/ids';
import { authorize } from '../request/authorize';
import { writeAudited } from '../audit/write-audited';
import { writeOnce } from '../audit/write-once';
import { memberStanding } from '../policy/membership';
import { webhookRowFilter } from '../policy/scopes';
import type { PolicySet, Principal } from '../policy/types';
import { defineSetting, type RequestContext } from '../request/context';
import { createWebhookRuntime, newWebhookSecret, type WebhookRuntime } from './settings';
import { checkTarget, TargetRefused } from './target';
import type { RegisterWebhookInput } from './webhook.inputs';
import type { AlertFilter } from '../alert/alert-filter';
import { Webhook, WebhookDelivery, type DeliveryStatus, type WebhookRegistration } from './webhook.entity';

/** The hub's webhook settings and secret cipher; a context made outside a hub uses the environment's. */
export const WEBHOOK_RUNTIME = defineSetting<WebhookRuntime>('webhook runtime', () => createWebhookRuntime());

const runtimeOf = (ctx: RequestContext): WebhookRuntime => ctx.settings.get(WEBHOOK_RUNTIME);

const audit = (operation: string, w: Webhook) => ({ operation, recordIds: [`Webhook:${w.id}`], dataOwners: [w.agency] });

/** The filter as stored: only AlertFilter's keys, without empty ones. */
function storedFilter(f: AlertFilter | null | undefined): AlertFilter {
  const out: AlertFilter = {};
  if (!f) return out;
  if (f.ports?.length) out.ports = [...new Set(f.ports)];
  if (f.jurisdictions?.length) out.jurisdictions = [...new Set(f.jurisdictions)];
  if (f.categories?.length) out.categories = [...new Set(f.categories)];
  if (f.minSeverity) out.minSeverity = f.minSeverity;
  if (f.imo) out.imo = f.imo;
  if (f.status?.length) out.status = [...new Set(f.status)];
  return out;
}

export async function registerWebhook(
  ctx: RequestContext,
  input: RegisterWebhookInput,
  idempotencyKey?: string | null,
): Promise<WebhookRegistration> {
  const agency = ctx.principal.agency.code;
  authorize(ctx, { kind: 'manageWebhooks', ownerAgency: agency });
  const runtime = runtimeOf(ctx);
  let url: string;
  try {
    url = await checkTarget(input.url, runtime.settings);
  } catch (err) {
    if (err instanceof TargetRefused) throw badInput(err.message, 'url');
    throw err;
  }
  const description = text(input.description, 'description', 500);
  const secret = newWebhookSecret();
  const id = randomUUID();
  const once = {
    operation: 'registerWebhook',
    noun: 'webhook registration',
    key: idempotencyKey,
    payload: input,
    idOf: (r: WebhookRegistration) => r.webhook.id,
    // The retry gets the answer it lost, secret included, unless the secret has been rotated since.
    replay: async (m: EntityManager, wid: string): Promise<WebhookRegistration> => {
      const w = await ownWebhook(ctx, m, toGlobalId('Webhook', wid));
      if (w.secretRotatedAt) {
        throw clientError('CONFLICT', "the webhook's secret has been rotated since this idempotencyKey registered it; use a new key");
      }
      return { webhook: w, secret: runtime.cipher.decrypt(w.secretCiphertext, w.id) };
    },
  };
  return writeOnce(ctx, once, async (m) => {
    // Serialise registrations of one agency so the limit holds under concurrent requests.
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhooks:${agency}`]);
    const active = await m.getRepository(Webhook).countBy({ agency, active: true });
    if (active >= runtime.settings.maxPerAgency) {
      throw badInput(`an agency may have at most ${runtime.settings.maxPerAgency} active webhooks; delete one first`, 'url');
    }
    // Live from now: the next event committed after this one is the first it receives (writers
    // hold the stream lock until commit, so no event below this can still appear).
    const [{ max }] = await m.query('SELECT COALESCE(MAX(sequence), 0)::text AS max FROM alert_events');
    const repo = m.getRepository(Webhook);
    const w = await repo.save(
      repo.create({
        id,
        agency,
        url,
        description,
        filter: storedFilter(input.filter),
        roles: ctx.principal.roles,
        purpose: ctx.principal.purpose ?? null,
        issuer: ctx.principal.issuer,
        createdBy: ctx.principal.subject,
        secretCiphertext: runtime.cipher.encrypt(secret, id),
        previousSecretCiphertext: null,
        previousSecretExpiresAt: null,
        secretRotatedAt: null,
        position: max,
        active: true,
        deactivatedAt: null,
        deactivatedReason: null,
      }),
    );
    return { result: { webhook: w, secret }, audit: [audit('registerWebhook', w)] };
  });
}

/** Webhooks in the caller's scope (the engine's webhookRowFilter: its own agency's). */
const visibleWebhooks = (ctx: RequestContext, m: EntityManager = ctx.db.manager) => {
  const scope = webhookRowFilter(ctx.principal, 'w');
  return m.getRepository(Webhook).createQueryBuilder('w').where(scope.sql, scope.params);
};

/** The caller's agency's webhook `id`, or NOT_FOUND (also for another agency's). */
async function ownWebhook(ctx: RequestContext, m: EntityManager, id: string, lock = false): Promise<Webhook> {
  const qb = visibleWebhooks(ctx, m).andWhere('w.id = :id', { id: uuidOf('Webhook', id) });
  const w = await (lock ? qb.setLock('pessimistic_write') : qb).getOne();
  if (!w) throw notFound('webhook', id);
  return w;
}

export async function findWebhook(ctx: RequestContext, id: string): Promise<Webhook | null> {
  authorize(ctx, { kind: 'manageWebhooks', ownerAgency: ctx.principal.agency.code });
  return visibleWebhooks(ctx)
    .andWhere('w.id = :id', { id: uuidOf('Webhook', id) })
    .getOne();
}

export function listWebhooks(ctx: RequestContext, page: PageArgs) {
  authorize(ctx, { kind: 'manageWebhooks', ownerAgency: ctx.principal.agency.code });
  const qb = visibleWebhooks(ctx);
  return paginate(qb, 'w', { column: 'w.created_at', property: 'createdAt', kind: 'timestamp' }, 'DESC', page);
}

export function listDeliveries(ctx: RequestContext, webhook: Webhook, page: PageArgs, status: DeliveryStatus[] | null | undefined) {
  // The field rule has checked the webhook is the caller's; the scope repeats it in SQL.
  const scope = webhookRowFilter(ctx.principal, 'd');
  const qb = ctx.db
    .getRepository(WebhookDelivery)
    .createQueryBuilder('d')
    .where(scope.sql, scope.params)
    .andWhere('d.webhook_id = :wid', { wid: webhook.id });
  if (status?.length) qb.andWhere('d.status = ANY(:st)', { st: status });
  return paginate(qb, 'd', { column: 'd.ord', property: 'ord', kind: 'bigint' }, 'DESC', page, { unique: true });
}

/** Stops deliveries for good; the registration and its delivery history stay for the record. */
export function deleteWebhook(ctx: RequestContext, id: string): Promise<Webhook> {
  authorize(ctx, { kind: 'manageWebhooks', ownerAgency: ctx.principal.agency.code });
  return writeAudited(ctx, async (m) => {
    const w = await ownWebhook(ctx, m, id, true);
    if (!w.active) return { result: w, audit: [] };
    w.active = false;
    w.deactivatedAt = new Date();
    w.deactivatedReason = `deleted by ${ctx.principal.subject}`.slice(0, 300);
    await m
      .getRepository(Webhook)
      .update({ id: w.id }, { active: false, deactivatedAt: w.deactivatedAt, deactivatedReason: w.deactivatedReason });
    await giveUpQueue(m, w.id, 'webhook deleted');
    return { result: w, audit: [audit('deleteWebhook', w)] };
  });
}

/** Settles every undelivered delivery of a webhook as GAVE_UP. */
export async function giveUpQueue(m: EntityManager, webhookId: string, reason: string): Promise<void> {
  await m.query(
    `UPDATE webhook_deliveries SET status = 'GAVE_UP', next_attempt_at = NULL, lease_until = NULL, last_error = $2
     WHERE webhook_id = $1 AND status IN ('PENDING', 'FAILED')`,
    [webhookId, reason],
  );
}

const MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 60 * 60;

/**
 * A new secret. For `keepPreviousForSeconds` (default a day) deliveries carry a signature with
 * each secret, so the receiver can switch over without dropping any.
 */
export function rotateWebhookSecret(
  ctx: RequestContext,
  id: string,
  keepPreviousForSeconds: number | null | undefined,
): Promise<WebhookRegistration> {
  authorize(ctx, { kind: 'manageWebhooks', ownerAgency: ctx.principal.agency.code });
  const keep = keepPreviousForSeconds ?? 24 * 60 * 60;
  if (!Number.isInteger(keep) || keep < 0 || keep > MAX_SECRET_OVERLAP_SECONDS) {
    throw badInput(`keepPreviousForSeconds must be a whole number from 0 to ${MAX_SECRET_OVERLAP_SECONDS}`, 'keepPreviousForSeconds');
  }
  const runtime = runtimeOf(ctx);
  const secret = newWebhookSecret();
  return writeAudited(ctx, async (m) => {
    const w = await ownWebhook(ctx, m, id, true);
    if (!w.active) throw badInput('the webhook is deleted; register a new one', 'id');
    const now = new Date();
    const changes = {
      secretCiphertext: runtime.cipher.encrypt(secret, w.id),
      previousSecretCiphertext: keep > 0 ? w.secretCiphertext : null,
      previousSecretExpiresAt: keep > 0 ? new Date(now.getTime() + keep * 1000) : null,
      secretRotatedAt: now,
    };
    await m.getRepository(Webhook).update({ id: w.id }, changes);
    Object.assign(w, changes);
    return { result: { webhook: w, secret }, audit: [audit('rotateWebhookSecret', w)] };
  });
}

/**
 * The principal a webhook's deliveries are decided for: the registering agency as the current
 * membership describes it, with the roles and purpose it registered with. Undefined, with the
 * reason, when the membership no longer admits it (the agency left, or its issuer no longer
 * speaks for it): the webhook is then deactivated, as a WebSocket connection would be closed.
 */
export function webhookPrincipal(w: Webhook, policy: PolicySet): { principal: Principal } | { reason: string } {
  const standing = memberStanding(policy, w.agency, w.issuer);
  if (!('agency' in standing)) return { reason: standing.reason };
  return {
    principal: {
      subject: `webhook:${w.id}`,
      agency: standing.agency,
      roles: w.roles,
      purpose: w.purpose ?? undefined,
      issuer: w.issuer,
      expiresAt: Number.MAX_SAFE_INTEGER,
    },
  };
}
