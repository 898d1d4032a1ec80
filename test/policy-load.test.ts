/**
 * Policy loading (src/policy/load.ts): the demo set in policies/ loads, and every validation rule
 * refuses a bad set with a PolicyError naming the file and the problem.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { buildHubSchema } from '../src/api/schema';
import { shareableFieldNames } from '../src/request/policy-store';
import { loadPolicies, PolicyError, validateFieldCoverage } from '../src/policy/load';
import { AGENCY_KINDS, type PolicySet, type ShareableType } from '../src/policy/types';

const REPO = path.resolve(__dirname, '..');
const TODAY = new Date('2026-11-24T12:00:00Z');

const isActive = (a: { validFrom: Date; validUntil?: Date }, now: Date) =>
  a.validFrom <= now && (a.validUntil === undefined || now <= a.validUntil);

// ---------------------------------------------------------------------------------------------
// The demo set

describe('demo policy set (policies/)', () => {
  let policy: PolicySet;
  beforeAll(() => {
    ensureDevKeys(); // issuers.yaml points at ../.keys/dev-issuer.pub.pem, made on first run
    policy = loadPolicies(path.join(REPO, 'policies'));
  });

  it('loads the agencies, with every kind and at least two private operators', () => {
    expect(policy.agencies.size).toBe(13);
    const kinds = new Set([...policy.agencies.values()].map((a) => a.kind));
    expect([...kinds].sort()).toEqual([...AGENCY_KINDS].sort());
    const operators = [...policy.agencies.values()].filter((a) => a.kind === 'PRIVATE_OPERATOR');
    expect(operators.map((a) => a.code).sort()).toEqual(['be-antwerp-shipping-agent', 'nl-ect-terminal']);
    expect(new Set([...policy.agencies.values()].map((a) => a.country))).toEqual(new Set(['NL', 'BE', 'DE', 'FR', 'ES', 'NO']));
    expect(policy.agencies.get('nl-customs')).toMatchObject({ kind: 'CUSTOMS', country: 'NL', ports: expect.arrayContaining(['NLRTM']) });
  });

  it('has one development issuer speaking for every demo agency', () => {
    expect(policy.issuers).toHaveLength(1);
    const [dev] = policy.issuers;
    expect(dev.iss).toBe('portcullis-dev');
    expect(dev.algorithms).toEqual(['RS256']);
    expect(dev.publicKeyFile).toBe(path.join(REPO, '.keys', 'dev-issuer.pub.pem'));
    expect([...dev.agencies].sort()).toEqual([...policy.agencies.keys()].sort());
  });

  it('loads the agreements in file-name order, one of them expired', () => {
    expect(policy.agreements.map((a) => a.id)).toEqual([
      'de-customs--nl-customs-sanctions',
      'es-guardia-civil--fr-fisheries',
      'nl-coastguard--be-coastguard-2025-pilot',
      'nl-customs--be-customs-narcotics',
      'nl-customs--de-customs-sanctions',
    ]);
    for (const a of policy.agreements) {
      expect(a.file).toBe(`agreements/${a.id}.yaml`);
      expect(a.purpose).toEqual(expect.any(String));
    }
    const expired = policy.agreements.filter((a) => !isActive(a, TODAY));
    expect(expired.map((a) => a.id)).toEqual(['nl-coastguard--be-coastguard-2025-pilot']);
    expect(expired[0].validUntil!.getUTCFullYear()).toBe(2025);
  });

  it('has a fisheries agreement limited to alerts and FISHERIES, and one releasing source and notes', () => {
    const fisheries = policy.agreements.find((a) => a.id === 'es-guardia-civil--fr-fisheries')!;
    expect(fisheries).toMatchObject({ types: ['VesselAlert'], purposes: ['FISHERIES'], jurisdictions: ['ES'] });
    expect(fisheries.validUntil).toBeUndefined();
    const narcotics = policy.agreements.find((a) => a.id === 'nl-customs--be-customs-narcotics')!;
    expect(narcotics.fields).toEqual(expect.arrayContaining(['source', 'notes']));
  });

  it("classes exactly the fields of the hub schema's four shareable types", async () => {
    const schemaFields = shareableFieldNames(await buildHubSchema());
    expect(() => validateFieldCoverage(policy, schemaFields)).not.toThrow();
    expect(policy.fields.WatchlistEntry.sensitive).toEqual(['source', 'notes', 'relatedParties']);
    expect(policy.fields.VesselAlert.sensitive).toEqual(['intelligenceSummary']);
    expect(policy.fields.SuspiciousActivityReport.sensitive).toEqual(['reporterContact', 'submittedBy']);
    // ISSUE 5: the reporter's identity also reaches the analysts of the report's jurisdiction.
    expect(policy.fields.SuspiciousActivityReport.releasedToJurisdiction).toEqual(['reporterContact', 'submittedBy']);
    expect(policy.fields.WatchlistEntry.releasedToJurisdiction).toEqual([]);
    expect(policy.fields.Watchlist.sensitive).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Small policy sets in temporary directories

/** Relative path -> content: strings are written as they are, anything else as YAML. */
type Files = Record<string, unknown>;

