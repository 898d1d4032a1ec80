/**
 * The policy fixture of test/access-matrix.test.ts: a membership in which every access basis of
 * ACCESS-MODEL.md occurs, written to a temporary POLICIES_DIR.
 *
 *   nl-customs     CUSTOMS           NL  owner of every watchlist, entry and alert
 *   nl-coastguard  COAST_GUARD       NL  public agency of the records' country (JURISDICTION)
 *   nl-terminal    PRIVATE_OPERATOR  NL  submits a report at NLRTM; otherwise CLEAR only (PUBLIC)
 *   nl-agent       PRIVATE_OPERATOR  NL  submits a report at NLAMS; must not see nl-terminal's
 *   be-customs     CUSTOMS           BE  active agreement from nl-customs (entries and alerts, not
 *                                        watchlists, NL only, up to AMBER_STRICT, releases source and
 *                                        intelligenceSummary) and from nl-terminal (reports,
 *                                        releases reporterContact)
 *   be-coastguard  COAST_GUARD       BE  only an EXPIRED agreement from nl-customs
 *   be-agent       PRIVATE_OPERATOR  BE  submits a report at BEANR
 *   de-customs     CUSTOMS           DE  agreement from nl-customs with purposes [CUSTOMS], up to
 *                                        AMBER, every jurisdiction, releases notes
 *   fr-douane      CUSTOMS           FR  named recipient of the AMBER_STRICT and RED records
 *   fr-shipping    PRIVATE_OPERATOR  FR  only a NOT-YET-VALID agreement from nl-customs
 *
 * The definitions are exported so the test can name agreement ids and released fields without
 * asking the policy engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureDevKeys } from '../../src/auth/dev-keys';
import { DEMO_POLICIES } from './hub';

interface MatrixAgency {
  code: string;
  name: string;
  kind: 'CUSTOMS' | 'COAST_GUARD' | 'PORT_AUTHORITY' | 'BORDER_POLICE' | 'PRIVATE_OPERATOR';
  country: string;
  ports: string[];
}

const MATRIX_AGENCIES: MatrixAgency[] = [
  { code: 'nl-customs', name: 'Matrix NL Customs', kind: 'CUSTOMS', country: 'NL', ports: ['NLRTM', 'NLAMS'] },
  { code: 'nl-coastguard', name: 'Matrix NL Coastguard', kind: 'COAST_GUARD', country: 'NL', ports: ['NLRTM'] },
  { code: 'nl-terminal', name: 'Matrix NL Terminal', kind: 'PRIVATE_OPERATOR', country: 'NL', ports: ['NLRTM'] },
  { code: 'nl-agent', name: 'Matrix NL Shipping Agent', kind: 'PRIVATE_OPERATOR', country: 'NL', ports: ['NLAMS'] },
  { code: 'be-customs', name: 'Matrix BE Customs', kind: 'CUSTOMS', country: 'BE', ports: ['BEANR'] },
  { code: 'be-coastguard', name: 'Matrix BE Coast Guard', kind: 'COAST_GUARD', country: 'BE', ports: ['BEZEE'] },
  { code: 'be-agent', name: 'Matrix BE Shipping Agent', kind: 'PRIVATE_OPERATOR', country: 'BE', ports: ['BEANR'] },
  { code: 'de-customs', name: 'Matrix DE Customs', kind: 'CUSTOMS', country: 'DE', ports: ['DEHAM'] },
  { code: 'fr-douane', name: 'Matrix FR Douane', kind: 'CUSTOMS', country: 'FR', ports: ['FRLEH'] },
  { code: 'fr-shipping', name: 'Matrix FR Shipping', kind: 'PRIVATE_OPERATOR', country: 'FR', ports: ['FRMRS'] },
];

export interface MatrixAgreement {
  id: string;
  provider: string;
  recipients: string[];
  types: string[];
  jurisdictions?: string[];
  maxTlp: string;
  fields?: string[];
  purposes?: string[];
  purpose: string;
  validFrom: string;
  validUntil?: string;
}

export const MATRIX_AGREEMENTS: MatrixAgreement[] = [
  {
    id: 'nl-customs--be-customs',
    provider: 'nl-customs',
    recipients: ['be-customs'],
    types: ['WatchlistEntry', 'VesselAlert'], // not Watchlist: an entry's list is only REFERENCED
    jurisdictions: ['NL'],
    maxTlp: 'AMBER_STRICT',
    fields: ['source', 'intelligenceSummary'], // not notes
    purpose: 'Matrix: active agreement, any purpose',
    validFrom: '2020-01-01',
  },
  {
    id: 'nl-customs--be-coastguard-expired',
    provider: 'nl-customs',
    recipients: ['be-coastguard'],
    types: ['Watchlist', 'WatchlistEntry', 'VesselAlert'],
    maxTlp: 'AMBER_STRICT',
    fields: ['source', 'notes', 'intelligenceSummary'],
    purpose: 'Matrix: expired agreement, grants nothing',
    validFrom: '2020-01-01',
    validUntil: '2021-12-31',
  },
  {
    id: 'nl-customs--de-customs-purpose',
    provider: 'nl-customs',
    recipients: ['de-customs'],
    types: ['Watchlist', 'WatchlistEntry', 'VesselAlert'],
    maxTlp: 'AMBER',
    fields: ['notes'],
    purposes: ['CUSTOMS'],
    purpose: 'Matrix: agreement for requests stating purpose CUSTOMS only',
    validFrom: '2020-01-01',
    validUntil: '2099-12-31',
  },
  {
    id: 'nl-customs--fr-shipping-future',
    provider: 'nl-customs',
    recipients: ['fr-shipping'],
    types: ['Watchlist', 'WatchlistEntry', 'VesselAlert'],
    maxTlp: 'AMBER_STRICT',
    fields: ['source', 'notes', 'intelligenceSummary'],
    purpose: 'Matrix: agreement not yet in force, grants nothing',
    validFrom: '2099-01-01',
  },
  {
    id: 'nl-terminal--be-customs-reports',
    provider: 'nl-terminal',
    recipients: ['be-customs'],
    types: ['SuspiciousActivityReport'],
    maxTlp: 'AMBER',
    fields: ['reporterContact'],
    purpose: 'Matrix: a private operator shares its reports with a foreign customs service',
    validFrom: '2020-01-01',
  },
];

/** Writes the fixture to a fresh temporary directory and returns its path. */
export function writeMatrixPolicies(): string {
  const { publicKeyPath } = ensureDevKeys();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-matrix-policies-'));

  fs.copyFileSync(path.join(DEMO_POLICIES, 'fields.yaml'), path.join(dir, 'fields.yaml'));

  const issuers = parse(fs.readFileSync(path.join(DEMO_POLICIES, 'issuers.yaml'), 'utf8')) as {
    issuers: { iss: string; publicKeyFile?: string; agencies: string[] }[];
  };
  const dev = issuers.issuers.find((i) => i.iss === 'portcullis-dev');
  if (!dev) throw new Error('policies/issuers.yaml has no portcullis-dev issuer');
  dev.publicKeyFile = path.resolve(publicKeyPath);
  dev.agencies = MATRIX_AGENCIES.map((a) => a.code);
  fs.writeFileSync(path.join(dir, 'issuers.yaml'), stringify({ issuers: [dev] }));

  fs.writeFileSync(path.join(dir, 'agencies.yaml'), stringify({ agencies: MATRIX_AGENCIES }));

  fs.mkdirSync(path.join(dir, 'agreements'));
  for (const a of MATRIX_AGREEMENTS) {
    fs.writeFileSync(path.join(dir, 'agreements', `${a.id}.yaml`), stringify(a));
  }
  return dir;
}

export function removeMatrixPolicies(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
