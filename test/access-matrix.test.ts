/**
 * The access matrix (ACCESS-MODEL.md "Row visibility" and "Field visibility"), end to end over a
 * real hub and a real database: for every viewer agency and every shareable type, which records
 * the lists, counts, pages, lookups and mutations answer for, on which basis, with which fields.
 *
 * Membership and agreements: test/support/matrix-policies.ts. Records are seeded through the API
 * by their owners, except what the API cannot make yet (a CLEAR report with a named recipient, a
 * report's escalation link), which is written with SQL. The expectations are the tables below,
 * written by hand from the spec; the policy engine is never asked, so a bug in it (or in its SQL
 * twin, rowFilter) makes a cell fail. The read tests come first: the mutation probes run last.
 */
import { randomUUID } from 'node:crypto';
import { startTestHub, tokenFor, type GraphQLResponse, type TestHub } from './support/hub';
import { MATRIX_AGREEMENTS, removeMatrixPolicies, writeMatrixPolicies } from './support/matrix-policies';

// ---------------------------------------------------------------------------------------------
// Vocabulary

type RecordType = 'Watchlist' | 'WatchlistEntry' | 'VesselAlert' | 'SuspiciousActivityReport';
type Basis = 'OWNER' | 'RECIPIENT' | 'AGREEMENT' | 'JURISDICTION' | 'COMMUNITY' | 'PUBLIC' | 'REFERENCED';
/** One cell of the matrix: the basis by which the viewer sees the record, or --- (not at all). */
type Cell = 'OWN' | 'RCP' | 'AGR' | 'JUR' | 'JUR+' | 'COM' | 'PUB' | '---';

const BASIS: Record<Exclude<Cell, '---'>, Basis> = {
  OWN: 'OWNER',
  RCP: 'RECIPIENT',
  AGR: 'AGREEMENT',
  JUR: 'JURISDICTION',
  'JUR+': 'JURISDICTION',
  COM: 'COMMUNITY',
  PUB: 'PUBLIC',
};

/** policies/fields.yaml, as the spec names them. */
const SENSITIVE: Record<RecordType, string[]> = {
  Watchlist: [],
  WatchlistEntry: ['source', 'notes'],
  VesselAlert: ['intelligenceSummary'],
  SuspiciousActivityReport: ['reporterContact', 'submittedBy'],
};

/** Sensitive fields not selected by this test (lists of objects), withheld from every viewer but the owner: listed in redactedFields. */
const SENSITIVE_UNSELECTED: Record<RecordType, string[]> = {
  Watchlist: [],
  WatchlistEntry: ['relatedParties'],
  VesselAlert: [],
  SuspiciousActivityReport: [],
};

/**
 * fields.yaml's releasedToJurisdiction, as ISSUE 5 states it: the reporter's identity reaches the
 * analysts of the public agencies of the report's country (JUR+ cells), not their viewers (JUR).
 */
const RELEASED_TO_JURISDICTION: Record<RecordType, string[]> = {
  Watchlist: [],
  WatchlistEntry: [],
  VesselAlert: [],
  SuspiciousActivityReport: ['reporterContact', 'submittedBy'],
};

/** The value a released sensitive field holds: seeded as `<field>:<label>`, except who submitted a report. */
const sensitiveValue = (field: string, label: string, owner: string) => (field === 'submittedBy' ? `dev-${owner}` : `${field}:${label}`);

const IMO_NL = '9074729'; // every NL-jurisdiction entry and alert
const IMO_BE = '9176187'; // the BE-jurisdiction entry and alert
const IMO_DE = '9187655'; // the DE-jurisdiction entry and alert
const IMO_PROBE = '9187629'; // used only by mutation probes
const VESSEL_NAMES: Record<string, string> = { [IMO_NL]: 'MATRIX NORTH', [IMO_BE]: 'MATRIX SCHELDT', [IMO_DE]: 'MATRIX ELBE' };

// ---------------------------------------------------------------------------------------------
// The records (columns of the matrix)

interface Column {
  key: string;
  owner: string;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER_STRICT' | 'RED';
  jurisdiction: string;
  port: string;
  recipients: string[];
  imo: string;
  /** Entries: the key of the watchlist column the entry is in (default: its own key). */
  watchlist?: string;
  /** Seeded with SQL: the API cannot make this record (see REPORT_COLUMNS). */
  viaSql?: boolean;
}

/** Watchlists, entries and alerts: nl-customs publishes one of each per column, each entry in the list of its column. */
const COLUMNS: Column[] = [
  { key: 'CLEAR', owner: 'nl-customs', tlp: 'CLEAR', jurisdiction: 'NL', port: 'NLRTM', recipients: [], imo: IMO_NL },
  { key: 'GREEN', owner: 'nl-customs', tlp: 'GREEN', jurisdiction: 'NL', port: 'NLRTM', recipients: [], imo: IMO_NL },
  { key: 'AMBER', owner: 'nl-customs', tlp: 'AMBER', jurisdiction: 'NL', port: 'NLRTM', recipients: [], imo: IMO_NL },
  {
    key: 'AMBER_STRICT',
    owner: 'nl-customs',
    tlp: 'AMBER_STRICT',
    jurisdiction: 'NL',
    port: 'NLRTM',
    recipients: ['fr-douane'],
    imo: IMO_NL,
  },
  { key: 'RED', owner: 'nl-customs', tlp: 'RED', jurisdiction: 'NL', port: 'NLRTM', recipients: ['fr-douane'], imo: IMO_NL },
  { key: 'BE_AMBER', owner: 'nl-customs', tlp: 'AMBER', jurisdiction: 'BE', port: 'BEANR', recipients: [], imo: IMO_BE },
  { key: 'DE_AMBER', owner: 'nl-customs', tlp: 'AMBER', jurisdiction: 'DE', port: 'DEHAM', recipients: [], imo: IMO_DE },
];

/** Entries: one per column, plus a stricter entry in a looser list (WL-GREEN holds an AMBER_STRICT entry). */
const ENTRY_COLUMNS: Column[] = [
  ...COLUMNS,
  {
    key: 'AMBER_STRICT_IN_GREEN',
    owner: 'nl-customs',
    tlp: 'AMBER_STRICT',
    jurisdiction: 'NL',
    port: 'NLRTM',
    recipients: [],
    imo: IMO_NL,
    watchlist: 'GREEN',
  },
];
const watchlistColumnOf = (entry: Column) => COLUMNS.find((c) => c.key === (entry.watchlist ?? entry.key))!;

/**
 * Reports: submitted by private operators, always AMBER in the port's country. The API cannot
 * mark a report CLEAR or name recipients, so one such report is written with SQL (a copy of
 * R-NLRTM): the rule "reports are never COMMUNITY or PUBLIC" only bites on a GREEN/CLEAR report.
 */
