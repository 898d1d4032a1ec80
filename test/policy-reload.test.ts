import fs from 'node:fs';
import path from 'node:path';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';

let hub: TestHub;
let dir: string;
beforeAll(async () => {
  tokenFor('nl-customs'); // makes the dev key pair if missing
  dir = copyDemoPolicies();
  hub = await startTestHub({ policiesDir: dir });
});
afterAll(async () => {
  await hub.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const AGREEMENT = 'agreements/nl-customs--be-customs-narcotics.yaml';

test('a reload swaps in new agreements for the next request', async () => {
  const be = tokenFor('be-customs', ['analyst'], { purpose: 'CUSTOMS' });
  const q = '{ agreements { id } }';
  expect((await hub.gql(be, q)).data!.agreements.map((a: any) => a.id)).toContain('nl-customs--be-customs-narcotics');
  fs.rmSync(path.join(dir, AGREEMENT));
  expect(await hub.policies.reload()).toEqual({ ok: true });
  expect((await hub.gql(be, q)).data!.agreements.map((a: any) => a.id)).not.toContain('nl-customs--be-customs-narcotics');
});

test('a broken policy file is refused whole and the previous set stays in force', async () => {
  const before = hub.policies.current;
  fs.writeFileSync(path.join(dir, 'agreements/broken.yaml'), 'id: broken\nprovider: nobody\n');
  const result = await hub.policies.reload();
  expect(result.ok).toBe(false);
  expect(!result.ok && result.error).toMatch(/^agreements\/broken\.yaml: /);
  expect(hub.policies.current).toBe(before);
  const res = await hub.gql(tokenFor('nl-customs'), '{ me { agency { code } } }');
  expect(res.data!.me.agency.code).toBe('nl-customs');
  fs.rmSync(path.join(dir, 'agreements/broken.yaml'));
});
