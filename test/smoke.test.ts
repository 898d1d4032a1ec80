import { startTestHub, tokenFor, type TestHub } from './support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

test('an authenticated member reads who it is', async () => {
  const res = await hub.gql(tokenFor('nl-customs'), '{ me { subject agency { code kind country } roles } }');
  expect(res.errors).toBeUndefined();
  expect(res.data!.me).toEqual({
    subject: 'dev-nl-customs',
    agency: { code: 'nl-customs', kind: 'CUSTOMS', country: 'NL' },
    roles: ['analyst'],
  });
});