const REPORT_COLUMNS: Column[] = [
  { key: 'NLRTM', owner: 'nl-terminal', tlp: 'AMBER', jurisdiction: 'NL', port: 'NLRTM', recipients: [], imo: IMO_NL },
  { key: 'NLAMS', owner: 'nl-agent', tlp: 'AMBER', jurisdiction: 'NL', port: 'NLAMS', recipients: [], imo: IMO_NL },
  { key: 'BEANR', owner: 'be-agent', tlp: 'AMBER', jurisdiction: 'BE', port: 'BEANR', recipients: [], imo: IMO_BE },
  {
    key: 'NLRTM_CLEAR',
    owner: 'nl-terminal',
    tlp: 'CLEAR',
    jurisdiction: 'NL',
    port: 'NLRTM',
    recipients: ['fr-douane'],
    imo: IMO_NL,
    viaSql: true,
  },
];

/** The report linked (with SQL) to an alert, as an escalation would. */
const ESCALATION = { report: 'R-NLRTM', alert: 'A-AMBER_STRICT' };

const PREFIX: Record<RecordType, string> = { Watchlist: 'WL', WatchlistEntry: 'E', VesselAlert: 'A', SuspiciousActivityReport: 'R' };
const columnsOf = (type: RecordType) =>
  type === 'SuspiciousActivityReport' ? REPORT_COLUMNS : type === 'WatchlistEntry' ? ENTRY_COLUMNS : COLUMNS;
/** The distinguishing text of a record: watchlist name, entry reason, alert title, report description. */
const labelOf = (type: RecordType, c: Column) => `${PREFIX[type]}-${c.key}`;

// ---------------------------------------------------------------------------------------------
// The viewers (rows of the matrix)

interface Viewer {
  name: string;
  agency: string;
  purpose?: string;
  via?: 'claim' | 'header';
  /** The token's roles; analyst when left out. */
  roles?: string[];
}

const VIEWERS: Viewer[] = [
  { name: 'nl-customs', agency: 'nl-customs' },
  { name: 'nl-coastguard', agency: 'nl-coastguard' },
  { name: 'nl-coastguard(viewer)', agency: 'nl-coastguard', roles: ['viewer'] },
  { name: 'nl-terminal', agency: 'nl-terminal' },
  { name: 'nl-agent', agency: 'nl-agent' },
  { name: 'be-customs', agency: 'be-customs' },
  { name: 'be-coastguard', agency: 'be-coastguard' },
  { name: 'be-agent', agency: 'be-agent' },
  { name: 'de-customs', agency: 'de-customs' },
  { name: 'de-customs+CUSTOMS(token)', agency: 'de-customs', purpose: 'CUSTOMS', via: 'claim' },
  { name: 'de-customs+CUSTOMS(header)', agency: 'de-customs', purpose: 'CUSTOMS', via: 'header' },
  { name: 'de-customs+FISHERIES', agency: 'de-customs', purpose: 'FISHERIES', via: 'claim' },
  { name: 'fr-douane', agency: 'fr-douane' },
  { name: 'fr-shipping', agency: 'fr-shipping' },
];

// ---------------------------------------------------------------------------------------------
// THE MATRIX. OWN owner, RCP named recipient, AGR agreement, JUR public agency of the record's
// country (AMBER or looser), JUR+ the same seen by an analyst, who also reads the record's
// releasedToJurisdiction fields, COM public agency (GREEN/CLEAR), PUB anyone (CLEAR), --- invisible.
// Every viewer is an analyst except nl-coastguard(viewer).
//
// nl-customs publishes; fr-douane is a recipient of AMBER_STRICT and RED; be-customs has an
// agreement on entries and alerts (not watchlists) of NL up to AMBER_STRICT; be-coastguard's
// agreement has expired; de-customs's agreement (up to AMBER, any jurisdiction) needs purpose
// CUSTOMS; fr-shipping's agreement is not yet valid.

type Matrix = Record<string, Cell[]>;

//                                  CLEAR  GREEN  AMBER  A_STR  RED    BE_AMBER DE_AMBER
const WATCHLISTS: Matrix = {
  'nl-customs': ['OWN', 'OWN', 'OWN', 'OWN', 'OWN', 'OWN', 'OWN'],
  'nl-coastguard': ['JUR', 'JUR', 'JUR', '---', '---', '---', '---'],
  'nl-coastguard(viewer)': ['JUR', 'JUR', 'JUR', '---', '---', '---', '---'],
  'nl-terminal': ['PUB', '---', '---', '---', '---', '---', '---'],
  'nl-agent': ['PUB', '---', '---', '---', '---', '---', '---'],
  'be-customs': ['COM', 'COM', '---', '---', '---', 'JUR', '---'],
  'be-coastguard': ['COM', 'COM', '---', '---', '---', 'JUR', '---'],
  'be-agent': ['PUB', '---', '---', '---', '---', '---', '---'],
  'de-customs': ['COM', 'COM', '---', '---', '---', '---', 'JUR'],
  'de-customs+CUSTOMS(token)': ['AGR', 'AGR', 'AGR', '---', '---', 'AGR', 'AGR'],
  'de-customs+CUSTOMS(header)': ['AGR', 'AGR', 'AGR', '---', '---', 'AGR', 'AGR'],
  'de-customs+FISHERIES': ['COM', 'COM', '---', '---', '---', '---', 'JUR'],
  'fr-douane': ['COM', 'COM', '---', 'RCP', 'RCP', '---', '---'],
  'fr-shipping': ['PUB', '---', '---', '---', '---', '---', '---'],
};

// As watchlists, except be-customs, whose agreement covers entries (not watchlists) of NL up to
// AMBER_STRICT; plus the AMBER_STRICT entry in WL-GREEN (last column).
//                                  CLEAR  GREEN  AMBER  A_STR  RED    BE_AMBER DE_AMBER A_STR_IN_GREEN
const ENTRIES: Matrix = {
  'nl-customs': ['OWN', 'OWN', 'OWN', 'OWN', 'OWN', 'OWN', 'OWN', 'OWN'],
  'nl-coastguard': ['JUR', 'JUR', 'JUR', '---', '---', '---', '---', '---'],
  'nl-coastguard(viewer)': ['JUR', 'JUR', 'JUR', '---', '---', '---', '---', '---'],
  'nl-terminal': ['PUB', '---', '---', '---', '---', '---', '---', '---'],
  'nl-agent': ['PUB', '---', '---', '---', '---', '---', '---', '---'],
  'be-customs': ['AGR', 'AGR', 'AGR', 'AGR', '---', 'JUR', '---', 'AGR'],
  'be-coastguard': ['COM', 'COM', '---', '---', '---', 'JUR', '---', '---'],
  'be-agent': ['PUB', '---', '---', '---', '---', '---', '---', '---'],
  'de-customs': ['COM', 'COM', '---', '---', '---', '---', 'JUR', '---'],
  'de-customs+CUSTOMS(token)': ['AGR', 'AGR', 'AGR', '---', '---', 'AGR', 'AGR', '---'],
  'de-customs+CUSTOMS(header)': ['AGR', 'AGR', 'AGR', '---', '---', 'AGR', 'AGR', '---'],
  'de-customs+FISHERIES': ['COM', 'COM', '---', '---', '---', '---', 'JUR', '---'],
  'fr-douane': ['COM', 'COM', '---', 'RCP', 'RCP', '---', '---', '---'],
  'fr-shipping': ['PUB', '---', '---', '---', '---', '---', '---', '---'],
};

