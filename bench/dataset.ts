/**
 * The synthetic data set of `npm run bench:screening`: vessels with valid IMO check digits, MMSIs
 * under real MIDs, names built from the words real fleets use (with accents, numbers, roman
 * suffixes and former names), and watchlists of the demo agencies at every TLP level, holding
 * entries spread over the vessels. Generated in SQL (INSERT ... SELECT generate_series), seeded,
 * so every run has the same data.
 */
import type { DataSource } from 'typeorm';

export interface DatasetSize {
  vessels: number;
  entries: number;
}

/** The demo agencies' lists: owner, TLP, jurisdiction, and relative number of entries. */
export const LISTS: { owner: string; tlp: string; jurisdiction: string; weight: number }[] = [
  { owner: 'nl-customs', tlp: 'CLEAR', jurisdiction: 'NL', weight: 3 },
  { owner: 'nl-customs', tlp: 'GREEN', jurisdiction: 'NL', weight: 6 },
  { owner: 'nl-customs', tlp: 'AMBER', jurisdiction: 'NL', weight: 10 },
  { owner: 'nl-customs', tlp: 'AMBER_STRICT', jurisdiction: 'NL', weight: 5 },
  { owner: 'nl-customs', tlp: 'RED', jurisdiction: 'NL', weight: 3 },
  { owner: 'de-customs', tlp: 'GREEN', jurisdiction: 'DE', weight: 6 },
  { owner: 'de-customs', tlp: 'AMBER', jurisdiction: 'DE', weight: 8 },
  { owner: 'de-customs', tlp: 'AMBER_STRICT', jurisdiction: 'DE', weight: 4 },
  { owner: 'nl-coastguard', tlp: 'CLEAR', jurisdiction: 'NL', weight: 3 },
  { owner: 'nl-coastguard', tlp: 'AMBER', jurisdiction: 'NL', weight: 4 },
  { owner: 'be-customs', tlp: 'AMBER', jurisdiction: 'BE', weight: 6 },
  { owner: 'be-customs', tlp: 'RED', jurisdiction: 'BE', weight: 2 },
  { owner: 'be-coastguard', tlp: 'GREEN', jurisdiction: 'BE', weight: 3 },
  { owner: 'fr-douane', tlp: 'GREEN', jurisdiction: 'FR', weight: 5 },
  { owner: 'fr-douane', tlp: 'AMBER', jurisdiction: 'FR', weight: 6 },
  { owner: 'es-guardia-civil', tlp: 'AMBER', jurisdiction: 'ES', weight: 5 },
  { owner: 'es-guardia-civil', tlp: 'AMBER_STRICT', jurisdiction: 'ES', weight: 3 },
  { owner: 'no-customs', tlp: 'GREEN', jurisdiction: 'NO', weight: 4 },
  { owner: 'no-customs', tlp: 'RED', jurisdiction: 'NO', weight: 2 },
  { owner: 'de-bundespolizei', tlp: 'AMBER', jurisdiction: 'DE', weight: 4 },
];

