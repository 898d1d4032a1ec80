/**
 * The benchmark's scenario (20 agencies, their agreements, 2,000 subscribers, the alerts) and an
 * independent model of who may see an alert and which fields, written from
 * ../shared/spec/ACCESS-MODEL.md and the contract's AlertFilter, NOT from src/policy: if the hub's
 * engine or the live feed get access wrong, the two disagree and the benchmark reports it.
 * Nothing here imports the hub's code.
 */

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
function weighted<T>(r: () => number, table: [T, number][]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1][0];
}

// ---------------------------------------------------------------------------------------------
// Membership

export type Kind = 'CUSTOMS' | 'COAST_GUARD' | 'PORT_AUTHORITY' | 'BORDER_POLICE' | 'PRIVATE_OPERATOR';
export type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER_STRICT' | 'RED';
export type Basis = 'OWNER' | 'RECIPIENT' | 'AGREEMENT' | 'JURISDICTION' | 'COMMUNITY' | 'PUBLIC';
const TLP_ORDER: Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'];
const rank = (t: Tlp) => TLP_ORDER.indexOf(t);

export interface BenchAgency {
  code: string;
  name: string;
  kind: Kind;
  country: string;
  ports: string[];
}

export interface BenchAgreement {
  id: string;
  provider: string;
  recipients: string[];
  types: string[];
  jurisdictions?: string[];
  maxTlp: Exclude<Tlp, 'RED'>;
  fields?: string[];
  purposes?: string[];
  validFrom: string;
  validUntil?: string;
}

const COUNTRIES: { country: string; ports: string[]; name: string }[] = [
  { country: 'NL', ports: ['NLRTM', 'NLAMS'], name: 'Netherlands' },
  { country: 'BE', ports: ['BEANR', 'BEZEE'], name: 'Belgium' },
  { country: 'DE', ports: ['DEHAM', 'DEBRV'], name: 'Germany' },
  { country: 'FR', ports: ['FRLEH', 'FRMRS'], name: 'France' },
  { country: 'ES', ports: ['ESALG', 'ESVLC'], name: 'Spain' },
];
export const ALL_PORTS = COUNTRIES.flatMap((c) => c.ports);

/** 20 agencies: in each of five countries a customs service, a coast guard, a port authority or border police, and a private operator. */
export const AGENCIES: BenchAgency[] = COUNTRIES.flatMap(({ country, ports, name }, i) => {
  const cc = country.toLowerCase();
  return [
    { code: `${cc}-customs`, name: `${name} Customs (bench)`, kind: 'CUSTOMS', country, ports },
    { code: `${cc}-coastguard`, name: `${name} Coast Guard (bench)`, kind: 'COAST_GUARD', country, ports },
    i % 2 === 0
      ? { code: `${cc}-port`, name: `${name} Port Authority (bench)`, kind: 'PORT_AUTHORITY', country, ports: [ports[0]] }
      : { code: `${cc}-border`, name: `${name} Border Police (bench)`, kind: 'BORDER_POLICE', country, ports },
    { code: `${cc}-terminal`, name: `${name} Terminal Operator (bench)`, kind: 'PRIVATE_OPERATOR', country, ports: [ports[0]] },
  ];
});
export const agencyByCode = new Map(AGENCIES.map((a) => [a.code, a]));

/**
 * Agreements of mixed coverage: with and without jurisdictions, purposes and released fields,
 * up to GREEN, AMBER and AMBER_STRICT, to private operators, one expired, one not yet valid,
 * one for another record type only.
 */