// As entries: be-customs's agreement covers alerts of NL up to AMBER_STRICT.
//                                  CLEAR  GREEN  AMBER  A_STR  RED    BE_AMBER DE_AMBER
const ALERTS: Matrix = {
  'nl-customs': ['OWN', 'OWN', 'OWN', 'OWN', 'OWN', 'OWN', 'OWN'],
  'nl-coastguard': ['JUR', 'JUR', 'JUR', '---', '---', '---', '---'],
  'nl-coastguard(viewer)': ['JUR', 'JUR', 'JUR', '---', '---', '---', '---'],
  'nl-terminal': ['PUB', '---', '---', '---', '---', '---', '---'],
  'nl-agent': ['PUB', '---', '---', '---', '---', '---', '---'],
  'be-customs': ['AGR', 'AGR', 'AGR', 'AGR', '---', 'JUR', '---'],
  'be-coastguard': ['COM', 'COM', '---', '---', '---', 'JUR', '---'],
  'be-agent': ['PUB', '---', '---', '---', '---', '---', '---'],
  'de-customs': ['COM', 'COM', '---', '---', '---', '---', 'JUR'],
  'de-customs+CUSTOMS(token)': ['AGR', 'AGR', 'AGR', '---', '---', 'AGR', 'AGR'],
  'de-customs+CUSTOMS(header)': ['AGR', 'AGR', 'AGR', '---', '---', 'AGR', 'AGR'],
  'de-customs+FISHERIES': ['COM', 'COM', '---', '---', '---', '---', 'JUR'],
  'fr-douane': ['COM', 'COM', '---', 'RCP', 'RCP', '---', '---'],
  'fr-shipping': ['PUB', '---', '---', '---', '---', '---', '---'],
};

// Reports are never COMMUNITY or PUBLIC, not even the CLEAR one. The reporter's identity
// (reporterContact, submittedBy) reaches the owner, the analysts of the report's country (JUR+)
// and be-customs's agreement only as far as it releases it (reporterContact, not submittedBy).
//                                  NLRTM   NLAMS   BEANR   NLRTM_CLEAR (recipient fr-douane)
const REPORTS: Matrix = {
  'nl-customs': ['JUR+', 'JUR+', '---', 'JUR+'],
  'nl-coastguard': ['JUR+', 'JUR+', '---', 'JUR+'],
  'nl-coastguard(viewer)': ['JUR', 'JUR', '---', 'JUR'],
  'nl-terminal': ['OWN', '---', '---', 'OWN'],
  'nl-agent': ['---', 'OWN', '---', '---'],
  'be-customs': ['AGR', '---', 'JUR+', 'AGR'],
  'be-coastguard': ['---', '---', 'JUR+', '---'],
  'be-agent': ['---', '---', 'OWN', '---'],
  'de-customs': ['---', '---', '---', '---'],
  'de-customs+CUSTOMS(token)': ['---', '---', '---', '---'],
  'de-customs+CUSTOMS(header)': ['---', '---', '---', '---'],
  'de-customs+FISHERIES': ['---', '---', '---', '---'],
  'fr-douane': ['---', '---', '---', 'RCP'],
  'fr-shipping': ['---', '---', '---', '---'],
};

const MATRICES: Record<RecordType, Matrix> = {
  Watchlist: WATCHLISTS,
  WatchlistEntry: ENTRIES,
  VesselAlert: ALERTS,
  SuspiciousActivityReport: REPORTS,
};

const TYPES: RecordType[] = ['Watchlist', 'WatchlistEntry', 'VesselAlert', 'SuspiciousActivityReport'];

