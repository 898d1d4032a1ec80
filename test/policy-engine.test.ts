/**
 * The policy engine: decideRead / decide as pure rules (unit tests, ACCESS-MODEL.md), and
 * rowFilter checked against decideRead on random policies and records in real PostgreSQL; the
 * union of bases and fieldVerdict as properties on random policies; agreements in force and
 * membership standing. The party scopes (sightings, audit trail, webhooks): policy-scopes.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { agreementInForce, agreementOpenFor, applicableAgreements, nextAgreementBoundary } from '../src/policy/agreements';
import {
  REFERENCED,
  decide,
  decideRead,
  decideReferenced,
  decisionKey,
  fieldVerdict,
  redactedFields,
  rowFilter,
  type Action,
  type Decision,
} from '../src/policy/engine';
import { memberStanding } from '../src/policy/membership';
import {
  ACCESS_BASES,
  AGENCY_KINDS,
  PURPOSES,
  ROLES,
  SHAREABLE_TYPES,
  TLP_LEVELS,
  type AccessBasis,
  type Agency,
  type Agreement,
  type FieldClasses,
  type Issuer,
  type PolicySet,
  type Principal,
  type Purpose,
  type Role,
  type ShareableRecord,
  type ShareableType,
  type Tlp,
} from '../src/policy/types';
import { createTestDatabase, type TestDatabase } from './support/db';
import { DAY, FIELDS, agency, agreement as agreementAt, policyOf as policyFrom } from './support/policy-fixtures';

// ---------------------------------------------------------------------------------------------
// Small in-code policy sets

const NOW = new Date('2026-06-15T12:00:00.000Z');
const NL_CUSTOMS = agency('nl-customs', 'CUSTOMS', 'NL', ['NLRTM', 'NLAMS']);
const NL_COASTGUARD = agency('nl-coastguard', 'COAST_GUARD', 'NL', ['NLRTM']);
const NL_TERMINAL = agency('nl-ect-terminal', 'PRIVATE_OPERATOR', 'NL', ['NLRTM']);
const BE_CUSTOMS = agency('be-customs', 'CUSTOMS', 'BE', ['BEANR']);
const DE_CUSTOMS = agency('de-customs', 'CUSTOMS', 'DE', ['DEHAM']);
const FR_DOUANE = agency('fr-douane', 'CUSTOMS', 'FR', ['FRLEH']);

const agreement = (over: Partial<Agreement> & Pick<Agreement, 'id' | 'provider' | 'recipients'>) => agreementAt(over, NOW);
const policyOf = (agreements: Agreement[] = [], agencies = [NL_CUSTOMS, NL_COASTGUARD, NL_TERMINAL, BE_CUSTOMS, DE_CUSTOMS, FR_DOUANE]) =>
  policyFrom(agreements, agencies);

/** An agreement drawn by a property test, its validity in whole days around NOW. */
interface DrawnAgreement {
  provider: string;
  recipients: string[];
  types: ShareableType[];
  jurisdictions: string[];
  maxTlp: Tlp;
  fields?: string[];
  purposes: string[];
  fromDays: number;
  untilDays?: number;
}
const generatedAgreement = (a: DrawnAgreement, i: number): Agreement => ({
  id: `agr-${i}`,
  provider: a.provider,
  recipients: a.recipients,
  types: a.types,
  jurisdictions: a.jurisdictions,
  maxTlp: a.maxTlp as Agreement['maxTlp'], // RED too: a mis-set agreement must still never share RED
  fields: a.fields ?? [],
  purposes: a.purposes as Purpose[],
  validFrom: new Date(NOW.getTime() + a.fromDays * DAY),
  ...(a.untilDays !== undefined ? { validUntil: new Date(NOW.getTime() + a.untilDays * DAY) } : {}),
  file: `agreements/agr-${i}.yaml`,
});

const principal = (a: Agency, roles: Role[] = ['viewer'], purpose?: Purpose): Principal => ({
  subject: `test-${a.code}`,
  agency: a,
  roles,
  ...(purpose ? { purpose } : {}),
  issuer: 'test',
  expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
});

const rec = (ownerAgency: string, tlp: Tlp, jurisdiction: string, recipients: string[] = []): ShareableRecord => ({
  ownerAgency,
  tlp,
  jurisdiction,
  recipients,
});

/** nl-customs shares NL entries and alerts with be-customs up to AMBER, releasing source and notes. */
const NL_TO_BE = agreement({
  id: 'nl-to-be',
  provider: 'nl-customs',
  recipients: ['be-customs'],
  types: ['WatchlistEntry', 'VesselAlert'],
  jurisdictions: ['NL'],
  maxTlp: 'AMBER',
  fields: ['source', 'notes', 'intelligenceSummary'],
});

const read = (p: Principal, type: ShareableType, r: ShareableRecord, policy = policyOf([NL_TO_BE]), now = NOW): Decision =>
  decideRead(policy, p, type, r, now);

// ---------------------------------------------------------------------------------------------
// AIS positions: a feed's records (owner: the feed's agency, the feed's TLP, the agency's country)

describe('VesselPosition: a feed position is read like any shareable record', () => {
  const position = rec('nl-coastguard', 'AMBER', 'NL');

  it('AMBER: the feed agency as owner, Dutch public agencies by jurisdiction, nobody else', () => {
    expect(read(principal(NL_COASTGUARD), 'VesselPosition', position).basis).toBe('OWNER');
    expect(read(principal(NL_CUSTOMS), 'VesselPosition', position).basis).toBe('JURISDICTION');
    expect(read(principal(FR_DOUANE), 'VesselPosition', position).allowed).toBe(false);
    expect(read(principal(NL_TERMINAL), 'VesselPosition', position).allowed).toBe(false);
  });

  it('an agreement shares positions only when it names the type', () => {
    const alertsOnly = agreement({ id: 'cg-fr', provider: 'nl-coastguard', recipients: ['fr-douane'], types: ['VesselAlert'] });
    expect(read(principal(FR_DOUANE), 'VesselPosition', position, policyOf([alertsOnly])).allowed).toBe(false);
    const positions = { ...alertsOnly, types: ['VesselAlert', 'VesselPosition'] as ShareableType[] };
    expect(read(principal(FR_DOUANE), 'VesselPosition', position, policyOf([positions])).basis).toBe('AGREEMENT');
  });
});

// ---------------------------------------------------------------------------------------------
// decideRead: each basis and the order of precedence

describe('decideRead: bases in order of precedence', () => {
  const be = principal(BE_CUSTOMS);

  it('OWNER: the owner sees its record at any TLP, with every sensitive field', () => {
    for (const tlp of TLP_LEVELS) {
      const d = read(principal(NL_CUSTOMS), 'WatchlistEntry', rec('nl-customs', tlp, 'DE'));
      expect(d).toMatchObject({ allowed: true, basis: 'OWNER' });
      expect([...d.releasedFields!].sort()).toEqual(['notes', 'source']);
    }
  });

  it('OWNER comes before RECIPIENT (owner also named as recipient)', () => {
    const d = read(principal(NL_CUSTOMS), 'VesselAlert', rec('nl-customs', 'RED', 'NL', ['nl-customs']));
    expect(d.basis).toBe('OWNER');
  });

  it('RECIPIENT: a named recipient sees even RED, core fields only', () => {
    const d = read(principal(FR_DOUANE), 'WatchlistEntry', rec('nl-customs', 'RED', 'NL', ['fr-douane']));
    expect(d).toMatchObject({ allowed: true, basis: 'RECIPIENT' });
    expect(d.releasedFields!.size).toBe(0);
  });

  it('RECIPIENT comes before AGREEMENT (agreement would also cover it), and reads what the agreement releases', () => {
    const d = read(be, 'WatchlistEntry', rec('nl-customs', 'GREEN', 'NL', ['be-customs']));
    expect(d.basis).toBe('RECIPIENT');
    expect(d.agreementId).toBe('nl-to-be');
    expect([...d.releasedFields!].sort()).toEqual(['notes', 'source']);
  });

  it('AGREEMENT: covered type, jurisdiction and TLP; releases the agreed sensitive fields of the type only', () => {
    const d = read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL'));
    expect(d).toMatchObject({ allowed: true, basis: 'AGREEMENT', agreementId: 'nl-to-be' });
    expect([...d.releasedFields!].sort()).toEqual(['notes', 'source']);
    const alert = read(be, 'VesselAlert', rec('nl-customs', 'AMBER', 'NL'));
    expect([...alert.releasedFields!]).toEqual(['intelligenceSummary']);
  });

  it("AGREEMENT comes before JURISDICTION (recipient is of the record's country)", () => {
    const toNlCoastguard = agreement({
      id: 'be-to-nlcg',
      provider: 'be-customs',
      recipients: ['nl-coastguard'],
      maxTlp: 'AMBER',
      fields: ['notes'],
    });
    const d = read(principal(NL_COASTGUARD), 'WatchlistEntry', rec('be-customs', 'GREEN', 'NL'), policyOf([toNlCoastguard]));
    expect(d).toMatchObject({ basis: 'AGREEMENT', agreementId: 'be-to-nlcg' });
    expect([...d.releasedFields!]).toEqual(['notes']);
  });

  it("JURISDICTION: a public agency of the record's country sees up to AMBER, core only", () => {
    for (const tlp of ['CLEAR', 'GREEN', 'AMBER'] as const) {
      const d = read(principal(NL_COASTGUARD), 'WatchlistEntry', rec('be-customs', tlp, 'NL'));
      expect(d).toMatchObject({ allowed: true, basis: 'JURISDICTION' });
      expect(d.releasedFields!.size).toBe(0);
    }
    for (const tlp of ['AMBER_STRICT', 'RED'] as const) {
      expect(read(principal(NL_COASTGUARD), 'WatchlistEntry', rec('be-customs', tlp, 'NL')).allowed).toBe(false);
    }
  });

  it('JURISDICTION comes before COMMUNITY (GREEN record of my country)', () => {
    expect(read(principal(DE_CUSTOMS), 'Watchlist', rec('nl-customs', 'GREEN', 'DE')).basis).toBe('JURISDICTION');
  });

  it('COMMUNITY: GREEN or CLEAR for every public agency, anywhere', () => {
    expect(read(principal(FR_DOUANE), 'VesselAlert', rec('nl-customs', 'GREEN', 'NL')).basis).toBe('COMMUNITY');
    expect(read(principal(FR_DOUANE), 'VesselAlert', rec('nl-customs', 'CLEAR', 'NL')).basis).toBe('COMMUNITY');
    expect(read(principal(FR_DOUANE), 'VesselAlert', rec('nl-customs', 'AMBER', 'NL')).allowed).toBe(false);
  });

  it('PUBLIC: CLEAR for a private operator (which gets no COMMUNITY)', () => {
    const d = read(principal(NL_TERMINAL), 'VesselAlert', rec('de-customs', 'CLEAR', 'DE'));
    expect(d).toMatchObject({ allowed: true, basis: 'PUBLIC' });
    expect(d.releasedFields!.size).toBe(0);
  });

  it('no basis: denied, with no basis or fields', () => {
    const d = read(principal(FR_DOUANE), 'WatchlistEntry', rec('nl-customs', 'AMBER_STRICT', 'NL'));
    expect(d.allowed).toBe(false);
    expect(d.basis).toBeUndefined();
    expect(d.releasedFields).toBeUndefined();
  });
});

