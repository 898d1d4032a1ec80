/**
 * The alert filter has two forms: matchesFilter in memory (live feeds, webhooks) and
 * whereAlertMatches in SQL (alert lists). On random alerts and random filters in real PostgreSQL
 * they must let through exactly the same alerts.
 */
import fc from 'fast-check';
import { matchesFilter, whereAlertMatches, type AlertFilter } from '../src/alert/alert-filter';
import { VesselAlert } from '../src/alert/vessel-alert.entity';
import { ALERT_STATUSES, RISK_LEVELS, THREAT_CATEGORIES } from '../src/graphql/enums';
import { Vessel } from '../src/vessel/vessel.entity';
import { createTestDatabase, type TestDatabase } from './support/db';
import { imoFrom } from './support/vessels';

describe('matchesFilter agrees with the SQL of listAlerts in PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  // Small pools, so that random filters often select some alerts but not all; each filter pool
  // also holds a value no alert has.
  const PORTS = ['NLRTM', 'BEANR', 'DEHAM'] as const;
  const COUNTRIES = ['NL', 'BE', 'DE'] as const;
  const CATEGORIES = THREAT_CATEGORIES.slice(0, 4);
  const IMOS = [imoFrom(907472), imoFrom(932148), imoFrom(951234)];

  const alertArb = fc.record({
    vessel: fc.nat({ max: IMOS.length - 1 }),
    port: fc.option(fc.constantFrom(...PORTS), { nil: null }),
    jurisdiction: fc.constantFrom(...COUNTRIES),
    category: fc.constantFrom(...CATEGORIES),
    severity: fc.constantFrom(...RISK_LEVELS),
    status: fc.constantFrom(...ALERT_STATUSES),
  });

  /** Absent, null, empty or a few values: every way a client or a stored webhook gives a field. */
  const listArb = <T>(values: readonly T[]) => fc.oneof(fc.constant(undefined), fc.constant(null), fc.subarray([...values]));
  const oneArb = <T>(values: readonly T[]) => fc.oneof(fc.constant(undefined), fc.constant(null), fc.constantFrom(...values));

  const filterArb: fc.Arbitrary<AlertFilter | null> = fc.option(
    fc.record({
      ports: listArb([...PORTS, 'FRLEH']),
      jurisdictions: listArb([...COUNTRIES, 'FR']),
      categories: listArb([...CATEGORIES, THREAT_CATEGORIES[4]]),
      minSeverity: oneArb(RISK_LEVELS),
      imo: oneArb([...IMOS, imoFrom(123456)]),
      status: listArb(ALERT_STATUSES),
    }),
    { nil: null },
  );

  const GIVEN = { mmsi: null, name: 'GIVEN NAME', flag: null, callSign: null, vesselType: null, formerNames: [] };

  it('selects exactly the alerts matchesFilter lets through, for random alerts and filters', async () => {
    const db = database.db;
    const vessels = await db.getRepository(Vessel).save(IMOS.map((imo, i) => ({ imo, name: `Vessel ${i}` })));
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(alertArb, { minLength: 20, maxLength: 60 }), filterArb, async (alerts, filter) => {
        await db.query('DELETE FROM vessel_alerts');
        await db.getRepository(VesselAlert).insert(
          alerts.map((a) => ({
            vesselId: vessels[a.vessel].id,
            vesselAsGiven: { ...GIVEN, imo: vessels[a.vessel].imo },
            category: a.category,
            severity: a.severity,
            port: a.port,
            jurisdiction: a.jurisdiction,
            status: a.status,
            title: 't',
            description: 'd',
            ownerAgency: 'nl-customs',
            tlp: 'GREEN' as const,
            recipients: [],
            issuedAt: new Date(),
            sequence: '0',
          })),
        );
        // The in-memory form sees the alert and its vessel as the stream reads them.
        const stored = await db.getRepository(VesselAlert).find();
        const vesselById = new Map((await db.getRepository(Vessel).find()).map((v) => [v.id, v]));
        const inMemory = stored
          .filter((alert) => matchesFilter(filter, { alert, vessel: vesselById.get(alert.vesselId)! }))
          .map((a) => a.id)
          .sort();
        const inSql = (await whereAlertMatches(db.getRepository(VesselAlert).createQueryBuilder('a'), filter, 'a').getMany())
          .map((a) => a.id)
          .sort();
        expect(inSql).toEqual(inMemory);
        if (inMemory.length > 0 && inMemory.length < stored.length) partial++;
      }),
      { numRuns: 150 },
    );
    // Not vacuous: many filters select some of the alerts and leave the others.
    expect(partial).toBeGreaterThan(30);
  }, 120_000);
});