// The tables must be complete: a missing row would silently test nothing.
for (const type of TYPES) {
  for (const v of VIEWERS) {
    const row = MATRICES[type][v.name];
    if (!row || row.length !== columnsOf(type).length) throw new Error(`matrix for ${type} lacks a full row for ${v.name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Expectations derived from the tables (and the fixture's own agreement definitions)

interface Expected {
  label: string;
  column: Column;
  basis: Basis;
  agreementId: string | null;
  /** sensitive fields the viewer reads */
  released: string[];
  /** sensitive fields withheld from the viewer */
  redacted: string[];
}

/** The fixture agreement an AGR cell stands for: from the record's owner to the viewer, for the type. */
function agreementFor(viewer: Viewer, owner: string, type: RecordType) {
  const matches = MATRIX_AGREEMENTS.filter((a) => a.provider === owner && a.recipients.includes(viewer.agency) && a.types.includes(type));
  if (matches.length !== 1) throw new Error(`matrix says AGR for ${viewer.name} on ${type} of ${owner}, fixture has ${matches.length}`);
  return matches[0];
}

function cellOf(viewer: Viewer, type: RecordType, i: number): Cell {
  return MATRICES[type][viewer.name][i];
}

function expectedOf(viewer: Viewer, type: RecordType, column: Column, cell: Exclude<Cell, '---'>): Expected {
  const sensitive = SENSITIVE[type];
  let released: string[] = [];
  let agreementId: string | null = null;
  if (cell === 'OWN') released = [...sensitive];
  if (cell === 'JUR+') released = [...RELEASED_TO_JURISDICTION[type]];
  if (cell === 'AGR') {
    const a = agreementFor(viewer, column.owner, type);
    agreementId = a.id;
    released = sensitive.filter((f) => (a.fields ?? []).includes(f));
  }
  return {
    label: labelOf(type, column),
    column,
    basis: BASIS[cell],
    agreementId,
    released,
    redacted: [...sensitive, ...(cell === 'OWN' ? [] : SENSITIVE_UNSELECTED[type])].filter((f) => !released.includes(f)),
  };
}

function visibleTo(viewer: Viewer, type: RecordType): Expected[] {
  return columnsOf(type).flatMap((column, i) => {
    const cell = cellOf(viewer, type, i);
    return cell === '---' ? [] : [expectedOf(viewer, type, column, cell)];
  });
}

function invisibleTo(viewer: Viewer, type: RecordType): string[] {
  return columnsOf(type)
    .filter((_, i) => cellOf(viewer, type, i) === '---')
    .map((c) => labelOf(type, c));
}

const summary = (viewer: Viewer, type: RecordType) => {
  const seen = visibleTo(viewer, type).map((e) => `${e.label}:${e.basis}`);
  return seen.length ? seen.join(' ') : 'nothing';
};

const viewerByName = (name: string) => VIEWERS.find((v) => v.name === name)!;

// ---------------------------------------------------------------------------------------------
// GraphQL per type

interface TypeApi {
  list: string;
  /** field holding the label */
  labelField: string;
  /** typed lookup query, if the API has one */
  lookup?: string;
}

const API: Record<RecordType, TypeApi> = {
  Watchlist: { list: 'watchlists', labelField: 'name', lookup: 'watchlist' },
  WatchlistEntry: { list: 'watchlistEntries', labelField: 'reason' },
  VesselAlert: { list: 'alerts', labelField: 'title', lookup: 'alert' },
  SuspiciousActivityReport: { list: 'reports', labelField: 'description', lookup: 'report' },
};

const ACCESS = 'access { basis agreementId redactedFields }';

const listQuery = (type: RecordType, nodeFields = '') => `
  query($first: Int, $after: String) {
    ${API[type].list}(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id ${API[type].labelField} ${ACCESS} ${nodeFields} } }
    }
  }`;

// ---------------------------------------------------------------------------------------------
// Hub, tokens, seeding

let hub: TestHub;
let policiesDir: string;
/** label -> global id */
const ids = new Map<string, string>();

const tokens = new Map<string, string>();
function tokenOf(viewer: Viewer): string {
  let t = tokens.get(viewer.name);
  if (!t) {
    t = tokenFor(viewer.agency, viewer.roles ?? ['analyst'], viewer.via === 'claim' ? { purpose: viewer.purpose } : {});
    tokens.set(viewer.name, t);
  }
  return t;
}

function ask<T = Record<string, any>>(viewer: Viewer, query: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = viewer.via === 'header' ? { 'X-Purpose-Of-Use': viewer.purpose! } : {};
  return hub.gql<T>(tokenOf(viewer), query, variables, headers);
}

async function must<T = Record<string, any>>(agency: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await hub.gql<T>(tokenFor(agency, ['analyst']), query, variables);
  if (res.errors || !res.data) throw new Error(`seeding as ${agency} failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const idOf = (label: string) => {
  const id = ids.get(label);
  if (!id) throw new Error(`no record seeded with label ${label}`);
  return id;
};

async function seed(): Promise<void> {
  for (const c of COLUMNS) {
    const wl = await must<{ createWatchlist: { id: string } }>(
      c.owner,
      `
      mutation($input: CreateWatchlistInput!) { createWatchlist(input: $input) { id } }`,
      {
        input: {
          name: labelOf('Watchlist', c),
          description: `matrix watchlist ${c.key}`,
          tlp: c.tlp,
          jurisdiction: c.jurisdiction,
          recipients: c.recipients,
        },
      },
    );
    ids.set(labelOf('Watchlist', c), wl.createWatchlist.id);
  }
  for (const c of ENTRY_COLUMNS) {
    const label = labelOf('WatchlistEntry', c);
    const entry = await must<{ addWatchlistEntry: { id: string } }>(
      c.owner,
      `
      mutation($input: AddWatchlistEntryInput!) { addWatchlistEntry(input: $input) { id } }`,
      {
        input: {
          watchlistId: idOf(labelOf('Watchlist', watchlistColumnOf(c))),
          vessel: { imo: c.imo, name: VESSEL_NAMES[c.imo] },
          category: 'DRUG_TRAFFICKING',
          riskLevel: 'HIGH',
          reason: label,
          tlp: c.tlp,
          jurisdiction: c.jurisdiction,
          recipients: c.recipients,
          source: `source:${label}`,
          notes: `notes:${label}`,
        },
      },
    );
    ids.set(label, entry.addWatchlistEntry.id);
  }
  for (const c of COLUMNS) {
    const title = labelOf('VesselAlert', c);
    const alert = await must<{ publishAlert: { id: string } }>(
      c.owner,
      `
      mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id } }`,
      {
        input: {
          vessel: { imo: c.imo, name: VESSEL_NAMES[c.imo] },
          category: 'DRUG_TRAFFICKING',
          severity: 'HIGH',
          title,
          description: `matrix alert ${c.key}`,
          port: c.port,
          tlp: c.tlp,
          jurisdiction: c.jurisdiction,
          recipients: c.recipients,
          intelligenceSummary: `intelligenceSummary:${title}`,
        },
      },
    );
    ids.set(title, alert.publishAlert.id);
  }
  for (const c of REPORT_COLUMNS.filter((r) => !r.viaSql)) {
    const label = labelOf('SuspiciousActivityReport', c);
    const report = await must<{ submitSuspiciousActivityReport: { id: string; tlp: string; jurisdiction: string } }>(
      c.owner,
      `
      mutation($input: SubmitReportInput!, $key: String) {
        submitSuspiciousActivityReport(input: $input, idempotencyKey: $key) { id tlp jurisdiction }
      }`,
      {
        key: label,
        input: {
          port: c.port,
          category: 'SMUGGLING',
          observedAt: new Date(Date.now() - 3600_000).toISOString(),
          description: label,
          imo: c.imo,
          vesselName: VESSEL_NAMES[c.imo],
          reporterContact: `reporterContact:${label}`,
        },
      },
    );
    // The matrix assumes reports are AMBER in the port's country.
    expect(report.submitSuspiciousActivityReport).toMatchObject({ tlp: c.tlp, jurisdiction: c.jurisdiction });
    ids.set(label, report.submitSuspiciousActivityReport.id);
  }
  for (const c of REPORT_COLUMNS.filter((r) => r.viaSql)) {
    const label = labelOf('SuspiciousActivityReport', c);
    const template = REPORT_COLUMNS.find((r) => !r.viaSql && r.owner === c.owner && r.port === c.port)!;
    const [{ id }] = await hub.database.db.query(
      `INSERT INTO suspicious_activity_reports (reference, owner_agency, submitted_by, port, tlp, jurisdiction, recipients,
         vessel_id, imo, vessel_name, category, observed_at, description, reporter_contact, status)
       SELECT reference || '-' || $2, owner_agency, submitted_by, port, $3, jurisdiction, $4,
         vessel_id, imo, vessel_name, category, observed_at, $5, $6, status
       FROM suspicious_activity_reports WHERE id = $1 RETURNING id`,
      [idOf(labelOf('SuspiciousActivityReport', template)).split(':')[1], c.key, c.tlp, c.recipients, label, `reporterContact:${label}`],
    );
    ids.set(label, `SuspiciousActivityReport:${id}`);
  }
  // escalateReport publishes a new alert of its own (test/reports.test.ts); here R-NLRTM is linked
  // to the existing A-AMBER_STRICT as escalation would, so Report.escalatedAlert is read by
  // viewers that see the alert on its own and by viewers that do not.
  await hub.database.db.query('UPDATE suspicious_activity_reports SET escalated_alert_id = $2 WHERE id = $1', [
    idOf(ESCALATION.report).split(':')[1],
    idOf(ESCALATION.alert).split(':')[1],
  ]);
}

beforeAll(async () => {
  policiesDir = writeMatrixPolicies();
  hub = await startTestHub({ policiesDir });
  await seed();
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  if (policiesDir) removeMatrixPolicies(policiesDir);
});

// ---------------------------------------------------------------------------------------------
// Helpers for assertions

type Edge = { cursor: string; node: Record<string, any> };
type Conn = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Edge[] };

async function listAll(viewer: Viewer, type: RecordType, nodeFields = '') {
  const res = await ask<Record<string, Conn>>(viewer, listQuery(type, nodeFields), { first: 20 });
  return { res, conn: res.data?.[API[type].list] };
}

const accessOf = (e: Expected) => ({ basis: e.basis, agreementId: e.agreementId, redactedFields: [...e.redacted].sort() });

const sortedAccess = (a: { basis: string; agreementId: string | null; redactedFields: string[] }) => ({
  ...a,
  redactedFields: [...a.redactedFields].sort(),
});

