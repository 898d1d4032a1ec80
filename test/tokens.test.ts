/**
 * Token verification (src/auth/tokens.ts), dev tokens and the `npm run token` CLI.
 * The demo policy set covers the happy path end to end; synthetic policy sets with keys in a
 * temp directory cover every way a token must be refused.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { AuthError, createTokenVerifier, parseBearer, type TokenVerifier } from '../src/auth/tokens';
import { loadPolicies } from '../src/policy/load';
import {
  PURPOSES,
  SHAREABLE_TYPES,
  type Agency,
  type FieldClasses,
  type Issuer,
  type PolicySet,
  type ShareableType,
} from '../src/policy/types';

const REPO = path.resolve(__dirname, '..');
const AUD = 'portcullis';
const nowSec = () => Math.floor(Date.now() / 1000);
const DAY = 86_400;

/** Runs fn, expecting an AuthError; returns its reason. */
function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AuthError);
    return (e as AuthError).reason;
  }
  throw new Error('expected an AuthError, got none');
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token assembled by hand, for shapes jsonwebtoken's `sign` refuses to produce. */
function handMade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign(input)}`;
}

// ---------------------------------------------------------------------------------------------
describe('demo policy set and dev tokens', () => {
  let policy: PolicySet;
  let verifier: TokenVerifier;

  beforeAll(() => {
    ensureDevKeys();
    policy = loadPolicies(path.resolve(__dirname, '../policies'));
    verifier = createTokenVerifier(policy, { audience: AUD });
  });

  it('verifies a dev token into a Principal', () => {
    const token = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], purpose: 'CUSTOMS', subject: 'alice', audience: AUD });
    const p = verifier.verify(token);
    expect(p.subject).toBe('alice');
    expect(p.agency).toBe(policy.agencies.get('nl-customs'));
    expect(p.roles).toEqual(['analyst']);
    expect(p.purpose).toBe('CUSTOMS');
    expect(p.issuer).toBe('portcullis-dev');
    expect(p.expiresAt).toBeGreaterThan(nowSec() + 8 * 3600 - 60);
    expect(p.expiresAt).toBeLessThanOrEqual(nowSec() + 8 * 3600);
  });

  it('refuses a dev token for an unknown agency', () => {
    const token = mintDevToken({ agency: 'xx-nowhere', roles: ['analyst'], audience: AUD });
    expect(reasonOf(() => verifier.verify(token))).toBe('unknown agency');
  });

  it('refuses a dev token minted for another audience', () => {
    const token = mintDevToken({ agency: 'nl-customs', roles: [], audience: 'someone-else' });
    expect(reasonOf(() => verifier.verify(token))).toBe('wrong audience');
  });

  it('the CLI prints only a token, and it verifies', () => {
    const out = execFileSync('npx', ['ts-node', '--transpile-only', 'scripts/token.ts', '--agency', 'nl-customs', '--roles', 'analyst'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, JWT_AUDIENCE: AUD, POLICIES_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const token = out.trim();
    expect(token.split('.')).toHaveLength(3);
    const p = verifier.verify(token);
    expect(p.agency.code).toBe('nl-customs');
    expect(p.roles).toEqual(['analyst']);
  }, 60_000);

  /** The CLI's exit status and standard error for `args`. */
  const cliRefusal = (args: string[]) => {
    try {
      execFileSync('npx', ['ts-node', '--transpile-only', 'scripts/token.ts', ...args], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, POLICIES_DIR: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { status: 0, stderr: '' };
    } catch (e) {
      return { status: (e as { status: number }).status, stderr: String((e as { stderr: string }).stderr) };
    }
  };

  it('the CLI exits 2 on an unknown agency and lists the known ones', () => {
    const { status, stderr } = cliRefusal(['--agency', 'xx-nowhere', '--roles', 'analyst']);
    expect(status).toBe(2);
    expect(stderr).toContain('nl-customs');
  }, 60_000);

  it('the CLI exits 2 rather than sign a token living longer than its issuer allows', () => {
    const { status, stderr } = cliRefusal(['--agency', 'nl-customs', '--roles', 'analyst', '--ttl', '2d']);
    expect(status).toBe(2);
    expect(stderr).toContain("--ttl is longer than issuer portcullis-dev's maxTokenLifetime of 86400 s");
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
describe('synthetic policy sets', () => {
  const NL_ISS = 'https://idp.customs.example.nl';
  const HS_ISS = 'https://idp.hmac.example';
  const JWKS_ISS = 'https://idp.jwks.example';
  const SECRET_ENV = 'PORTCULLIS_TEST_HMAC_SECRET';
  const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

  let dir: string;
  const nlKeys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKeys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwksKeys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const nlPublicPem = nlKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const agency = (code: string, country: string): Agency => ({ code, name: code, kind: 'CUSTOMS', country, ports: [] });

  function policyWith(issuers: Issuer[]): PolicySet {
    const fields = {} as Record<ShareableType, FieldClasses>;
    for (const t of SHAREABLE_TYPES) fields[t] = { core: ['id'], sensitive: [] };
    return {
      dir,
      agencies: new Map([
        ['nl-customs', agency('nl-customs', 'NL')],
        ['be-coastguard', agency('be-coastguard', 'BE')],
      ]),
      departed: new Map(),
      issuers,
      fields,
      agreements: [],
      revoked: [],
    };
  }

  let issuers: Issuer[];
  let verifier: TokenVerifier;

  /** A valid token of the NL issuer unless overridden; `undefined` values drop a claim. */
  function nlToken(claims: Record<string, unknown> = {}, key: crypto.KeyObject = nlKeys.privateKey, header?: object): string {
    const payload: Record<string, unknown> = {
      iss: NL_ISS,
      aud: AUD,
      sub: 'alice',
      agency: 'nl-customs',
      roles: ['analyst'],
      iat: nowSec(),
      exp: nowSec() + 600,
      ...claims,
    };
    for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
    // jsonwebtoken adds iat unless told not to.
    const noTimestamp = payload.iat === undefined;
    return jwt.sign(payload, key, { algorithm: 'RS256', noTimestamp, ...(header ? { header: { alg: 'RS256', ...header } } : {}) });
  }

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-tokens-'));
    fs.writeFileSync(path.join(dir, 'nl.pub.pem'), nlPublicPem);
    const jwk = jwksKeys.publicKey.export({ format: 'jwk' });
    const unrelated = otherKeys.publicKey.export({ format: 'jwk' });
    fs.writeFileSync(
      path.join(dir, 'jwks.json'),
      JSON.stringify({
        keys: [
          { ...jwk, kid: 'k1', use: 'sig', alg: 'RS256' },
          { ...unrelated, kid: 'k2', use: 'sig' },
        ],
      }),
    );
    issuers = [
      {
        iss: NL_ISS,
        algorithms: ['RS256'],
        publicKeyFile: path.join(dir, 'nl.pub.pem'),
        agencies: ['nl-customs'],
        maxTokenLifetimeSeconds: DAY,
      },
      { iss: HS_ISS, algorithms: ['HS256'], secretEnv: SECRET_ENV, agencies: ['be-coastguard'], maxTokenLifetimeSeconds: DAY },
      {
        iss: JWKS_ISS,
        algorithms: ['RS256'],
        jwksFile: path.join(dir, 'jwks.json'),
        agencies: ['be-coastguard', 'nl-customs'],
        maxTokenLifetimeSeconds: DAY,
      },
    ];
    verifier = createTokenVerifier(policyWith(issuers), { audience: AUD });
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[SECRET_ENV];
  });

  it('accepts a good token', () => {
    const p = verifier.verify(nlToken());
    expect(p).toMatchObject({ subject: 'alice', roles: ['analyst'], issuer: NL_ISS, purpose: undefined });
    expect(p.agency.code).toBe('nl-customs');
  });

  describe('Bearer header', () => {
    it('no header is no token', () => {
      expect(parseBearer(undefined)).toBeUndefined();
      expect(parseBearer('  ')).toBeUndefined();
      expect(reasonOf(() => verifier.verify(''))).toBe('no token');
    });

    it('takes the token from a Bearer header, any case', () => {
      expect(parseBearer('Bearer abc.def.ghi')).toBe('abc.def.ghi');
      expect(parseBearer('bearer abc.def.ghi')).toBe('abc.def.ghi');
      expect(parseBearer('BEARER  abc.def.ghi ')).toBe('abc.def.ghi');
    });

    it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Token abc.def.ghi', 'abc.def.ghi', 'Bearer a b'])('refuses %p', (header) => {
      expect(reasonOf(() => parseBearer(header))).toBe('expected a Bearer token');
    });
  });

  describe('time', () => {
    it('refuses an expired token, allowing the clock tolerance', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ iat: nowSec() - 3600, exp: nowSec() - 120 })))).toBe('token expired');
      expect(verifier.verify(nlToken({ iat: nowSec() - 3600, exp: nowSec() - 10 })).subject).toBe('alice');
    });

    it('refuses a token without exp', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ exp: undefined })))).toBe('token has no expiry');
    });

    it('refuses nbf beyond the tolerance, accepts it within', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ nbf: nowSec() + 120 })))).toBe('token not yet valid');
      expect(verifier.verify(nlToken({ nbf: nowSec() + 10 })).subject).toBe('alice');
    });

    it('refuses iat in the future beyond the tolerance', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ iat: nowSec() + 300 })))).toBe('token issued in the future');
    });

    it("refuses a token living longer than its issuer's maxTokenLifetime, counted from iat or else from now", () => {
      const tooLong = "token lifetime exceeds the issuer's maximum of 24h";
      expect(reasonOf(() => verifier.verify(nlToken({ iat: nowSec(), exp: nowSec() + DAY + 1 })))).toBe(tooLong);
      expect(reasonOf(() => verifier.verify(nlToken({ iat: nowSec(), exp: nowSec() + 3650 * DAY })))).toBe(tooLong);
      expect(reasonOf(() => verifier.verify(nlToken({ iat: undefined, exp: nowSec() + DAY + 60 })))).toBe(tooLong);
      expect(verifier.verify(nlToken({ iat: nowSec() - 3600, exp: nowSec() + DAY - 3600 })).subject).toBe('alice');
      expect(verifier.verify(nlToken({ iat: undefined, exp: nowSec() + DAY - 60 })).subject).toBe('alice');
      const generous = createTokenVerifier(policyWith([{ ...issuers[0], maxTokenLifetimeSeconds: 30 * DAY }]), { audience: AUD });
      expect(generous.verify(nlToken({ exp: nowSec() + 25 * DAY })).subject).toBe('alice');
      expect(reasonOf(() => generous.verify(nlToken({ exp: nowSec() + 31 * DAY })))).toBe(
        "token lifetime exceeds the issuer's maximum of 30d",
      );
    });

    it('uses the injected clock', () => {
      const later = createTokenVerifier(policyWith(issuers), { audience: AUD, now: () => Date.now() + 3600_000 });
      expect(reasonOf(() => later.verify(nlToken()))).toBe('token expired');
      const strict = createTokenVerifier(policyWith(issuers), { audience: AUD, clockToleranceSec: 0 });
      expect(reasonOf(() => strict.verify(nlToken({ exp: nowSec() - 1 })))).toBe('token expired');
    });
  });

  describe('issuer, audience and signature', () => {
    it('refuses the wrong audience', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ aud: 'another-hub' })))).toBe('wrong audience');
      expect(reasonOf(() => verifier.verify(nlToken({ aud: undefined })))).toBe('wrong audience');
    });

    it('refuses an unknown or missing issuer', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ iss: 'https://evil.example' })))).toBe('unknown issuer');
      expect(reasonOf(() => verifier.verify(nlToken({ iss: undefined })))).toBe('unknown issuer');
    });

    it('refuses a token signed with another key', () => {
      expect(reasonOf(() => verifier.verify(nlToken({}, otherKeys.privateKey)))).toBe('bad signature');
    });

    it('never takes the key from jwk/jku/x5u headers', () => {
      const attackerJwk = otherKeys.publicKey.export({ format: 'jwk' });
      const token = nlToken({}, otherKeys.privateKey, {
        jwk: attackerJwk,
        jku: 'https://evil.example/jwks',
        x5u: 'https://evil.example/x5',
      });
      expect(reasonOf(() => verifier.verify(token))).toBe('bad signature');
    });

    it('refuses alg none', () => {
      const payload = { iss: NL_ISS, aud: AUD, sub: 'alice', agency: 'nl-customs', roles: ['analyst'], exp: nowSec() + 600 };
      const unsigned = handMade({ alg: 'none', typ: 'JWT' }, payload, () => '');
      expect(reasonOf(() => verifier.verify(unsigned))).toBe('token is not signed');
      // Even with something in the signature slot, and against an issuer whose policy lists none.
      const withSig = handMade({ alg: 'none', typ: 'JWT' }, payload, () => 'AAAA');
      expect(reasonOf(() => verifier.verify(withSig))).toBe('algorithm not allowed');
      const careless = createTokenVerifier(policyWith([{ ...issuers[0], algorithms: ['RS256', 'none'] }]), { audience: AUD });
      expect(() => careless.verify(unsigned)).toThrow(AuthError);
      expect(() => careless.verify(withSig)).toThrow(AuthError);
    });

    it('refuses HS256 signed with the RS issuer public key (algorithm confusion)', () => {
      const payload = { iss: NL_ISS, aud: AUD, sub: 'mallory', agency: 'nl-customs', roles: ['analyst'], exp: nowSec() + 600 };
      const forged = handMade({ alg: 'HS256', typ: 'JWT' }, payload, (input) =>
        crypto.createHmac('sha256', nlPublicPem).update(input).digest('base64url'),
      );
      expect(reasonOf(() => verifier.verify(forged))).toBe('algorithm not allowed');
      // Still refused when the policy carelessly allows HS256 next to an RSA public key.
      const careless = createTokenVerifier(policyWith([{ ...issuers[0], algorithms: ['RS256', 'HS256'] }]), { audience: AUD });
      expect(reasonOf(() => careless.verify(forged))).toBe('algorithm not allowed');
    });

    it('refuses malformed tokens', () => {
      for (const bad of [
        'abc',
        'abc.def',
        'a.b.c',
        `${b64url({ alg: 'RS256' })}.${Buffer.from('"just a string"').toString('base64url')}.x`,
      ]) {
        expect(reasonOf(() => verifier.verify(bad))).toBe('malformed token');
      }
    });

    it('never puts the token in the reason or message', () => {
      const tokens = [nlToken({ aud: 'x' }), nlToken({}, otherKeys.privateKey), nlToken({ exp: nowSec() - 999 })];
      for (const token of tokens) {
        try {
          verifier.verify(token);
        } catch (e) {
          expect((e as Error).message).not.toContain(token.split('.')[1]);
          expect((e as Error).message).not.toContain(token.split('.')[2]);
        }
      }
    });
  });

  describe('claims', () => {
    it('refuses an agency this issuer may not speak for', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ agency: 'be-coastguard' })))).toBe('issuer may not speak for agency be-coastguard');
    });

    it('refuses an unknown or missing agency', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ agency: 'xx-nowhere' })))).toBe('unknown agency');
      expect(reasonOf(() => verifier.verify(nlToken({ agency: undefined })))).toBe('unknown agency');
      expect(reasonOf(() => verifier.verify(nlToken({ agency: ['nl-customs'] })))).toBe('unknown agency');
    });

    it('requires a subject', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ sub: undefined })))).toBe('token has no subject');
      expect(reasonOf(() => verifier.verify(nlToken({ sub: ' ' })))).toBe('token has no subject');
    });

    it('keeps only known roles, from an array or a space-separated string', () => {
      expect(verifier.verify(nlToken({ roles: ['analyst', 'root', 'viewer', 'analyst', 7] })).roles).toEqual(['analyst', 'viewer']);
      expect(verifier.verify(nlToken({ roles: 'auditor superuser  viewer' })).roles).toEqual(['auditor', 'viewer']);
      expect(verifier.verify(nlToken({ roles: undefined })).roles).toEqual([]);
      expect(verifier.verify(nlToken({ roles: { analyst: true } })).roles).toEqual([]);
    });

    it('takes the purpose from the claim, or from the header when the claim is absent', () => {
      expect(verifier.verify(nlToken({ purpose: 'CUSTOMS' })).purpose).toBe('CUSTOMS');
      expect(verifier.verify(nlToken(), 'LAW_ENFORCEMENT').purpose).toBe('LAW_ENFORCEMENT');
      expect(verifier.verify(nlToken({ purpose: 'CUSTOMS' }), 'CUSTOMS').purpose).toBe('CUSTOMS');
      expect(verifier.verify(nlToken(), '').purpose).toBeUndefined();
    });

    it('refuses a header purpose that differs from the token', () => {
      expect(reasonOf(() => verifier.verify(nlToken({ purpose: 'CUSTOMS' }), 'DEFENCE'))).toBe('purpose in header differs from token');
    });

    it('refuses an unknown purpose, naming the allowed ones', () => {
      const fromClaim = reasonOf(() => verifier.verify(nlToken({ purpose: 'CURIOSITY' })));
      const fromHeader = reasonOf(() => verifier.verify(nlToken(), 'CURIOSITY'));
      for (const reason of [fromClaim, fromHeader]) {
        for (const p of PURPOSES) expect(reason).toContain(p);
        expect(reason).not.toContain('CURIOSITY');
      }
    });
  });

  describe('key sources', () => {
    const hsToken = (secret: string, claims: Record<string, unknown> = {}) =>
      jwt.sign({ iss: HS_ISS, aud: AUD, sub: 'bob', agency: 'be-coastguard', roles: 'viewer', exp: nowSec() + 600, ...claims }, secret, {
        algorithm: 'HS256',
      });

    it('secretEnv issuer accepts HS256 when the variable is set', () => {
      process.env[SECRET_ENV] = SECRET;
      const v = createTokenVerifier(policyWith(issuers), { audience: AUD });
      const p = v.verify(hsToken(SECRET));
      expect(p).toMatchObject({ subject: 'bob', roles: ['viewer'], issuer: HS_ISS });
      expect(p.agency.code).toBe('be-coastguard');
      expect(reasonOf(() => v.verify(hsToken(`${SECRET}-wrong`)))).toBe('bad signature');
    });

    it('secretEnv issuer refuses everything when the variable is unset or too short', () => {
      delete process.env[SECRET_ENV];
      const unset = createTokenVerifier(policyWith(issuers), { audience: AUD });
      expect(reasonOf(() => unset.verify(hsToken(SECRET)))).toBe('issuer not configured');
      // Other issuers keep working.
      expect(unset.verify(nlToken()).subject).toBe('alice');

      process.env[SECRET_ENV] = 'short';
      const short = createTokenVerifier(policyWith(issuers), { audience: AUD });
      expect(reasonOf(() => short.verify(hsToken('short')))).toBe('issuer not configured');
      delete process.env[SECRET_ENV];
    });

    it('JWKS issuer picks the key by kid', () => {
      const sign = (kid: string | undefined, key: crypto.KeyObject) =>
        jwt.sign({ iss: JWKS_ISS, aud: AUD, sub: 'carol', agency: 'be-coastguard', exp: nowSec() + 600 }, key, {
          algorithm: 'RS256',
          ...(kid ? { keyid: kid } : {}),
        });
      expect(verifier.verify(sign('k1', jwksKeys.privateKey)).subject).toBe('carol');
      expect(reasonOf(() => verifier.verify(sign('k2', jwksKeys.privateKey)))).toBe('bad signature');
      expect(reasonOf(() => verifier.verify(sign('k9', jwksKeys.privateKey)))).toBe('unknown key id');
      expect(reasonOf(() => verifier.verify(sign(undefined, jwksKeys.privateKey)))).toBe('token has no key id');
    });

    it('a missing key file is a configuration error at creation, not per request', () => {
      const broken = policyWith([{ ...issuers[0], publicKeyFile: path.join(dir, 'missing.pem') }]);
      expect(() => createTokenVerifier(broken, { audience: AUD })).toThrow(/cannot read public key/);
    });
  });
});
