import { startTestHub, tokenFor, type TestHub } from './support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const token = tokenFor('nl-customs');

test('a query nested deeper than the limit is QUERY_TOO_COMPLEX and not executed', async () => {
  // watchlists > edges > node > entries > edges > node > vessel > alerts > edges > node > vessel > watchlistEntries > ...
  const deep = `{ watchlists { edges { node { entries { edges { node { vessel { alerts { edges { node { vessel {
    watchlistEntries { watchlist { entries { edges { node { id } } } } } } } } } } } } } } } } }`;
  const res = await hub.gql(token, deep);
  expect(res.status).toBe(400);
  expect(res.data).toBeUndefined();
  expect(res.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(res.errors?.[0].message).toMatch(/depth/i);
});

test('too many aliases are QUERY_TOO_COMPLEX', async () => {
  const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: me { subject }`).join(' ');
  const res = await hub.gql(token, `{ ${aliases} }`);
  expect(res.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
});

test('ordinary queries pass the limits', async () => {
  const res = await hub.gql(
    token,
    `{ watchlists { totalCount edges { node { name entries { totalCount edges { node { vessel { name } } } } } } } }`,
  );
  expect(res.errors).toBeUndefined();
});
