import { Client } from 'pg';
import { addWatchlistEntry, createWatchlist, entryInput, recordInRegistry } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { badImo, imoFrom } from './support/vessels';

let hub: TestHub;
const nl = tokenFor('nl-customs');
// Sees Dutch Customs' NL entries up to AMBER through the counter-narcotics agreement.
const beAgreement = tokenFor('be-customs', ['analyst'], { purpose: 'LAW_ENFORCEMENT' });
// The same agency without a purpose the agreement accepts: the agreement does not apply.
const beNoPurpose = tokenFor('be-customs', ['analyst']);

const A = imoFrom(907472); // OCEAN STAR
const B = imoFrom(917618); // NORDIC SPIRIT, renamed BALTIC SPIRIT
const C = imoFrom(918762); // SÃO JOÃO
const D = imoFrom(918765); // OCEAN STARS: another ship with a similar name
const UNKNOWN = imoFrom(930001);
const V = imoFrom(930002); // VOLGA STAR
const V3 = imoFrom(930003); // VICTORY 3

const ids: Record<string, string> = {};

const HIT = 'entry { id tlp reason } matchedOn score matchedName';
const SCREEN = `query($imo: IMONumber, $mmsi: MMSI, $name: String, $flag: CountryCode) {
  screenVessel(imo: $imo, mmsi: $mmsi, name: $name, flag: $flag) {
    hits { ${HIT} } totalHits warnings { code message } vessel { imo name flag }
    query { imo mmsi name flag normalizedName } screenedAt } }`;

async function add(key: string, watchlistId: string, vessel: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  ids[key] = await addWatchlistEntry(hub, nl, entryInput(watchlistId, vessel, { category: 'SANCTIONS_EVASION', reason: key, ...extra }));
}

beforeAll(async () => {
  // Up to 1,000 names in one operation, as SCREENING_MAX_NAMES allows at most (the default is 200).
  hub = await startTestHub({ limits: { screeningNames: 1000, maxCost: 100_000 } });
  // The registry as its authority records it; entries keep the vessel as their author gave it.
  await recordInRegistry(hub, [
    { imo: A, name: 'OCEAN STAR', mmsi: '244123456', flag: 'NL' },
    { imo: B, name: 'BALTIC SPIRIT', formerNames: ['NORDIC SPIRIT'] },
    { imo: C, name: 'SÃO JOÃO' },
    { imo: D, name: 'OCEAN STARS' },
  ]);
  const wl = await createWatchlist(hub, nl, { name: 'Screening' });
  await add('ocean', wl, { imo: A, name: 'OCEAN STAR', mmsi: '244123456', flag: 'NL' });
  await add('nordic', wl, { imo: B, name: 'NORDIC SPIRIT' });
  await add('baltic', wl, { imo: B, name: 'BALTIC SPIRIT' }); // NORDIC SPIRIT is a former name on record
  await add('sao', wl, { imo: C, name: 'SÃO JOÃO' });
  await add('stars', wl, { imo: D, name: 'OCEAN STARS' });
  await add('red', wl, { imo: A, name: 'OCEAN STAR' }, { tlp: 'RED' }); // no recipients: the owner's alone
  await add('expired', wl, { imo: A, name: 'OCEAN STAR' }, { validFrom: '2025-01-01T00:00:00Z', validUntil: '2025-06-01T00:00:00Z' });
  await add('future', wl, { imo: A, name: 'OCEAN STAR' }, { validFrom: '2099-01-01T00:00:00Z' });
  await add('volga', wl, { imo: V, name: 'VOLGA STAR' });
  await add('victory', wl, { imo: V3, name: 'VICTORY III' });
});
afterAll(() => hub.stop());

const screen = async (token: string, vars: Record<string, unknown>) => {
  const res = await hub.gql(token, SCREEN, vars);
  expect(res.errors).toBeUndefined();
  return res.data!.screenVessel;
};
const keysOf = (hits: { entry: { id: string } }[]) => hits.map((h) => Object.keys(ids).find((k) => ids[k] === h.entry.id) ?? h.entry.id);

