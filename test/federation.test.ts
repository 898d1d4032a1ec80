/**
 * The hub as an Apollo Federation 2 subgraph. @apollo/gateway is not a dependency, so instead of
 * composing a supergraph this checks the two subgraph entry points a gateway uses, `_service`
 * and `_entities`, over HTTP with the caller's token: both authenticated, and entity resolution
 * filtered like every other read. (With @apollo/gateway added as a devDependency, a real
 * composition test would replace the SDL checks.)
 */
import { recordInRegistry } from './support/builders';
import { expectNoInternals } from './support/expect';
import { startTestHub, tokenFor, type TestHub } from './support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  // A vessel of the registry (recorded by its authority), and an AMBER alert about it that only Dutch public agencies (and nl-customs) see.
  const res = await hub.gql(
    tokenFor('nl-customs', ['analyst']),
    `mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id } }`,
    {
      input: {
        vessel: { imo: IMO, name: 'ESTRELLA', flag: 'PA', mmsi: '355123000' },
        category: 'DRUG_TRAFFICKING',
        severity: 'HIGH',
        title: 'Cocaine in reefers',
        description: 'Seals tampered',
        port: 'NLRTM',
        tlp: 'AMBER',
        intelligenceSummary: 'Informant CI-17',
      },
    },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  await recordInRegistry(hub, [{ imo: IMO, name: 'ESTRELLA', flag: 'PA', mmsi: '355123000' }]);
}, 60_000);
afterAll(() => hub?.stop());

const IMO = '9074729';
const ENTITIES = `query($r: [_Any!]!) {
  _entities(representations: $r) {
    __typename
    ... on Vessel { id imo name flag mmsi alerts { totalCount edges { node { title intelligenceSummary } } } watchlistEntries { id } }
  }
}`;
const vesselRef = (imo: unknown = IMO) => ({ __typename: 'Vessel', imo });

describe('_service { sdl }', () => {
  it('serves the subgraph SDL with Vessel keyed by imo, to an authenticated caller', async () => {
    const res = await hub.gql(tokenFor('fr-douane', ['viewer']), '{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    const sdl: string = res.data!._service.sdl;
    expect(sdl).toContain('@key(fields: "imo")');
    expect(sdl).toMatch(/type Vessel implements Node\s+@key\(fields: "imo"\)/);
    expect(sdl).toContain('https://specs.apollo.dev/federation/v2.3');
    // Federation 2: the entity union lists exactly the entities other subgraphs may resolve here.
    expect(sdl).toMatch(/union _Entity = Vessel\s*$/);
  });

  it('is UNAUTHENTICATED without a token (HTTP 401)', async () => {
    const res = await hub.gql(undefined, '{ _service { sdl } }');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });
});

describe('_entities', () => {
  it('resolves a Vessel representation for an authenticated caller', async () => {
    const res = await hub.gql(tokenFor('nl-customs', ['viewer']), ENTITIES, { r: [vesselRef()] });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      expect.objectContaining({ __typename: 'Vessel', imo: IMO, name: 'ESTRELLA', flag: 'PA', mmsi: '355123000' }),
    ]);
    expect(res.data!._entities[0].id).toMatch(/^Vessel:[0-9a-f-]{36}$/);
  });

  it('answers null for an unknown IMO, in the position of its representation', async () => {
    const res = await hub.gql(tokenFor('nl-customs', ['viewer']), ENTITIES, {
      r: [vesselRef('9176187'), vesselRef(), vesselRef('1234567')],
    });
    // 1234567 has a valid check digit too (1*7+2*6+3*5+4*4+5*3+6*2 = 77).
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e: { name?: string } | null) => e?.name ?? null)).toEqual([null, 'ESTRELLA', null]);
  });

  it('is UNAUTHENTICATED without a token (HTTP 401)', async () => {
    const res = await hub.gql(undefined, ENTITIES, { r: [vesselRef()] });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
    expectNoInternals(res);
  });

  it('filters what hangs off an entity like any list: the AMBER alert only for those who may see it', async () => {
    const owner = await hub.gql(tokenFor('nl-customs', ['viewer']), ENTITIES, { r: [vesselRef()] });
    expect(owner.data!._entities[0].alerts.totalCount).toBe(1);
    expect(owner.data!._entities[0].alerts.edges[0].node.intelligenceSummary).toBe('Informant CI-17');

    const sameCountry = await hub.gql(tokenFor('nl-coastguard', ['viewer']), ENTITIES, { r: [vesselRef()] });
    expect(sameCountry.data!._entities[0].alerts.totalCount).toBe(1);
    // JURISDICTION basis: core only, the sensitive field withheld with FORBIDDEN at its path.
    expect(sameCountry.data!._entities[0].alerts.edges[0].node.intelligenceSummary).toBeNull();
    expect(sameCountry.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    for (const outsider of ['fr-douane', 'nl-ect-terminal', 'de-customs']) {
      const res = await hub.gql(tokenFor(outsider, ['viewer']), ENTITIES, { r: [vesselRef()] });
      expect(res.errors).toBeUndefined();
      expect({ outsider, alerts: res.data!._entities[0].alerts }).toEqual({ outsider, alerts: { totalCount: 0, edges: [] } });
    }
  });

  it('a representation without a usable imo is bad input, not a server error', async () => {
    for (const bad of [null, undefined, { $ne: null }, ['9074729'], '9074728']) {
      const r = [bad === undefined ? { __typename: 'Vessel' } : vesselRef(bad)];
      const res = await hub.gql(tokenFor('nl-customs', ['viewer']), ENTITIES, { r });
      expectNoInternals(res);
      expect({ bad, codes: (res.errors ?? []).map((e) => e.extensions?.code) }).toEqual({ bad, codes: ['BAD_USER_INPUT'] });
    }
  });

  it('a representation of a type that is no entity is bad input, not a server error', async () => {
    for (const __typename of ['Watchlist', 'NoSuchType']) {
      const res = await hub.gql(tokenFor('nl-customs', ['viewer']), ENTITIES, { r: [{ __typename, id: 'x' }] });
      expectNoInternals(res);
      expect({ __typename, codes: (res.errors ?? []).map((e) => e.extensions?.code) }).toEqual({ __typename, codes: ['BAD_USER_INPUT'] });
    }
  });
});
