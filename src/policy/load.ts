/**
 * Loads and validates the membership files in POLICIES_DIR (ACCESS-MODEL.md "Membership files",
 * "Data-sharing agreements", "Field visibility"):
 *
 *   agencies.yaml, issuers.yaml, fields.yaml, agreements/*.yaml (in file-name order),
 *   and the optional revoked.yaml and anomalies.yaml
 *
 * Deny by default: anything not understood (an unknown key, agency, type, field or algorithm, a
 * bad date, a RED agreement) refuses the whole set with a PolicyError naming the file and the
 * problem. Nothing is skipped or guessed, because a policy line that is silently ignored is a
 * grant or a restriction the operator believes in but does not have.
 *
 * Loading is synchronous and side-effect free, so a reload can build a new set and swap it in
 * atomically, or keep the old one and report the error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { isCountryCode, isUnLocode, quoteInput } from '../common/identifiers';
import { keyUrlProblem } from '../common/remote-url';
import {
  AGENCY_KINDS,
  PURPOSES,
  SHAREABLE_TYPES,
  TLP_LEVELS,
  type Agency,
  type AisFeed,
  type AisFeedSource,
  type AisPolicy,
  type AisRuleThresholds,
  DEFAULT_AIS_RULES,
  type Agreement,
  type AnomalyPolicy,
  type AnomalyThresholds,
  DEFAULT_ANOMALY_THRESHOLDS,
  type DepartedAgency,
  type FieldClasses,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  type Issuer,
  type IssuerSignIn,
  type Revocation,
  type PolicySet,
  type ShareableType,
  type Tlp,
} from './types';

/** A policy file that cannot be used. `file` is relative to the policies directory. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'PolicyError';
  }
}

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
const JWT_ALGORITHMS = [...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS] as const;

const AGENCY_CODE = /^[a-z0-9-]+$/;
const AGREEMENT_ID = /^[A-Za-z0-9._-]+$/;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEY_SOURCES = ['publicKeyFile', 'jwksFile', 'jwksUri', 'discovery', 'secretEnv'] as const;
const SHAREABLE_TLPS = TLP_LEVELS.filter((t): t is Exclude<Tlp, 'RED'> => t !== 'RED');

const isHmac = (alg: string) => (HMAC_ALGORITHMS as readonly string[]).includes(alg);
const q = (value: unknown) => quoteInput(value);

// ---------------------------------------------------------------------------------------------
// Entry points

export function loadPolicies(dir: string): PolicySet {
  const root = path.resolve(dir);
  if (!isDirectory(root)) throw new PolicyError(dir, `policies directory not found (resolved to ${root})`);

  const { agencies, departed } = loadAgencies(root);
  // Issuers and agreements may still name a departed agency: its tokens are refused by its
  // standing (membership.ts), and agreements it made keep governing the records it left.
  const named = new Map<string, Agency>([...agencies, ...departed]);
  const issuers = loadIssuers(root, named);
  const fields = loadFields(root);
  const agreements = loadAgreements(root, named, fields);
  const revoked = loadRevoked(root, named);
  const anomalies = loadAnomalies(root, named);
  // A feed is operated by a current member: a departed agency's feed derives nothing new.
  const ais = loadAis(root, agencies);
  return {
    dir: root,
    agencies,
    departed,
    issuers,
    fields,
    agreements,
    revoked,
    ...(anomalies ? { anomalies } : {}),
    ...(ais ? { ais } : {}),
  };
}

/**
 * Checks fields.yaml against the served schema, both ways: a schema field nobody classed would
 * otherwise have no visibility rule, and a classed field the schema lacks is usually a typo that
 * leaves the real field unclassed.
 */