describe('exact identifiers', () => {
  test('an IMO hit is exact, scores 1 and is found by a partner through its agreement', async () => {
    const r = await screen(beAgreement, { imo: `IMO ${A}` });
    expect(keysOf(r.hits)).toEqual(['ocean']);
    expect(r.hits[0]).toMatchObject({ matchedOn: 'IMO', score: 1, matchedName: null });
    expect(r.totalHits).toBe(1);
    expect(r.vessel).toEqual({ imo: A, name: 'OCEAN STAR', flag: 'NL' });
    expect(r.query.imo).toBe(A);
  });

  test('an MMSI hit', async () => {
    const r = await screen(beAgreement, { mmsi: '244123456' });
    expect(keysOf(r.hits)).toEqual(['ocean']);
    expect(r.hits[0]).toMatchObject({ matchedOn: 'MMSI', score: 0.95 });
  });

  test('an IMO with a wrong check digit is bad input, not "no hits"', async () => {
    const res = await hub.gql(beAgreement, SCREEN, { imo: badImo(907472) });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/wrong check digit/);
    expect(res.data).toBeUndefined();
  });

  test('nothing to screen is bad input', async () => {
    const res = await hub.gql(beAgreement, SCREEN, {});
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const blank = await hub.gql(beAgreement, SCREEN, { name: '   ' });
    expect(blank.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('fuzzy names', () => {
  test('"M/V Ocean Star" finds OCEAN STAR, and the similar OCEAN STARS below it', async () => {
    const r = await screen(beAgreement, { name: 'M/V Ocean Star' });
    expect(r.query.normalizedName).toBe('OCEAN STAR');
    expect(keysOf(r.hits)).toEqual(['ocean', 'stars']);
    expect(r.hits[0]).toMatchObject({ matchedOn: 'NAME', score: 0.9, matchedName: 'OCEAN STAR' });
    expect(r.hits[1].score).toBeLessThan(0.9);
    expect(r.hits[1].score).toBeGreaterThan(0.45);
  });

  test('punctuation, case and prefixes are normalised: "m.v. OCEAN-star"', async () => {
    const r = await screen(beAgreement, { name: 'm.v. OCEAN-star' });
    expect(keysOf(r.hits)[0]).toBe('ocean');
    expect(r.hits[0].score).toBe(0.9);
  });

  test("a former name finds the renamed vessel's entries", async () => {
    const r = await screen(beAgreement, { name: 'Nordic Spirit' });
    expect(keysOf(r.hits).sort()).toEqual(['baltic', 'nordic']);
    expect(r.hits.every((h: { matchedName: string }) => h.matchedName === 'NORDIC SPIRIT')).toBe(true);
  });

  test('accents are transliterated both ways', async () => {
    expect(keysOf((await screen(beAgreement, { name: 'Sao Joao' })).hits)).toEqual(['sao']);
    expect(keysOf((await screen(beAgreement, { name: 'São João' })).hits)).toEqual(['sao']);
  });

  test('a different IMO with a similar name ranks below the exact IMO hit', async () => {
    const r = await screen(beAgreement, { imo: A, name: 'OCEAN STAR' });
    expect(keysOf(r.hits)).toEqual(['ocean', 'stars']);
    expect(r.hits[0]).toMatchObject({ matchedOn: 'IMO', score: 1 });
    // the other ship's name match is discounted because its IMO differs from the one screened
    expect(r.hits[1].matchedOn).toBe('NAME');
    expect(r.hits[1].score).toBeLessThan(0.6);
  });

  test('an unrelated name is no hit', async () => {
    const r = await screen(beAgreement, { name: 'PACIFIC DAWN' });
    expect(r.hits).toEqual([]);
    expect(r.totalHits).toBe(0);
  });
});

describe('name-v2: scripts, numbers, explanations', () => {
  const EXPLAINED = `query($name: String, $imo: IMONumber) { screenVessel(name: $name, imo: $imo) { algorithm query { normalizedName }
    hits { entry { id } matchedOn score matchedName
      explanation { similarity terms { screened listed how } numbersAgreed unmatchedScreened unmatchedListed identifiersDisagreed } } } }`;
  const explained = async (vars: Record<string, unknown>) => {
    const res = await hub.gql(beAgreement, EXPLAINED, vars);
    expect(res.errors).toBeUndefined();
    return res.data!.screenVessel;
  };

  test("a Russian crew list's ВОЛГА СТАР finds VOLGA STAR, and the hit says why", async () => {
    const r = await explained({ name: 'ВОЛГА СТАР' });
    expect(r.algorithm).toBe('name-v2');
    expect(r.query.normalizedName).toBe('VOLGA STAR');
    expect(keysOf(r.hits)).toEqual(['volga']);
    expect(r.hits[0]).toMatchObject({ matchedOn: 'NAME', score: 0.9, matchedName: 'VOLGA STAR' });
    expect(r.hits[0].explanation).toEqual({
      similarity: 1,
      terms: [
        { screened: 'VOLGA', listed: 'VOLGA', how: 'EXACT' },
        { screened: 'STAR', listed: 'STAR', how: 'EXACT' },
      ],
      numbersAgreed: [],
      unmatchedScreened: [],
      unmatchedListed: [],
      identifiersDisagreed: [],
    });
  });

  test('numbers must agree: VICTORY 3 and VICTORY III find VICTORY III, VICTORY 5 does not', async () => {
    for (const name of ['MV VICTORY 3', 'Victory III']) {
      const r = await explained({ name });
      expect(keysOf(r.hits)).toEqual(['victory']);
      expect(r.hits[0].explanation.numbersAgreed).toEqual(['3']);
    }
    expect((await explained({ name: 'VICTORY 5' })).hits).toEqual([]);
  });

  test('a joined name and a typo still find the ship; an identifier that disagrees is named', async () => {
    const joined = await explained({ name: 'VOLGASTAR' });
    expect(keysOf(joined.hits)).toEqual(['volga']);
    expect(joined.hits[0].explanation.terms).toEqual([{ screened: 'VOLGASTAR', listed: 'VOLGA STAR', how: 'JOINED' }]);
    const other = await explained({ name: 'VOLGA STRA', imo: UNKNOWN });
    expect(keysOf(other.hits)).toEqual(['volga']);
    expect(other.hits[0].explanation.identifiersDisagreed).toEqual(['IMO']);
    expect(other.hits[0].score).toBeLessThan(0.6);
  });

  test('identifier hits carry no name explanation', async () => {
    const r = await explained({ imo: V });
    expect(r.hits[0]).toMatchObject({ matchedOn: 'IMO', score: 1, explanation: null });
  });
});

describe('visibility and validity', () => {
  test('an entry the caller may not see is never a hit and never counted', async () => {
    const owner = await screen(nl, { imo: A });
    expect(keysOf(owner.hits).sort()).toEqual(['ocean', 'red']);
    expect(owner.totalHits).toBe(2);

    const partner = await screen(beAgreement, { imo: A, name: 'OCEAN STAR' });
    expect(keysOf(partner.hits)).not.toContain('red');
    expect(partner.totalHits).toBe(2); // ocean (IMO) and stars (NAME), never red

    const noAgreement = await screen(beNoPurpose, { imo: A, name: 'OCEAN STAR', mmsi: '244123456' });
    expect(noAgreement.hits).toEqual([]);
    expect(noAgreement.totalHits).toBe(0);
    // the registry record is reference data every member reads
    expect(noAgreement.vessel.imo).toBe(A);

    const operator = await screen(tokenFor('nl-ect-terminal', ['viewer']), { name: 'OCEAN STAR' });
    expect(operator.totalHits).toBe(0);
  });

  test('expired and not-yet-valid entries are no hits, even for the owner', async () => {
    const owner = await screen(nl, { imo: A, name: 'OCEAN STAR' });
    expect(keysOf(owner.hits)).not.toContain('expired');
    expect(keysOf(owner.hits)).not.toContain('future');
  });

  test('a removed entry stops being a hit', async () => {
    const list = await createWatchlist(hub, nl, { name: 'Removal', tlp: 'GREEN' });
    const E = imoFrom(931112);
    await add('removed', list, { imo: E, name: 'TEMPORARY' });
    expect((await screen(beNoPurpose, { imo: E })).totalHits).toBe(1); // GREEN: every public agency
    await hub.gql(nl, `mutation($id: ID!) { removeWatchlistEntry(id: $id) { id } }`, { id: ids.removed });
    expect((await screen(beNoPurpose, { imo: E })).totalHits).toBe(0);
  });

  test('the sensitive fields of a hit follow the field rules', async () => {
    const res = await hub.gql(beNoPurpose, `{ screenVessel(name: "TEMPORARY") { hits { entry { id } } } }`);
    expect(res.errors).toBeUndefined();
    const partner = await hub.gql(
      tokenFor('de-customs', ['analyst'], { purpose: 'CUSTOMS' }),
      `query($imo: IMONumber) { screenVessel(imo: $imo) { hits { entry { reason source access { basis redactedFields } } } } }`,
      { imo: A },
    );
    expect(partner.data!.screenVessel.hits[0].entry).toMatchObject({
      reason: 'ocean',
      source: null,
      access: { basis: 'AGREEMENT', redactedFields: ['source', 'notes', 'relatedParties'] },
    });
    expect(partner.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

describe('identity warnings', () => {
  const codes = (r: { warnings: { code: string }[] }) => r.warnings.map((w) => w.code).sort();

  test('a placeholder MMSI, with no hit', async () => {
    const r = await screen(beAgreement, { mmsi: '123456789' });
    expect(r.hits).toEqual([]);
    expect(codes(r)).toContain('PLACEHOLDER_MMSI');
    expect(codes(await screen(beAgreement, { mmsi: '111111111' }))).toContain('PLACEHOLDER_MMSI');
  });

  test('an MMSI whose MID belongs to another country than the flag given, for an unknown ship', async () => {
    const r = await screen(beAgreement, { imo: UNKNOWN, mmsi: '244000123', flag: 'PA' });
    expect(r.hits).toEqual([]);
    expect(r.vessel).toBeNull();
    expect(codes(r)).toEqual(['MMSI_FLAG_MISMATCH']);
    expect(r.warnings[0].message).toMatch(/244 belong to Netherlands .* but the flag given is PA/);
  });

  test('the flag on record is used when none is given; flag and name differing from the registry', async () => {
    const r = await screen(beAgreement, { imo: A, mmsi: '352000123', name: 'SEA BREEZE', flag: 'LR' });
    expect(codes(r)).toEqual([
      'FLAG_DIFFERS_FROM_REGISTRY',
      'MMSI_DIFFERS_FROM_REGISTRY',
      'MMSI_FLAG_MISMATCH',
      'NAME_DIFFERS_FROM_REGISTRY',
    ]);
    const onRecord = await screen(beAgreement, { imo: A, mmsi: '352000123' });
    expect(onRecord.warnings.find((w: { code: string }) => w.code === 'MMSI_FLAG_MISMATCH').message).toMatch(/the flag on record is NL/);
  });

  test('a former name, and an MMSI recorded for another vessel', async () => {
    expect(codes(await screen(beAgreement, { imo: B, name: 'Nordic Spirit' }))).toEqual(['FORMER_NAME']);
    expect(codes(await screen(beAgreement, { imo: D, mmsi: '244123456' }))).toContain('MMSI_OF_OTHER_VESSEL');
  });

  test('a consistent identity gives no warnings', async () => {
    expect((await screen(beAgreement, { imo: A, mmsi: '244123456', name: 'M/V Ocean Star', flag: 'NL' })).warnings).toEqual([]);
  });
});

describe('MMSI alone', () => {
  test('screening by an MMSI on record for exactly that vessel gives no MMSI_OF_OTHER_VESSEL', async () => {
    const r = await screen(beAgreement, { mmsi: '244123456' });
    expect(r.vessel).toMatchObject({ imo: A });
    expect(r.warnings).toEqual([]);
  });
});

describe('batch screening', () => {
  const BATCH = `query($vessels: [VesselQueryInput!]!) { screenVessels(vessels: $vessels) {
    query { imo name } hits { ${HIT} } totalHits warnings { code } } }`;

  test('answers each vessel in the order given', async () => {
    const res = await hub.gql(beAgreement, BATCH, {
      vessels: [{ name: 'Sao Joao' }, { imo: UNKNOWN }, { imo: A, name: 'OCEAN STAR' }, { mmsi: '123456789' }],
    });
    expect(res.errors).toBeUndefined();
    const r = res.data!.screenVessels;
    expect(r.map((x: { query: { imo: string; name: string } }) => x.query.imo ?? x.query.name)).toEqual(['Sao Joao', UNKNOWN, A, null]);
    expect(keysOf(r[0].hits)).toEqual(['sao']);
    expect(r[1].hits).toEqual([]);
    expect(keysOf(r[2].hits)).toEqual(['ocean', 'stars']);
    expect(r[3].warnings.map((w: { code: string }) => w.code)).toContain('PLACEHOLDER_MMSI');
  });

  test('a thousand vessels take one round of SQL, not one query per vessel', async () => {
    // A fifth of them with names: 200, the most one operation may screen (SCREENING_MAX_NAMES).
    const vessels = Array.from({ length: 1000 }, (_, i) =>
      i % 5 !== 0
        ? { imo: imoFrom(800000 + i), mmsi: `24400${String(i).padStart(4, '0')}` }
        : { name: `VESSEL ${i}`, imo: imoFrom(800000 + i) },
    );
    vessels[500] = { imo: A, mmsi: '244123456' };
    const spy = jest.spyOn(Client.prototype, 'query');
    try {
      const res = await hub.gql(beAgreement, `query($vessels: [VesselQueryInput!]!) { screenVessels(vessels: $vessels) { totalHits } }`, {
        vessels,
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.screenVessels).toHaveLength(1000);
      expect(res.data!.screenVessels[500].totalHits).toBe(1);
      // The hub's background work (audit sealer, webhook worker, alert stream) queries meanwhile: not this request's.
      const background = /audit_inbox|audit_chain_head|webhook|alert_events|alert_outbox/;
      const sql = spy.mock.calls
        .map((c) => (typeof c[0] === 'string' ? c[0] : String((c[0] as { text?: string }).text)))
        .filter((s) => !background.test(s));
      // BEGIN, the similarity threshold, the screening statement, COMMIT (and perhaps a background
      // transaction's BEGIN and COMMIT): a handful, not one per vessel.
      expect(sql.filter((s) => /vessel_names/.test(s))).toHaveLength(1);
      expect(sql.length).toBeLessThanOrEqual(8);
    } finally {
      spy.mockRestore();
    }
  });

  test('a thousand names are matched in a few set-based statements, not one per name', async () => {
    const vessels = Array.from({ length: 1000 }, (_, i) => ({ name: i % 3 === 0 ? `LONELY${i}` : `VESSEL ${i} STAR` }));
    vessels[700] = { name: 'ВОЛГА СТАР' };
    const spy = jest.spyOn(Client.prototype, 'query');
    try {
      const res = await hub.gql(
        beAgreement,
        `query($vessels: [VesselQueryInput!]!) { screenVessels(vessels: $vessels) { hits { matchedName } } }`,
        {
          vessels,
        },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.screenVessels[700].hits).toEqual([{ matchedName: 'VOLGA STAR' }]);
      const background = /audit_inbox|audit_chain_head|webhook|alert_events|alert_outbox/;
      const sql = spy.mock.calls
        .map((c) => (typeof c[0] === 'string' ? c[0] : String((c[0] as { text?: string }).text)))
        .filter((s) => !background.test(s));
      // The candidates by keys, the trigram search for the one-word names that found nothing, the
      // screening statement: one each, for all 1,000 names.
      expect(sql.filter((s) => /name_keys/.test(s))).toHaveLength(1);
      expect(sql.filter((s) => /given_names g WHERE g.name_norm %/.test(s))).toHaveLength(1);
      expect(sql.filter((s) => /jsonb_each_text/.test(s))).toHaveLength(1);
      // and BEGIN, the transaction's settings, COMMIT (perhaps a background transaction's too)
      expect(sql.length).toBeLessThanOrEqual(9);
    } finally {
      spy.mockRestore();
    }
  });

  test('more than 1,000 vessels is bad input', async () => {
    const vessels = Array.from({ length: 1001 }, () => ({ imo: A }));
    const res = await hub.gql(beAgreement, BATCH, { vessels });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/at most 1000 vessels/);
  });

  test('a bad vessel in a batch names its position', async () => {
    const res = await hub.gql(beAgreement, BATCH, { vessels: [{ imo: A }, { flag: 'NL' }] });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toBe('vessels[1]: give an imo, an mmsi or a name to screen');
  });
});
