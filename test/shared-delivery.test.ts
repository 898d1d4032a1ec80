/**
 * Sharing live results between subscribers (src/alert/shared-delivery.ts), as pure units:
 * which variables a result depends on (selectionKey), when two subscribers' decisions are the
 * same (SubscriberKeys, over policy snapshots and agreement windows), and the per-alert read
 * decision cache (SharedDelivery.canRead). End to end over WebSocket: test/subscriptions.test.ts.
 */
import { parse } from 'graphql';
import { selectionKey, SharedDelivery } from '../src/alert/shared-delivery';
import { SubscriberKeys } from '../src/alert/subscriber-keys';
import type { Agency, Agreement, Principal } from '../src/policy/types';
import { agency, agreement as agreementAt, policyOf as policyFrom } from './support/policy-fixtures';
import { sleep } from './support/wait';

// ---------------------------------------------------------------------------------------------
// selectionKey

/** The key as the WebSocket transport computes it: from the parsed document and its source. */
const keyOf = (source: string, variables?: Record<string, unknown> | null, operationName?: string | null) =>
  selectionKey(parse(source), source, operationName, variables);

const NESTED = `subscription($filter: AlertFilter, $after: String, $withSummary: Boolean!, $first: Int) {
  vesselAlerts(filter: $filter, after: $after) {
    sequence kind alertId
    alert { id title intelligenceSummary @include(if: $withSummary) vessel { alerts(first: $first) { edges { node { id } } } } }
  }
}`;

