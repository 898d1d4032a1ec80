/** What a subscriber's decisions and results depend on, so that equal subscribers share them (src/alert/shared-delivery.ts). */
import { nextAgreementBoundary } from '../policy/agreements';
import { decisionKey } from '../policy/engine';
import type { PolicySet, Principal } from '../policy/types';

const policyIds = new WeakMap<PolicySet, number>();
let lastPolicyId = 0;
const policyId = (policy: PolicySet) => {
  let id = policyIds.get(policy);
  if (id === undefined) policyIds.set(policy, (id = ++lastPolicyId));
  return id;
};

/**
 * One subscriber's keys for sharing, computed once per policy snapshot and agreement window:
 * `decisions` (policy snapshot and decisionKey: equal for principals the engine cannot tell
 * apart) and `results` (the same plus the selection: equal for subscribers who get equal results).
 */
export class SubscriberKeys {
  private cached?: { policy: PolicySet; principal: Principal; decisions: string; results: string; until: number };

  constructor(
    private readonly selection: string,
    private readonly current: () => { policy: PolicySet; principal: Principal },
  ) {}

  decisions(): string {
    return this.keys().decisions;
  }

  results(): string {
    return this.keys().results;
  }

  private keys() {
    const { policy, principal } = this.current();
    const now = Date.now();
    const c = this.cached;
    if (c && c.policy === policy && c.principal === principal && now < c.until) return c;
    const decisions = `${policyId(policy)}\n${decisionKey(policy, principal, new Date(now))}`;
    this.cached = {
      policy,
      principal,
      decisions,
      results: `${decisions}\n${this.selection}`,
      until: nextAgreementBoundary(policy.agreements, now),
    };
    return this.cached;
  }
}
