/**
 * An alert raised from a watchlist entry is never visible to an agency that cannot see the entry:
 * random entries of the demo membership published through the AIS publishing path into real
 * PostgreSQL, then read back as every agency under every purpose, by the engine and by its SQL.
 */
import path from 'node:path';
import fc from 'fast-check';
import { publishDetection, type Detection } from '../src/ais/detections';
import { decideRead, rowFilter } from '../src/policy/engine';
import { loadPolicies } from '../src/policy/load';
import { PURPOSES, TLP_LEVELS, type Principal, type ShareableRecord } from '../src/policy/types';
import { VesselAlert } from '../src/alert/vessel-alert.entity';
import { createTestDatabase, type TestDatabase } from './support/db';

const policy = loadPolicies(path.resolve(__dirname, '../policies'));
const agencies = [...policy.agencies.values()];
const codes = agencies.map((a) => a.code);
const principals: Principal[] = agencies.flatMap((agency) =>
  [undefined, ...PURPOSES].map((purpose) => ({ subject: 'p', agency, roles: ['analyst' as const], purpose, issuer: 'test', expiresAt: 0 })),
);

describe('automatic alerts derived from an entry', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  let run = 0;
  test('are seen by no principal that cannot see the entry (engine and SQL), and by its owner', async () => {
    let seenByOthers = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          ownerAgency: fc.constantFrom(...codes),
          tlp: fc.constantFrom(...TLP_LEVELS),
          jurisdiction: fc.constantFrom('NL', 'BE', 'DE', 'FR', 'ES', 'NO'),
          recipients: fc.subarray(codes, { maxLength: 3 }),
        }),
        async (entry: ShareableRecord) => {
          const key = `test:${++run}`;
          const d: Detection = {
            rule: 'WATCHLIST_APPROACH',
            key,
            feedId: 'f',
            access: entry,
            fromEntry: true,
            vessel: { imo: '9074729', mmsi: '244650123', name: 'OCEAN STAR' },
            category: 'SANCTIONS_EVASION',
            severity: 'HIGH',
            title: 't',
            explanation: 'e',
            port: 'NLRTM',
            observedAt: new Date(),
            evidence: [{ at: new Date(), lat: 51.9, lon: 4.1, sog: 10, cog: 90 }],
          };
          const outcome = await publishDetection(database.db, policy, d);
          if (policy.agencies.get(entry.ownerAgency)!.kind === 'PRIVATE_OPERATOR') {
            // The engine gives private operators no publish capability: their entries raise nothing.
            expect(outcome).toBe('skipped');
            expect(await database.db.getRepository(VesselAlert).findOneBy({ detectionKey: key })).toBeNull();
            return;
          }
          expect(outcome).toBe('published');
          const alert = await database.db.getRepository(VesselAlert).findOneByOrFail({ detectionKey: key });
          expect(alert).toMatchObject({
            ownerAgency: entry.ownerAgency,
            tlp: entry.tlp,
            jurisdiction: entry.jurisdiction,
            derivedFrom: 'WatchlistEntry',
          });
          for (const p of principals) {
            const seesEntry = decideRead(policy, p, 'WatchlistEntry', entry).allowed;
            const seesAlert = decideRead(policy, p, 'VesselAlert', alert).allowed;
            if (seesAlert && !seesEntry)
              throw new Error(`${p.agency.code} (${p.purpose}) sees the alert but not the entry ${JSON.stringify(entry)}`);
            if (p.agency.code === entry.ownerAgency) expect(seesAlert).toBe(true);
            else if (seesAlert) seenByOthers++;
            const f = rowFilter(policy, p, 'VesselAlert', 'a');
            const rows = await database.db
              .createQueryBuilder()
              .select('a.id', 'id')
              .from('vessel_alerts', 'a')
              .where('a.id = :id', { id: alert.id })
              .andWhere(f.sql, f.params)
              .getRawMany();
            expect(rows.length === 1).toBe(seesAlert);
          }
        },
      ),
      { numRuns: 40 },
    );
    // Not vacuous: partners do see some of them.
    expect(seenByOthers).toBeGreaterThan(0);
  }, 120_000);
});