const TEST_PUBLIC_KEY = crypto
  .generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' }) as string;

function baseline(): Files {
  return {
    'agencies.yaml': {
      agencies: [
        { code: 'nl-customs', name: 'Netherlands Customs', kind: 'CUSTOMS', country: 'NL', ports: ['NLRTM', 'NLAMS'] },
        { code: 'be-customs', name: 'Belgian Customs', kind: 'CUSTOMS', country: 'BE', ports: ['BEANR'] },
        { code: 'nl-terminal', name: 'A terminal', kind: 'PRIVATE_OPERATOR', country: 'NL', ports: ['NLRTM'] },
      ],
    },
    'issuers.yaml': {
      issuers: [{ iss: 'test-idp', algorithms: ['ES256'], publicKeyFile: 'keys/test.pub.pem', agencies: ['nl-customs', 'be-customs'] }],
    },
    'keys/test.pub.pem': TEST_PUBLIC_KEY,
    'fields.yaml': {
      Watchlist: { core: ['id', 'name'], sensitive: [] },
      WatchlistEntry: { core: ['id', 'reason'], sensitive: ['source', 'notes'] },
      VesselAlert: { core: ['id', 'title'], sensitive: ['intelligenceSummary'] },
      SuspiciousActivityReport: { core: ['id'], sensitive: ['reporterContact'] },
      VesselPosition: { core: ['id', 'lat', 'lon'], sensitive: [] },
    },
    'agreements/nl-be.yaml': {
      id: 'nl-be',
      provider: 'nl-customs',
      recipients: ['be-customs'],
      types: ['WatchlistEntry'],
      maxTlp: 'AMBER',
      fields: ['source'],
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
    },
  };
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function writePolicyDir(files: Files): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-policy-'));
  tempDirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    if (content === undefined) continue; // a test deleted the file
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, typeof content === 'string' ? content : stringify(content));
  }
  return dir;
}

/** The baseline with `change` applied; objects are deep copies, so tests cannot leak into each other. */
function variant(change: (files: Files & Record<string, any>) => void): Files {
  const files = structuredClone(baseline()) as Files & Record<string, any>;
  change(files);
  return files;
}

