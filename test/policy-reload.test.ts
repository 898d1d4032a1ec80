import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_POLICIES, startTestHub, tokenFor, type TestHub } from './support/hub';

/** A writable copy of the demo policies whose key path still points at the dev key. */
function copyPolicies(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-reload-'));
  fs.cpSync(DEMO_POLICIES, dir, { recursive: true });
  const issuers = path.join(dir, 'issuers.yaml');
  const devKey = path.resolve(DEMO_POLICIES, '../.keys/dev-issuer.pub.pem');
  fs.writeFileSync(issuers, fs.readFileSync(issuers, 'utf8').replace('../.keys/dev-issuer.pub.pem', devKey));
  return dir;
}

let hub: TestHub;
let dir: string;
beforeAll(async () => {
  tokenFor('nl-customs'); // makes the dev key pair if missing
  dir = copyPolicies();
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
  expect(hub.policies.reload()).toEqual({ ok: true });
  expect((await hub.gql(be, q)).data!.agreements.map((a: any) => a.id)).not.toContain('nl-customs--be-customs-narcotics');
});

test('a broken policy file is refused whole and the previous set stays in force', async () => {
  const before = hub.policies.current;
  fs.writeFileSync(path.join(dir, 'agreements/broken.yaml'), 'id: broken\nprovider: nobody\n');
  const result = hub.policies.reload();
  expect(result.ok).toBe(false);
  expect(!result.ok && result.error).toMatch(/^agreements\/broken\.yaml: /);
  expect(hub.policies.current).toBe(before);
  const res = await hub.gql(tokenFor('nl-customs'), '{ me { agency { code } } }');
  expect(res.data!.me.agency.code).toBe('nl-customs');
  fs.rmSync(path.join(dir, 'agreements/broken.yaml'));
});