const byLabel = <T extends { label: string }>(xs: T[]) => [...xs].sort((a, b) => a.label.localeCompare(b.label));

const ROWS = VIEWERS.flatMap((v) => TYPES.map((type) => ({ viewer: v.name, type, sees: summary(v, type) })));
const SENSITIVE_ROWS = ROWS.filter((r) => SENSITIVE[r.type].length > 0);

// ---------------------------------------------------------------------------------------------
// Lists and counts

describe('lists and counts', () => {
  test.each(ROWS)('$viewer lists $type: $sees', async ({ viewer: name, type }) => {
    const viewer = viewerByName(name);
    const { res, conn } = await listAll(viewer, type);
    expect(res.errors).toBeUndefined();
    const expected = visibleTo(viewer, type);

    const got = conn!.edges.map((e) => ({ label: e.node[API[type].labelField] as string, access: sortedAccess(e.node.access) }));
    expect(byLabel(got)).toEqual(byLabel(expected.map((e) => ({ label: e.label, access: accessOf(e) }))));
    expect(conn!.totalCount).toBe(expected.length);
    expect(conn!.pageInfo.hasNextPage).toBe(false);
    // ids are the global ids the owners got back
    for (const e of conn!.edges) expect(e.node.id).toBe(idOf(e.node[API[type].labelField]));
  });
});

// ---------------------------------------------------------------------------------------------
// Pagination

describe('pagination walks exactly the visible set', () => {
  const PAGE_ROWS = ROWS.flatMap((r) => [1, 2].map((pageSize) => ({ ...r, pageSize })));

  test.each(PAGE_ROWS)('$viewer pages $type by $pageSize', async ({ viewer: name, type, pageSize }) => {
    const viewer = viewerByName(name);
    const expected = visibleTo(viewer, type)
      .map((e) => e.label)
      .sort();
    const { conn: all } = await listAll(viewer, type);
    const fullOrder = all!.edges.map((e) => e.node[API[type].labelField] as string);

    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page <= expected.length + 1; page++) {
      const res: GraphQLResponse<Record<string, Conn>> = await ask<Record<string, Conn>>(viewer, listQuery(type), {
        first: pageSize,
        ...(after ? { after } : {}),
      });
      expect(res.errors).toBeUndefined();
      const conn = res.data![API[type].list];
      const remaining = expected.length - walked.length;
      expect(conn.totalCount).toBe(expected.length);
      expect(conn.edges).toHaveLength(Math.min(pageSize, remaining));
      expect(conn.pageInfo.hasNextPage).toBe(remaining > pageSize);
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor ?? null);
      walked.push(...conn.edges.map((e) => e.node[API[type].labelField] as string));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(new Set(walked).size).toBe(walked.length);
    expect([...walked].sort()).toEqual(expected);
    expect(walked).toEqual(fullOrder);
  });
});

// ---------------------------------------------------------------------------------------------
// Sensitive fields

