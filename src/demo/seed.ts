/**
 * Demo data for a first `npm start`: a few watchlists, entries, alerts and a report over the demo
 * membership in policies/, written through the same services (validation, audit) as the API.
 * Vessels are real rows of the US Treasury OFAC SDN list of 2024-05-03 (public domain); the demo
 * registry authority records them in the vessel registry first, as a registry import would.
 */
import type { DataSource } from 'typeorm';
import { publishAlert } from '../alert/alert.service';
import { submitReport } from '../report/report-submission';
import { createContext, type RequestContext } from '../request/context';
import type { PolicySet, Role } from '../policy/types';
import { addEntry, createWatchlist } from '../watchlist/watchlist.service';
import { toGlobalId } from '../graphql/ids';
import { importRegistry } from '../import/registry-loader';

const OFAC = 'OFAC SDN list, 2024-05-03';

const V = {
  sakhalinIsland: { imo: '9249128', mmsi: '352002202', name: 'SAKHALIN ISLAND', flag: 'PA', vesselType: 'Crude Oil Tanker' },
  ladyLeila: { imo: '9683740', mmsi: '273340060', name: 'LADY LEILA', flag: 'RU', vesselType: 'Products Tanker' },
  mona: { imo: '9314818', mmsi: '636022424', name: 'MONA', flag: 'LR', vesselType: 'Chemical/Oil Tanker' },
  heroII: { imo: '9362073', mmsi: '572459210', name: 'HERO II', flag: 'IR', vesselType: 'Crude Oil Tanker' },
  marivan: { imo: '8517243', mmsi: '422143000', name: 'MARIVAN', flag: 'IR', vesselType: 'Bunkering Tanker' },
  goldenBridge: { imo: '9218301', mmsi: '357648000', name: 'GOLDEN BRIDGE', flag: 'PA', vesselType: 'Bulk Carrier' },
  chem: { imo: '9240914', mmsi: '518998388', name: 'CHEM', flag: 'CK', vesselType: 'Chemical/Products Tanker' },
};

/** The demo's registry authority (agencies.yaml registryAuthority): the registry is seeded as it, with its source. */
const REGISTRY_AUTHORITY = 'nl-rotterdam-pa';
const REGISTRY_SOURCE = 'Port of Rotterdam arrival records (demo)';

const NEEDED = [
  REGISTRY_AUTHORITY,
  'nl-customs',
  'de-customs',
  'be-coastguard',
  'nl-coastguard',
  'fr-douane',
  'be-customs',
  'nl-ect-terminal',
];

function as(db: DataSource, policy: PolicySet, agency: string, roles: Role[] = ['analyst']): RequestContext {
  const principal = { subject: 'demo-seed', agency: policy.agencies.get(agency)!, roles, issuer: 'demo-seed', expiresAt: 0 };
  return createContext(db, policy, principal, 'demo-seed');
}