describe('selectionKey', () => {
  it("ignores the subscription field's own arguments (filter, after): they only choose events", () => {
    const base = { withSummary: true, first: 5 };
    const a = keyOf(NESTED, { ...base, filter: { ports: ['NLRTM'] }, after: '10' });
    const b = keyOf(NESTED, { ...base, filter: { categories: ['DRUG_TRAFFICKING'], minSeverity: 'HIGH' }, after: null });
    const c = keyOf(NESTED, base);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('ignores variables nested inside the stream arguments too', () => {
    const source = `subscription($ports: [String!], $after: String) {
      vesselAlerts(filter: { ports: $ports }, after: $after) { sequence alert { id } }
    }`;
    expect(keyOf(source, { ports: ['NLRTM'], after: '1' })).toBe(keyOf(source, { ports: ['BEANR'], after: '99' }));
  });

  it('differs when a variable of a directive below the subscription field differs', () => {
    const filter = { ports: ['NLRTM'] };
    expect(keyOf(NESTED, { filter, withSummary: true, first: 5 })).not.toBe(keyOf(NESTED, { filter, withSummary: false, first: 5 }));
  });

  it('tells an absent variable (its default applies) from an explicit null', () => {
    const source = `subscription($withSummary: Boolean = false) {
      vesselAlerts { sequence alert { id intelligenceSummary @include(if: $withSummary) } }
    }`;
    expect(keyOf(source, {})).not.toBe(keyOf(source, { withSummary: null }));
    expect(keyOf(source, {})).toBe(keyOf(source, undefined));
  });

  it('differs when a nested field argument differs', () => {
    expect(keyOf(NESTED, { withSummary: true, first: 5 })).not.toBe(keyOf(NESTED, { withSummary: true, first: 6 }));
  });

  it('counts a variable of a directive ON the subscription field (it is not one of its arguments)', () => {
    const source = `subscription($filter: AlertFilter, $x: Boolean!) {
      vesselAlerts(filter: $filter) @include(if: $x) { sequence alert { id } }
    }`;
    expect(keyOf(source, { x: true, filter: { ports: ['NLRTM'] } })).not.toBe(keyOf(source, { x: false, filter: { ports: ['NLRTM'] } }));
    // ... while the filter still does not count.
    expect(keyOf(source, { x: true, filter: { ports: ['NLRTM'] } })).toBe(keyOf(source, { x: true, filter: { ports: ['NLAMS'] } }));
  });

  it('counts a stream variable that is also used below the subscription field', () => {
    const source = `subscription($after: String) {
      vesselAlerts(after: $after) { sequence alert { vessel { alerts(after: $after) { edges { node { id } } } } } }
    }`;
    expect(keyOf(source, { after: '1' })).not.toBe(keyOf(source, { after: '2' }));
  });

  it('counts variables used in fragments', () => {
    const source = `subscription($filter: AlertFilter, $s: Boolean!) {
      vesselAlerts(filter: $filter) { sequence alert { ...Fields } }
    }
    fragment Fields on VesselAlert { id intelligenceSummary @include(if: $s) }`;
    expect(keyOf(source, { s: true })).not.toBe(keyOf(source, { s: false }));
    expect(keyOf(source, { s: true, filter: { ports: ['NLRTM'] } })).toBe(keyOf(source, { s: true }));
  });

  it('differs for different documents and for different operations of one document', () => {
    const one = 'subscription { vesselAlerts { sequence alert { id } } }';
    const other = 'subscription { vesselAlerts { sequence alert { id title } } }';
    expect(keyOf(one)).not.toBe(keyOf(other));
    const two = `subscription A($f: AlertFilter) { vesselAlerts(filter: $f) { sequence } }
      subscription B($f: AlertFilter) { vesselAlerts(filter: $f) { sequence alert { id } } }`;
    expect(keyOf(two, {}, 'A')).not.toBe(keyOf(two, {}, 'B'));
  });
});

// ---------------------------------------------------------------------------------------------
// SubscriberKeys (policy sets built by hand, as in test/policy-engine.test.ts)

const NL_CUSTOMS = agency('nl-customs', 'CUSTOMS', 'NL', ['NLRTM', 'NLAMS']);
const BE_CUSTOMS = agency('be-customs', 'CUSTOMS', 'BE', ['BEANR']);
const DE_CUSTOMS = agency('de-customs', 'CUSTOMS', 'DE', ['DEHAM']);

const agreement = (over: Partial<Agreement> & Pick<Agreement, 'id' | 'provider' | 'recipients'>) =>
  agreementAt({ fields: ['intelligenceSummary'], ...over }, new Date());
const policyOf = (agreements: Agreement[] = []) => policyFrom(agreements, [NL_CUSTOMS, BE_CUSTOMS, DE_CUSTOMS]);

const principal = (a: Agency, subject = `test-${a.code}`): Principal => ({
  subject,
  agency: a,
  roles: ['viewer'],
  issuer: 'test',
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
});

const NL_TO_BE = agreement({ id: 'nl-to-be', provider: 'nl-customs', recipients: ['be-customs'] });

describe('SubscriberKeys', () => {
  it('gives the same decisions to principals that differ only in subject, and different ones to another agency', () => {
    const policy = policyOf([NL_TO_BE]);
    const alice = new SubscriberKeys('sel', () => ({ policy, principal: principal(BE_CUSTOMS, 'alice') }));
    const bob = new SubscriberKeys('sel', () => ({ policy, principal: principal(BE_CUSTOMS, 'bob') }));
    const german = new SubscriberKeys('sel', () => ({ policy, principal: principal(DE_CUSTOMS, 'alice') }));
    expect(bob.decisions()).toBe(alice.decisions());
    expect(bob.results()).toBe(alice.results());
    expect(german.decisions()).not.toBe(alice.decisions());
    expect(german.results()).not.toBe(alice.results());
  });

  it('keeps the decisions but not the results apart for another selection', () => {
    const policy = policyOf([NL_TO_BE]);
    const p = principal(BE_CUSTOMS);
    const one = new SubscriberKeys('selection one', () => ({ policy, principal: p }));
    const two = new SubscriberKeys('selection two', () => ({ policy, principal: p }));
    expect(two.decisions()).toBe(one.decisions());
    expect(two.results()).not.toBe(one.results());
  });

  it('recomputes after the policy object changes (a reload), even to an equal one', () => {
    let policy = policyOf([NL_TO_BE]);
    const p = principal(BE_CUSTOMS);
    const keys = new SubscriberKeys('sel', () => ({ policy, principal: p }));
    const before = keys.decisions();
    expect(keys.decisions()).toBe(before);
    policy = policyOf([NL_TO_BE]);
    const afterReload = keys.decisions();
    expect(afterReload).not.toBe(before);
    // The agreement going away is visible in the key too, not only the snapshot.
    const withAgreement = afterReload.split('\n')[1];
    policy = policyOf([]);
    expect(keys.decisions().split('\n')[1]).not.toBe(withAgreement);
  });

  it('recomputes when the principal changes (membership re-derived on reload)', () => {
    const policy = policyOf([NL_TO_BE]);
    let p = principal(BE_CUSTOMS);
    const keys = new SubscriberKeys('sel', () => ({ policy, principal: p }));
    const before = keys.decisions();
    p = principal(DE_CUSTOMS, p.subject);
    expect(keys.decisions()).not.toBe(before);
  });

  it('changes once an agreement closes (validUntil is inclusive), without a reload', async () => {
    const validUntil = new Date(Date.now() + 50);
    const policy = policyOf([agreement({ id: 'closing-soon', provider: 'nl-customs', recipients: ['be-customs'], validUntil })]);
    const keys = new SubscriberKeys('sel', () => ({ policy, principal: principal(BE_CUSTOMS) }));
    const open = keys.decisions();
    expect(open).toContain('closing-soon');
    expect(keys.decisions()).toBe(open); // cached while the window holds
    await sleep(validUntil.getTime() + 1 - Date.now() + 20);
    const closed = keys.decisions();
    expect(closed).not.toBe(open);
    expect(closed).not.toContain('closing-soon');
    // Same as a fresh subscriber's key under the same policy: nothing stale is kept.
    expect(new SubscriberKeys('sel', () => ({ policy, principal: principal(BE_CUSTOMS, 'fresh') })).decisions()).toBe(closed);
  });

  it('changes once an agreement opens, without a reload', async () => {
    const validFrom = new Date(Date.now() + 50);
    const policy = policyOf([agreement({ id: 'opening-soon', provider: 'nl-customs', recipients: ['be-customs'], validFrom })]);
    const keys = new SubscriberKeys('sel', () => ({ policy, principal: principal(BE_CUSTOMS) }));
    const before = keys.decisions();
    expect(before).not.toContain('opening-soon');
    await sleep(validFrom.getTime() - Date.now() + 20);
    expect(keys.decisions()).toContain('opening-soon');
  });
});

// ---------------------------------------------------------------------------------------------
// SharedDelivery.canRead

describe('SharedDelivery.canRead', () => {
  it('decides once per alert object and decision key, and answers from the cache afterwards', () => {
    const delivery = new SharedDelivery();
    const alert = { id: 'a1' };
    const decide = jest.fn(() => true);
    expect(delivery.canRead(alert, 'key-1', decide)).toBe(true);
    expect(delivery.canRead(alert, 'key-1', decide)).toBe(true);
    expect(delivery.canRead(alert, 'key-1', () => false)).toBe(true); // cached, not asked again
    expect(decide).toHaveBeenCalledTimes(1);

    // A cached "no" is kept as well.
    const deny = jest.fn(() => false);
    expect(delivery.canRead(alert, 'key-2', deny)).toBe(false);
    expect(delivery.canRead(alert, 'key-2', deny)).toBe(false);
    expect(deny).toHaveBeenCalledTimes(1);
  });

  it('asks again for another key or another alert object (even an equal-looking one)', () => {
    const delivery = new SharedDelivery();
    const alert = { id: 'a1' };
    const decide = jest.fn(() => true);
    delivery.canRead(alert, 'key-1', decide);
    delivery.canRead(alert, 'key-2', decide);
    expect(decide).toHaveBeenCalledTimes(2);
    const sameIdNewSnapshot = { id: 'a1' };
    delivery.canRead(sameIdNewSnapshot, 'key-1', decide);
    expect(decide).toHaveBeenCalledTimes(3);
    delivery.canRead(sameIdNewSnapshot, 'key-1', decide);
    delivery.canRead(alert, 'key-2', decide);
    expect(decide).toHaveBeenCalledTimes(3);
  });

  it('has no sensitive reads for a result it did not execute', () => {
    expect(new SharedDelivery().readsOf({ data: null })).toEqual([]);
  });
});