describe('decideRead: agreements', () => {
  const be = principal(BE_CUSTOMS);

  it("never shares RED, even if an agreement's maxTlp were mis-set to RED", () => {
    const misSet = { ...NL_TO_BE, id: 'mis-set', maxTlp: 'RED' as never };
    const d = read(be, 'WatchlistEntry', rec('nl-customs', 'RED', 'NL'), policyOf([misSet]));
    expect(d.allowed).toBe(false);
    // ...while the same agreement still covers AMBER_STRICT (RED rank is above it).
    expect(read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER_STRICT', 'NL'), policyOf([misSet])).basis).toBe('AGREEMENT');
  });

  it('covers TLP up to maxTlp only', () => {
    expect(read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER_STRICT', 'NL')).allowed).toBe(false);
    const strict = { ...NL_TO_BE, maxTlp: 'AMBER_STRICT' as const };
    expect(read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER_STRICT', 'NL'), policyOf([strict])).basis).toBe('AGREEMENT');
    const green = { ...NL_TO_BE, maxTlp: 'GREEN' as const };
    // GREEN is COMMUNITY anyway; AMBER is beyond a GREEN agreement.
    expect(read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL'), policyOf([green])).allowed).toBe(false);
  });

  it("covers only the provider's records, the listed types and the listed recipients", () => {
    expect(read(be, 'WatchlistEntry', rec('nl-coastguard', 'AMBER', 'NL')).allowed).toBe(false);
    expect(read(be, 'Watchlist', rec('nl-customs', 'AMBER', 'NL')).allowed).toBe(false);
    expect(read(be, 'SuspiciousActivityReport', rec('nl-customs', 'AMBER', 'NL')).allowed).toBe(false);
    expect(read(principal(DE_CUSTOMS), 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL')).allowed).toBe(false);
  });

  it('a jurisdiction-restricted agreement covers only records of those jurisdictions', () => {
    expect(read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL')).basis).toBe('AGREEMENT');
    expect(read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'DE')).allowed).toBe(false);
    // Omitted jurisdictions: every jurisdiction of the provider's records.
    const anywhere = { ...NL_TO_BE, jurisdictions: [] };
    expect(read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'DE'), policyOf([anywhere])).basis).toBe('AGREEMENT');
  });

  it('grants nothing before validFrom or after validUntil; the edges are inclusive', () => {
    const r = rec('nl-customs', 'AMBER', 'NL');
    const expired = { ...NL_TO_BE, validFrom: new Date(NOW.getTime() - 60 * DAY), validUntil: new Date(NOW.getTime() - 1) };
    const future = { ...NL_TO_BE, validFrom: new Date(NOW.getTime() + 1) };
    const open = { ...NL_TO_BE, validFrom: NOW, validUntil: undefined };
    const closing = { ...NL_TO_BE, validUntil: NOW };
    expect(read(be, 'WatchlistEntry', r, policyOf([expired])).allowed).toBe(false);
    expect(read(be, 'WatchlistEntry', r, policyOf([future])).allowed).toBe(false);
    expect(read(be, 'WatchlistEntry', r, policyOf([open])).basis).toBe('AGREEMENT');
    expect(read(be, 'WatchlistEntry', r, policyOf([closing])).basis).toBe('AGREEMENT');
    // The same agreement at a later time: expired.
    expect(read(be, 'WatchlistEntry', r, policyOf([closing]), new Date(NOW.getTime() + 1)).allowed).toBe(false);
  });

  it('with purposes, grants only to requests stating one of them', () => {
    const r = rec('nl-customs', 'AMBER', 'NL');
    const narcotics = { ...NL_TO_BE, purposes: ['CUSTOMS', 'LAW_ENFORCEMENT'] as Purpose[] };
    const policy = policyOf([narcotics]);
    expect(decideRead(policy, principal(BE_CUSTOMS), 'WatchlistEntry', r, NOW).allowed).toBe(false);
    expect(decideRead(policy, principal(BE_CUSTOMS, ['viewer'], 'FISHERIES'), 'WatchlistEntry', r, NOW).allowed).toBe(false);
    expect(decideRead(policy, principal(BE_CUSTOMS, ['viewer'], 'CUSTOMS'), 'WatchlistEntry', r, NOW).basis).toBe('AGREEMENT');
    expect(decideRead(policy, principal(BE_CUSTOMS, ['viewer'], 'LAW_ENFORCEMENT'), 'WatchlistEntry', r, NOW).basis).toBe('AGREEMENT');
    // Without purposes, any (or no) purpose.
    expect(decideRead(policyOf([NL_TO_BE]), principal(BE_CUSTOMS, ['viewer'], 'FISHERIES'), 'WatchlistEntry', r, NOW).basis).toBe(
      'AGREEMENT',
    );
  });

  it('with two covering agreements, the released fields are the union of theirs; the first is named', () => {
    const narrow = { ...NL_TO_BE, id: 'a-narrow', fields: ['source'] };
    const wide = { ...NL_TO_BE, id: 'b-wide', fields: ['source', 'notes'] };
    const d = read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL'), policyOf([narrow, wide]));
    expect(d).toMatchObject({ basis: 'AGREEMENT', agreementId: 'a-narrow' });
    expect([...d.releasedFields!].sort()).toEqual(['notes', 'source']);
  });
});

describe('decideRead: several bases hold, the principal reads the union of what they release', () => {
  const be = principal(BE_CUSTOMS);
  const entry = rec('nl-customs', 'AMBER', 'NL');
  const onlySource = { ...NL_TO_BE, id: 'only-source', fields: ['source'] };
  const onlyNotes = { ...NL_TO_BE, id: 'only-notes', fields: ['notes'] };
  const nothing = { ...NL_TO_BE, id: 'releases-nothing', fields: [] };
  const released = (d: Decision) => [...d.releasedFields!].sort();

  it('two agreements releasing different fields: both are read; the first that released one is named', () => {
    const d = read(be, 'WatchlistEntry', entry, policyOf([onlySource, onlyNotes]));
    expect(d).toMatchObject({ allowed: true, basis: 'AGREEMENT', agreementId: 'only-source' });
    expect(released(d)).toEqual(['notes', 'source']);
    // The other order names the other agreement, with the same fields.
    const swapped = read(be, 'WatchlistEntry', entry, policyOf([onlyNotes, onlySource]));
    expect(swapped).toMatchObject({ basis: 'AGREEMENT', agreementId: 'only-notes' });
    expect(released(swapped)).toEqual(['notes', 'source']);
  });

  it('agreementId names an agreement that released a field, not one that only covers the record', () => {
    const d = read(be, 'WatchlistEntry', entry, policyOf([nothing, onlyNotes]));
    expect(d).toMatchObject({ basis: 'AGREEMENT', agreementId: 'only-notes' });
    expect(released(d)).toEqual(['notes']);
    // No covering agreement releases anything: AGREEMENT still names the first that covers the record.
    const bare = read(be, 'WatchlistEntry', entry, policyOf([nothing, { ...nothing, id: 'releases-nothing-2' }]));
    expect(bare).toMatchObject({ basis: 'AGREEMENT', agreementId: 'releases-nothing' });
    expect(released(bare)).toEqual([]);
  });

  it("a named recipient that an agreement also covers: RECIPIENT, with the agreement's fields and id", () => {
    const red = read(be, 'WatchlistEntry', rec('nl-customs', 'RED', 'NL', ['be-customs']), policyOf([onlySource]));
    // RED is never covered by an agreement: the recipient reads core only, and no agreement is named.
    expect(red).toMatchObject({ basis: 'RECIPIENT' });
    expect(red.agreementId).toBeUndefined();
    expect(released(red)).toEqual([]);
    const amber = read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL', ['be-customs']), policyOf([onlySource]));
    expect(amber).toMatchObject({ basis: 'RECIPIENT', agreementId: 'only-source' });
    expect(released(amber)).toEqual(['source']);
    // An agreement that releases nothing adds nothing, and is not named.
    const bare = read(be, 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL', ['be-customs']), policyOf([nothing]));
    expect(bare).toMatchObject({ basis: 'RECIPIENT' });
    expect(bare.agreementId).toBeUndefined();
    expect(released(bare)).toEqual([]);
  });

  it('recipient, agreement and jurisdiction right on a report: RECIPIENT, reading what each releases', () => {
    const fields: Record<ShareableType, FieldClasses> = {
      ...FIELDS,
      SuspiciousActivityReport: {
        core: ['id', 'description', 'tlp'],
        sensitive: ['reporterContact', 'submittedBy'],
        releasedToJurisdiction: ['submittedBy'],
      },
    };
    const contactToNl = agreement({
      id: 'terminal--nl',
      provider: 'nl-ect-terminal',
      recipients: ['nl-customs'],
      types: ['SuspiciousActivityReport'],
      fields: ['reporterContact'],
    });
    const report = rec('nl-ect-terminal', 'AMBER', 'NL', ['nl-customs']);
    const decideFor = (who: Principal, agreements: Agreement[]) =>
      decideRead({ ...policyOf(agreements), fields }, who, 'SuspiciousActivityReport', report, NOW);
    const analyst = principal(NL_CUSTOMS, ['analyst']);
    // Recipient and jurisdiction right: the analysts' field.
    expect(released(decideFor(analyst, []))).toEqual(['submittedBy']);
    // ... and an agreement too: its field on top, and its id.
    const all = decideFor(analyst, [contactToNl]);
    expect(all).toMatchObject({ allowed: true, basis: 'RECIPIENT', agreementId: 'terminal--nl' });
    expect(released(all)).toEqual(['reporterContact', 'submittedBy']);
    // A viewer of the same agency has no jurisdiction right: the agreement's field only.
    expect(released(decideFor(principal(NL_CUSTOMS, ['viewer']), [contactToNl]))).toEqual(['reporterContact']);
  });
});

describe('memberStanding: still a member, and the issuer may still speak for it', () => {
  const issuer = (iss: string, agencies: string[]): Issuer => ({ iss, algorithms: ['RS256'], agencies, maxTokenLifetimeSeconds: 86_400 });
  const policy: PolicySet = {
    ...policyOf(),
    issuers: [issuer('idp-nl', ['nl-customs', 'nl-coastguard']), issuer('idp-be', ['be-customs']), issuer('idp-nl', ['be-customs'])],
  };

  it('a member its issuer speaks for: the agency as the membership describes it now', () => {
    expect(memberStanding(policy, 'nl-coastguard', 'idp-nl')).toEqual({ agency: NL_COASTGUARD });
    const moved = { ...BE_CUSTOMS, ports: ['BEANR', 'BEZEE'] };
    expect(memberStanding({ ...policy, agencies: new Map([['be-customs', moved]]) }, 'be-customs', 'idp-be')).toEqual({ agency: moved });
  });

  it('an agency that is not (or no longer) a member', () => {
    expect(memberStanding(policy, 'xx-gone', 'idp-nl')).toEqual({
      lapse: 'NOT_A_MEMBER',
      reason: 'membership changed: agency xx-gone is no longer a member',
    });
    // Membership is checked first: an unknown agency is that, whichever issuer asks.
    expect(memberStanding(policy, 'xx-gone', 'idp-unknown')).toMatchObject({ lapse: 'NOT_A_MEMBER' });
  });

  it('an issuer that does not speak for the agency, or is no longer trusted at all', () => {
    // The later duplicate of idp-nl listing be-customs does not count: the first wins, as in the token verifier.
    expect(memberStanding(policy, 'be-customs', 'idp-nl')).toEqual({
      lapse: 'ISSUER_MAY_NOT_SPEAK',
      reason: 'membership changed: issuer idp-nl no longer speaks for be-customs',
    });
    expect(memberStanding(policy, 'nl-customs', 'idp-gone')).toEqual({
      lapse: 'ISSUER_MAY_NOT_SPEAK',
      reason: 'membership changed: issuer idp-gone no longer speaks for nl-customs',
    });
  });
});

describe('agreements: in force, open for a principal, next boundary', () => {
  const window = { validFrom: NOW, validUntil: new Date(NOW.getTime() + DAY) };
  const at = (ms: number) => new Date(NOW.getTime() + ms);

  it('agreementInForce: validFrom <= now <= validUntil, both ends inclusive; no validUntil is open-ended', () => {
    expect(agreementInForce(window, at(-1))).toBe(false);
    expect(agreementInForce(window, NOW)).toBe(true);
    expect(agreementInForce(window, at(DAY))).toBe(true);
    expect(agreementInForce(window, at(DAY + 1))).toBe(false);
    expect(agreementInForce({ validFrom: NOW }, at(100 * 365 * DAY))).toBe(true);
  });

  it('agreementOpenFor: in force, naming the agency, and opened by the stated purpose', () => {
    const forCustoms = { ...NL_TO_BE, purposes: ['CUSTOMS'] as Purpose[] };
    expect(agreementOpenFor(NL_TO_BE, principal(BE_CUSTOMS), NOW)).toBe(true);
    expect(agreementOpenFor(NL_TO_BE, principal(DE_CUSTOMS), NOW)).toBe(false);
    expect(agreementOpenFor({ ...NL_TO_BE, ...window }, principal(BE_CUSTOMS), at(DAY + 1))).toBe(false);
    expect(agreementOpenFor(forCustoms, principal(BE_CUSTOMS), NOW)).toBe(false);
    expect(agreementOpenFor(forCustoms, principal(BE_CUSTOMS, ['viewer'], 'FISHERIES'), NOW)).toBe(false);
    expect(agreementOpenFor(forCustoms, principal(BE_CUSTOMS, ['viewer'], 'CUSTOMS'), NOW)).toBe(true);
  });

  it('applicableAgreements: those open for the principal that list the type, in policy order', () => {
    const later = { ...NL_TO_BE, id: 'later', types: ['VesselAlert'] as ShareableType[] };
    const closed = { ...NL_TO_BE, id: 'closed', validUntil: at(-1) };
    const policy = policyOf([later, closed, NL_TO_BE]);
    expect(applicableAgreements(policy, principal(BE_CUSTOMS), 'VesselAlert', NOW).map((a) => a.id)).toEqual(['later', 'nl-to-be']);
    expect(applicableAgreements(policy, principal(BE_CUSTOMS), 'WatchlistEntry', NOW).map((a) => a.id)).toEqual(['nl-to-be']);
  });

  it('nextAgreementBoundary is the first moment after now at which agreementInForce changes for some agreement', () => {
    const windowArb = fc
      .record({
        from: fc.integer({ min: -50, max: 50 }),
        until: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
      })
      .map(({ from, until }) => ({
        validFrom: at(from),
        ...(until !== undefined ? { validUntil: at(from + until) } : {}),
      }));
    fc.assert(
      fc.property(fc.array(windowArb, { maxLength: 6 }), fc.integer({ min: -60, max: 120 }), (windows, nowMs) => {
        const now = NOW.getTime() + nowMs;
        const next = nextAgreementBoundary(windows, now);
        const state = (t: number) => windows.map((w) => agreementInForce(w, new Date(t)));
        // Nothing changes strictly between now and the boundary...
        const until = Math.min(next, now + 200);
        for (let t = now + 1; t < until; t++) expect(state(t)).toEqual(state(now));
        // ...and something does at it.
        if (next !== Infinity) expect(state(next)).not.toEqual(state(next - 1));
      }),
    );
  });
});

describe('decideRead: suspicious activity reports and private operators', () => {
  it('reports are never COMMUNITY or PUBLIC', () => {
    for (const tlp of ['CLEAR', 'GREEN'] as const) {
      expect(read(principal(FR_DOUANE), 'SuspiciousActivityReport', rec('nl-ect-terminal', tlp, 'NL')).allowed).toBe(false);
      expect(
        read(principal(agency('be-op', 'PRIVATE_OPERATOR', 'BE')), 'SuspiciousActivityReport', rec('nl-ect-terminal', tlp, 'NL')).allowed,
      ).toBe(false);
    }
  });

  it('reports: the submitter, public agencies of the jurisdiction and recipients see them', () => {
    const r = rec('nl-ect-terminal', 'AMBER', 'NL', ['fr-douane']);
    expect(read(principal(NL_TERMINAL), 'SuspiciousActivityReport', r).basis).toBe('OWNER');
    expect(read(principal(NL_CUSTOMS), 'SuspiciousActivityReport', r).basis).toBe('JURISDICTION');
    expect(read(principal(FR_DOUANE), 'SuspiciousActivityReport', r).basis).toBe('RECIPIENT');
    expect(read(principal(BE_CUSTOMS), 'SuspiciousActivityReport', r).allowed).toBe(false);
    // Another private operator of the same country is not "an agency of the jurisdiction".
    const other = agency('nl-other-terminal', 'PRIVATE_OPERATOR', 'NL', ['NLRTM']);
    expect(read(principal(other), 'SuspiciousActivityReport', r).allowed).toBe(false);
  });

  it('private operators never get JURISDICTION or COMMUNITY', () => {
    const op = principal(NL_TERMINAL);
    expect(read(op, 'VesselAlert', rec('nl-customs', 'AMBER', 'NL')).allowed).toBe(false);
    expect(read(op, 'VesselAlert', rec('nl-customs', 'GREEN', 'NL')).allowed).toBe(false);
    expect(read(op, 'WatchlistEntry', rec('de-customs', 'GREEN', 'DE')).allowed).toBe(false);
    expect(read(op, 'Watchlist', rec('nl-customs', 'CLEAR', 'NL')).basis).toBe('PUBLIC');
    // ...but do get what names them, and what an agreement gives them.
    expect(read(op, 'VesselAlert', rec('nl-customs', 'RED', 'NL', ['nl-ect-terminal'])).basis).toBe('RECIPIENT');
    const toOp = agreement({ id: 'to-op', provider: 'nl-customs', recipients: ['nl-ect-terminal'], types: ['VesselAlert'] });
    expect(read(op, 'VesselAlert', rec('nl-customs', 'AMBER', 'NL'), policyOf([toOp])).basis).toBe('AGREEMENT');
  });
});

// ---------------------------------------------------------------------------------------------
// decide: capabilities

describe('decide: capabilities', () => {
  const policy = policyOf([NL_TO_BE]);
  const publish = (ownerAgency: string) => ({ kind: 'publish', type: 'VesselAlert', ownerAgency }) as const;

  it('analysts publish for their own agency only', () => {
    expect(decide(policy, principal(NL_CUSTOMS, ['analyst']), publish('nl-customs'), NOW).allowed).toBe(true);
    expect(decide(policy, principal(NL_CUSTOMS, ['analyst']), publish('be-customs'), NOW).allowed).toBe(false);
    for (const type of ['Watchlist', 'WatchlistEntry'] as const) {
      expect(decide(policy, principal(NL_CUSTOMS, ['analyst']), { kind: 'publish', type, ownerAgency: 'nl-customs' }, NOW).allowed).toBe(
        true,
      );
    }
  });

  it('viewers and auditors do not publish', () => {
    expect(decide(policy, principal(NL_CUSTOMS, ['viewer']), publish('nl-customs'), NOW).allowed).toBe(false);
    expect(decide(policy, principal(NL_CUSTOMS, ['auditor']), publish('nl-customs'), NOW).allowed).toBe(false);
    expect(decide(policy, principal(NL_CUSTOMS, []), publish('nl-customs'), NOW).allowed).toBe(false);
  });

  it('private operators never publish, even with the analyst role', () => {
    const d = decide(policy, principal(NL_TERMINAL, ['analyst', 'viewer', 'auditor']), publish('nl-ect-terminal'), NOW);
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/private operator/);
  });

  it("reports are submitted only at the agency's registered ports", () => {
    const op = principal(NL_TERMINAL, ['viewer']);
    expect(decide(policy, op, { kind: 'submitReport', port: 'NLRTM' }, NOW).allowed).toBe(true);
    const elsewhere = decide(policy, op, { kind: 'submitReport', port: 'NLAMS' }, NOW);
    expect(elsewhere.allowed).toBe(false);
    expect(elsewhere.reason).toContain('NLAMS');
    expect(decide(policy, principal(NL_CUSTOMS, []), { kind: 'submitReport', port: 'NLAMS' }, NOW).allowed).toBe(true);
    expect(decide(policy, principal(NL_CUSTOMS, ['analyst']), { kind: 'submitReport', port: 'BEANR' }, NOW).allowed).toBe(false);
  });

  it("triage: analysts of a public agency of the report's jurisdiction", () => {
    const record = rec('nl-ect-terminal', 'AMBER', 'NL');
    expect(decide(policy, principal(NL_CUSTOMS, ['analyst']), { kind: 'triageReport', record }, NOW).allowed).toBe(true);
    expect(decide(policy, principal(NL_CUSTOMS, ['viewer']), { kind: 'triageReport', record }, NOW).allowed).toBe(false);
    expect(decide(policy, principal(BE_CUSTOMS, ['analyst']), { kind: 'triageReport', record }, NOW).allowed).toBe(false);
    expect(decide(policy, principal(NL_TERMINAL, ['analyst']), { kind: 'triageReport', record }, NOW).allowed).toBe(false);
  });

  it('triageReports: the capability before any report is looked up', () => {
    expect(decide(policy, principal(NL_CUSTOMS, ['analyst']), { kind: 'triageReports' }, NOW).allowed).toBe(true);
    expect(decide(policy, principal(BE_CUSTOMS, ['analyst']), { kind: 'triageReports' }, NOW).allowed).toBe(true);
    expect(decide(policy, principal(NL_CUSTOMS, ['viewer', 'auditor']), { kind: 'triageReports' }, NOW).allowed).toBe(false);
    expect(decide(policy, principal(NL_TERMINAL, ['analyst']), { kind: 'triageReports' }, NOW).reason).toMatch(/private operators/);
  });

  it('the audit trail needs the auditor role', () => {
    expect(decide(policy, principal(NL_CUSTOMS, ['auditor']), { kind: 'readAuditTrail' }, NOW).allowed).toBe(true);
    expect(decide(policy, principal(NL_CUSTOMS, ['analyst', 'viewer']), { kind: 'readAuditTrail' }, NOW).allowed).toBe(false);
  });

  it("webhooks: analysts manage their own agency's, private operators included; viewers and auditors do not", () => {
    const manage = (ownerAgency: string) => ({ kind: 'manageWebhooks', ownerAgency }) as const;
    expect(decide(policy, principal(NL_CUSTOMS, ['analyst']), manage('nl-customs'), NOW).allowed).toBe(true);
    expect(decide(policy, principal(NL_TERMINAL, ['analyst']), manage('nl-ect-terminal'), NOW).allowed).toBe(true);
    const other = decide(policy, principal(NL_CUSTOMS, ['analyst']), manage('be-customs'), NOW);
    expect(other.allowed).toBe(false);
    expect(other.reason).toMatch(/own agency/);
    for (const roles of [['viewer'], ['auditor'], []] as Role[][]) {
      const d = decide(policy, principal(NL_CUSTOMS, roles), manage('nl-customs'), NOW);
      expect(d.allowed).toBe(false);
      expect(d.reason).toMatch(/analyst role/);
    }
  });

  it("the vessel registry: only a registry authority's analysts write it", () => {
    const registry = { ...NL_CUSTOMS, code: 'nl-registry', kind: 'PORT_AUTHORITY' as const, registryAuthority: true as const };
    const write = { kind: 'writeRegistry' } as const;
    expect(decide(policy, principal(registry, ['analyst']), write, NOW).allowed).toBe(true);
    expect(decide(policy, principal(registry, ['viewer', 'auditor']), write, NOW).reason).toMatch(/analyst role/);
    for (const a of [NL_CUSTOMS, NL_TERMINAL]) {
      const d = decide(policy, principal(a, ['analyst']), write, NOW);
      expect(d.allowed).toBe(false);
      expect(d.reason).toBe(`agency ${a.code} is not a registry authority (registryAuthority in agencies.yaml)`);
    }
  });

  it('read delegates to decideRead', () => {
    const record = rec('nl-customs', 'AMBER', 'NL');
    expect(decide(policy, principal(BE_CUSTOMS), { kind: 'read', type: 'WatchlistEntry', record }, NOW)).toEqual(
      decideRead(policy, principal(BE_CUSTOMS), 'WatchlistEntry', record, NOW),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property: rowFilter (SQL, real PostgreSQL) selects exactly the records decideRead allows

describe('rowFilter agrees with decideRead in PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.query(`
      CREATE TABLE acl_probe (
        id int PRIMARY KEY,
        owner_agency text NOT NULL,
        tlp tlp NOT NULL,
        jurisdiction char(2) NOT NULL,
        recipients text[] NOT NULL DEFAULT '{}',
        derived_from text
      )`);
  }, 60_000);
  afterAll(() => database?.drop());

  const COUNTRIES = ['NL', 'BE', 'DE'] as const;
  const CODES = ['ag-a', 'ag-b', 'ag-c', 'ag-d', 'ag-e'] as const;

  const agenciesArb = fc
    .uniqueArray(fc.constantFrom(...CODES), { minLength: 2, maxLength: 5 })
    .chain((codes) =>
      fc.tuple(
        ...codes.map((code) =>
          fc
            .record({ kind: fc.constantFrom(...AGENCY_KINDS), country: fc.constantFrom(...COUNTRIES) })
            .map(({ kind, country }): Agency => ({ code, name: code, kind, country, ports: [] })),
        ),
      ),
    );

  const policyArb = agenciesArb.chain((agencies) => {
    const codes = agencies.map((a) => a.code);
    const agreementArb = fc.record({
      provider: fc.constantFrom(...codes),
      recipients: fc.subarray(codes, { minLength: 1 }),
      types: fc.subarray([...SHAREABLE_TYPES], { minLength: 1 }),
      jurisdictions: fc.subarray([...COUNTRIES, 'FR']),
      // RED included on purpose: a mis-set agreement must still never share RED.
      maxTlp: fc.constantFrom(...TLP_LEVELS),
      purposes: fc.subarray([...PURPOSES.slice(0, 3)]),
      fromDays: fc.integer({ min: -20, max: 5 }),
      untilDays: fc.option(fc.integer({ min: -5, max: 20 }), { nil: undefined }),
    });
    return fc.record({
      agencies: fc.constant(agencies),
      agreements: fc.array(agreementArb, { maxLength: 12 }).map((list) => list.map(generatedAgreement)),
      me: fc.constantFrom(...agencies),
      purpose: fc.option(fc.constantFrom(...PURPOSES.slice(0, 4)), { nil: undefined }),
      records: fc.array(
        fc.record({
          // 'ag-zz' owns records but is no member: the unknown-owner case.
          ownerAgency: fc.constantFrom(...codes, 'ag-zz'),
          tlp: fc.constantFrom(...TLP_LEVELS),
          jurisdiction: fc.constantFrom(...COUNTRIES, 'FR'),
          recipients: fc.subarray([...codes, 'ag-zz'], { maxLength: 3 }),
          // Derived records (an automatic alert from an entry) are read only where their source would be.
          derivedFrom: fc.option(fc.constantFrom(...SHAREABLE_TYPES), { nil: null, freq: 2 }),
        }),
        { minLength: 150, maxLength: 200 },
      ),
    });
  });

  const basesSeen = new Set<AccessBasis | 'DENIED'>();

  it('selects exactly the allowed records, for every shareable type', async () => {
    const db = database.db;
    await fc.assert(
      fc.asyncProperty(policyArb, async ({ agencies, agreements, me, purpose, records }) => {
        const policy = policyOf(agreements, agencies);
        const who = principal(me, ['viewer'], purpose);
        await db.query('TRUNCATE acl_probe');
        await db.query(
          `INSERT INTO acl_probe (id, owner_agency, tlp, jurisdiction, recipients, derived_from)
           SELECT x.id, x.owner_agency, x.tlp::tlp, x.jurisdiction,
                  ARRAY(SELECT jsonb_array_elements_text(x.recipients)), x.derived_from
           FROM jsonb_to_recordset($1::jsonb) AS x(id int, owner_agency text, tlp text, jurisdiction text, recipients jsonb, derived_from text)`,
          [
            JSON.stringify(
              records.map((r, id) => ({
                id,
                owner_agency: r.ownerAgency,
                tlp: r.tlp,
                jurisdiction: r.jurisdiction,
                recipients: r.recipients,
                derived_from: r.derivedFrom,
              })),
            ),
          ],
        );
        for (const type of SHAREABLE_TYPES) {
          const filter = rowFilter(policy, who, type, 'r', NOW);
          const rows: { id: number }[] = await db
            .createQueryBuilder()
            .select('r.id', 'id')
            .from('acl_probe', 'r')
            .where(filter.sql, filter.params)
            .getRawMany();
          const fromSql = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
          const expected = records
            .map((r, id) => {
              const d = decideRead(policy, who, type, r, NOW);
              basesSeen.add(d.allowed ? d.basis! : 'DENIED');
              return d.allowed ? id : -1;
            })
            .filter((id) => id >= 0);
          if (JSON.stringify(fromSql) !== JSON.stringify(expected)) {
            const extra = fromSql.filter((id) => !expected.includes(id)).map((id) => ({ id, ...records[id] }));
            const missing = expected.filter((id) => !fromSql.includes(id)).map((id) => ({ id, ...records[id] }));
            throw new Error(
              `${type}: rowFilter and decideRead disagree for ${me.code} (${me.kind}, ${me.country}, purpose ${purpose})\n` +
                `SQL only: ${JSON.stringify(extra.slice(0, 5))}\nengine only: ${JSON.stringify(missing.slice(0, 5))}\n` +
                `filter: ${filter.sql} ${JSON.stringify(filter.params)}`,
            );
          }
        }
      }),
      { numRuns: 50 },
    );
    // The generators reach every basis, so the agreement above is not vacuous.
    for (const basis of ['OWNER', 'RECIPIENT', 'AGREEMENT', 'JURISDICTION', 'COMMUNITY', 'PUBLIC', 'DENIED'] as const) {
      expect(basesSeen).toContain(basis);
    }
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// ISSUE 5: the reporter's identity and the analysts' notes

describe("reports: the reporter's identity reaches the jurisdiction's analysts (releasedToJurisdiction)", () => {
  const fields: Record<ShareableType, FieldClasses> = {
    ...FIELDS,
    SuspiciousActivityReport: {
      core: ['id', 'description', 'tlp', 'history'],
      sensitive: ['reporterContact', 'submittedBy'],
      releasedToJurisdiction: ['reporterContact', 'submittedBy'],
    },
  };
  const OTHER_NL_OPERATOR = agency('nl-agent', 'PRIVATE_OPERATOR', 'NL', ['NLAMS']);
  /** The terminal shares its reports with be-customs, releasing the contact but not the person. */
  const TERMINAL_TO_BE = agreement({
    id: 'terminal--be',
    provider: 'nl-ect-terminal',
    recipients: ['be-customs'],
    types: ['SuspiciousActivityReport'],
    fields: ['reporterContact'],
  });
  /** ... and with nl-customs, releasing nothing: an agreement must not take the jurisdiction right away. */
  const TERMINAL_TO_NL = agreement({
    id: 'terminal--nl',
    provider: 'nl-ect-terminal',
    recipients: ['nl-customs'],
    types: ['SuspiciousActivityReport'],
  });
  const withFields = (agreements: Agreement[] = []): PolicySet => ({
    ...policyOf(agreements, [NL_CUSTOMS, NL_COASTGUARD, NL_TERMINAL, OTHER_NL_OPERATOR, BE_CUSTOMS]),
    fields,
  });
  const report = rec('nl-ect-terminal', 'AMBER', 'NL');
  const released = (p: PolicySet, who: Principal, r: ShareableRecord = report) => {
    const d = decideRead(p, who, 'SuspiciousActivityReport', r, NOW);
    return { allowed: d.allowed, basis: d.basis, released: d.allowed ? [...(d.releasedFields ?? [])].sort() : undefined };
  };

  it('OWNER: the submitting operator reads its own identity fields', () => {
    expect(released(withFields(), principal(NL_TERMINAL, ['viewer']))).toEqual({
      allowed: true,
      basis: 'OWNER',
      released: ['reporterContact', 'submittedBy'],
    });
  });

  it('JURISDICTION: analysts of the country read them, viewers and auditors do not', () => {
    expect(released(withFields(), principal(NL_CUSTOMS, ['analyst']))).toEqual({
      allowed: true,
      basis: 'JURISDICTION',
      released: ['reporterContact', 'submittedBy'],
    });
    expect(released(withFields(), principal(NL_COASTGUARD, ['viewer', 'auditor']))).toEqual({
      allowed: true,
      basis: 'JURISDICTION',
      released: [],
    });
  });

  it('another operator of the same country never sees the report', () => {
    expect(released(withFields(), principal(OTHER_NL_OPERATOR, ['analyst']))).toMatchObject({ allowed: false });
  });

  it('AGREEMENT releases only what the agreement lists, to a foreign analyst', () => {
    expect(released(withFields([TERMINAL_TO_BE]), principal(BE_CUSTOMS, ['analyst']))).toEqual({
      allowed: true,
      basis: 'AGREEMENT',
      released: ['reporterContact'],
    });
  });

  it('a jurisdiction analyst keeps the identity whatever basis comes first (agreement, recipient)', () => {
    expect(released(withFields([TERMINAL_TO_NL]), principal(NL_CUSTOMS, ['analyst']))).toEqual({
      allowed: true,
      basis: 'AGREEMENT',
      released: ['reporterContact', 'submittedBy'],
    });
    expect(released(withFields([TERMINAL_TO_NL]), principal(NL_CUSTOMS, ['viewer']))).toEqual({
      allowed: true,
      basis: 'AGREEMENT',
      released: [],
    });
    const named = rec('nl-ect-terminal', 'AMBER', 'NL', ['nl-customs', 'be-customs']);
    expect(released(withFields(), principal(NL_CUSTOMS, ['analyst']), named)).toEqual({
      allowed: true,
      basis: 'RECIPIENT',
      released: ['reporterContact', 'submittedBy'],
    });
    expect(released(withFields(), principal(BE_CUSTOMS, ['analyst']), named)).toEqual({ allowed: true, basis: 'RECIPIENT', released: [] });
  });

  it('types without releasedToJurisdiction release nothing extra to the jurisdiction', () => {
    const d = decideRead(withFields(), principal(NL_CUSTOMS, ['analyst']), 'WatchlistEntry', rec('nl-coastguard', 'AMBER', 'NL'), NOW);
    expect(d).toMatchObject({ allowed: true, basis: 'JURISDICTION' });
    expect([...d.releasedFields!]).toEqual([]);
  });

  it("readTriageNotes: the analysts' notes are for the jurisdiction's analysts only, never the submitter", () => {
    const p = withFields([TERMINAL_TO_BE]);
    const notes = (who: Principal) => decide(p, who, { kind: 'readTriageNotes', record: report }, NOW).allowed;
    expect(notes(principal(NL_CUSTOMS, ['analyst']))).toBe(true);
    expect(notes(principal(NL_COASTGUARD, ['analyst']))).toBe(true);
    expect(notes(principal(NL_COASTGUARD, ['viewer']))).toBe(false);
    expect(notes(principal(NL_TERMINAL, ['analyst', 'viewer']))).toBe(false); // the owner
    expect(notes(principal(BE_CUSTOMS, ['analyst']))).toBe(false); // sees the report by agreement
  });

  it("readAlertNotes: an alert's status notes are the owning agency's, whatever basis others see it on", () => {
    const p = withFields();
    const alert = rec('nl-customs', 'AMBER', 'NL', ['be-customs']);
    const notes = (who: Principal) => decide(p, who, { kind: 'readAlertNotes', record: alert }, NOW).allowed;
    expect(notes(principal(NL_CUSTOMS, ['viewer']))).toBe(true);
    expect(notes(principal(NL_COASTGUARD, ['analyst']))).toBe(false); // jurisdiction
    expect(notes(principal(BE_CUSTOMS, ['analyst']))).toBe(false); // named recipient
  });
});

// ---------------------------------------------------------------------------------------------
// decisionKey: live delivery computes one answer per key instead of one per subscriber, so equal
// keys must mean equal answers from decide, decideRead and rowFilter, for every action and record.

describe('decisionKey: equal keys, equal decisions', () => {
  const COUNTRIES = ['NL', 'BE', 'DE'] as const;
  const CODES = ['ag-a', 'ag-b', 'ag-c', 'ag-d'] as const;
  const PORTS = ['NLRTM', 'NLAMS', 'BEANR', 'DEHAM'] as const;
  /** Owns records and is named as recipient, but is no member. */
  const OUTSIDER = 'ag-zz';
  /** FIELDS plus owner-only and jurisdiction-released fields, so releasedFields depends on more of the principal. */
  const KEY_FIELDS: Record<ShareableType, FieldClasses> = {
    ...FIELDS,
    WatchlistEntry: { ...FIELDS.WatchlistEntry, owner: ['history'], releasedToJurisdiction: ['source'] },
    SuspiciousActivityReport: {
      core: ['id', 'description', 'tlp'],
      sensitive: ['reporterContact', 'submittedBy'],
      releasedToJurisdiction: ['reporterContact', 'submittedBy'],
    },
  };
  /** Every type's sensitive names, plus names no type releases (an agreement may still list them). */
  const FIELD_NAMES = [...new Set(SHAREABLE_TYPES.flatMap((t) => KEY_FIELDS[t].sensitive)), 'history', 'name'];
  /** The purposes agreements name; principals state these, others, or none. */
  const AGREEMENT_PURPOSES = PURPOSES.slice(0, 3);
  const PUBLISHED = ['Watchlist', 'WatchlistEntry', 'VesselAlert'] as const;

  const agenciesArb = fc.uniqueArray(fc.constantFrom(...CODES), { minLength: 2, maxLength: CODES.length }).chain((codes) =>
    fc.tuple(
      ...codes.map((code) =>
        fc
          .record({
            kind: fc.constantFrom(...AGENCY_KINDS),
            country: fc.constantFrom(...COUNTRIES),
            ports: fc.subarray([...PORTS]),
            registryAuthority: fc.boolean(),
          })
          .map(({ kind, country, ports, registryAuthority }): Agency => ({
            ...agency(code, kind, country, ports),
            ...(registryAuthority && kind !== 'PRIVATE_OPERATOR' ? { registryAuthority: true as const } : {}),
          })),
      ),
    ),
  );

  const rolesArb = fc.array(fc.constantFrom(...ROLES), { maxLength: 4 }); // any order, duplicates, empty
  const purposeArb = fc.option(fc.oneof(fc.constantFrom(...AGREEMENT_PURPOSES), fc.constantFrom(...PURPOSES)), { nil: undefined, freq: 3 });
  const build = (
    a: Agency,
    roles: Role[],
    purpose: Purpose | undefined,
    subject: string,
    issuer: string,
    expiresAt: number,
  ): Principal => ({ subject, agency: a, roles, ...(purpose !== undefined ? { purpose } : {}), issuer, expiresAt });

  const principalArb = (agencies: Agency[]) =>
    fc
      .record({
        agency: fc.constantFrom(...agencies),
        roles: rolesArb,
        purpose: purposeArb,
        subject: fc.string({ maxLength: 6 }),
        issuer: fc.constantFrom('iss-a', 'iss-b'),
        expiresAt: fc.integer({ min: NOW.getTime() / 1000 - 3600, max: NOW.getTime() / 1000 + 30 * 86400 }),
      })
      .map((x) => build(x.agency, x.roles, x.purpose, x.subject, x.issuer, x.expiresAt));

  /**
   * Roles and purpose at random, another token, and the same agency: the same object, an equal
   * copy under another name, or a copy with one attribute changed (as a principal holds across a
   * membership reload; the engine reads code, kind, country and ports off the principal).
   */
  const variantArb = (p: Principal) => {
    const other = <T>(values: readonly T[], mine: T) => fc.constantFrom(...values.filter((v) => v !== mine));
    /** The same analyst/auditor roles in another order, with 'viewer' and repeats toggled. */
    const sameRolesArb = fc.tuple(fc.boolean(), fc.boolean()).map(([viewer, repeat]): Role[] => {
      const roles: Role[] = p.roles.filter((r) => r !== 'viewer').reverse();
      if (viewer) roles.push('viewer');
      if (repeat && roles.length > 0) roles.push(roles[0]);
      return roles;
    });
    return fc
      .record({
        agency: fc.oneof(
          fc.constantFrom(p.agency, { ...p.agency, name: `${p.agency.name} (copy)`, ports: [...p.agency.ports] }),
          other(AGENCY_KINDS, p.agency.kind).map((kind): Agency => ({ ...p.agency, kind })),
          other([...COUNTRIES, 'FR'], p.agency.country).map((country): Agency => ({ ...p.agency, country })),
          fc.subarray([...PORTS]).map((ports): Agency => ({ ...p.agency, ports })),
          other([...CODES, OUTSIDER], p.agency.code).map((code): Agency => ({ ...p.agency, code, name: code })),
        ),
        roles: fc.oneof(rolesArb, sameRolesArb),
        purpose: fc.oneof(fc.constant(p.purpose), purposeArb),
        expiresIn: fc.integer({ min: 1, max: 86400 }),
      })
      .map((x) => build(x.agency, x.roles, x.purpose, `${p.subject}-other`, `${p.issuer}-other`, p.expiresAt + x.expiresIn));
  };

  const caseArb = agenciesArb.chain((agencies) => {
    const codes = agencies.map((a) => a.code);
    const agreementArb = fc.record({
      provider: fc.constantFrom(...codes, OUTSIDER),
      recipients: fc.subarray([...codes, OUTSIDER], { minLength: 1 }),
      types: fc.subarray([...SHAREABLE_TYPES], { minLength: 1 }),
      jurisdictions: fc.subarray([...COUNTRIES, 'FR']),
      maxTlp: fc.constantFrom(...TLP_LEVELS), // RED included, as in the rowFilter property
      fields: fc.subarray(FIELD_NAMES),
      purposes: fc.subarray([...AGREEMENT_PURPOSES]),
      fromDays: fc.integer({ min: -20, max: 5 }),
      untilDays: fc.option(fc.integer({ min: -5, max: 20 }), { nil: undefined }),
    });
    return fc.record({
      agencies: fc.constant(agencies),
      agreements: fc.array(agreementArb, { maxLength: 10 }).map((list) => list.map(generatedAgreement)),
      // Whole days, so evaluation times also fall exactly on agreement boundaries.
      times: fc
        .uniqueArray(
          fc.integer({ min: -25, max: 25 }).filter((d) => d !== 0),
          { maxLength: 4 },
        )
        .map((days) => [NOW, ...days.map((d) => new Date(NOW.getTime() + d * DAY))]),
      records: fc.array(
        fc.record({
          ownerAgency: fc.constantFrom(...codes, OUTSIDER),
          tlp: fc.constantFrom(...TLP_LEVELS),
          jurisdiction: fc.constantFrom(...COUNTRIES, 'FR'),
          recipients: fc.subarray([...codes, OUTSIDER], { maxLength: 3 }),
        }),
        { minLength: 10, maxLength: 25 },
      ),
      pair: principalArb(agencies).chain((p1) =>
        fc.tuple(fc.constant(p1), fc.oneof({ arbitrary: variantArb(p1), weight: 3 }, { arbitrary: principalArb(agencies), weight: 1 })),
      ),
    });
  });

  type NonReadKind = Exclude<Action['kind'], 'read'>;
  /** Every non-read action; the mapped type stops compiling when Action gains a kind this test does not try. */
  const nonReadActions = (codes: string[], records: ShareableRecord[]): { [K in NonReadKind]: Extract<Action, { kind: K }>[] } => ({
    publish: PUBLISHED.flatMap((type) => [...codes, OUTSIDER].map((ownerAgency) => ({ kind: 'publish' as const, type, ownerAgency }))),
    submitReport: [...PORTS, 'FRLEH'].map((port) => ({ kind: 'submitReport' as const, port })),
    triageReport: records.map((record) => ({ kind: 'triageReport' as const, record })),
    triageReports: [{ kind: 'triageReports' }],
    readTriageNotes: records.map((record) => ({ kind: 'readTriageNotes' as const, record })),
    readAlertNotes: records.map((record) => ({ kind: 'readAlertNotes' as const, record })),
    readAuditTrail: [{ kind: 'readAuditTrail' }],
    reportSighting: [{ kind: 'reportSighting' }],
    receiveEntryFeedback: [{ kind: 'receiveEntryFeedback' }],
    manageWebhooks: [...codes, OUTSIDER].map((ownerAgency) => ({ kind: 'manageWebhooks' as const, ownerAgency })),
    writeRegistry: [{ kind: 'writeRegistry' }],
    manageRevocations: [...codes, OUTSIDER].map((agency) => ({ kind: 'manageRevocations' as const, agency })),
  });

  const norm = (d: Decision) => ({
    allowed: d.allowed,
    basis: d.basis,
    agreementId: d.agreementId,
    reason: d.reason,
    releasedFields: d.releasedFields === undefined ? undefined : [...d.releasedFields].sort(),
  });
  const same = (what: string, a: unknown, b: unknown) => {
    if (!isDeepStrictEqual(a, b)) throw new Error(`${what} differs under equal keys:\n  ${JSON.stringify(a)}\n  ${JSON.stringify(b)}`);
  };

  it('principals with equal keys get equal decisions and row filters, for every action and record', () => {
    let equalButDifferent = 0;
    let equalRolesDiffer = 0;
    let equalPurposeDiffers = 0;
    let keysDiffer = 0;
    fc.assert(
      fc.property(caseArb, ({ agencies, agreements, times, records, pair: [p1, p2] }) => {
        const policy: PolicySet = { ...policyOf(agreements, agencies), fields: KEY_FIELDS };
        const codes = agencies.map((a) => a.code);
        const actions = Object.values(nonReadActions(codes, records)).flat() as Action[];
        for (const t of times) {
          if (decisionKey(policy, p1, t) !== decisionKey(policy, p2, t)) {
            keysDiffer++;
            continue;
          }
          const rolesDiffer = JSON.stringify(p1.roles) !== JSON.stringify(p2.roles);
          const purposeDiffers = p1.purpose !== p2.purpose;
          if (rolesDiffer || purposeDiffers || p1.subject !== p2.subject) equalButDifferent++;
          if (rolesDiffer) equalRolesDiffer++;
          if (purposeDiffers) equalPurposeDiffers++;
          const at = `at ${t.toISOString()}`;
          for (const type of SHAREABLE_TYPES) {
            for (const r of records) {
              same(
                `decideRead ${type} ${JSON.stringify(r)} ${at}`,
                norm(decideRead(policy, p1, type, r, t)),
                norm(decideRead(policy, p2, type, r, t)),
              );
              const action: Action = { kind: 'read', type, record: r };
              same(
                `decide read ${type} ${JSON.stringify(r)} ${at}`,
                norm(decide(policy, p1, action, t)),
                norm(decide(policy, p2, action, t)),
              );
            }
            const f1 = rowFilter(policy, p1, type, 'r', t);
            const f2 = rowFilter(policy, p2, type, 'r', t);
            same(`rowFilter ${type} sql ${at}`, f1.sql, f2.sql);
            same(`rowFilter ${type} params ${at}`, f1.params, f2.params);
          }
          for (const action of actions) {
            same(`decide ${JSON.stringify(action)} ${at}`, norm(decide(policy, p1, action, t)), norm(decide(policy, p2, action, t)));
          }
        }
      }),
      { numRuns: 200 },
    );
    // Not vacuous: different principals often share a key, and keys do tell principals apart.
    expect(equalButDifferent).toBeGreaterThan(0);
    expect(equalRolesDiffer).toBeGreaterThan(0);
    expect(equalPurposeDiffers).toBeGreaterThan(0);
    expect(keysDiffer).toBeGreaterThan(0);
  }, 30_000);

  it('ignores what the engine does not read, and follows what it does', () => {
    /** be-customs reads nl-customs records for CUSTOMS purposes, until two days from NOW. */
    const CUSTOMS_TO_BE = agreement({
      id: 'nl-to-be-customs',
      provider: 'nl-customs',
      recipients: ['be-customs'],
      purposes: ['CUSTOMS'],
      validUntil: new Date(NOW.getTime() + 2 * DAY),
    });
    /** FISHERIES opens an agreement, but only for fr-douane. */
    const FISHERIES_TO_FR = agreement({
      id: 'nl-to-fr-fisheries',
      provider: 'nl-customs',
      recipients: ['fr-douane'],
      purposes: ['FISHERIES'],
    });
    const policy = policyOf([CUSTOMS_TO_BE, FISHERIES_TO_FR]);
    const key = (p: Principal, at = NOW) => decisionKey(policy, p, at);
    const base = principal(BE_CUSTOMS, ['viewer']);

    // Not read: the token's subject, issuer and expiry; the viewer role; role order and repeats;
    // a purpose no agreement naming be-customs lists.
    expect(key({ ...base, subject: 'someone-else', issuer: 'other-issuer', expiresAt: base.expiresAt + 86400 })).toBe(key(base));
    expect(key(principal(BE_CUSTOMS, []))).toBe(key(base));
    expect(key(principal(BE_CUSTOMS, ['viewer'], 'FISHERIES'))).toBe(key(base));
    expect(key(principal(BE_CUSTOMS, ['viewer'], 'DEFENCE'))).toBe(key(base));
    expect(key(principal(BE_CUSTOMS, ['auditor', 'viewer', 'analyst', 'analyst']))).toBe(
      key(principal(BE_CUSTOMS, ['analyst', 'auditor'])),
    );

    // Read: the agency, the analyst and auditor roles, a purpose that opens an agreement.
    const nlCustoms = principal(NL_CUSTOMS, ['viewer']);
    const analyst = principal(BE_CUSTOMS, ['analyst']);
    const auditor = principal(BE_CUSTOMS, ['auditor']);
    const forCustoms = principal(BE_CUSTOMS, ['viewer'], 'CUSTOMS');
    const sameButCode = principal({ ...BE_CUSTOMS, code: 'be-customs-2', name: 'be-customs-2' }, ['viewer']);
    expect(new Set([base, nlCustoms, sameButCode, analyst, auditor, forCustoms].map((p) => key(p))).size).toBe(6);
    // ... and each of those changes an answer.
    const nlAmber = rec('nl-customs', 'AMBER', 'NL');
    const reads = (p: Principal, at = NOW) => decideRead(policy, p, 'WatchlistEntry', nlAmber, at).allowed;
    expect(reads(base)).toBe(false);
    expect(reads(nlCustoms)).toBe(true);
    expect(decideRead(policy, sameButCode, 'WatchlistEntry', rec('be-customs', 'RED', 'BE'), NOW).allowed).toBe(false);
    expect(decideRead(policy, base, 'WatchlistEntry', rec('be-customs', 'RED', 'BE'), NOW).allowed).toBe(true);
    expect(decide(policy, analyst, { kind: 'triageReports' }, NOW).allowed).toBe(true);
    expect(decide(policy, base, { kind: 'triageReports' }, NOW).allowed).toBe(false);
    expect(decide(policy, auditor, { kind: 'readAuditTrail' }, NOW).allowed).toBe(true);
    expect(decide(policy, base, { kind: 'readAuditTrail' }, NOW).allowed).toBe(false);
    expect(reads(forCustoms)).toBe(true);

    // Time: validUntil is inclusive; one millisecond later the agreement is closed, and so is the key.
    const lastMoment = new Date(NOW.getTime() + 2 * DAY);
    const closed = new Date(lastMoment.getTime() + 1);
    expect(key(forCustoms, lastMoment)).toBe(key(forCustoms));
    expect(reads(forCustoms, lastMoment)).toBe(true);
    expect(key(forCustoms, closed)).not.toBe(key(forCustoms));
    expect(key(forCustoms, closed)).toBe(key(base, closed));
    expect(reads(forCustoms, closed)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties of what a read releases, on random policies, records and principals (in memory: a
// field's verdict has no SQL form, rows are filtered by rowFilter above)

describe('fields: properties on random policies', () => {
  const COUNTRIES = ['NL', 'BE'] as const;
  const CODES = ['ag-a', 'ag-b', 'ag-c'] as const;
  /** Every kind of field class: owner-only, released to the jurisdiction, sensitive only. */
  const RICH_FIELDS: Record<ShareableType, FieldClasses> = {
    Watchlist: { core: ['id', 'name', 'tlp'], sensitive: [] },
    WatchlistEntry: {
      core: ['id', 'reason', 'tlp'],
      sensitive: ['source', 'notes'],
      owner: ['history'],
      releasedToJurisdiction: ['source'],
    },
    VesselAlert: { core: ['id', 'title', 'tlp'], sensitive: ['intelligenceSummary'] },
    SuspiciousActivityReport: {
      core: ['id', 'description', 'tlp'],
      sensitive: ['reporterContact', 'submittedBy'],
      releasedToJurisdiction: ['submittedBy'],
    },
    VesselPosition: { core: ['id', 'lat', 'lon', 'tlp'], sensitive: [] },
  };
  /** What agreements may list: every sensitive field, plus an owner field and a core field (which release nothing). */
  const LISTABLE = [...new Set(SHAREABLE_TYPES.flatMap((t) => RICH_FIELDS[t].sensitive)), 'history', 'reason'];
  const ORDER: readonly AccessBasis[] = ACCESS_BASES;

  const caseArb = fc
    .uniqueArray(fc.constantFrom(...CODES), { minLength: 2, maxLength: CODES.length })
    .chain((codes) =>
      fc.tuple(
        ...codes.map((code) =>
          fc
            .record({ kind: fc.constantFrom(...AGENCY_KINDS), country: fc.constantFrom(...COUNTRIES) })
            .map(({ kind, country }): Agency => agency(code, kind, country)),
        ),
      ),
    )
    .chain((agencies) => {
      const codes = agencies.map((a) => a.code);
      return fc.record({
        agencies: fc.constant(agencies),
        agreements: fc
          .array(
            fc.record({
              provider: fc.constantFrom(...codes),
              recipients: fc.subarray(codes, { minLength: 1 }),
              types: fc.subarray([...SHAREABLE_TYPES], { minLength: 1 }),
              jurisdictions: fc.subarray([...COUNTRIES]),
              maxTlp: fc.constantFrom(...TLP_LEVELS),
              fields: fc.subarray(LISTABLE),
              purposes: fc.subarray([...PURPOSES.slice(0, 2)]),
              fromDays: fc.integer({ min: -5, max: 1 }),
              untilDays: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
            }),
            { maxLength: 5 },
          )
          .map((list) => list.map(generatedAgreement)),
        who: fc
          .record({
            agency: fc.constantFrom(...agencies),
            roles: fc.subarray([...ROLES]),
            purpose: fc.option(fc.constantFrom(...PURPOSES.slice(0, 3)), { nil: undefined }),
          })
          .map((x) => principal(x.agency, x.roles, x.purpose)),
        records: fc.array(
          fc.record({
            ownerAgency: fc.constantFrom(...codes),
            tlp: fc.constantFrom(...TLP_LEVELS),
            jurisdiction: fc.constantFrom(...COUNTRIES),
            recipients: fc.subarray(codes, { maxLength: 2 }),
          }),
          { minLength: 5, maxLength: 15 },
        ),
      });
    });

  const policyWith = (agencies: Agency[], agreements: Agreement[]): PolicySet => ({
    ...policyOf(agreements, agencies),
    fields: RICH_FIELDS,
  });

  it('bases are independent: the decision under all agreements is the union of the decisions under each alone', () => {
    const seen = { union: 0, recipientWithAgreement: 0, twoReleasing: 0 };
    fc.assert(
      fc.property(caseArb, ({ agencies, agreements, who, records }) => {
        const full = policyWith(agencies, agreements);
        const parts = [policyWith(agencies, []), ...agreements.map((a) => policyWith(agencies, [a]))];
        for (const type of SHAREABLE_TYPES) {
          for (const r of records) {
            const d = decideRead(full, who, type, r, NOW);
            const each = parts.map((p) => decideRead(p, who, type, r, NOW));
            const allowed = each.filter((x) => x.allowed);
            const where = `${type} ${JSON.stringify(r)} for ${JSON.stringify(who)} under ${JSON.stringify(agreements)}`;
            if (d.allowed !== allowed.length > 0) throw new Error(`visibility is not the union: ${where}`);
            if (!d.allowed) continue;
            const firstBasis = ORDER.find((b) => allowed.some((x) => x.basis === b));
            if (d.basis !== firstBasis) throw new Error(`basis ${d.basis}, expected ${firstBasis}: ${where}`);
            const union = [...new Set(allowed.flatMap((x) => [...x.releasedFields!]))].sort();
            if (!isDeepStrictEqual([...d.releasedFields!].sort(), union)) {
              throw new Error(`released ${JSON.stringify([...d.releasedFields!])}, union ${JSON.stringify(union)}: ${where}`);
            }
            // agreementId: named exactly when some agreement alone would be named, and then one that,
            // alone, is named too; unless it is the basis, it released a field read here.
            const namedAlone = each.filter((x) => x.agreementId !== undefined);
            if ((d.agreementId !== undefined) !== namedAlone.length > 0) throw new Error(`agreementId ${d.agreementId}: ${where}`);
            if (d.agreementId !== undefined) {
              if (!namedAlone.some((x) => x.agreementId === d.agreementId))
                throw new Error(`agreementId ${d.agreementId} not named alone: ${where}`);
              const a = agreements.find((x) => x.id === d.agreementId)!;
              const releasesHere = a.fields.filter((f) => RICH_FIELDS[type].sensitive.includes(f));
              if (d.basis !== 'AGREEMENT' && !releasesHere.some((f) => d.releasedFields!.has(f))) {
                throw new Error(`agreementId ${d.agreementId} released nothing: ${where}`);
              }
            }
            if (allowed.length > 1) seen.union++;
            if (d.basis === 'RECIPIENT' && d.agreementId !== undefined) seen.recipientWithAgreement++;
            if (each.filter((x) => x.agreementId !== undefined && x.releasedFields!.size > 0).length > 1) seen.twoReleasing++;
          }
        }
      }),
      { numRuns: 300 },
    );
    // Not vacuous: several bases held at once, in the shapes the rule is about.
    expect(seen.union).toBeGreaterThan(0);
    expect(seen.recipientWithAgreement).toBeGreaterThan(0);
    expect(seen.twoReleasing).toBeGreaterThan(0);
  }, 60_000);
  it("fieldVerdict agrees with decideRead's releasedFields and with redactedFields, for every field class", () => {
    const seen = { audited: 0, withheld: 0, ownerOnly: 0, referenced: 0 };
    fc.assert(
      fc.property(caseArb, ({ agencies, agreements, who, records }) => {
        const policy = policyWith(agencies, agreements);
        for (const type of SHAREABLE_TYPES) {
          const classes = RICH_FIELDS[type];
          const fields = [...classes.core, ...classes.sensitive, ...(classes.owner ?? []), 'unclassed'];
          for (const r of records) {
            const read = decideRead(policy, who, type, r, NOW);
            for (const d of read.allowed ? [read] : [read, REFERENCED]) {
              const redacted = redactedFields(policy, type, d);
              const where = `${type} ${JSON.stringify(r)} under ${JSON.stringify({ basis: d.basis, allowed: d.allowed })}`;
              expect({ where, redacted }).toEqual({ where, redacted: classes.sensitive.filter((f) => !d.releasedFields?.has(f)) });
              if (d === REFERENCED) seen.referenced++;
              for (const field of fields) {
                const v = fieldVerdict(policy, type, field, d);
                const at = `${where}: ${field} -> ${JSON.stringify(v)}`;
                if (!d.allowed) {
                  if (v.allowed) throw new Error(`a field of a hidden record: ${at}`);
                  continue;
                }
                // Allowed exactly for core fields and the fields the decision releases.
                const readable = classes.core.includes(field) || d.releasedFields!.has(field);
                if (v.allowed !== readable) throw new Error(`verdict disagrees with releasedFields: ${at}`);
                if (classes.sensitive.includes(field) && v.allowed === redacted.includes(field)) {
                  throw new Error(`verdict disagrees with redactedFields: ${at}`);
                }
                if (v.allowed) {
                  const audited = classes.sensitive.includes(field) && d.basis !== 'OWNER';
                  const expected = audited
                    ? { basis: d.basis, ...(d.agreementId !== undefined ? { agreementId: d.agreementId } : {}) }
                    : undefined;
                  if (!isDeepStrictEqual(v.auditAs, expected)) throw new Error(`auditAs should be ${JSON.stringify(expected)}: ${at}`);
                  if (audited) seen.audited++;
                } else {
                  const reason = classes.owner?.includes(field)
                    ? `${type}.${field} is shown only to the owning agency`
                    : classes.sensitive.includes(field)
                      ? `${type}.${field} is withheld: access by ${d.basis} does not release it`
                      : `${type}.${field} is not classed in fields.yaml`;
                  if (v.reason !== reason) throw new Error(`reason should be ${JSON.stringify(reason)}: ${at}`);
                  if (classes.sensitive.includes(field)) seen.withheld++;
                  if (classes.owner?.includes(field)) seen.ownerOnly++;
                }
              }
            }
          }
        }
      }),
      { numRuns: 200 },
    );
    expect(seen.audited).toBeGreaterThan(0);
    expect(seen.withheld).toBeGreaterThan(0);
    expect(seen.ownerOnly).toBeGreaterThan(0);
    expect(seen.referenced).toBeGreaterThan(0);
  }, 60_000);
});

describe('fieldVerdict and redactedFields: the field rule of shareable types', () => {
  const policy = { ...policyOf([NL_TO_BE]), fields: { ...FIELDS, WatchlistEntry: { ...FIELDS.WatchlistEntry, owner: ['history'] } } };
  const verdict = (who: Principal, field: string, r = rec('nl-customs', 'AMBER', 'NL')) =>
    fieldVerdict(policy, 'WatchlistEntry', field, decideRead(policy, who, 'WatchlistEntry', r, NOW));

  it('the owner reads every classed field, and its reads are not audited', () => {
    for (const field of ['reason', 'source', 'notes', 'history']) expect(verdict(principal(NL_CUSTOMS), field)).toEqual({ allowed: true });
  });

  it("an agreement's fields are read and audited as resting on it; owner fields stay the owner's", () => {
    const be = principal(BE_CUSTOMS);
    expect(verdict(be, 'reason')).toEqual({ allowed: true });
    expect(verdict(be, 'source')).toEqual({ allowed: true, auditAs: { basis: 'AGREEMENT', agreementId: 'nl-to-be' } });
    expect(verdict(be, 'history')).toEqual({ allowed: false, reason: 'WatchlistEntry.history is shown only to the owning agency' });
    expect(verdict(be, 'colour')).toEqual({ allowed: false, reason: 'WatchlistEntry.colour is not classed in fields.yaml' });
  });

  it('a basis that releases nothing: withheld, naming the basis', () => {
    const d = decideRead(policy, principal(NL_COASTGUARD), 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL'), NOW);
    expect(fieldVerdict(policy, 'WatchlistEntry', 'notes', d)).toEqual({
      allowed: false,
      reason: 'WatchlistEntry.notes is withheld: access by JURISDICTION does not release it',
    });
    expect(redactedFields(policy, 'WatchlistEntry', d)).toEqual(['source', 'notes']);
  });

  it("a recipient reading an agreement's field is audited on its basis, RECIPIENT, with the agreement", () => {
    const r = rec('nl-customs', 'AMBER', 'NL', ['be-customs']);
    expect(verdict(principal(BE_CUSTOMS), 'notes', r)).toEqual({ allowed: true, auditAs: { basis: 'RECIPIENT', agreementId: 'nl-to-be' } });
  });

  it('REFERENCED: core fields only, every sensitive field redacted', () => {
    expect(fieldVerdict(policy, 'WatchlistEntry', 'reason', REFERENCED)).toEqual({ allowed: true });
    expect(fieldVerdict(policy, 'WatchlistEntry', 'source', REFERENCED)).toEqual({
      allowed: false,
      reason: 'WatchlistEntry.source is withheld: access by REFERENCED does not release it',
    });
    expect(redactedFields(policy, 'WatchlistEntry', REFERENCED)).toEqual(['source', 'notes']);
  });

  it('decideReferenced: a hidden watchlist reached from a visible entry is REFERENCED; a hidden entry or alert stays hidden', () => {
    const red = rec('nl-customs', 'RED', 'NL');
    expect(decideReferenced(policy, principal(FR_DOUANE), 'Watchlist', red, NOW)).toBe(REFERENCED);
    for (const type of ['WatchlistEntry', 'VesselAlert', 'SuspiciousActivityReport'] as const) {
      expect(decideReferenced(policy, principal(FR_DOUANE), type, red, NOW)).toEqual(
        decideRead(policy, principal(FR_DOUANE), type, red, NOW),
      );
      expect(decideReferenced(policy, principal(FR_DOUANE), type, red, NOW).allowed).toBe(false);
    }
    // A record visible on its own keeps its own basis.
    const own = rec('nl-customs', 'RED', 'NL', ['fr-douane']);
    expect(decideReferenced(policy, principal(FR_DOUANE), 'Watchlist', own, NOW).basis).toBe('RECIPIENT');
  });

  it('a hidden record: no field at all, not even core', () => {
    const hidden = decideRead(policy, principal(FR_DOUANE), 'WatchlistEntry', rec('nl-customs', 'AMBER', 'NL'), NOW);
    expect(hidden.allowed).toBe(false);
    expect(fieldVerdict(policy, 'WatchlistEntry', 'reason', hidden)).toMatchObject({ allowed: false });
  });
});

// ---------------------------------------------------------------------------------------------
// The engine stays pure: decisions depend on their arguments only, never on a service or the database

describe('the engine imports nothing of the project but ./types and src/common', () => {
  const ENGINE_FILES = ['engine', 'agreements', 'membership', 'scopes'];
  it.each(ENGINE_FILES)('src/policy/%s.ts', (file) => {
    const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'policy', `${file}.ts`), 'utf8');
    const imports = [...source.matchAll(/^import[^;]*?from '([^']+)';/gms)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    const allowed = (spec: string) => spec === './types' || spec.startsWith('../common/') || ENGINE_FILES.some((f) => spec === `./${f}`);
    expect(imports.filter((spec) => !allowed(spec))).toEqual([]);
  });
});