function loadError(files: Files): PolicyError {
  try {
    loadPolicies(writePolicyDir(files));
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError, but the policy set loaded');
}

function expectRefused(files: Files, file: string, problem: string): void {
  const err = loadError(files);
  expect(err.file).toBe(file);
  expect(err.message.startsWith(`${file}: `)).toBe(true);
  expect(err.message).toContain(problem);
}

describe('a valid small policy set', () => {
  it('loads, with key files resolved and agreement dates parsed', () => {
    const dir = writePolicyDir(baseline());
    const policy = loadPolicies(dir);
    expect(policy.dir).toBe(dir);
    expect(policy.issuers[0].publicKeyFile).toBe(path.join(dir, 'keys/test.pub.pem'));
    const [a] = policy.agreements;
    expect(a).toMatchObject({ id: 'nl-be', file: 'agreements/nl-be.yaml', jurisdictions: [], purposes: [] });
    expect(a.validFrom.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    // A plain end date covers the whole of that day.
    expect(a.validUntil!.toISOString()).toBe('2027-12-31T23:59:59.999Z');
  });

  it('reads maxTokenLifetime as seconds, 24 hours when left out', () => {
    expect(loadPolicies(writePolicyDir(baseline())).issuers[0].maxTokenLifetimeSeconds).toBe(86_400);
    const lifetime = (value: unknown) =>
      loadPolicies(
        writePolicyDir(
          variant((f) => {
            f['issuers.yaml'].issuers[0].maxTokenLifetime = value;
          }),
        ),
      ).issuers[0].maxTokenLifetimeSeconds;
    expect(lifetime('30d')).toBe(30 * 86_400);
    expect(lifetime('8h')).toBe(8 * 3600);
    expect(lifetime('90m')).toBe(90 * 60);
    expect(lifetime(3600)).toBe(3600);
  });

  it('reads an issuer’s single sign-on for the console, its discovery URL the issuer’s own unless given', () => {
    const withSignIn = (signIn: unknown, discovery?: string) =>
      loadPolicies(
        writePolicyDir(
          variant((f) => {
            const issuer = f['issuers.yaml'].issuers[0];
            if (discovery) {
              delete issuer.publicKeyFile;
              issuer.discovery = discovery;
            }
            issuer.signIn = signIn;
          }),
        ),
      ).issuers[0].signIn;
    const idp = 'https://idp.example.nl/realms/portcullis/.well-known/openid-configuration';
    expect(withSignIn({ clientId: 'portcullis-console' }, idp)).toEqual({
      clientId: 'portcullis-console',
      discovery: idp,
      scope: 'openid',
    });
    expect(withSignIn({ clientId: 'console', discovery: idp, scope: 'openid roles' })).toEqual({
      clientId: 'console',
      discovery: idp,
      scope: 'openid roles',
    });
    expect(loadPolicies(writePolicyDir(baseline())).issuers[0].signIn).toBeUndefined();
  });

  it('accepts dates that YAML 1.1 parses as Date objects', () => {
    const files = variant((f) => {
      f['agreements/nl-be.yaml'] = '%YAML 1.1\n---\n' + stringify(f['agreements/nl-be.yaml']);
    });
    const [a] = loadPolicies(writePolicyDir(files)).agreements;
    expect(a.validFrom).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(a.validUntil).toEqual(new Date('2027-12-31T23:59:59.999Z'));
  });

  it('accepts ISO date-times with a time zone', () => {
    const files = variant((f) => {
      f['agreements/nl-be.yaml'].validFrom = '2026-01-01T08:00:00+01:00';
      f['agreements/nl-be.yaml'].validUntil = '2026-06-30T18:00:00Z';
    });
    const [a] = loadPolicies(writePolicyDir(files)).agreements;
    expect(a.validFrom.toISOString()).toBe('2026-01-01T07:00:00.000Z');
    expect(a.validUntil!.toISOString()).toBe('2026-06-30T18:00:00.000Z');
  });

  it('loads an expired agreement (the engine, not the loader, ignores it)', () => {
    const files = variant((f) => {
      f['agreements/nl-be.yaml'].validFrom = '2024-01-01';
      f['agreements/nl-be.yaml'].validUntil = '2025-06-30';
    });
    const [a] = loadPolicies(writePolicyDir(files)).agreements;
    expect(isActive(a, TODAY)).toBe(false);
  });

  it('treats a missing agreements directory as no agreements', () => {
    const files = variant((f) => delete f['agreements/nl-be.yaml']);
    expect(loadPolicies(writePolicyDir(files)).agreements).toEqual([]);
  });

  it('reads a bare NO as Norway under YAML 1.2', () => {
    const files = variant((f) => {
      f['agencies.yaml'] =
        stringify(f['agencies.yaml']) +
        '  - code: no-customs\n    name: Tolletaten\n    kind: CUSTOMS\n    country: NO\n    ports: [NOOSL]\n';
    });
    expect(loadPolicies(writePolicyDir(files)).agencies.get('no-customs')?.country).toBe('NO');
  });

  it('ignores dotfiles and non-YAML files in agreements/', () => {
    const files = variant((f) => {
      f['agreements/.gitkeep'] = '';
      f['agreements/README.md'] = '# agreements\n';
    });
    expect(loadPolicies(writePolicyDir(files)).agreements).toHaveLength(1);
  });
});

// Each row: what is wrong, how to break the baseline, the file blamed, the problem stated.
type Case = [string, (f: Files & Record<string, any>) => void, string, string];

const agreementCases: Case[] = [
  [
    'unknown recipient agency',
    (f) => {
      f['agreements/nl-be.yaml'].recipients = ['xx-customs'];
    },
    'agreements/nl-be.yaml',
    'recipients[0] "xx-customs" is not an agency in agencies.yaml',
  ],
  [
    'unknown provider agency',
    (f) => {
      f['agreements/nl-be.yaml'].provider = 'nl-douane';
    },
    'agreements/nl-be.yaml',
    'provider "nl-douane" is not an agency in agencies.yaml',
  ],
  [
    'provider among recipients',
    (f) => {
      f['agreements/nl-be.yaml'].recipients = ['be-customs', 'nl-customs'];
    },
    'agreements/nl-be.yaml',
    'recipients[1] "nl-customs" is the provider itself',
  ],
  [
    'no recipients',
    (f) => {
      f['agreements/nl-be.yaml'].recipients = [];
    },
    'agreements/nl-be.yaml',
    'recipients must not be empty',
  ],
  [
    'RED maxTlp',
    (f) => {
      f['agreements/nl-be.yaml'].maxTlp = 'RED';
    },
    'agreements/nl-be.yaml',
    'maxTlp RED is never shared by agreement',
  ],
  [
    'unknown maxTlp',
    (f) => {
      f['agreements/nl-be.yaml'].maxTlp = 'AMBER+STRICT';
    },
    'agreements/nl-be.yaml',
    'maxTlp "AMBER+STRICT" must be one of CLEAR, GREEN, AMBER, AMBER_STRICT',
  ],
  [
    'unknown type',
    (f) => {
      f['agreements/nl-be.yaml'].types = ['WatchlistEntry', 'Vessel'];
    },
    'agreements/nl-be.yaml',
    'types[1] "Vessel" must be one of Watchlist, WatchlistEntry, VesselAlert, SuspiciousActivityReport',
  ],
  [
    'invalid jurisdiction',
    (f) => {
      f['agreements/nl-be.yaml'].jurisdictions = ['NL', 'ZZ'];
    },
    'agreements/nl-be.yaml',
    'jurisdictions[1] "ZZ" is not an ISO 3166-1 alpha-2 country code',
  ],
  [
    'unknown purpose',
    (f) => {
      f['agreements/nl-be.yaml'].purposes = ['CUSTOMS', 'CURIOSITY'];
    },
    'agreements/nl-be.yaml',
    'purposes[1] "CURIOSITY" must be one of BORDER_CONTROL',
  ],
  [
    'unknown field',
    (f) => {
      f['agreements/nl-be.yaml'].fields = ['source', 'sourcee'];
    },
    'agreements/nl-be.yaml',
    'fields[1] "sourcee" is not a sensitive field of WatchlistEntry',
  ],
  [
    'core field listed as released',
    (f) => {
      f['agreements/nl-be.yaml'].fields = ['reason'];
    },
    'agreements/nl-be.yaml',
    'fields[0] "reason" is not a sensitive field of WatchlistEntry',
  ],
  [
    'sensitive field of a type the agreement does not cover',
    (f) => {
      f['agreements/nl-be.yaml'].fields = ['intelligenceSummary'];
    },
    'agreements/nl-be.yaml',
    'fields[0] "intelligenceSummary" is not a sensitive field of WatchlistEntry',
  ],
  [
    'unknown key',
    (f) => {
      f['agreements/nl-be.yaml'].expires = '2027-01-01';
    },
    'agreements/nl-be.yaml',
    'unknown key "expires"',
  ],
  [
    'key without a value',
    (f) => {
      f['agreements/nl-be.yaml'].jurisdictions = null;
    },
    'agreements/nl-be.yaml',
    'jurisdictions has no value',
  ],
  [
    'missing validFrom',
    (f) => {
      delete f['agreements/nl-be.yaml'].validFrom;
    },
    'agreements/nl-be.yaml',
    'missing key "validFrom"',
  ],
  [
    'impossible date',
    (f) => {
      f['agreements/nl-be.yaml'].validFrom = '2026-02-30';
    },
    'agreements/nl-be.yaml',
    'validFrom "2026-02-30" is not a valid date',
  ],
  [
    'date that is not a date',
    (f) => {
      f['agreements/nl-be.yaml'].validUntil = 'end of 2027';
    },
    'agreements/nl-be.yaml',
    'validUntil "end of 2027" is not a valid date',
  ],
  [
    'date-time without a time zone',
    (f) => {
      f['agreements/nl-be.yaml'].validFrom = '2026-01-01T08:00:00';
    },
    'agreements/nl-be.yaml',
    'validFrom "2026-01-01T08:00:00" is not a valid date',
  ],
  [
    'number as date',
    (f) => {
      f['agreements/nl-be.yaml'].validFrom = 2026;
    },
    'agreements/nl-be.yaml',
    'validFrom must be a date such as 2026-01-01, got the number 2026',
  ],
  [
    'validUntil before validFrom',
    (f) => {
      f['agreements/nl-be.yaml'].validUntil = '2025-12-31';
    },
    'agreements/nl-be.yaml',
    'validUntil 2025-12-31 must be after validFrom 2026-01-01',
  ],
  [
    'id not matching the file name',
    (f) => {
      f['agreements/nl-be.yaml'].id = 'nl-be-2';
    },
    'agreements/nl-be.yaml',
    'id "nl-be-2" must equal the file name without .yaml ("nl-be")',
  ],
  [
    'id used twice',
    (f) => {
      f['agreements/nl-be2.yaml'] = { ...f['agreements/nl-be.yaml'] };
    },
    'agreements/nl-be2.yaml',
    'id "nl-be" is already used by agreements/nl-be.yaml',
  ],
  [
    '.yml file',
    (f) => {
      f['agreements/be-nl.yml'] = 'id: be-nl\n';
    },
    'agreements/be-nl.yml',
    'agreement files must end in .yaml',
  ],
  [
    'empty file',
    (f) => {
      f['agreements/nl-be.yaml'] = '';
    },
    'agreements/nl-be.yaml',
    'the file must be a mapping',
  ],
  [
    'duplicate keys in YAML',
    (f) => {
      f['agreements/nl-be.yaml'] = stringify(f['agreements/nl-be.yaml']) + 'maxTlp: GREEN\n';
    },
    'agreements/nl-be.yaml',
    'invalid YAML: Map keys must be unique',
  ],
];

const issuerCases: Case[] = [
  [
    'alg none',
    (f) => {
      f['issuers.yaml'].issuers[0].algorithms = ['ES256', 'none'];
    },
    'issuers.yaml',
    'issuers[0].algorithms[1] "none" is never allowed',
  ],
  [
    'unsupported algorithm',
    (f) => {
      f['issuers.yaml'].issuers[0].algorithms = ['EdDSA'];
    },
    'issuers.yaml',
    'issuers[0].algorithms[0] "EdDSA" is not a supported algorithm',
  ],
  [
    'no algorithms',
    (f) => {
      f['issuers.yaml'].issuers[0].algorithms = [];
    },
    'issuers.yaml',
    'issuers[0].algorithms must not be empty',
  ],
  [
    'HS and RS mixed',
    (f) => {
      f['issuers.yaml'].issuers[0].algorithms = ['RS256', 'HS256'];
    },
    'issuers.yaml',
    'issuers[0].algorithms mixes HS256 with RS256',
  ],
  [
    'secretEnv with an asymmetric algorithm',
    (f) => {
      const issuer = f['issuers.yaml'].issuers[0];
      delete issuer.publicKeyFile;
      issuer.secretEnv = 'TEST_IDP_SECRET';
    },
    'issuers.yaml',
    'issuers[0].secretEnv is for HS* algorithms only',
  ],
  [
    'key file with an HMAC algorithm',
    (f) => {
      f['issuers.yaml'].issuers[0].algorithms = ['HS256'];
    },
    'issuers.yaml',
    'issuers[0].publicKeyFile is for public-key algorithms; HS256 needs secretEnv',
  ],
  [
    'two key sources',
    (f) => {
      f['issuers.yaml'].issuers[0].jwksFile = 'keys/test.jwks.json';
    },
    'issuers.yaml',
    'issuers[0] needs exactly one of publicKeyFile, jwksFile, jwksUri, discovery, secretEnv (found publicKeyFile and jwksFile)',
  ],
  [
    'no key source',
    (f) => {
      delete f['issuers.yaml'].issuers[0].publicKeyFile;
    },
    'issuers.yaml',
    'issuers[0] needs exactly one of publicKeyFile, jwksFile, jwksUri, discovery, secretEnv (found none)',
  ],
  [
    'missing key file',
    (f) => {
      f['issuers.yaml'].issuers[0].publicKeyFile = 'keys/missing.pem';
    },
    'issuers.yaml',
    'issuers[0].publicKeyFile "keys/missing.pem" not found (resolved to ',
  ],
  [
    'missing JWKS file',
    (f) => {
      const issuer = f['issuers.yaml'].issuers[0];
      delete issuer.publicKeyFile;
      issuer.jwksFile = 'keys/idp.jwks.json';
    },
    'issuers.yaml',
    'issuers[0].jwksFile "keys/idp.jwks.json" not found',
  ],
  [
    'unknown agency',
    (f) => {
      f['issuers.yaml'].issuers[0].agencies = ['nl-customs', 'de-customs'];
    },
    'issuers.yaml',
    'issuers[0].agencies[1] "de-customs" is not an agency in agencies.yaml',
  ],
  [
    'no agencies',
    (f) => {
      f['issuers.yaml'].issuers[0].agencies = [];
    },
    'issuers.yaml',
    'issuers[0].agencies must not be empty',
  ],
  [
    'duplicate iss',
    (f) => {
      f['issuers.yaml'].issuers.push({ ...f['issuers.yaml'].issuers[0] });
    },
    'issuers.yaml',
    'issuers[1].iss "test-idp" is already used by issuers[0]',
  ],
  [
    'empty iss',
    (f) => {
      f['issuers.yaml'].issuers[0].iss = '  ';
    },
    'issuers.yaml',
    'issuers[0].iss must not be empty',
  ],
  [
    'unknown key',
    (f) => {
      f['issuers.yaml'].issuers[0].jku = 'https://attacker.example/jwks';
    },
    'issuers.yaml',
    'issuers[0]: unknown key "jku"',
  ],
  ...(['10y', '30s', '367d', 'forever'] as const).map((value): Case => [
    `maxTokenLifetime ${value}`,
    (f) => {
      f['issuers.yaml'].issuers[0].maxTokenLifetime = value;
    },
    'issuers.yaml',
    `issuers[0].maxTokenLifetime "${value}" must be a duration from 1m to 366d, such as 90m, 24h or 30d`,
  ]),
  [
    'missing file',
    (f) => {
      delete f['issuers.yaml'];
    },
    'issuers.yaml',
    'file not found',
  ],
  ...(
    [
      ['signIn without clientId', {}, 'issuers[0].signIn: missing key "clientId"'],
      ['signIn with an unknown key', { clientId: 'c', secret: 'x' }, 'issuers[0].signIn: unknown key "secret"'],
      ['signIn without a discovery URL to use', { clientId: 'c' }, 'issuers[0].signIn.discovery is needed'],
      ['signIn over plain HTTP', { clientId: 'c', discovery: 'http://idp.example/.well-known/openid-configuration' }, 'must be https'],
      ['signIn clientId with a space', { clientId: 'a b', discovery: 'https://idp.example/d' }, 'issuers[0].signIn.clientId must be'],
      ['signIn scope without openid', { clientId: 'c', discovery: 'https://idp.example/d', scope: 'profile' }, 'must include openid'],
      ['signIn scope with a quote', { clientId: 'c', discovery: 'https://idp.example/d', scope: 'openid "x"' }, 'scope names separated'],
    ] as const
  ).map(([name, signIn, problem]): Case => [
    name,
    (f) => {
      f['issuers.yaml'].issuers[0].signIn = signIn;
    },
    'issuers.yaml',
    problem,
  ]),
  [
    'two sign-in providers for one agency',
    (f) => {
      const signIn = { clientId: 'c', discovery: 'https://idp.example/d' };
      f['issuers.yaml'].issuers[0].signIn = signIn;
      f['issuers.yaml'].issuers.push({ ...f['issuers.yaml'].issuers[0], iss: 'other-idp', agencies: ['nl-customs'], signIn });
    },
    'issuers.yaml',
    'issuers[1].signIn: agency "nl-customs" already signs in through issuers[0]',
  ],
];

const agencyCases: Case[] = [
  [
    'a departure that is not a date',
    (f) => {
      f['agencies.yaml'].agencies[1].departed = 'last week';
    },
    'agencies.yaml',
    'agencies[1].departed "last week" is not a valid date',
  ],
  [
    'a membership in which every agency departed',
    (f) => {
      for (const a of f['agencies.yaml'].agencies) a.departed = '2026-01-01';
    },
    'agencies.yaml',
    'agencies lists no member that has not departed',
  ],
  [
    'code not matching the pattern',
    (f) => {
      f['agencies.yaml'].agencies[0].code = 'NL Customs';
    },
    'agencies.yaml',
    'agencies[0].code "NL Customs" must match [a-z0-9-]+',
  ],
  [
    'duplicate code',
    (f) => {
      f['agencies.yaml'].agencies[2].code = 'nl-customs';
    },
    'agencies.yaml',
    'agencies[2].code "nl-customs" is already used by agencies[0]',
  ],
  [
    'empty name',
    (f) => {
      f['agencies.yaml'].agencies[1].name = '';
    },
    'agencies.yaml',
    'agencies[1].name must not be empty',
  ],
  [
    'unknown kind',
    (f) => {
      f['agencies.yaml'].agencies[1].kind = 'POLICE';
    },
    'agencies.yaml',
    'agencies[1].kind "POLICE" must be one of CUSTOMS, COAST_GUARD, PORT_AUTHORITY, BORDER_POLICE, PRIVATE_OPERATOR',
  ],
  [
    'invalid country',
    (f) => {
      f['agencies.yaml'].agencies[1].country = 'UK';
    },
    'agencies.yaml',
    'agencies[1].country "UK" is not an ISO 3166-1 alpha-2 country code',
  ],
  [
    'port in another country',
    (f) => {
      f['agencies.yaml'].agencies[0].ports = ['NLRTM', 'BEANR'];
    },
    'agencies.yaml',
    "agencies[0].ports[1] BEANR is in BE, not in the agency's country NL",
  ],
  [
    'invalid UN/LOCODE',
    (f) => {
      f['agencies.yaml'].agencies[0].ports = ['NLRT0'];
    },
    'agencies.yaml',
    'agencies[0].ports[0] "NLRT0" is not a UN/LOCODE',
  ],
  [
    'port listed twice',
    (f) => {
      f['agencies.yaml'].agencies[0].ports = ['NLRTM', 'NLRTM'];
    },
    'agencies.yaml',
    'agencies[0].ports[1] "NLRTM" is already listed at agencies[0].ports[0]',
  ],
  [
    'unknown key',
    (f) => {
      f['agencies.yaml'].agencies[1].port = 'BEANR';
    },
    'agencies.yaml',
    'agencies[1]: unknown key "port" (allowed: code, name, kind, country, ports, registryAuthority, departed)',
  ],
  [
    'registryAuthority that is not a boolean',
    (f) => {
      f['agencies.yaml'].agencies[0].registryAuthority = 'yes';
    },
    'agencies.yaml',
    'agencies[0].registryAuthority must be true or false, got the text "yes"',
  ],
  [
    'a private operator as registry authority',
    (f) => {
      const operator = f['agencies.yaml'].agencies.find((a: { kind: string }) => a.kind === 'PRIVATE_OPERATOR');
      operator.registryAuthority = true;
    },
    'agencies.yaml',
    'registryAuthority: a PRIVATE_OPERATOR cannot be a registry authority',
  ],
  [
    'unknown top-level key',
    (f) => {
      f['agencies.yaml'].members = [];
    },
    'agencies.yaml',
    'unknown key "members"',
  ],
  [
    'no agencies',
    (f) => {
      f['agencies.yaml'].agencies = [];
    },
    'agencies.yaml',
    'agencies must not be empty',
  ],
  [
    'bare NO under YAML 1.1',
    (f) => {
      f['agencies.yaml'] = '%YAML 1.1\n---\nagencies:\n  - code: no-customs\n    name: Tolletaten\n    kind: CUSTOMS\n    country: NO\n';
    },
    'agencies.yaml',
    'agencies[0].country must be text, got the boolean false (put it in quotes)',
  ],
];

const fieldCases: Case[] = [
  [
    'field in both classes',
    (f) => {
      f['fields.yaml'].WatchlistEntry.core.push('source');
    },
    'fields.yaml',
    'WatchlistEntry.source is in both core and sensitive',
  ],
  [
    'missing type',
    (f) => {
      delete f['fields.yaml'].VesselAlert;
    },
    'fields.yaml',
    'missing type VesselAlert',
  ],
  [
    'unknown type',
    (f) => {
      f['fields.yaml'].Vessel = { core: ['id'], sensitive: [] };
    },
    'fields.yaml',
    '"Vessel" is not a shareable type',
  ],
  [
    'missing sensitive list',
    (f) => {
      delete f['fields.yaml'].Watchlist.sensitive;
    },
    'fields.yaml',
    'Watchlist: missing key "sensitive"',
  ],
  [
    'unknown class',
    (f) => {
      f['fields.yaml'].Watchlist.secret = ['name'];
    },
    'fields.yaml',
    'Watchlist: unknown key "secret"',
  ],
  [
    'invalid GraphQL name',
    (f) => {
      f['fields.yaml'].VesselAlert.sensitive = ['intel-summary'];
    },
    'fields.yaml',
    'VesselAlert.sensitive[0] "intel-summary" is not a valid GraphQL field name',
  ],
  [
    'field listed twice',
    (f) => {
      f['fields.yaml'].Watchlist.core = ['id', 'name', 'id'];
    },
    'fields.yaml',
    'Watchlist.core[2] "id" is already listed at Watchlist.core[0]',
  ],
  [
    'core field released to the jurisdiction',
    (f) => {
      f['fields.yaml'].SuspiciousActivityReport.releasedToJurisdiction = ['id'];
    },
    'fields.yaml',
    'SuspiciousActivityReport.releasedToJurisdiction[0] "id" is not a sensitive field of SuspiciousActivityReport',
  ],
  [
    'unknown field released to the jurisdiction',
    (f) => {
      f['fields.yaml'].SuspiciousActivityReport.releasedToJurisdiction = ['reporterContact', 'reporterPhone'];
    },
    'fields.yaml',
    'SuspiciousActivityReport.releasedToJurisdiction[1] "reporterPhone" is not a sensitive field of SuspiciousActivityReport',
  ],
  [
    'field released to the jurisdiction twice',
    (f) => {
      f['fields.yaml'].SuspiciousActivityReport.releasedToJurisdiction = ['reporterContact', 'reporterContact'];
    },
    'fields.yaml',
    'SuspiciousActivityReport.releasedToJurisdiction[1] "reporterContact" is already listed',
  ],
  [
    'releasedToJurisdiction that is not a list',
    (f) => {
      f['fields.yaml'].SuspiciousActivityReport.releasedToJurisdiction = 'reporterContact';
    },
    'fields.yaml',
    'SuspiciousActivityReport.releasedToJurisdiction must be a list',
  ],
];

describe.each([
  ['agreements', agreementCases],
  ['issuers.yaml', issuerCases],
  ['agencies.yaml', agencyCases],
  ['fields.yaml', fieldCases],
])('%s validation', (_name, cases) => {
  it.each(cases)('refuses %s', (_what, change, file, problem) => {
    expectRefused(variant(change), file, problem);
  });
});

it('keeps a departed agency apart from the members, and lets issuers and agreements still name it', () => {
  const policy = loadPolicies(
    writePolicyDir(
      variant((f) => {
        f['agencies.yaml'].agencies[1].departed = '2026-06-30';
      }),
    ),
  );
  expect([...policy.agencies.keys()]).toEqual(['nl-customs', 'nl-terminal']);
  expect(policy.departed.get('be-customs')).toMatchObject({ code: 'be-customs', departedOn: '2026-06-30' });
  expect(policy.agreements[0].recipients).toEqual(['be-customs']);
  expect(policy.issuers[0].agencies).toContain('be-customs');
});

it('refuses a policies directory that does not exist', () => {
  const missing = path.join(os.tmpdir(), 'portcullis-no-such-policies');
  expect(() => loadPolicies(missing)).toThrow(PolicyError);
  expect(() => loadPolicies(missing)).toThrow('policies directory not found');
});

// ---------------------------------------------------------------------------------------------

describe('validateFieldCoverage', () => {
  const policy = loadPolicies(writePolicyDir(baseline()));
  const schema = (): Record<ShareableType, string[]> => ({
    Watchlist: ['id', 'name'],
    WatchlistEntry: ['id', 'reason', 'source', 'notes'],
    VesselAlert: ['id', 'title', 'intelligenceSummary'],
    SuspiciousActivityReport: ['id', 'reporterContact'],
    VesselPosition: ['id', 'lat', 'lon'],
  });

  it('accepts a schema whose fields are exactly the classed ones', () => {
    expect(() => validateFieldCoverage(policy, schema())).not.toThrow();
  });

  it('refuses a schema field that is not classed', () => {
    const fields = schema();
    fields.WatchlistEntry.push('foo');
    expect(() => validateFieldCoverage(policy, fields)).toThrow(
      new PolicyError('fields.yaml', 'WatchlistEntry.foo is not classed as core or sensitive'),
    );
  });

  it('refuses a classed field that the schema lacks', () => {
    const fields = schema();
    fields.WatchlistEntry = ['id', 'reason', 'source']; // notes is classed but gone from the schema
    expect(() => validateFieldCoverage(policy, fields)).toThrow('fields.yaml: WatchlistEntry.notes is not a field of the schema');
  });
});

// ---------------------------------------------------------------------------------------------

describe('ensureDevKeys', () => {
  it('creates a matching key pair once, private key readable by the owner only', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-keys-')), '.keys');
    tempDirs.push(path.dirname(dir));
    const paths = ensureDevKeys(dir);
    expect(paths).toEqual({ privateKeyPath: path.join(dir, 'dev-issuer.pem'), publicKeyPath: path.join(dir, 'dev-issuer.pub.pem') });
    expect(fs.statSync(paths.privateKeyPath).mode & 0o077).toBe(0);

    const privatePem = fs.readFileSync(paths.privateKeyPath);
    const signature = crypto.sign('sha256', Buffer.from('portcullis'), privatePem);
    expect(crypto.verify('sha256', Buffer.from('portcullis'), fs.readFileSync(paths.publicKeyPath), signature)).toBe(true);

    // A second call keeps the pair; a lost public key is re-derived from the private one.
    ensureDevKeys(dir);
    expect(fs.readFileSync(paths.privateKeyPath)).toEqual(privatePem);
    const publicPem = fs.readFileSync(paths.publicKeyPath);
    fs.rmSync(paths.publicKeyPath);
    ensureDevKeys(dir);
    expect(fs.readFileSync(paths.publicKeyPath)).toEqual(publicPem);
    expect(fs.readdirSync(dir).sort()).toEqual(['dev-issuer.pem', 'dev-issuer.pub.pem']);
  });
});