export function validateFieldCoverage(policy: PolicySet, schemaFields: Record<ShareableType, string[]>): void {
  for (const type of SHAREABLE_TYPES) {
    const inSchema = schemaFields[type];
    if (!Array.isArray(inSchema)) throw new PolicyError('fields.yaml', `${type} is not a type of the schema`);
    const { core, sensitive, owner = [] } = policy.fields[type];
    const classed = new Set([...core, ...sensitive, ...owner]);

    const unclassed = inSchema.find((f) => !classed.has(f));
    if (unclassed !== undefined) {
      throw new PolicyError('fields.yaml', `${type}.${unclassed} is not classed as core or sensitive`);
    }
    const schemaSet = new Set(inSchema);
    const stale = [...classed].find((f) => !schemaSet.has(f));
    if (stale !== undefined) {
      throw new PolicyError('fields.yaml', `${type}.${stale} is not a field of the schema`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading YAML with errors that name the file

type Mapping = Record<string, unknown>;

interface KeySpec {
  required: readonly string[];
  optional?: readonly string[];
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** `where` is a path inside the file such as `agencies[3].code`; '' is the top level. */
const label = (where: string) => where || 'the file';

/** Validation helpers bound to one file, so every error names it. */
class PolicyFile {
  constructor(readonly file: string) {}

  fail(problem: string): never {
    throw new PolicyError(this.file, problem);
  }

  /** Parses the file; YAML warnings count as errors (e.g. an unknown tag would be read as text). */
  read(dir: string): unknown {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, this.file), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.fail(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (e as Error).message})`);
    }
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) this.fail(`invalid YAML: ${firstLine(problem.message)}`);
    try {
      return doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return this.fail(`invalid YAML: ${firstLine((e as Error).message)}`);
    }
  }

  /** A mapping with exactly the allowed keys: unknown keys are errors, not ignored. */
  mapping(value: unknown, where: string, keys: KeySpec): Mapping {
    if (!isMapping(value)) this.fail(`${label(where)} must be a mapping of keys to values`);
    const allowed = [...keys.required, ...(keys.optional ?? [])];
    const prefix = where ? `${where}: ` : '';
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(`${prefix}unknown key ${q(key)} (allowed: ${allowed.join(', ')})`);
      // `key:` with nothing after it is almost always a forgotten value, never "use the default".
      if (value[key] === null) this.fail(`${prefix}${key} has no value`);
    }
    for (const key of keys.required) {
      if (value[key] === undefined) this.fail(`${prefix}missing key ${q(key)}`);
    }
    return value;
  }

  /** Non-empty text, trimmed. */
  text(value: unknown, where: string): string {
    if (typeof value !== 'string') {
      // YAML 1.1 reads NO (Norway), YES, ON, OFF as booleans.
      const hint = typeof value === 'boolean' ? ' (put it in quotes)' : '';
      this.fail(`${where} must be text, got ${describe(value)}${hint}`);
    }
    const text = value.trim();
    if (text === '') this.fail(`${where} must not be empty`);
    return text;
  }

  list(value: unknown, where: string, opts: { nonEmpty?: boolean } = {}): unknown[] {
    if (!Array.isArray(value)) this.fail(`${where} must be a list, got ${describe(value)}`);
    if (opts.nonEmpty && value.length === 0) this.fail(`${where} must not be empty`);
    return value;
  }

  /** A list of texts, each listed once (a duplicate usually hides a typo in its neighbour). */
  textList(value: unknown, where: string, opts: { nonEmpty?: boolean } = {}): string[] {
    const texts = this.list(value, where, opts).map((item, i) => this.text(item, `${where}[${i}]`));
    texts.forEach((t, i) => {
      const first = texts.indexOf(t);
      if (first !== i) this.fail(`${where}[${i}] ${q(t)} is already listed at ${where}[${first}]`);
    });
    return texts;
  }

  oneOf<T extends string>(value: unknown, where: string, allowed: readonly T[]): T {
    const text = this.text(value, where);
    if (!(allowed as readonly string[]).includes(text)) {
      this.fail(`${where} ${q(text)} must be one of ${allowed.join(', ')}`);
    }
    return text as T;
  }

  agencyCode(value: unknown, where: string, agencies: ReadonlyMap<string, Agency>): string {
    const code = this.text(value, where);
    if (!agencies.has(code)) this.fail(`${where} ${q(code)} is not an agency in agencies.yaml`);
    return code;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:$/, '');
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${q(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

// ---------------------------------------------------------------------------------------------
// agencies.yaml

function loadAgencies(dir: string): Pick<PolicySet, 'agencies' | 'departed'> {
  const src = new PolicyFile('agencies.yaml');
  const top = src.mapping(src.read(dir), '', { required: ['agencies'] });
  const agencies = new Map<string, Agency>();
  const departed = new Map<string, DepartedAgency>();
  const indexOf = new Map<string, number>();

  src.list(top.agencies, 'agencies', { nonEmpty: true }).forEach((item, i) => {
    const where = `agencies[${i}]`;
    const agency = readAgency(src, item, where);
    const earlier = indexOf.get(agency.code);
    if (earlier !== undefined) src.fail(`${where}.code ${q(agency.code)} is already used by agencies[${earlier}]`);
    indexOf.set(agency.code, i);
    if ('departedOn' in agency) departed.set(agency.code, agency);
    else agencies.set(agency.code, agency);
  });
  if (agencies.size === 0) src.fail('agencies lists no member that has not departed');
  return { agencies, departed };
}

function readAgency(src: PolicyFile, item: unknown, where: string): Agency | DepartedAgency {
  const m = src.mapping(item, where, {
    required: ['code', 'name', 'kind', 'country'],
    optional: ['ports', 'registryAuthority', 'departed'],
  });

  const code = src.text(m.code, `${where}.code`);
  if (!AGENCY_CODE.test(code)) src.fail(`${where}.code ${q(code)} must match [a-z0-9-]+`);
  const name = src.text(m.name, `${where}.name`);
  const kind = src.oneOf(m.kind, `${where}.kind`, AGENCY_KINDS);
  const country = src.text(m.country, `${where}.country`);
  if (!isCountryCode(country)) src.fail(`${where}.country ${q(country)} is not an ISO 3166-1 alpha-2 country code`);

  const ports = m.ports === undefined ? [] : src.textList(m.ports, `${where}.ports`);
  ports.forEach((port, j) => {
    if (!isUnLocode(port)) {
      src.fail(`${where}.ports[${j}] ${q(port)} is not a UN/LOCODE (country code + 3 of A-Z, 2-9, e.g. NLRTM)`);
    }
    // An agency acts in its own country; a foreign port here would let it report from abroad.
    if (port.slice(0, 2) !== country) {
      src.fail(`${where}.ports[${j}] ${port} is in ${port.slice(0, 2)}, not in the agency's country ${country}`);
    }
  });
  const registryAuthority = readRegistryAuthority(src, m.registryAuthority, where, kind);
  const agency: Agency = { code, name, kind, country, ports, ...(registryAuthority ? { registryAuthority } : {}) };
  if (m.departed === undefined) return agency;
  const departedOn = readDate(src, m.departed, `${where}.departed`, 'start').toISOString().slice(0, 10);
  return { ...agency, departedOn };
}

/** Only `true` grants; a private operator's word is never the registry's. */
function readRegistryAuthority(src: PolicyFile, value: unknown, where: string, kind: Agency['kind']): true | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true) src.fail(`${where}.registryAuthority must be true or false, got ${describe(value)}`);
  if (kind === 'PRIVATE_OPERATOR') src.fail(`${where}.registryAuthority: a PRIVATE_OPERATOR cannot be a registry authority`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// revoked.yaml (optional): revocations for an emergency, when the hub's own mutation cannot be used

/** Long enough for any jti or subject an identity provider makes; longer is a mistake. */
const MAX_REVOKED_VALUE = 256;

function loadRevoked(dir: string, agencies: ReadonlyMap<string, Agency>): Revocation[] {
  if (!fs.existsSync(path.join(dir, 'revoked.yaml'))) return [];
  const src = new PolicyFile('revoked.yaml');
  const top = src.mapping(src.read(dir), '', { required: ['revoked'] });
  return src.list(top.revoked, 'revoked').map((item, i) => {
    const where = `revoked[${i}]`;
    const m = src.mapping(item, where, { required: ['agency', 'reason'], optional: ['jti', 'subject', 'until'] });
    if ((m.jti === undefined) === (m.subject === undefined)) src.fail(`${where} needs exactly one of jti, subject`);
    const kind = m.jti !== undefined ? 'TOKEN' : 'SUBJECT';
    const key = kind === 'TOKEN' ? 'jti' : 'subject';
    const value = src.text(m[key], `${where}.${key}`);
    if (value.length > MAX_REVOKED_VALUE) src.fail(`${where}.${key} must be at most ${MAX_REVOKED_VALUE} characters`);
    const reason = src.text(m.reason, `${where}.reason`);
    if (reason.length > 500) src.fail(`${where}.reason must be at most 500 characters`);
    return {
      agency: src.agencyCode(m.agency, `${where}.agency`, agencies),
      kind,
      value,
      reason,
      until: m.until === undefined ? null : readDate(src, m.until, `${where}.until`, 'end'),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// anomalies.yaml (optional): insider-threat thresholds per data owner

const ANOMALY_KEYS: KeySpec = { required: [], optional: ['readVolume', 'partnerSpread'] };
const MIN_ANOMALY_WINDOW = 60;
const MAX_ANOMALY_WINDOW = 7 * 86_400;

function loadAnomalies(dir: string, agencies: ReadonlyMap<string, Agency>): AnomalyPolicy | undefined {
  if (!fs.existsSync(path.join(dir, 'anomalies.yaml'))) return undefined;
  const src = new PolicyFile('anomalies.yaml');
  const top = src.mapping(src.read(dir), '', { required: [], optional: ['defaults', 'agencies'] });
  const defaults =
    top.defaults === undefined ? DEFAULT_ANOMALY_THRESHOLDS : readThresholds(src, top.defaults, 'defaults', DEFAULT_ANOMALY_THRESHOLDS);
  const byAgency = new Map<string, AnomalyThresholds>();
  if (top.agencies !== undefined) {
    const listed = top.agencies;
    if (!isMapping(listed)) return src.fail('agencies must map agency codes to thresholds');
    for (const [code, value] of Object.entries(listed)) {
      src.agencyCode(code, 'agencies', agencies);
      if (value === null) src.fail(`agencies.${code} has no value`);
      byAgency.set(code, readThresholds(src, value, `agencies.${code}`, defaults));
    }
  }
  return { defaults, agencies: byAgency };
}

/** The keys given at `where` over `base`: every key optional, every value range-checked. */
function readThresholds(src: PolicyFile, value: unknown, where: string, base: AnomalyThresholds): AnomalyThresholds {
  const m = src.mapping(value, where, ANOMALY_KEYS);
  const volume =
    m.readVolume === undefined
      ? {}
      : src.mapping(m.readVolume, `${where}.readVolume`, { required: [], optional: ['window', 'minReads', 'baselineMultiple'] });
  const spread =
    m.partnerSpread === undefined
      ? {}
      : src.mapping(m.partnerSpread, `${where}.partnerSpread`, { required: [], optional: ['window', 'minPartners'] });
  const window = (v: unknown, at: string, fallback: number) =>
    v === undefined ? fallback : readDuration(src, v, at, MIN_ANOMALY_WINDOW, MAX_ANOMALY_WINDOW, '1m to 7d');
  return {
    readVolume: {
      windowSeconds: window(volume.window, `${where}.readVolume.window`, base.readVolume.windowSeconds),
      minReads:
        volume.minReads === undefined
          ? base.readVolume.minReads
          : readCount(src, volume.minReads, `${where}.readVolume.minReads`, 1, 10_000_000),
      baselineMultiple:
        volume.baselineMultiple === undefined
          ? base.readVolume.baselineMultiple
          : readMultiple(src, volume.baselineMultiple, `${where}.readVolume.baselineMultiple`),
    },
    partnerSpread: {
      windowSeconds: window(spread.window, `${where}.partnerSpread.window`, base.partnerSpread.windowSeconds),
      minPartners:
        spread.minPartners === undefined
          ? base.partnerSpread.minPartners
          : readCount(src, spread.minPartners, `${where}.partnerSpread.minPartners`, 2, 1_000),
    },
  };
}

function readCount(src: PolicyFile, value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    src.fail(`${where} must be a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

function readMultiple(src: PolicyFile, value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 1_000) {
    src.fail(
      `${where} must be a number from 1 to 1000 (times the subject's mean reads per window over the previous 30 days), got ${describe(value)}`,
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// ais.yaml (optional): AIS feeds and port approach zones (src/ais/)

const FEED_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const DEFAULT_APPROACH_NM = 20;
/** A zone wider than this is no longer "approaching a port". */
const MAX_APPROACH_NM = 200;
const MAX_FEEDS = 64;

function loadAis(dir: string, agencies: ReadonlyMap<string, Agency>): AisPolicy | undefined {
  if (!fs.existsSync(path.join(dir, 'ais.yaml'))) return undefined;
  const src = new PolicyFile('ais.yaml');
  const top = src.mapping(src.read(dir), '', { required: ['feeds'], optional: ['approachNm', 'ports', 'rules'] });
  const approachNm = top.approachNm === undefined ? DEFAULT_APPROACH_NM : readApproachNm(src, top.approachNm, 'approachNm');
  const feeds: AisFeed[] = [];
  const list = src.list(top.feeds, 'feeds');
  if (list.length > MAX_FEEDS) src.fail(`feeds lists ${list.length} feeds, at most ${MAX_FEEDS} are allowed`);
  list.forEach((item, i) => {
    const where = `feeds[${i}]`;
    const m = src.mapping(item, where, { required: ['id', 'agency', 'tlp'], optional: ['listen', 'connect', 'udp'] });
    const id = src.text(m.id, `${where}.id`);
    if (!FEED_ID.test(id)) src.fail(`${where}.id ${q(id)} must match [a-z0-9][a-z0-9-]* (at most 64 characters)`);
    const earlier = feeds.findIndex((f) => f.id === id);
    if (earlier >= 0) src.fail(`${where}.id ${q(id)} is already used by feeds[${earlier}]`);
    const tlp = src.oneOf(m.tlp, `${where}.tlp`, SHAREABLE_TLPS);
    feeds.push({ id, agency: src.agencyCode(m.agency, `${where}.agency`, agencies), tlp, source: readFeedSource(src, m, where) });
  });
  const ports = new Map<string, { approachNm: number }>();
  if (top.ports !== undefined) {
    src.list(top.ports, 'ports').forEach((item, i) => {
      const where = `ports[${i}]`;
      const m = src.mapping(item, where, { required: ['locode', 'approachNm'] });
      const locode = src.text(m.locode, `${where}.locode`);
      if (!isUnLocode(locode)) src.fail(`${where}.locode ${q(locode)} is not a UN/LOCODE (e.g. NLRTM)`);
      if (ports.has(locode)) src.fail(`${where}.locode ${locode} is listed twice`);
      ports.set(locode, { approachNm: readApproachNm(src, m.approachNm, `${where}.approachNm`) });
    });
  }
  return { feeds, approachNm, ports, rules: readAisRules(src, top.rules) };
}

/** Each threshold's range: wide enough for any real use, narrow enough that a typo cannot silence a rule or flood the stream. */
const AIS_RULE_RANGES: Record<keyof AisRuleThresholds, { min: number; max: number; unit: string }> = {
  gapHours: { min: 1, max: 168, unit: 'hours' },
  maxSpeedKn: { min: 30, max: 200, unit: 'knots' },
  // NearbyVessels (src/ais/behaviour.ts) looks this far around a vessel.
  encounterMeters: { min: 50, max: 2000, unit: 'metres' },
  encounterHours: { min: 0.25, max: 48, unit: 'hours' },
  encounterMaxKn: { min: 0.5, max: 10, unit: 'knots' },
};

function readAisRules(src: PolicyFile, value: unknown): AisRuleThresholds {
  if (value === undefined) return { ...DEFAULT_AIS_RULES };
  const keys = Object.keys(AIS_RULE_RANGES) as (keyof AisRuleThresholds)[];
  const m = src.mapping(value, 'rules', { required: [], optional: keys });
  const rules = { ...DEFAULT_AIS_RULES };
  for (const key of keys) {
    if (m[key] === undefined) continue;
    const { min, max, unit } = AIS_RULE_RANGES[key];
    const v = m[key];
    if (typeof v !== 'number' || !(v >= min && v <= max))
      src.fail(`rules.${key} must be a number of ${unit} from ${min} to ${max}, got ${describe(v)}`);
    rules[key] = v;
  }
  return rules;
}

function readApproachNm(src: PolicyFile, value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value > 0) || value > MAX_APPROACH_NM) {
    src.fail(`${where} must be a number of nautical miles above 0 and at most ${MAX_APPROACH_NM}, got ${describe(value)}`);
  }
  return value;
}

/** Exactly one of listen: { tcp, host? }, connect: { host, port }, udp: { port, host? }; listeners bind to loopback unless told. */
function readFeedSource(src: PolicyFile, m: Mapping, where: string): AisFeedSource {
  const given = (['listen', 'connect', 'udp'] as const).filter((k) => m[k] !== undefined);
  if (given.length !== 1) src.fail(`${where} needs exactly one of listen, connect, udp`);
  const port = (value: unknown, at: string, allowZero: boolean) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 65535) {
      src.fail(`${at} must be a port number (${allowZero ? 0 : 1}-65535), got ${describe(value)}`);
    }
    return value;
  };
  const host = (value: unknown, at: string) => (value === undefined ? '127.0.0.1' : src.text(value, at));
  const kind = given[0];
  const at = `${where}.${kind}`;
  if (kind === 'listen') {
    const l = src.mapping(m.listen, at, { required: ['tcp'], optional: ['host'] });
    return { kind, port: port(l.tcp, `${at}.tcp`, true), host: host(l.host, `${at}.host`) };
  }
  if (kind === 'udp') {
    const u = src.mapping(m.udp, at, { required: ['port'], optional: ['host'] });
    return { kind, port: port(u.port, `${at}.port`, true), host: host(u.host, `${at}.host`) };
  }
  const c = src.mapping(m.connect, at, { required: ['host', 'port'] });
  return { kind, host: src.text(c.host, `${at}.host`), port: port(c.port, `${at}.port`, false) };
}

// ---------------------------------------------------------------------------------------------
// issuers.yaml

function loadIssuers(dir: string, agencies: ReadonlyMap<string, Agency>): Issuer[] {
  const src = new PolicyFile('issuers.yaml');
  const top = src.mapping(src.read(dir), '', { required: ['issuers'] });
  const issuers: Issuer[] = [];

  src.list(top.issuers, 'issuers', { nonEmpty: true }).forEach((item, i) => {
    const where = `issuers[${i}]`;
    const issuer = readIssuer(src, item, where, dir, agencies);
    const earlier = issuers.findIndex((other) => other.iss === issuer.iss);
    if (earlier >= 0) src.fail(`${where}.iss ${q(issuer.iss)} is already used by issuers[${earlier}]`);
    // The console asks for one provider per agency: two would leave it to guess.
    for (const code of issuer.signIn ? issuer.agencies : []) {
      const other = issuers.findIndex((o) => o.signIn && o.agencies.includes(code));
      if (other >= 0) src.fail(`${where}.signIn: agency ${q(code)} already signs in through issuers[${other}]`);
    }
    issuers.push(issuer);
  });
  return issuers;
}

const SIGN_IN_CLIENT_ID = /^[\x21-\x7e]{1,256}$/;
const SIGN_IN_SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** `signIn: { clientId, discovery?, scope? }`: the console's OpenID Connect client at this provider. */
function readSignIn(src: PolicyFile, value: unknown, where: string, issuerDiscovery: string | undefined): IssuerSignIn {
  const m = src.mapping(value, where, { required: ['clientId'], optional: ['discovery', 'scope'] });
  const clientId = src.text(m.clientId, `${where}.clientId`);
  if (!SIGN_IN_CLIENT_ID.test(clientId)) src.fail(`${where}.clientId must be 1 to 256 printable characters without spaces`);
  if (m.discovery === undefined && issuerDiscovery === undefined) {
    src.fail(`${where}.discovery is needed: the issuer has no discovery URL of its own to sign in through`);
  }
  const discovery = m.discovery === undefined ? issuerDiscovery! : src.text(m.discovery, `${where}.discovery`);
  const problem = keyUrlProblem(discovery);
  if (problem) src.fail(`${where}.discovery ${q(discovery)} ${problem}`);
  const scope = m.scope === undefined ? 'openid' : src.text(m.scope, `${where}.scope`).trim();
  if (scope.length > 512 || !SIGN_IN_SCOPE.test(scope)) src.fail(`${where}.scope must be scope names separated by single spaces`);
  if (!scope.split(' ').includes('openid')) src.fail(`${where}.scope must include openid (OpenID Connect)`);
  return { clientId, discovery, scope };
}

function readIssuer(src: PolicyFile, item: unknown, where: string, dir: string, agencies: ReadonlyMap<string, Agency>): Issuer {
  const m = src.mapping(item, where, {
    required: ['iss', 'algorithms', 'agencies'],
    optional: [...KEY_SOURCES, 'maxTokenLifetime', 'signIn'],
  });
  const iss = src.text(m.iss, `${where}.iss`);
  const algorithms = readAlgorithms(src, m.algorithms, `${where}.algorithms`);
  const key = readKeySource(src, m, where, algorithms, dir);
  const codes = src.textList(m.agencies, `${where}.agencies`, { nonEmpty: true });
  codes.forEach((code, j) => src.agencyCode(code, `${where}.agencies[${j}]`, agencies));
  const maxTokenLifetimeSeconds =
    m.maxTokenLifetime === undefined
      ? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS
      : readLifetime(src, m.maxTokenLifetime, `${where}.maxTokenLifetime`);
  const signIn = m.signIn === undefined ? undefined : readSignIn(src, m.signIn, `${where}.signIn`, key.discovery);
  return { iss, algorithms, ...key, agencies: codes, maxTokenLifetimeSeconds, ...(signIn ? { signIn } : {}) };
}

const LIFETIME_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_LIFETIME_SECONDS = 366 * 86_400;

/** `90m`, `24h`, `30d`, `3600s` or a number of seconds; from one minute to 366 days. */
function readLifetime(src: PolicyFile, value: unknown, where: string): number {
  return readDuration(src, value, where, 60, MAX_LIFETIME_SECONDS, '1m to 366d');
}

/** `90m`, `24h`, `30d`, `3600s` or a number of seconds, within [min, max] seconds (`range` says so in words). */
function readDuration(src: PolicyFile, value: unknown, where: string, min: number, max: number, range: string): number {
  const match = /^(\d{1,9})\s*([smhd]?)$/.exec(typeof value === 'number' ? String(value) : src.text(value, where));
  const seconds = match ? Number(match[1]) * LIFETIME_UNITS[match[2] || 's'] : NaN;
  if (!(seconds >= min && seconds <= max)) {
    src.fail(`${where} ${q(value)} must be a duration from ${range}, such as 90m, 24h or 30d`);
  }
  return seconds;
}

function readAlgorithms(src: PolicyFile, value: unknown, where: string): string[] {
  const algorithms = src.textList(value, where, { nonEmpty: true });
  algorithms.forEach((alg, j) => {
    if (alg.toLowerCase() === 'none') {
      src.fail(`${where}[${j}] "none" is never allowed: it accepts unsigned tokens`);
    }
    if (!(JWT_ALGORITHMS as readonly string[]).includes(alg)) {
      src.fail(`${where}[${j}] ${q(alg)} is not a supported algorithm (${JWT_ALGORITHMS.join(', ')})`);
    }
  });
  // With both kinds allowed, a token signed HS256 with the issuer's *public* key would verify.
  const hmac = algorithms.find(isHmac);
  const asymmetric = algorithms.find((a) => !isHmac(a));
  if (hmac && asymmetric) {
    src.fail(
      `${where} mixes ${hmac} with ${asymmetric}: an issuer uses either HMAC (HS*) or public-key ` +
        'algorithms, never both (algorithm confusion)',
    );
  }
  return algorithms;
}

function readKeySource(
  src: PolicyFile,
  m: Mapping,
  where: string,
  algorithms: string[],
  dir: string,
): Pick<Issuer, 'publicKeyFile' | 'jwksFile' | 'jwksUri' | 'discovery' | 'secretEnv'> {
  const given = KEY_SOURCES.filter((k) => m[k] !== undefined);
  if (given.length !== 1) {
    const found = given.length === 0 ? 'none' : given.join(' and ');
    src.fail(`${where} needs exactly one of ${KEY_SOURCES.join(', ')} (found ${found})`);
  }
  const source = given[0];
  const hmac = isHmac(algorithms[0]); // readAlgorithms guarantees all are of one kind

  if (source === 'secretEnv') {
    if (!hmac)
      src.fail(`${where}.secretEnv is for HS* algorithms only; ${algorithms[0]} needs publicKeyFile, jwksFile, jwksUri or discovery`);
    const name = src.text(m.secretEnv, `${where}.secretEnv`);
    if (!ENV_VAR_NAME.test(name)) src.fail(`${where}.secretEnv ${q(name)} is not an environment variable name`);
    return { secretEnv: name };
  }

  if (hmac) src.fail(`${where}.${source} is for public-key algorithms; ${algorithms[0]} needs secretEnv`);
  if (source === 'jwksUri' || source === 'discovery') {
    const url = src.text(m[source], `${where}.${source}`);
    const problem = keyUrlProblem(url);
    if (problem) src.fail(`${where}.${source} ${q(url)} ${problem}`);
    return { [source]: url };
  }
  const file = src.text(m[source], `${where}.${source}`);
  const resolved = path.resolve(dir, file);
  if (!isFile(resolved)) src.fail(`${where}.${source} ${q(file)} not found (resolved to ${resolved})`);
  return { [source]: resolved };
}

// ---------------------------------------------------------------------------------------------
// fields.yaml

function loadFields(dir: string): Record<ShareableType, FieldClasses> {
  const src: PolicyFile = new PolicyFile('fields.yaml'); // typed, so src.fail() narrows
  const top = src.read(dir);
  if (!isMapping(top)) src.fail(`the file must map each of ${SHAREABLE_TYPES.join(', ')} to { core, sensitive }`);

  for (const key of Object.keys(top)) {
    if (!(SHAREABLE_TYPES as readonly string[]).includes(key)) {
      src.fail(`${q(key)} is not a shareable type (expected ${SHAREABLE_TYPES.join(', ')})`);
    }
  }
  const fields = {} as Record<ShareableType, FieldClasses>;
  for (const type of SHAREABLE_TYPES) {
    if (top[type] === undefined) src.fail(`missing type ${type}: every shareable type must be classed`);
    fields[type] = readFieldClasses(src, top[type], type);
  }
  return fields;
}

function readFieldClasses(src: PolicyFile, value: unknown, type: ShareableType): FieldClasses {
  const m = src.mapping(value, type, { required: ['core', 'sensitive'], optional: ['owner', 'releasedToJurisdiction'] });
  const core = src.textList(m.core, `${type}.core`);
  const sensitive = src.textList(m.sensitive, `${type}.sensitive`);
  // Optional third class: fields only the owning agency ever reads (never released by agreement).
  const owner = m.owner === undefined ? [] : src.textList(m.owner, `${type}.owner`);

  for (const [cls, names] of [
    ['core', core],
    ['sensitive', sensitive],
    ['owner', owner],
  ] as const) {
    names.forEach((name, i) => {
      if (!GRAPHQL_NAME.test(name)) src.fail(`${type}.${cls}[${i}] ${q(name)} is not a valid GraphQL field name`);
    });
  }
  const both = core.find((f) => sensitive.includes(f));
  if (both !== undefined) src.fail(`${type}.${both} is in both core and sensitive`);
  const twice = owner.find((f) => core.includes(f) || sensitive.includes(f));
  if (twice !== undefined) src.fail(`${type}.${twice} is in owner and also in core or sensitive`);
  // Sensitive fields the jurisdiction's analysts also read (e.g. a report's reporter identity).
  const releasedToJurisdiction =
    m.releasedToJurisdiction === undefined ? [] : src.textList(m.releasedToJurisdiction, `${type}.releasedToJurisdiction`);
  releasedToJurisdiction.forEach((name, i) => {
    if (!sensitive.includes(name)) {
      src.fail(`${type}.releasedToJurisdiction[${i}] ${q(name)} is not a sensitive field of ${type} (list it under sensitive first)`);
    }
  });
  return { core, sensitive, owner, releasedToJurisdiction };
}

// ---------------------------------------------------------------------------------------------
// agreements/*.yaml

const AGREEMENT_KEYS: KeySpec = {
  required: ['id', 'provider', 'recipients', 'types', 'maxTlp', 'validFrom'],
  optional: ['jurisdictions', 'fields', 'purposes', 'purpose', 'validUntil'],
};

function loadAgreements(dir: string, agencies: ReadonlyMap<string, Agency>, fields: Record<ShareableType, FieldClasses>): Agreement[] {
  const sub = path.join(dir, 'agreements');
  // No directory means no agreements: nothing is shared beyond the default rules.
  if (!fs.existsSync(sub)) return [];
  if (!isDirectory(sub)) throw new PolicyError('agreements', 'must be a directory');

  const agreements: Agreement[] = [];
  for (const name of fs.readdirSync(sub).sort()) {
    const file = `agreements/${name}`;
    if (name.startsWith('.')) continue; // .gitkeep, editor swap files
    // A .yml file looks like an agreement but would never load: refuse rather than ignore it.
    if (name.endsWith('.yml')) throw new PolicyError(file, 'agreement files must end in .yaml');
    if (!name.endsWith('.yaml')) continue; // README and the like
    if (!isFile(path.join(sub, name))) throw new PolicyError(file, 'is not a file');

    const src = new PolicyFile(file);
    const agreement = readAgreement(src, src.read(dir), agencies, fields);
    const earlier = agreements.find((a) => a.id === agreement.id);
    if (earlier) src.fail(`id ${q(agreement.id)} is already used by ${earlier.file}`);
    // One agreement per file, named after it, so reviews and audit trails find it by id.
    const stem = name.slice(0, -'.yaml'.length);
    if (agreement.id !== stem) src.fail(`id ${q(agreement.id)} must equal the file name without .yaml (${q(stem)})`);
    agreements.push(agreement);
  }
  return agreements;
}

function readAgreement(
  src: PolicyFile,
  value: unknown,
  agencies: ReadonlyMap<string, Agency>,
  fieldClasses: Record<ShareableType, FieldClasses>,
): Agreement {
  const m = src.mapping(value, '', AGREEMENT_KEYS);

  const id = src.text(m.id, 'id');
  if (!AGREEMENT_ID.test(id)) src.fail(`id ${q(id)} must match [A-Za-z0-9._-]+`);

  const provider = src.agencyCode(m.provider, 'provider', agencies);
  const recipients = src.textList(m.recipients, 'recipients', { nonEmpty: true });
  recipients.forEach((code, i) => {
    src.agencyCode(code, `recipients[${i}]`, agencies);
    if (code === provider) src.fail(`recipients[${i}] ${q(code)} is the provider itself`);
  });

  const types = src.textList(m.types, 'types', { nonEmpty: true }).map((t, i) => src.oneOf(t, `types[${i}]`, SHAREABLE_TYPES));

  const jurisdictions = optionalList(src, m.jurisdictions, 'jurisdictions');
  jurisdictions.forEach((c, i) => {
    if (!isCountryCode(c)) src.fail(`jurisdictions[${i}] ${q(c)} is not an ISO 3166-1 alpha-2 country code`);
  });

  const maxTlp = readMaxTlp(src, m.maxTlp);
  const fields = readReleasedFields(src, m.fields, types, fieldClasses);
  const purposes = optionalList(src, m.purposes, 'purposes').map((p, i) => src.oneOf(p, `purposes[${i}]`, PURPOSES));
  const purpose = m.purpose === undefined ? undefined : src.text(m.purpose, 'purpose');

  const validFrom = readDate(src, m.validFrom, 'validFrom', 'start');
  const validUntil = m.validUntil === undefined ? undefined : readDate(src, m.validUntil, 'validUntil', 'end');
  if (validUntil && validUntil.getTime() <= validFrom.getTime()) {
    src.fail(`validUntil ${showDate(m.validUntil)} must be after validFrom ${showDate(m.validFrom)}`);
  }

  return {
    id,
    provider,
    recipients,
    types,
    jurisdictions,
    maxTlp,
    fields,
    purposes: purposes,
    ...(purpose !== undefined ? { purpose } : {}),
    validFrom,
    ...(validUntil !== undefined ? { validUntil } : {}),
    file: src.file,
  };
}

function optionalList(src: PolicyFile, value: unknown, where: string): string[] {
  return value === undefined ? [] : src.textList(value, where);
}

function readMaxTlp(src: PolicyFile, value: unknown): Exclude<Tlp, 'RED'> {
  const tlp = src.text(value, 'maxTlp');
  if (tlp === 'RED') src.fail('maxTlp RED is never shared by agreement (name recipients on the record instead)');
  return src.oneOf(tlp, 'maxTlp', SHAREABLE_TLPS);
}

/** Released fields must be sensitive fields of a covered type; core fields are released anyway. */
function readReleasedFields(
  src: PolicyFile,
  value: unknown,
  types: ShareableType[],
  fieldClasses: Record<ShareableType, FieldClasses>,
): string[] {
  const fields = optionalList(src, value, 'fields');
  fields.forEach((f, i) => {
    if (!types.some((t) => fieldClasses[t].sensitive.includes(f))) {
      src.fail(`fields[${i}] ${q(f)} is not a sensitive field of ${types.join(' or ')} (see fields.yaml)`);
    }
  });
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Dates

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads `2026-01-01` (plain date, UTC) or an ISO 8601 date-time with a time zone. The YAML
 * parser hands us text, or a Date under YAML 1.1 / `!!timestamp`; both are accepted.
 *
 * A plain date as an `end` means the whole of that day: "validUntil: 2027-12-31" is read as
 * 2027-12-31T23:59:59.999Z, as a person reading the agreement would expect.
 */
function readDate(src: PolicyFile, value: unknown, where: string, edge: 'start' | 'end'): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) src.fail(`${where} is not a valid date`);
    return edge === 'end' && isUtcMidnight(value) ? endOfUtcDay(value) : value;
  }
  if (typeof value !== 'string') {
    src.fail(`${where} must be a date such as 2026-01-01, got ${describe(value)}`);
  }
  const text = value.trim();
  const bad = (): never =>
    src.fail(`${where} ${q(text)} is not a valid date (use YYYY-MM-DD or an ISO 8601 date-time with time zone, e.g. 2026-01-01T00:00:00Z)`);

  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const day = calendarDay(dateOnly[1], dateOnly[2], dateOnly[3]) ?? bad();
    return edge === 'end' ? endOfUtcDay(day) : day;
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime) return bad();
  const [, y, mo, d, h, mi, s = '0'] = dateTime;
  if (!calendarDay(y, mo, d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return bad();
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? bad() : parsed;
}

/** Midnight UTC of the given day, or undefined if there is no such day (2026-02-30). */
function calendarDay(y: string, m: string, d: string): Date | undefined {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const valid = date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
  return valid ? date : undefined;
}

function isUtcMidnight(d: Date): boolean {
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
}

function endOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 59, 59, 999));
}

function showDate(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