function checkSensitive(res: GraphQLResponse, node: Record<string, any>, path: (string | number)[], e: Expected, type: RecordType): number {
  for (const field of SENSITIVE[type]) {
    const at = [...path, field];
    const errorsHere = (res.errors ?? []).filter((x) => JSON.stringify(x.path) === JSON.stringify(at));
    if (e.released.includes(field)) {
      expect({ at, value: node[field] }).toEqual({ at, value: sensitiveValue(field, e.label, e.column.owner) });
      expect(errorsHere).toEqual([]);
    } else {
      expect({ at, value: node[field] }).toEqual({ at, value: null });
      expect(errorsHere.map((x) => x.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  }
  return e.redacted.filter((f) => SENSITIVE[type].includes(f)).length;
}

describe('sensitive fields: value, or null with one FORBIDDEN error at its path', () => {
  test.each(SENSITIVE_ROWS)('$viewer reads the sensitive fields of $type', async ({ viewer: name, type }) => {
    const viewer = viewerByName(name);
    const { res, conn } = await listAll(viewer, type, SENSITIVE[type].join(' '));
    const expected = new Map(visibleTo(viewer, type).map((e) => [e.label, e]));
    expect(conn!.edges).toHaveLength(expected.size);
    let withheld = 0;
    conn!.edges.forEach((edge, i) => {
      const e = expected.get(edge.node[API[type].labelField])!;
      expect(e).toBeDefined();
      withheld += checkSensitive(res, edge.node, [API[type].list, 'edges', i, 'node'], e, type);
    });
    expect(res.errors ?? []).toHaveLength(withheld);
  });
});

// ---------------------------------------------------------------------------------------------
// Lookups

const NODE_QUERY = (type: RecordType) => `
  query($id: ID!) { node(id: $id) { id ... on ${type} { ${API[type].labelField} ${ACCESS} ${SENSITIVE[type].join(' ')} } } }`;
const LOOKUP_QUERY = (type: RecordType) => `
  query($id: ID!) { ${API[type].lookup}(id: $id) { id ${API[type].labelField} ${ACCESS} ${SENSITIVE[type].join(' ')} } }`;

describe('lookups: a record the viewer may not see answers exactly like a missing id', () => {
  test.each(ROWS)('$viewer looks up each $type by id and with node(id)', async ({ viewer: name, type }) => {
    const viewer = viewerByName(name);
    const missingId = `${type}:${randomUUID()}`;
    const queries = [NODE_QUERY(type), ...(API[type].lookup ? [LOOKUP_QUERY(type)] : [])];
    const root = (q: string) => (q === NODE_QUERY(type) ? 'node' : API[type].lookup!);

    for (const query of queries) {
      const missing = await ask(viewer, query, { id: missingId });
      expect(missing).toEqual({ status: 200, data: { [root(query)]: null } });

      for (const label of invisibleTo(viewer, type)) {
        const res = await ask(viewer, query, { id: idOf(label) });
        expect({ label, res }).toEqual({ label, res: missing });
      }
      for (const e of visibleTo(viewer, type)) {
        const res = await ask(viewer, query, { id: idOf(e.label) });
        const node = res.data?.[root(query)];
        expect({ label: e.label, id: node?.id, text: node?.[API[type].labelField], access: node && sortedAccess(node.access) }).toEqual({
          label: e.label,
          id: idOf(e.label),
          text: e.label,
          access: accessOf(e),
        });
        const withheld = checkSensitive(res, node, [root(query)], e, type);
        expect(res.errors ?? []).toHaveLength(withheld);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// References: an entry's watchlist, a vessel's entries and alerts

/** How `viewer` sees the watchlist of entry column `entry`: its own matrix cell, else REFERENCED. */
function listAccessFor(viewer: Viewer, entry: Column) {
  const list = watchlistColumnOf(entry);
  const cell = cellOf(viewer, 'Watchlist', COLUMNS.indexOf(list));
  return cell === '---'
    ? { label: labelOf('Watchlist', list), access: { basis: 'REFERENCED' as Basis, agreementId: null, redactedFields: [] as string[] } }
    : { label: labelOf('Watchlist', list), access: accessOf(expectedOf(viewer, 'Watchlist', list, cell)) };
}

/** The entries of watchlist column `list` that `viewer` may see. */
const visibleEntriesOf = (viewer: Viewer, list: Column) =>
  visibleTo(viewer, 'WatchlistEntry')
    .filter((e) => watchlistColumnOf(e.column) === list)
    .map((e) => e.label)
    .sort();

describe("an entry's watchlist is shown with its own basis, or as REFERENCED with core fields only", () => {
  const ENTRY_ROWS = VIEWERS.map((v) => ({
    viewer: v.name,
    lists:
      visibleTo(v, 'WatchlistEntry')
        .map((e) => {
          const { label, access } = listAccessFor(v, e.column);
          return `${e.label}->${label}:${access.basis}`;
        })
        .join(' ') || 'none',
  }));

  test.each(ENTRY_ROWS)('$viewer: $lists', async ({ viewer: name }) => {
    const viewer = viewerByName(name);
    const res = await ask<{ watchlistEntries: Conn }>(
      viewer,
      `{
      watchlistEntries(first: 10) { edges { node { reason
        watchlist { id name description tlp jurisdiction recipients createdAt updatedAt ownerAgency { code } ${ACCESS}
          entries(first: 10) { totalCount edges { node { reason } } } }
      } } }
    }`,
    );
    expect(res.errors).toBeUndefined();
    const expected = visibleTo(viewer, 'WatchlistEntry');
    expect(res.data!.watchlistEntries.edges).toHaveLength(expected.length);
    for (const edge of res.data!.watchlistEntries.edges) {
      const e = expected.find((x) => x.label === edge.node.reason)!;
      const list = watchlistColumnOf(e.column);
      const wl = edge.node.watchlist;
      expect({ entry: e.label, id: wl.id, label: wl.name, tlp: wl.tlp, access: sortedAccess(wl.access) }).toEqual({
        entry: e.label,
        id: idOf(labelOf('Watchlist', list)),
        tlp: list.tlp,
        ...listAccessFor(viewer, e.column),
      });
      // The list's entries are filtered like any list, whatever the basis of the list itself.
      const entries = visibleEntriesOf(viewer, list);
      expect({
        entry: e.label,
        entries: wl.entries.edges.map((x: Edge) => x.node.reason).sort(),
        totalCount: wl.entries.totalCount,
      }).toEqual({ entry: e.label, entries, totalCount: entries.length });
    }
  });

  test('be-customs: E-AMBER (by agreement) shows WL-AMBER as REFERENCED, which is still invisible directly', async () => {
    const viewer = viewerByName('be-customs');
    const res = await ask(
      viewer,
      `query($id: ID!) { node(id: $id) { ... on WatchlistEntry {
      reason access { basis agreementId } watchlist { name access { basis agreementId redactedFields } } } } }`,
      { id: idOf('E-AMBER') },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toEqual({
      reason: 'E-AMBER',
      access: { basis: 'AGREEMENT', agreementId: 'nl-customs--be-customs' },
      watchlist: { name: 'WL-AMBER', access: { basis: 'REFERENCED', agreementId: null, redactedFields: [] } },
    });
    const direct = await ask(viewer, 'query($id: ID!) { watchlist(id: $id) { name } }', { id: idOf('WL-AMBER') });
    expect(direct).toEqual({ status: 200, data: { watchlist: null } });
    const listed = await ask(viewer, '{ watchlists(first: 20) { edges { node { name } } } }');
    expect(listed.data!.watchlists.edges.map((e: Edge) => e.node.name)).not.toContain('WL-AMBER');
  });
});

describe('Watchlist.entries lists only the entries the viewer may see (WL-GREEN holds an AMBER_STRICT entry)', () => {
  const LIST_ROWS = VIEWERS.map((v) => ({
    viewer: v.name,
    lists:
      visibleTo(v, 'Watchlist')
        .map((w) => `${w.label}[${visibleEntriesOf(v, w.column).join(',')}]`)
        .join(' ') || 'none',
  }));

  test.each(LIST_ROWS)('$viewer: $lists', async ({ viewer: name }) => {
    const viewer = viewerByName(name);
    const res = await ask<{ watchlists: Conn }>(
      viewer,
      `{
      watchlists(first: 10) { edges { node { name entries(first: 10) { totalCount edges { node { reason } } } } } }
    }`,
    );
    expect(res.errors).toBeUndefined();
    const got = res.data!.watchlists.edges.map((e) => ({
      label: e.node.name as string,
      entries: e.node.entries.edges.map((x: Edge) => x.node.reason).sort(),
      totalCount: e.node.entries.totalCount,
    }));
    const expected = visibleTo(viewer, 'Watchlist').map((w) => {
      const entries = visibleEntriesOf(viewer, w.column);
      return { label: w.label, entries, totalCount: entries.length };
    });
    expect(byLabel(got)).toEqual(byLabel(expected));
  });
});

describe("a report's escalated alert is shown with its own basis, or not at all", () => {
  const alertColumn = COLUMNS.find((c) => labelOf('VesselAlert', c) === ESCALATION.alert)!;
  const reportColumn = REPORT_COLUMNS.find((c) => labelOf('SuspiciousActivityReport', c) === ESCALATION.report)!;
  const ESCALATION_ROWS = VIEWERS.filter((v) => cellOf(v, 'SuspiciousActivityReport', REPORT_COLUMNS.indexOf(reportColumn)) !== '---').map(
    (v) => {
      const cell = cellOf(v, 'VesselAlert', COLUMNS.indexOf(alertColumn));
      return { viewer: v.name, basis: cell === '---' ? 'nothing (null)' : BASIS[cell] };
    },
  );

  test.each(ESCALATION_ROWS)(`$viewer sees ${ESCALATION.report} escalated to ${ESCALATION.alert} as $basis`, async ({ viewer: name }) => {
    const viewer = viewerByName(name);
    const res = await ask(
      viewer,
      `query($id: ID!) { report(id: $id) { description
      escalatedAlert { id title tlp description ${ACCESS} intelligenceSummary } } }`,
      { id: idOf(ESCALATION.report) },
    );
    const cell = cellOf(viewer, 'VesselAlert', COLUMNS.indexOf(alertColumn));
    const alert = res.data!.report.escalatedAlert;
    if (cell === '---') {
      // Seeing the report grants nothing of the alert (issue 10, item 5).
      expect(alert).toBeNull();
      expect(res.errors).toBeUndefined();
      return;
    }
    const e = expectedOf(viewer, 'VesselAlert', alertColumn, cell);
    expect({ id: alert.id, title: alert.title, tlp: alert.tlp, access: sortedAccess(alert.access) }).toEqual({
      id: idOf(e.label),
      title: e.label,
      tlp: alertColumn.tlp,
      access: accessOf(e),
    });
    const withheld = checkSensitive(res, alert, ['report', 'escalatedAlert'], e, 'VesselAlert');
    expect(res.errors ?? []).toHaveLength(withheld);
  });
});

describe('agreements: each agency lists those it provides or receives, with their state', () => {
  const AGREEMENT_LISTS: Record<string, Record<string, boolean>> = {
    'nl-customs': {
      'nl-customs--be-customs': true,
      'nl-customs--be-coastguard-expired': false,
      'nl-customs--de-customs-purpose': true,
      'nl-customs--fr-shipping-future': false,
    },
    'nl-coastguard': {},
    'nl-terminal': { 'nl-terminal--be-customs-reports': true },
    'nl-agent': {},
    'be-customs': { 'nl-customs--be-customs': true, 'nl-terminal--be-customs-reports': true },
    'be-coastguard': { 'nl-customs--be-coastguard-expired': false },
    'be-agent': {},
    'de-customs': { 'nl-customs--de-customs-purpose': true },
    'fr-douane': {},
    'fr-shipping': { 'nl-customs--fr-shipping-future': false },
  };
  test.each(Object.entries(AGREEMENT_LISTS).map(([agency, list]) => ({ agency, list: JSON.stringify(list) })))(
    '$agency: $list',
    async ({ agency }) => {
      const res = await hub.gql(tokenFor(agency, ['viewer']), '{ agreements { id active } }');
      expect(res.errors).toBeUndefined();
      const got = Object.fromEntries(res.data!.agreements.map((a: { id: string; active: boolean }) => [a.id, a.active]));
      expect(got).toEqual(AGREEMENT_LISTS[agency]);
    },
  );
});

describe('Vessel.watchlistEntries and Vessel.alerts include only visible records', () => {
  const VESSEL_ROWS = VIEWERS.flatMap((v) => [IMO_NL, IMO_BE, IMO_DE].map((imo) => ({ viewer: v.name, imo })));

  test.each(VESSEL_ROWS)('$viewer reads vessel $imo', async ({ viewer: name, imo }) => {
    const viewer = viewerByName(name);
    const onVessel = (type: RecordType) => visibleTo(viewer, type).filter((e) => e.column.imo === imo);
    const res = await ask<{ vessel: any }>(
      viewer,
      `query($imo: IMONumber!) { vessel(imo: $imo) {
      imo
      watchlistEntries { reason ${ACCESS} }
      alerts(first: 20) { totalCount pageInfo { hasNextPage } edges { node { title ${ACCESS} } } }
    } }`,
      { imo },
    );
    expect(res.errors).toBeUndefined();
    const v = res.data!.vessel;
    // No authority has named these vessels: one is shown only to a viewer that sees a record about it.
    if (onVessel('WatchlistEntry').length === 0 && onVessel('VesselAlert').length === 0) {
      expect(v).toBeNull();
      return;
    }
    expect(v.imo).toBe(imo);
    expect(byLabel(v.watchlistEntries.map((n: any) => ({ label: n.reason, access: sortedAccess(n.access) })))).toEqual(
      byLabel(onVessel('WatchlistEntry').map((e) => ({ label: e.label, access: accessOf(e) }))),
    );
    expect(byLabel(v.alerts.edges.map((x: Edge) => ({ label: x.node.title, access: sortedAccess(x.node.access) })))).toEqual(
      byLabel(onVessel('VesselAlert').map((e) => ({ label: e.label, access: accessOf(e) }))),
    );
    expect(v.alerts.totalCount).toBe(onVessel('VesselAlert').length);

    // and Vessel.alerts pages like the top-level list
    const walked: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: GraphQLResponse<{ vessel: any }> = await ask<{ vessel: any }>(
        viewer,
        `query($imo: IMONumber!, $after: String) {
        vessel(imo: $imo) { alerts(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { title } } } } }`,
        { imo, after },
      );
      expect(page.errors).toBeUndefined();
      const conn = page.data!.vessel.alerts;
      expect(conn.totalCount).toBe(onVessel('VesselAlert').length);
      walked.push(...conn.edges.map((x: Edge) => x.node.title));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(walked.sort()).toEqual(
      onVessel('VesselAlert')
        .map((e) => e.label)
        .sort(),
    );

    // and the same vessel reached through federation's _entities
    const fed = await ask<{ _entities: any[] }>(
      viewer,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Vessel {
      imo watchlistEntries { reason } alerts(first: 10) { totalCount edges { node { title } } } } } }`,
      { r: [{ __typename: 'Vessel', imo }] },
    );
    expect(fed.errors).toBeUndefined();
    const [entity] = fed.data!._entities;
    expect({
      imo: entity.imo,
      entries: entity.watchlistEntries.map((n: any) => n.reason).sort(),
      alerts: entity.alerts.edges.map((x: Edge) => x.node.title).sort(),
      alertCount: entity.alerts.totalCount,
    }).toEqual({
      imo,
      entries: onVessel('WatchlistEntry')
        .map((e) => e.label)
        .sort(),
      alerts: onVessel('VesselAlert')
        .map((e) => e.label)
        .sort(),
      alertCount: onVessel('VesselAlert').length,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Mutations (last: a bug here could change the records the read tests rely on)

const MUTATIONS = {
  updateWatchlistEntry: {
    type: 'WatchlistEntry' as RecordType,
    query: 'mutation($id: ID!) { updateWatchlistEntry(id: $id, input: { reason: "tampered" }) { id } }',
  },
  removeWatchlistEntry: { type: 'WatchlistEntry' as RecordType, query: 'mutation($id: ID!) { removeWatchlistEntry(id: $id) { id } }' },
  updateAlertStatus: {
    type: 'VesselAlert' as RecordType,
    query: 'mutation($id: ID!) { updateAlertStatus(id: $id, status: ACKNOWLEDGED) { id } }',
  },
  addWatchlistEntry: {
    type: 'Watchlist' as RecordType,
    query: `mutation($id: ID!) { addWatchlistEntry(input: {
      watchlistId: $id, vessel: { imo: "${IMO_PROBE}", name: "MATRIX PROBE" }, category: OTHER, riskLevel: LOW, reason: "probe"
    }) { id } }`,
  },
} as const;

const PRIVATE = new Set(['nl-terminal', 'nl-agent', 'be-agent', 'fr-shipping']);
/** Private operators never publish, viewers without the analyst role neither: FORBIDDEN before any lookup. */
const neverPublishes = (v: Viewer) => PRIVATE.has(v.agency) || !(v.roles ?? ['analyst']).includes('analyst');

/**
 * A response with the record's id blanked out of the messages, to compare with a missing id's;
 * each request has an id of its own, which is checked to be there and then set aside.
 */
const normalised = (res: GraphQLResponse, id: string) => ({
  ...res,
  errors: res.errors?.map((e) => {
    expect(e.extensions?.requestId).toEqual(expect.any(String));
    return { ...e, message: e.message.split(id).join('<id>'), extensions: { ...e.extensions, requestId: '<request>' } };
  }),
});

describe('mutations by a foreign analyst: invisible answers like a missing id (NOT_FOUND), visible is FORBIDDEN', () => {
  const MUTATION_ROWS = VIEWERS.filter((v) => v.agency !== 'nl-customs').flatMap((v) =>
    (Object.keys(MUTATIONS) as (keyof typeof MUTATIONS)[]).map((mutation) => {
      const type = MUTATIONS[mutation].type;
      const visible = visibleTo(v, type).map((e) => e.label);
      const hidden = invisibleTo(v, type);
      const outcome = neverPublishes(v)
        ? 'FORBIDDEN for every id (private operators and viewers never publish)'
        : `FORBIDDEN: ${visible.join(' ') || '-'}; NOT_FOUND: ${hidden.join(' ') || '-'}`;
      return { viewer: v.name, mutation, outcome };
    }),
  );

  test.each(MUTATION_ROWS)('$viewer $mutation: $outcome', async ({ viewer: name, mutation }) => {
    const viewer = viewerByName(name);
    const { type, query } = MUTATIONS[mutation];
    const missingId = `${type}:${randomUUID()}`;
    const missing = normalised(await ask(viewer, query, { id: missingId }), missingId);
    const missingCode = neverPublishes(viewer) ? 'FORBIDDEN' : 'NOT_FOUND';
    expect(missing.data ?? null).toBeNull();
    expect(missing.errors?.map((e) => e.extensions?.code)).toEqual([missingCode]);

    for (const label of invisibleTo(viewer, type)) {
      const res = normalised(await ask(viewer, query, { id: idOf(label) }), idOf(label));
      expect({ label, res }).toEqual({ label, res: missing });
    }
    for (const e of visibleTo(viewer, type)) {
      const res = await ask(viewer, query, { id: idOf(e.label) });
      expect({ label: e.label, data: res.data ?? null, codes: res.errors?.map((x) => x.extensions?.code) }).toEqual({
        label: e.label,
        data: null,
        codes: ['FORBIDDEN'],
      });
    }
  });

  test('nothing was changed by the refused mutations', async () => {
    const owner = viewerByName('nl-customs');
    const res = await ask(
      owner,
      `{
      watchlistEntries(first: 20) { totalCount edges { node { reason validUntil } } }
      alerts(first: 20) { edges { node { title status } } }
    }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.watchlistEntries.totalCount).toBe(ENTRY_COLUMNS.length);
    for (const e of res.data!.watchlistEntries.edges) expect(e.node.validUntil).toBeNull();
    expect(res.data!.watchlistEntries.edges.map((e: Edge) => e.node.reason).sort()).toEqual(
      ENTRY_COLUMNS.map((c) => labelOf('WatchlistEntry', c)).sort(),
    );
    for (const a of res.data!.alerts.edges) expect(a.node.status).toBe('ACTIVE');
  });

  test('the owner itself may make the same changes (the probes above are well-formed)', async () => {
    const owner = viewerByName('nl-customs');
    const add = await ask(owner, MUTATIONS.addWatchlistEntry.query, { id: idOf('WL-CLEAR') });
    expect(add.errors).toBeUndefined();
    const probeId = add.data!.addWatchlistEntry.id;
    for (const mutation of ['updateWatchlistEntry', 'removeWatchlistEntry'] as const) {
      const res = await ask(owner, MUTATIONS[mutation].query, { id: probeId });
      expect({ mutation, errors: res.errors }).toEqual({ mutation, errors: undefined });
    }
    const status = await ask(owner, MUTATIONS.updateAlertStatus.query, { id: idOf('A-CLEAR') });
    expect(status.errors).toBeUndefined();
  });
});

// Triage: analysts of public agencies of the report's country, whatever basis they see it by.
// TRI may triage (the probe asks for SUBMITTED -> ESCALATED, an illegal move, so it answers
// BAD_USER_INPUT and changes nothing), FRB visible but FORBIDDEN, NFD hidden, answered NOT_FOUND.
// Private operators and viewers are FORBIDDEN before any lookup, missing ids included.
type TriageCell = 'TRI' | 'FRB' | 'NFD';
//                                  NLRTM   NLAMS   BEANR   NLRTM_CLEAR
const TRIAGE: Record<string, TriageCell[]> = {
  'nl-customs': ['TRI', 'TRI', 'NFD', 'TRI'],
  'nl-coastguard': ['TRI', 'TRI', 'NFD', 'TRI'],
  'nl-coastguard(viewer)': ['FRB', 'FRB', 'FRB', 'FRB'],
  'nl-terminal': ['FRB', 'FRB', 'FRB', 'FRB'],
  'nl-agent': ['FRB', 'FRB', 'FRB', 'FRB'],
  'be-customs': ['FRB', 'NFD', 'TRI', 'FRB'],
  'be-coastguard': ['NFD', 'NFD', 'TRI', 'NFD'],
  'be-agent': ['FRB', 'FRB', 'FRB', 'FRB'],
  'de-customs': ['NFD', 'NFD', 'NFD', 'NFD'],
  'de-customs+CUSTOMS(token)': ['NFD', 'NFD', 'NFD', 'NFD'],
  'de-customs+CUSTOMS(header)': ['NFD', 'NFD', 'NFD', 'NFD'],
  'de-customs+FISHERIES': ['NFD', 'NFD', 'NFD', 'NFD'],
  'fr-douane': ['NFD', 'NFD', 'NFD', 'FRB'],
  'fr-shipping': ['FRB', 'FRB', 'FRB', 'FRB'],
};
const TRIAGE_CODE: Record<TriageCell, string> = { TRI: 'BAD_USER_INPUT', FRB: 'FORBIDDEN', NFD: 'NOT_FOUND' };

describe("triageReport: only analysts of public agencies of the report's country", () => {
  const PROBE = 'mutation($id: ID!) { triageReport(id: $id, status: ESCALATED, note: "matrix probe") { id status } }';
  const TRIAGE_ROWS = VIEWERS.map((v) => ({
    viewer: v.name,
    cells: REPORT_COLUMNS.map((c, i) => `${labelOf('SuspiciousActivityReport', c)}:${TRIAGE[v.name][i]}`).join(' '),
  }));

  test.each(TRIAGE_ROWS)('$viewer: $cells', async ({ viewer: name }) => {
    const viewer = viewerByName(name);
    const missingId = `SuspiciousActivityReport:${randomUUID()}`;
    const missing = normalised(await ask(viewer, PROBE, { id: missingId }), missingId);
    expect(missing.errors?.map((e) => e.extensions?.code)).toEqual([neverPublishes(viewer) ? 'FORBIDDEN' : 'NOT_FOUND']);
    for (const [i, c] of REPORT_COLUMNS.entries()) {
      const label = labelOf('SuspiciousActivityReport', c);
      const cell = TRIAGE[viewer.name][i];
      const res = await ask(viewer, PROBE, { id: idOf(label) });
      expect({ label, data: res.data ?? null, codes: res.errors?.map((e) => e.extensions?.code) }).toEqual({
        label,
        data: null,
        codes: [TRIAGE_CODE[cell]],
      });
      // A hidden report answers exactly like a missing id.
      if (cell === 'NFD') expect({ label, res: normalised(res, idOf(label)) }).toEqual({ label, res: missing });
      if (cell === 'TRI') expect(res.errors![0].message).toMatch(/SUBMITTED.*allowed next: UNDER_REVIEW or CLOSED/);
    }
  });

  test('the probes changed no report', async () => {
    const res = await ask(viewerByName('nl-customs'), '{ reports(first: 20) { edges { node { status history { status } } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.reports.edges).toHaveLength(3);
    for (const e of res.data!.reports.edges) {
      expect(e.node.status).toBe('SUBMITTED');
      expect(e.node.history.filter((h: { status: string }) => h.status !== 'SUBMITTED')).toEqual([]);
    }
  });
});