export const FIRST_WORDS = [
  'OCEAN',
  'SEA',
  'NORDIC',
  'PACIFIC',
  'ATLANTIC',
  'BALTIC',
  'ARCTIC',
  'GOLDEN',
  'SILVER',
  'BLUE',
  'GRAND',
  'ROYAL',
  'STAR',
  'SUN',
  'CAPE',
  'PORT',
  'LADY',
  'KING',
  'QUEEN',
  'PRINCESS',
  'SPIRIT',
  'GLORY',
  'FORTUNE',
  'EAGLE',
  'FALCON',
  'DOLPHIN',
  'CORAL',
  'PEARL',
  'JADE',
  'DIAMOND',
  'CRYSTAL',
  'MSC',
  'MAERSK',
  'EVER',
  'COSCO',
  'CMA CGM',
  'HAPAG',
  'ZIM',
  'STOLT',
  'TORM',
  'BW',
  'NAVIOS',
  'SEASPAN',
  'ALPINE',
  'NEW',
  'GREAT',
  'LUCKY',
  'FU YUAN YU',
  'LU RONG YU',
  'ZHE DAI YU',
  'MING',
  'HONG',
  'HAI',
  'DA',
  'XIN',
  'SÃO',
  'SANTA',
  'SAN',
  'AL',
  'NUR',
  'MARE',
  'STELLA',
  'AURORA',
  'POLAR',
  'TROPIC',
  'HERO',
  'SAKHALIN',
  'AMUR',
  'VOLGO-BALT',
  'ZALIV',
  'KAPITAN',
  'AKADEMIK',
  'NAVE',
  'TORRE',
  'MAR',
  'COSTA',
  'ISLA',
  'SKÅNE',
  'ØRESUND',
  'MÜNCHEN',
];
export const SECOND_WORDS = [
  'STAR',
  'SPIRIT',
  'GLORY',
  'PRIDE',
  'HOPE',
  'DREAM',
  'WIND',
  'WAVE',
  'TIDE',
  'BREEZE',
  'HORIZON',
  'VOYAGER',
  'EXPLORER',
  'PIONEER',
  'NAVIGATOR',
  'TRADER',
  'CARRIER',
  'EXPRESS',
  'LEADER',
  'VENTURE',
  'FORTUNE',
  'JEWEL',
  'ROSE',
  'LILY',
  'IRIS',
  'ATHENA',
  'APOLLO',
  'HERMES',
  'ZEUS',
  'POSEIDON',
  'NEPTUNE',
  'TRITON',
  'ORION',
  'SIRIUS',
  'VEGA',
  'ALTAIR',
  'ANTARES',
  'ROTTERDAM',
  'ANTWERP',
  'HAMBURG',
  'BREMEN',
  'GENOA',
  'PIRAEUS',
  'MÁLAGA',
  'LISBOA',
  'PORTO',
  'ÅLESUND',
  'TROMSØ',
  'GDAŃSK',
  'KØBENHAVN',
  'GÖTEBORG',
  'MARIA',
  'ELENA',
  'ANNA',
  'SOFIA',
  'LEILA',
  'NINA',
  'OLGA',
  'IRENE',
  'CHRISTINA',
  'VICTORIA',
  'ISABELLA',
  'CAROLINE',
  'JULIA',
  'HELENA',
  'ALEXANDRA',
  'MARGARETA',
  'KATARINA',
  'DAWN',
  'DUSK',
  'NIGHT',
  'DAY',
  'SKY',
  'CLOUD',
  'RAIN',
  'SNOW',
  'ICE',
  'FIRE',
  'STONE',
  'RIVER',
  'LAKE',
  'BAY',
  'ISLAND',
  'COAST',
  'HARBOUR',
  'BRIDGE',
  'TOWER',
  'CASTLE',
  'GARDEN',
  'FOREST',
  'VALLEY',
  'MOUNTAIN',
  'LION',
  'TIGER',
  'BEAR',
  'WOLF',
  'FOX',
  'HAWK',
  'SWAN',
  'GULL',
  'TERN',
  'ALBATROSS',
  'PETREL',
  'DRAGON',
  'PHOENIX',
  'UNICORN',
  'TITAN',
  'ATLAS',
  'HERCULES',
  'ACHILLES',
  'ODYSSEY',
  'ILIAD',
  'SAGA',
  'EDDA',
  'RUNE',
  'VIKING',
  'NOMAD',
  'ROVER',
  'RANGER',
  'HUNTER',
  'SEEKER',
  'FINDER',
  'KEEPER',
  'GUARDIAN',
  'SENTINEL',
  'PATRIOT',
  'LIBERTY',
  'FREEDOM',
  'UNITY',
  'HARMONY',
  'SERENITY',
  'TRANQUILITY',
  'PROSPERITY',
  'ABUNDANCE',
  'TREASURE',
  'BOUNTY',
  'HARVEST',
  'ENDEAVOUR',
  'DISCOVERY',
  'RESOLUTION',
  'ADVENTURE',
  'ENTERPRISE',
  'INTREPID',
  'VALIANT',
  'GALLANT',
  'NOBLE',
  'BRAVE',
  'BOLD',
  '1',
  '2',
  '3',
  '7',
  '8',
  '9',
  '11',
  '18',
  '88',
  '168',
  '618',
  '888',
  '1688',
  '8683',
  '9',
  '12',
  '21',
  '33',
  '66',
  '99',
];
const SUFFIX = ['', '', '', '', '', ' I', ' II', ' III', ' IV', ' V', ' VII', ' 1', ' 2', ' 3', ' 5', ' 8', ' 9', ' 10', ' 12', ' 22'];