export const AGREEMENTS: BenchAgreement[] = [
  {
    id: 'nl-customs--be-de-customs',
    provider: 'nl-customs',
    recipients: ['be-customs', 'de-customs'],
    types: ['VesselAlert', 'WatchlistEntry'],
    jurisdictions: ['NL'],
    maxTlp: 'AMBER',
    fields: ['intelligenceSummary'],
    purposes: ['CUSTOMS', 'LAW_ENFORCEMENT'],
    validFrom: '2026-01-01',
    validUntil: '2027-12-31',
  },
  {
    id: 'de-customs--nl-customs',
    provider: 'de-customs',
    recipients: ['nl-customs'],
    types: ['VesselAlert'],
    maxTlp: 'AMBER_STRICT',
    validFrom: '2026-01-01',
  },
  {
    id: 'fr-customs--es-customs-be-coastguard',
    provider: 'fr-customs',
    recipients: ['es-customs', 'be-coastguard'],
    types: ['VesselAlert'],
    maxTlp: 'AMBER',
    fields: ['intelligenceSummary'],
    validFrom: '2026-03-01',
    validUntil: '2027-03-01',
  },
  {
    id: 'es-coastguard--fr-nl-coastguard',
    provider: 'es-coastguard',
    recipients: ['fr-coastguard', 'nl-coastguard'],
    types: ['VesselAlert'],
    jurisdictions: ['ES', 'FR'],
    maxTlp: 'AMBER_STRICT',
    fields: ['intelligenceSummary'],
    purposes: ['MARITIME_SAFETY_SECURITY'],
    validFrom: '2026-01-01',
  },
  {
    id: 'be-customs--nl-terminal',
    provider: 'be-customs',
    recipients: ['nl-terminal', 'be-terminal'],
    types: ['VesselAlert'],
    jurisdictions: ['BE'],
    maxTlp: 'AMBER',
    validFrom: '2026-06-01',
  },
  {
    id: 'de-coastguard--de-terminal',
    provider: 'de-coastguard',
    recipients: ['de-terminal'],
    types: ['VesselAlert'],
    maxTlp: 'GREEN',
    fields: ['intelligenceSummary'],
    validFrom: '2026-01-01',
  },
  {
    id: 'nl-coastguard--de-coastguard-expired',
    provider: 'nl-coastguard',
    recipients: ['de-coastguard'],
    types: ['VesselAlert'],
    maxTlp: 'AMBER_STRICT',
    fields: ['intelligenceSummary'],
    validFrom: '2025-01-01',
    validUntil: '2025-12-31',
  },
  {
    id: 'es-customs--fr-border-future',
    provider: 'es-customs',
    recipients: ['fr-border'],
    types: ['VesselAlert'],
    maxTlp: 'AMBER_STRICT',
    validFrom: '2027-06-01',
  },
  {
    id: 'fr-coastguard--be-border-entries',
    provider: 'fr-coastguard',
    recipients: ['be-border'],
    types: ['WatchlistEntry'],
    maxTlp: 'AMBER_STRICT',
    fields: ['source'],
    validFrom: '2026-01-01',
  },
  {
    id: 'be-coastguard--nl-de-coastguard',
    provider: 'be-coastguard',
    recipients: ['nl-coastguard', 'de-coastguard'],
    types: ['VesselAlert'],
    jurisdictions: ['BE', 'NL'],
    maxTlp: 'AMBER',
    purposes: ['MARITIME_SAFETY_SECURITY', 'LAW_ENFORCEMENT'],
    validFrom: '2026-01-01',
  },
];

/** Publishers: analysts of public agencies. */
export const PUBLISHERS = [
  'nl-customs',
  'de-customs',
  'fr-customs',
  'es-coastguard',
  'be-customs',
  'nl-coastguard',
  'de-coastguard',
  'es-customs',
  'be-coastguard',
];

// ---------------------------------------------------------------------------------------------
// Subscribers and alerts

export interface Filter {
  ports?: string[];
  jurisdictions?: string[];
  categories?: string[];
  minSeverity?: string;
}

export interface BenchSubscriber {
  index: number;
  agency: string;
  roles: string[];
  purpose?: string;
  filter?: Filter;
  /** Which of the two hub instances it connects to. */
  hub: 0 | 1;
}

const PURPOSES = ['CUSTOMS', 'LAW_ENFORCEMENT', 'MARITIME_SAFETY_SECURITY', 'BORDER_CONTROL'];
export const CATEGORIES = [
  'DRUG_TRAFFICKING',
  'SMUGGLING',
  'SANCTIONS_EVASION',
  'PIRACY',
  'ILLEGAL_FISHING',
  'HUMAN_TRAFFICKING',
  'CUSTOMS_VIOLATION',
];
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** `count` subscribers spread evenly over the agencies and both instances, with mixed roles, purposes and filters. */
export function makeSubscribers(count: number, seed: number): BenchSubscriber[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, index) => {
    const agency = AGENCIES[index % AGENCIES.length];
    const roles = weighted<string[]>(r, [
      [['viewer'], 5],
      [['analyst'], 4],
      [['analyst', 'auditor'], 1],
    ]);
    const purpose = weighted<string | undefined>(r, [[undefined, 3], ...PURPOSES.map((p) => [p, 1.75] as [string, number])]);
    const filter = weighted<Filter | undefined>(r, [
      [undefined, 3],
      [{ ports: agency.ports }, 3],
      [{ jurisdictions: [agency.country] }, 1.5],
      [{ categories: [pick(r, CATEGORIES), pick(r, CATEGORIES)] }, 1.5],
      [{ minSeverity: 'HIGH' }, 1],
    ]);
    // Each agency's subscribers alternate between the instances (not agency by agency, which
    // would give one instance all the coast guards and private operators).
    return { index, agency: agency.code, roles, purpose, filter, hub: (Math.floor(index / AGENCIES.length) % 2) as 0 | 1 };
  });
}

/** A vessel pool: alerts name one of `count` vessels (IMO numbers with valid check digits). */
export function makeVessels(count: number, seed: number): { imo: string; name: string }[] {
  const r = rng(seed);
  const imos = new Set<string>();
  while (imos.size < count) {
    const digits = Array.from({ length: 6 }, (_, i) => (i === 0 ? 1 + Math.floor(r() * 9) : Math.floor(r() * 10)));
    const check = digits.reduce((sum, d, i) => sum + d * (7 - i), 0) % 10;
    imos.add(digits.join('') + check);
  }
  return [...imos].map((imo, i) => ({ imo, name: `BENCH VESSEL ${i + 1}` }));
}