/** Loads the demo once, into an empty database whose policies hold the demo agencies. */
export async function seedDemoData(db: DataSource, policy: PolicySet): Promise<boolean> {
  if (NEEDED.some((code) => !policy.agencies.has(code))) return false;
  const [{ count }] = await db.query('SELECT count(*)::int AS count FROM watchlists');
  if (count > 0) return false;

  // The registry comes from its authority, never from the records below: they keep the vessel as given.
  if (policy.agencies.get(REGISTRY_AUTHORITY)?.registryAuthority) {
    const rows = (async function* () {
      for (const [i, v] of Object.values(V).entries()) yield { line: i + 1, row: { ...v } };
    })();
    await importRegistry(as(db, policy, REGISTRY_AUTHORITY), REGISTRY_SOURCE, rows);
  }

  const nlCustoms = as(db, policy, 'nl-customs');
  const shadowFleet = await createWatchlist(nlCustoms, {
    name: 'Shadow fleet tankers (sanctions)',
    description: 'Tankers linked to sanctions evasion calling at Dutch ports',
    tlp: 'AMBER',
    jurisdiction: 'NL',
  });
  const wl = toGlobalId('Watchlist', shadowFleet.id);
  for (const vessel of [V.sakhalinIsland, V.ladyLeila, V.mona]) {
    await addEntry(nlCustoms, {
      watchlistId: wl,
      vessel,
      category: 'SANCTIONS_EVASION',
      riskLevel: 'HIGH',
      reason: 'Designated under RUSSIA-EO14024',
      source: OFAC,
      notes: 'Check bills of lading for STS transfers',
    });
  }
  await addEntry(nlCustoms, {
    watchlistId: wl,
    vessel: V.heroII,
    category: 'IDENTITY_FRAUD',
    riskLevel: 'CRITICAL',
    tlp: 'RED',
    reason: 'Flag and MMSI country disagree; suspected false flag',
    source: 'Informant NL-2026-117',
    notes: 'Do not approach; inform FIOD',
    recipients: ['be-customs'],
  });

  const deCustoms = as(db, policy, 'de-customs');
  const deList = await createWatchlist(deCustoms, {
    name: 'Iran sanctions programme vessels',
    tlp: 'GREEN',
    jurisdiction: 'DE',
  });
  for (const vessel of [V.marivan, V.goldenBridge]) {
    await addEntry(deCustoms, {
      watchlistId: toGlobalId('Watchlist', deList.id),
      vessel,
      category: 'SANCTIONS_EVASION',
      riskLevel: 'MEDIUM',
      reason: 'Designated under the IRAN programmes',
      source: OFAC,
    });
  }

  const nlCoastguard = as(db, policy, 'nl-coastguard');
  const safety = await createWatchlist(nlCoastguard, {
    name: 'Public maritime safety notices',
    description: 'Vessels under detention or safety restrictions',
    tlp: 'CLEAR',
    jurisdiction: 'NL',
  });
  await addEntry(nlCoastguard, {
    watchlistId: toGlobalId('Watchlist', safety.id),
    vessel: V.chem,
    category: 'POLLUTION',
    riskLevel: 'LOW',
    reason: 'Detained after oily discharge observed off Hoek van Holland',
  });

  await publishAlert(nlCustoms, {
    vessel: V.ladyLeila,
    category: 'SHIP_TO_SHIP_TRANSFER',
    severity: 'HIGH',
    title: 'STS transfer suspected before arrival',
    description: 'AIS gap of 14 hours near the Skagen anchorage before announcing arrival at Rotterdam.',
    port: 'NLRTM',
    tlp: 'AMBER',
    intelligenceSummary: 'Satellite imagery shows a second tanker alongside.',
  });
  await publishAlert(as(db, policy, 'fr-douane'), {
    vessel: V.goldenBridge,
    category: 'SANCTIONS_EVASION',
    severity: 'CRITICAL',
    title: 'Cargo origin falsified',
    description: 'Documents presented at Le Havre conflict with the loading port.',
    port: 'FRLEH',
    tlp: 'RED',
    recipients: ['be-customs'],
    intelligenceSummary: 'Source: liaison officer report.',
  });
  await publishAlert(as(db, policy, 'be-coastguard'), {
    vessel: V.mona,
    category: 'AIS_MANIPULATION',
    severity: 'MEDIUM',
    title: 'AIS switched off in the Scheldt approach',
    description: 'Transponder silent for 3 hours while under way.',
    port: 'BEANR',
    tlp: 'GREEN',
  });

  await submitReport(
    as(db, policy, 'nl-ect-terminal', ['viewer']),
    {
      port: 'NLRTM',
      category: 'SURVEILLANCE',
      observedAt: new Date(Date.now() - 3 * 3600_000),
      description: 'Two crew members of a moored tanker photographed the gate and the fence cameras at length.',
      imo: V.ladyLeila.imo,
      vesselName: V.ladyLeila.name,
      reporterContact: 'Security desk, +31 10 000 0000',
    },
    'demo-seed-1',
  );
  return true;
}