/** MIDs of common flags and the flag each belongs to. */
const MIDS: [number, string][] = [
  [244, 'NL'],
  [245, 'NL'],
  [211, 'DE'],
  [218, 'DE'],
  [205, 'BE'],
  [227, 'FR'],
  [224, 'ES'],
  [257, 'NO'],
  [636, 'LR'],
  [538, 'MH'],
  [352, 'PA'],
  [353, 'PA'],
  [477, 'HK'],
  [563, 'SG'],
  [215, 'MT'],
  [229, 'MT'],
  [249, 'MT'],
  [273, 'RU'],
  [412, 'CN'],
  [413, 'CN'],
  [255, 'PT'],
  [240, 'GR'],
  [241, 'GR'],
  [209, 'CY'],
  [311, 'BS'],
  [232, 'GB'],
  [422, 'IR'],
  [518, 'CK'],
  [620, 'KM'],
  [626, 'GA'],
];

const sqlArray = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`;

/** Fills an empty, migrated database; returns the watchlist ids in LISTS order. */
export async function generateDataset(ds: DataSource, size: DatasetSize, log: (s: string) => void): Promise<string[]> {
  const t0 = Date.now();
  await ds.query(`SELECT setseed(0.42)`);
  // Vessels: IMO 3000000 + i with its check digit; MMSI under a real MID; 3% of flags disagree with the MID.
  await ds.query(
    `
    INSERT INTO vessels (imo, mmsi, name, flag, vessel_type, former_names)
    SELECT b.base || ((7*substr(b.base,1,1)::int + 6*substr(b.base,2,1)::int + 5*substr(b.base,3,1)::int
                      + 4*substr(b.base,4,1)::int + 3*substr(b.base,5,1)::int + 2*substr(b.base,6,1)::int) % 10),
      m.mid::text || lpad((g % 1000000)::text, 6, '0'),
      f.w[1 + (hashint4(g) & 2147483647) % cardinality(f.w)] || ' ' || s.w[1 + (hashint4(g * 7 + 1) & 2147483647) % cardinality(s.w)]
        || x.w[1 + (hashint4(g * 13 + 5) & 2147483647) % cardinality(x.w)],
      CASE WHEN g % 33 = 0 THEN 'PA' ELSE m.flag END,
      (ARRAY['Crude Oil Tanker','Products Tanker','Bulk Carrier','Container Ship','General Cargo','Chemical Tanker','LNG Tanker','Fishing Vessel','Tug','Ro-Ro Cargo'])[1 + g % 10],
      CASE WHEN g % 10 < 3 THEN ARRAY[f.w[1 + (hashint4(g * 17 + 3) & 2147483647) % cardinality(f.w)] || ' ' || s.w[1 + (hashint4(g * 19 + 7) & 2147483647) % cardinality(s.w)]]
           WHEN g % 10 = 3 THEN ARRAY[s.w[1 + (hashint4(g * 23) & 2147483647) % cardinality(s.w)] || ' ' || f.w[1 + (hashint4(g * 29) & 2147483647) % cardinality(f.w)],
                                      f.w[1 + (hashint4(g * 31) & 2147483647) % cardinality(f.w)] || x.w[1 + (hashint4(g * 37) & 2147483647) % cardinality(x.w)]]
           ELSE '{}'::text[] END
    FROM generate_series(1, $1) AS g
    CROSS JOIN LATERAL (SELECT (300000 + g)::text AS base) b
    CROSS JOIN LATERAL (SELECT (${sqlArray(MIDS.map(([m]) => String(m)))})[1 + g % ${MIDS.length}]::int AS mid,
                               (${sqlArray(MIDS.map(([, f]) => f))})[1 + g % ${MIDS.length}] AS flag) m
    CROSS JOIN (SELECT ${sqlArray(FIRST_WORDS)} AS w) f
    CROSS JOIN (SELECT ${sqlArray(SECOND_WORDS)} AS w) s
    CROSS JOIN (SELECT ${sqlArray(SUFFIX)} AS w) x`,
    [size.vessels],
  );
  log(`  ${size.vessels} vessels (and their names) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const ids: string[] = [];
  for (const [i, l] of LISTS.entries()) {
    const [row] = await ds.query(`INSERT INTO watchlists (name, owner_agency, tlp, jurisdiction) VALUES ($1, $2, $3, $4) RETURNING id`, [
      `Bench ${l.owner} ${l.tlp} #${i}`,
      l.owner,
      l.tlp,
      l.jurisdiction,
    ]);
    ids.push(row.id);
  }
  const t1 = Date.now();
  // Entries: each list gets its share; vessels drawn at random; TLP the list's or one step stricter;
  // 4% expired, 2% not yet valid, 5% name a recipient.
  const total = LISTS.reduce((s, l) => s + l.weight, 0);
  let start = 0;
  const ranges = LISTS.map((l, i) => {
    const n = i === LISTS.length - 1 ? size.entries - start : Math.round((size.entries * l.weight) / total);
    const r = { from: start + 1, to: start + n, id: ids[i], ...l };
    start += n;
    return r;
  });
  // Each entry gives its vessel as the (synthetic) registry knows it, as an author usually does.
  await ds.query(
    `CREATE TEMP TABLE bench_vessels AS SELECT row_number() OVER (ORDER BY imo)::int AS n, id,
       jsonb_build_object('imo', imo, 'mmsi', mmsi, 'name', name, 'flag', flag, 'callSign', call_sign, 'vesselType', vessel_type,
         'formerNames', to_jsonb(former_names)) AS given
     FROM vessels`,
  );
  await ds.query(`CREATE UNIQUE INDEX ON bench_vessels (n)`);
  await ds.query(`CREATE TEMP TABLE bench_lists (lo int, hi int, id uuid, owner text, tlp tlp, jurisdiction char(2))`);
  for (const r of ranges) {
    await ds.query(`INSERT INTO bench_lists VALUES ($1, $2, $3, $4, $5, $6)`, [r.from, r.to, r.id, r.owner, r.tlp, r.jurisdiction]);
  }
  await ds.query(
    `
    INSERT INTO watchlist_entries (watchlist_id, vessel_id, vessel_as_given, category, risk_level, reason, owner_agency, tlp, jurisdiction,
      recipients, valid_from, valid_until, source, notes, external_ref, created_at, updated_at)
    SELECT l.id, v.id, v.given,
      (ARRAY['SANCTIONS_EVASION','SMUGGLING','DRUG_TRAFFICKING','IDENTITY_FRAUD','SHIP_TO_SHIP_TRANSFER','AIS_MANIPULATION','ILLEGAL_FISHING','OTHER'])[1 + e.g % 8],
      (ARRAY['LOW','MEDIUM','HIGH','CRITICAL'])[1 + (e.g / 8) % 4]::risk_level,
      'Synthetic entry ' || e.g,
      l.owner,
      CASE WHEN e.g % 5 = 0 THEN (enum_range(NULL::tlp))[LEAST(5, array_position(enum_range(NULL::tlp), l.tlp) + 1)] ELSE l.tlp END,
      l.jurisdiction,
      CASE WHEN e.g % 20 = 7 THEN ARRAY[(ARRAY['be-customs','de-customs','fr-douane','nl-customs','no-customs'])[1 + e.g % 5]] ELSE '{}'::text[] END,
      CASE WHEN e.g % 50 = 1 THEN now() + interval '30 days' ELSE now() - interval '1 year' END,
      CASE WHEN e.g % 25 = 2 THEN now() - interval '1 day' WHEN e.g % 10 = 3 THEN now() + interval '2 years' END,
      'Synthetic source', NULL, 'GEN:' || e.g,
      now() - (e.g % 1000) * interval '1 minute', now()
    FROM (SELECT g, 1 + (hashint4(g * 41 + 11) & 2147483647) % $1 AS n FROM generate_series(1, $2) g) e
    JOIN bench_vessels v ON v.n = e.n
    JOIN bench_lists l ON e.g BETWEEN l.lo AND l.hi`,
    [size.vessels, size.entries],
  );
  log(`  ${size.entries} entries in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  const t2 = Date.now();
  await ds.query('VACUUM ANALYZE vessels, vessel_names, watchlists, watchlist_entries, entry_names, given_names, name_forms, name_keys');
  log(`  VACUUM ANALYZE in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
  return ids;
}
