/**
 * Issuers whose keys are fetched (issuers.yaml `jwksUri`, `discovery`): a real JWKS server on
 * loopback rotating its key, against a real hub. JWKS_ALLOW_HTTP_LOOPBACK is the tests' switch
 * for plain HTTP to loopback; without it only https is accepted.
 */
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { loadPolicies } from '../src/policy/load';
import { copyDemoPolicies, startTestHub, type TestHub } from './support/hub';
import { pollUntil, sleep } from './support/wait';

process.env.JWKS_ALLOW_HTTP_LOOPBACK = 'true';

const ME = '{ me { subject agency { code } } }';
const MIN_REFETCH_MS = 1000;

/** A provider: serves its current keys and a discovery document, counting every fetch by path. */
class IdentityProvider {
  keys: { kid: string; key: KeyObject }[] = [];
  failing = false;
  readonly fetches = new Map<string, number>();
  private readonly server = http.createServer((req, res) => {
    const url = req.url ?? '';
    this.fetches.set(url, (this.fetches.get(url) ?? 0) + 1);
    if (this.failing) return void res.writeHead(500).end();
    if (url === '/huge') {
      // A valid key set padded past 512 KiB, chunked so no content-length warns the hub: it must
      // stop reading by itself.
      const keys = this.keys.map(({ kid, key }) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"keys":${JSON.stringify(keys)}`);
      for (let i = 0; i < 40; i++) res.write(' '.repeat(16 * 1024));
      return void res.end('}');
    }
    if (url === '/jwks') {
      const keys = this.keys.map(({ kid, key }) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    }
    const discovery = /^\/(\w+)\/\.well-known\/openid-configuration$/.exec(url);
    if (discovery) {
      // The realm "liar" names another issuer than the one it is configured for.
      const issuer = discovery[1] === 'liar' ? `${this.origin}/someone-else` : `${this.origin}/${discovery[1]}`;
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer, jwks_uri: `${this.origin}/jwks` }));
    }
    res.writeHead(404).end();
  });
  origin = '';

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  count(url: string) {
    return this.fetches.get(url) ?? 0;
  }
}

const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

function sign(iss: string, kid: string, privateKey: KeyObject, agency = 'nl-customs') {
  return jwt.sign({ agency, roles: ['analyst'] }, privateKey, {
    algorithm: 'RS256',
    keyid: kid,
    issuer: iss,
    audience: 'portcullis',
    subject: 'officer-1',
    expiresIn: 600,
  });
}

function policiesTrusting(idp: IdentityProvider): string {
  const dir = copyDemoPolicies();
  const file = path.join(dir, 'issuers.yaml');
  fs.appendFileSync(
    file,
    [
      `  - iss: ${idp.origin}/realm`,
      '    algorithms: [RS256]',
      `    jwksUri: ${idp.origin}/jwks`,
      '    agencies: [nl-customs]',
      `  - iss: ${idp.origin}/oidc`,
      '    algorithms: [RS256]',
      `    discovery: ${idp.origin}/oidc/.well-known/openid-configuration`,
      '    agencies: [be-customs]',
      `  - iss: ${idp.origin}/liar`,
      '    algorithms: [RS256]',
      `    discovery: ${idp.origin}/liar/.well-known/openid-configuration`,
      '    agencies: [be-customs]',
      `  - iss: ${idp.origin}/huge`,
      '    algorithms: [RS256]',
      `    jwksUri: ${idp.origin}/huge`,
      '    agencies: [be-customs]',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('issuers with keys at a URL', () => {
  const idp = new IdentityProvider();
  const first = rsa();
  const second = rsa();
  const keyStates: { iss: string; ok: boolean }[] = [];
  let hub: TestHub;
  let dir: string;

  beforeAll(async () => {
    await idp.start();
    idp.keys = [{ kid: 'first', key: first.publicKey }];
    dir = policiesTrusting(idp);
    hub = await startTestHub({
      policiesDir: dir,
      remoteKeys: { minRefetchMs: MIN_REFETCH_MS, onState: ({ iss, ok }) => keyStates.push({ iss, ok }) },
    });
  });

  afterAll(async () => {
    await hub?.stop();
    await idp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the provider may be asked again. */
  const pastRefetchInterval = () => sleep(MIN_REFETCH_MS + 50);

  test('a token is verified with the fetched key; the key rotates without a restart; unknown kids are rate-limited', async () => {
    const iss = `${idp.origin}/realm`;
    const ok = await hub.gql(sign(iss, 'first', first.privateKey), ME);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.me).toEqual({ subject: 'officer-1', agency: { code: 'nl-customs' } });
    expect(idp.count('/jwks')).toBe(1);

    // Cached: another token under the same key fetches nothing.
    expect((await hub.gql(sign(iss, 'first', first.privateKey), ME)).data?.me.subject).toBe('officer-1');
    expect(idp.count('/jwks')).toBe(1);

    // The provider rotates: the first key is withdrawn, the second served.
    idp.keys = [{ kid: 'second', key: second.publicKey }];
    // Within the refetch interval the new kid is refused without asking the provider again.
    const early = await hub.gql(sign(iss, 'second', second.privateKey), ME);
    expect(early.errors?.[0].message).toBe('not authenticated: unknown key id');
    expect(idp.count('/jwks')).toBe(1);

    await pastRefetchInterval();
    const rotated = await hub.gql(sign(iss, 'second', second.privateKey), ME);
    expect(rotated.errors).toBeUndefined();
    expect(idp.count('/jwks')).toBe(2);
    // The withdrawn key no longer verifies (and asks nothing: the interval has not passed).
    const old = await hub.gql(sign(iss, 'first', first.privateKey), ME);
    expect(old.errors?.[0].message).toBe('not authenticated: unknown key id');
    expect(idp.count('/jwks')).toBe(2);

    // A flood of random kids: at most one fetch per interval.
    await pastRefetchInterval();
    const forger = rsa();
    const flood = await Promise.all(Array.from({ length: 30 }, () => hub.gql(sign(iss, crypto.randomUUID(), forger.privateKey), ME)));
    for (const res of flood) expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(idp.count('/jwks')).toBe(3);
  });

  test('discovery: the jwks_uri is followed and the document must name the issuer', async () => {
    await pastRefetchInterval();
    const before = idp.count('/jwks');
    const res = await hub.gql(sign(`${idp.origin}/oidc`, 'second', second.privateKey, 'be-customs'), ME);
    expect(res.errors).toBeUndefined();
    expect(res.data?.me.agency.code).toBe('be-customs');
    expect(idp.count('/oidc/.well-known/openid-configuration')).toBe(1);
    expect(idp.count('/jwks')).toBe(before + 1);

    // A document naming another issuer is not trusted: no key of it is fetched or used.
    const liar = await hub.gql(sign(`${idp.origin}/liar`, 'second', second.privateKey, 'be-customs'), ME);
    expect(liar.errors?.[0].message).toBe("not authenticated: the issuer's keys are not available");
    expect(idp.count('/liar/.well-known/openid-configuration')).toBe(1);
    expect(idp.count('/jwks')).toBe(before + 1);
    expect(keyStates).toContainEqual({ iss: `${idp.origin}/liar`, ok: false });

    // A key set larger than 512 KiB is not read to its end, nor used.
    const huge = await hub.gql(sign(`${idp.origin}/huge`, 'second', second.privateKey, 'be-customs'), ME);
    expect(huge.errors?.[0].message).toBe("not authenticated: the issuer's keys are not available");
    expect(keyStates).toContainEqual({ iss: `${idp.origin}/huge`, ok: false });
  });

  test('a failed fetch keeps the last good keys and is reported once per change', async () => {
    const iss = `${idp.origin}/realm`;
    await pastRefetchInterval();
    idp.failing = true;
    // An unknown kid makes the hub ask; the provider fails.
    const unknown = await hub.gql(sign(iss, 'third', rsa().privateKey), ME);
    expect(unknown.errors?.[0].message).toBe('not authenticated: unknown key id');
    await pastRefetchInterval();
    await hub.gql(sign(iss, 'fourth', rsa().privateKey), ME);
    // The key fetched before still verifies.
    const still = await hub.gql(sign(iss, 'second', second.privateKey), ME);
    expect(still.errors).toBeUndefined();
    expect(keyStates.filter((s) => s.iss === iss)).toEqual([{ iss, ok: false }]);

    idp.failing = false;
    await pastRefetchInterval();
    await hub.gql(sign(iss, 'fifth', rsa().privateKey), ME);
    const states = await pollUntil(
      () => keyStates.filter((s) => s.iss === iss),
      (s) => s.length === 2,
    );
    expect(states).toEqual([
      { iss, ok: false },
      { iss, ok: true },
    ]);
  });
});

describe('where keys may be fetched from', () => {
  const withIssuer = (lines: string[]) => {
    const dir = copyDemoPolicies();
    fs.appendFileSync(path.join(dir, 'issuers.yaml'), [...lines, ''].join('\n'));
    return dir;
  };
  const issuer = (source: string) => [
    '  - iss: https://idp.example',
    '    algorithms: [RS256]',
    `    ${source}`,
    '    agencies: [nl-customs]',
  ];

  test('https is accepted; plain http is refused, and to loopback only allowed under the test switch', () => {
    expect(loadPolicies(withIssuer(issuer('jwksUri: https://idp.example/keys'))).issuers.at(-1)?.jwksUri).toBe('https://idp.example/keys');
    expect(() => loadPolicies(withIssuer(issuer('jwksUri: http://idp.example/keys')))).toThrow(
      'issuers.yaml: issuers[1].jwksUri "http://idp.example/keys" must be https',
    );
    expect(() => loadPolicies(withIssuer(issuer('discovery: not a url')))).toThrow('issuers[1].discovery "not a url" is not a URL');
    const loopback = withIssuer(issuer('jwksUri: http://127.0.0.1:9/keys'));
    process.env.JWKS_ALLOW_HTTP_LOOPBACK = 'false';
    try {
      expect(() => loadPolicies(loopback)).toThrow(/must be https \(plain http to loopback only with JWKS_ALLOW_HTTP_LOOPBACK=true/);
    } finally {
      process.env.JWKS_ALLOW_HTTP_LOOPBACK = 'true';
    }
    expect(loadPolicies(loopback).issuers.at(-1)?.jwksUri).toBe('http://127.0.0.1:9/keys');
  });
});
