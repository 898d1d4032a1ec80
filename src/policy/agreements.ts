/**
 * When an agreement holds, and for whom: its validity window and the purpose of use. What an
 * agreement covers and releases on a record is decideRead's (engine.ts); this file only answers
 * "is it in force now, and does it open for this principal".
 */
import type { Agreement, PolicySet, Principal, ShareableType } from './types';

/**
 * validFrom <= now <= validUntil, both ends inclusive: the loader reads "validUntil: 2027-12-31"
 * as that day's last millisecond, so the agreement still holds then and closes one millisecond
 * later (nextAgreementBoundary below depends on exactly this). No validUntil: open-ended.
 */
export function agreementInForce(a: Pick<Agreement, 'validFrom' | 'validUntil'>, now: Date): boolean {
  const t = now.getTime();
  return a.validFrom.getTime() <= t && (a.validUntil === undefined || t <= a.validUntil.getTime());
}

/**
 * In force at `now`, naming the principal's agency as a recipient, and opened by the purpose it
 * states. An agreement with purposes grants only to requests that state one of them, so a request
 * stating none gets nothing from it; one without purposes grants to any request.
 */
export function agreementOpenFor(a: Agreement, principal: Principal, now: Date): boolean {
  return (
    a.recipients.includes(principal.agency.code) &&
    agreementInForce(a, now) &&
    (a.purposes.length === 0 || (principal.purpose !== undefined && a.purposes.includes(principal.purpose)))
  );
}

/** Agreements that grant `principal` anything on `type` at time `now` for its stated purpose, in policy order. */
export function applicableAgreements(policy: PolicySet, principal: Principal, type: ShareableType, now: Date): Agreement[] {
  return policy.agreements.filter((a) => a.types.includes(type) && agreementOpenFor(a, principal, now));
}

/**
 * The first moment after `now` (ms) at which time alone may change a decision: the next opening
 * or closing of an agreement's validity window (validUntil is inclusive, so an agreement closes
 * the millisecond after it). Infinity if no window opens or closes any more.
 */
export function nextAgreementBoundary(agreements: readonly Pick<Agreement, 'validFrom' | 'validUntil'>[], now: number): number {
  let next = Infinity;
  for (const a of agreements) {
    for (const t of [a.validFrom.getTime(), a.validUntil === undefined ? Infinity : a.validUntil.getTime() + 1]) {
      if (t > now && t < next) next = t;
    }
  }
  return next;
}

/**
 * Whether time alone may have changed what anyone sees between `fromMs` (exclusive) and `toMs`
 * (inclusive): the policy engine depends on time only through agreements' validity windows.
 */
export function agreementWindowCrossed(
  agreements: readonly Pick<Agreement, 'validFrom' | 'validUntil'>[],
  fromMs: number,
  toMs: number,
): boolean {
  return nextAgreementBoundary(agreements, fromMs) <= toMs;
}