export interface BenchAlert {
  index: number;
  vessel: { imo: string; name: string };
  owner: string;
  tlp: Tlp;
  port: string;
  jurisdiction: string;
  recipients: string[];
  category: string;
  severity: string;
  intelligenceSummary: string | null;
}

/** Alerts of mixed marking, mostly in the owner's own ports, some abroad, some with named recipients. */
export function makeAlerts(count: number, seed: number): BenchAlert[] {
  const r = rng(seed);
  const vessels = makeVessels(300, seed + 7);
  return Array.from({ length: count }, (_, index) => {
    const owner = agencyByCode.get(pick(r, PUBLISHERS))!;
    const tlp = weighted<Tlp>(r, [
      ['CLEAR', 5],
      ['GREEN', 15],
      ['AMBER', 40],
      ['AMBER_STRICT', 22],
      ['RED', 18],
    ]);
    const port = r() < 0.8 ? pick(r, owner.ports) : pick(r, ALL_PORTS);
    const recipientCount =
      tlp === 'RED' || tlp === 'AMBER_STRICT'
        ? weighted(r, [
            [1, 3],
            [2, 3],
            [3, 1],
          ])
        : weighted(r, [
            [0, 6],
            [1, 2],
          ]);
    const recipients = new Set<string>();
    while (recipients.size < recipientCount) {
      const a = pick(r, AGENCIES).code;
      if (a !== owner.code) recipients.add(a);
    }
    return {
      index,
      vessel: pick(r, vessels),
      owner: owner.code,
      tlp,
      port,
      jurisdiction: port.slice(0, 2),
      recipients: [...recipients],
      category: pick(r, CATEGORIES),
      severity: pick(r, SEVERITIES),
      intelligenceSummary: r() < 0.7 ? `bench intelligence ${index}` : null,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The independent access model (ACCESS-MODEL.md, VesselAlert only)

export interface Expected {
  basis: Basis;
  agreementId?: string;
  /** Whether intelligenceSummary (the alert's one sensitive field) is released. */
  summaryReleased: boolean;
}

function dayStart(d: string) {
  return Date.parse(`${d}T00:00:00.000Z`);
}
function dayEnd(d: string) {
  return Date.parse(`${d}T23:59:59.999Z`);
}

/**
 * May `s` see `a`, on which basis, with which fields; undefined when `a` does not exist for `s`.
 * ACCESS-MODEL.md: the basis is the first that holds (OWNER, RECIPIENT, AGREEMENT, JURISDICTION,
 * COMMUNITY, PUBLIC), and several bases release the union of their fields, so an agreement covering
 * a recipient still releases its fields. The agreement named is the first, in file-name order (the
 * files are `<id>.yaml`), that releases the summary; an AGREEMENT basis names the first covering one.
 */
export function expectedView(s: Pick<BenchSubscriber, 'agency' | 'purpose'>, a: BenchAlert, nowMs: number): Expected | undefined {
  const me = agencyByCode.get(s.agency)!;
  const isPublic = me.kind !== 'PRIVATE_OPERATOR';
  if (a.owner === me.code) return { basis: 'OWNER', summaryReleased: true };
  const covering = AGREEMENTS.filter((g) => {
    if (g.provider !== a.owner || !g.recipients.includes(me.code) || !g.types.includes('VesselAlert')) return false;
    if (nowMs < dayStart(g.validFrom) || (g.validUntil && nowMs > dayEnd(g.validUntil))) return false;
    if (g.purposes?.length && !(s.purpose && g.purposes.includes(s.purpose))) return false;
    if (a.tlp === 'RED' || rank(a.tlp) > rank(g.maxTlp)) return false;
    return !(g.jurisdictions?.length && !g.jurisdictions.includes(a.jurisdiction));
  }).sort((x, y) => (`${x.id}.yaml` < `${y.id}.yaml` ? -1 : 1));
  const releasing = covering.find((g) => (g.fields ?? []).includes('intelligenceSummary'));
  const byAgreements = { summaryReleased: releasing !== undefined, ...(releasing ? { agreementId: releasing.id } : {}) };
  if (a.recipients.includes(me.code)) return { basis: 'RECIPIENT', ...byAgreements };
  if (covering.length > 0) return { basis: 'AGREEMENT', ...byAgreements, agreementId: (releasing ?? covering[0]).id };
  if (isPublic && rank(a.tlp) <= rank('AMBER') && a.jurisdiction === me.country) return { basis: 'JURISDICTION', summaryReleased: false };
  if (isPublic && rank(a.tlp) <= rank('GREEN')) return { basis: 'COMMUNITY', summaryReleased: false };
  if (a.tlp === 'CLEAR') return { basis: 'PUBLIC', summaryReleased: false };
  return undefined;
}

export function matches(f: Filter | undefined, a: BenchAlert): boolean {
  if (!f) return true;
  if (f.ports?.length && !f.ports.includes(a.port)) return false;
  if (f.jurisdictions?.length && !f.jurisdictions.includes(a.jurisdiction)) return false;
  if (f.categories?.length && !f.categories.includes(a.category)) return false;
  if (f.minSeverity && SEVERITIES.indexOf(a.severity) < SEVERITIES.indexOf(f.minSeverity)) return false;
  return true;
}
