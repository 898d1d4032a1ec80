/**
 * Mint a development token from the `portcullis-dev` issuer.
 *
 *   npm run token -- --agency nl-customs --roles analyst[,auditor] [--purpose CUSTOMS] [--ttl 8h|3600] [--sub alice]
 *
 * Prints only the token on stdout, so `TOKEN=$(npm run -s token -- ...)` works; the hint goes
 * to stderr. Bad input exits with code 2 and says what is accepted.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DEV_TTL_SECONDS, DEV_ISSUER, mintDevToken } from '../src/auth/dev-token';
import { REPO_ROOT } from '../src/config';
import { loadPolicies } from '../src/policy/load';
import { PURPOSES, ROLES, type PolicySet } from '../src/policy/types';

const USAGE = 'usage: npm run token -- --agency <code> --roles <role>[,<role>] [--purpose <PURPOSE>] [--ttl 8h|30m|3600] [--sub <subject>]';

/** Input the user can fix: message plus exit code 2. */
class UsageError extends Error {}

/** "3600", "3600s", "30m", "8h", "2d" to seconds. */
function parseTtl(raw: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(raw.trim());
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[(match?.[2] ?? '').toLowerCase() as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = match ? Number(match[1]) * unit : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new UsageError(`--ttl must be a positive duration like 8h, 30m or 3600, got "${raw}"`);
  }
  return seconds;
}

function parseRoles(raw: string): string[] {
  const roles = raw.split(/[,\s]+/).filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new UsageError(`unknown role(s) "${unknown.join(', ') || raw}"; known roles: ${ROLES.join(', ')}`);
  }
  return [...new Set(roles)];
}

function checkAgency(policy: PolicySet, agency: string, ttlSeconds: number): void {
  if (!policy.agencies.has(agency)) {
    const known = [...policy.agencies.keys()].sort().join(', ');
    throw new UsageError(`unknown agency "${agency}"; known agencies: ${known}`);
  }
  // A token the hub would refuse anyway is no use: say why now.
  const dev = policy.issuers.find((i) => i.iss === DEV_ISSUER);
  if (!dev) throw new UsageError(`issuer ${DEV_ISSUER} is not in ${policy.dir}/issuers.yaml, so the hub would refuse its tokens`);
  if (!dev.agencies.includes(agency)) {
    throw new UsageError(`issuer ${DEV_ISSUER} may not speak for ${agency} (see ${policy.dir}/issuers.yaml)`);
  }
  if (ttlSeconds > dev.maxTokenLifetimeSeconds) {
    throw new UsageError(
      `--ttl is longer than issuer ${DEV_ISSUER}'s maxTokenLifetime of ${dev.maxTokenLifetimeSeconds} s (see ${policy.dir}/issuers.yaml)`,
    );
  }
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      agency: { type: 'string' },
      roles: { type: 'string' },
      purpose: { type: 'string' },
      ttl: { type: 'string' },
      sub: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (!values.agency) throw new UsageError('--agency is required');
  if (values.roles === undefined) throw new UsageError(`--roles is required (${ROLES.join(', ')})`);

  const policiesDir = path.resolve(process.env.POLICIES_DIR || path.join(REPO_ROOT, 'policies'));
  const policy = loadPolicies(policiesDir);
  const ttlSeconds = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  checkAgency(policy, values.agency, ttlSeconds ?? DEFAULT_DEV_TTL_SECONDS);
  const roles = parseRoles(values.roles);
  if (values.purpose !== undefined && !(PURPOSES as readonly string[]).includes(values.purpose)) {
    throw new UsageError(`unknown purpose "${values.purpose}"; allowed: ${PURPOSES.join(', ')}`);
  }

  const subject = values.sub ?? `dev-${values.agency}`;
  const tokenId = randomUUID();
  const token = mintDevToken({ agency: values.agency, roles, purpose: values.purpose, ttlSeconds, subject, tokenId });

  process.stdout.write(`${token}\n`);
  const ttlNote = values.ttl ?? '8h';
  process.stderr.write(
    `token for ${subject} of ${values.agency} (roles ${roles.join(',')}${values.purpose ? `, purpose ${values.purpose}` : ''}), ` +
      `valid ${ttlNote}, jti ${tokenId}; use: curl -H "Authorization: Bearer $TOKEN" ...\n`,
  );
}

try {
  main(process.argv.slice(2));
} catch (e) {
  // parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes.
  const isUsage = e instanceof UsageError || String((e as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`token: ${(e as Error).message}\n`);
  if (isUsage) process.stderr.write(`${USAGE}\n`);
  process.exitCode = isUsage ? 2 : 1;
}
