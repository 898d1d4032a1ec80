import { countryCodeOf } from '../src/import/country-names';
import { ofacRemarks } from '../src/import/formats';
import { validateRow } from '../src/import/row';
import { midAllocations, midCountries } from '../src/screening/mid';
import { identityWarnings } from '../src/screening/warnings';

describe('the ITU MID table', () => {
  test('every row has ISO codes; territories also accept their parent country', () => {
    expect(midCountries('244')).toEqual(['NL']);
    expect(midCountries('306').sort()).toEqual(['BQ', 'CW', 'NL', 'SX']);
    expect(midCountries('319')).toEqual(['KY', 'GB']);
    expect(midCountries('477')).toEqual(['HK']);
    expect(midCountries('204')).toEqual(['PT']);
    expect(midAllocations('306')).toHaveLength(3);
    expect(midAllocations('100')).toBeUndefined();
  });
});

describe('identity warnings', () => {
  const codes = (w: { code: string }[]) => w.map((x) => x.code);

  test('non-ship stations are named', () => {
    expect(identityWarnings({ mmsi: '970123456' })[0].message).toMatch(/distress beacon/);
    expect(identityWarnings({ mmsi: '992441234' })[0].message).toMatch(/aid to navigation/);
    expect(identityWarnings({ mmsi: '002442000' })[0].message).toMatch(/coast station/);
  });

  test('placeholders and unallocated MIDs', () => {
    expect(codes(identityWarnings({ mmsi: '244000000' }))).toEqual(['PLACEHOLDER_MMSI']);
    expect(codes(identityWarnings({ mmsi: '200123456' }))).toEqual(['MMSI_MID_UNALLOCATED']);
  });

  test('no flag given and none on record: no MID comparison', () => {
    expect(identityWarnings({ mmsi: '244123456' })).toEqual([]);
    expect(identityWarnings({ mmsi: '319123456', flag: 'GB' })).toEqual([]);
  });

  test('registry comparisons only when there is a record', () => {
    const registry = { imo: '9074729', mmsi: '244123456', name: 'OCEAN STAR', flag: 'NL' };
    expect(codes(identityWarnings({ imo: '9074729', name: 'X', nameOnRecord: 'other', registry }))).toEqual(['NAME_DIFFERS_FROM_REGISTRY']);
    expect(codes(identityWarnings({ imo: '9074729', name: 'OCEAN STAR', nameOnRecord: 'current', registry }))).toEqual([]);
    expect(codes(identityWarnings({ imo: '9074729', flag: 'DE', registry }))).toEqual(['FLAG_DIFFERS_FROM_REGISTRY']);
  });
});

describe('OFAC remarks', () => {
  test('IMO, MMSI and former names', () => {
    expect(ofacRemarks("Vessel Registration Identification IMO 7406784; f.k.a. 'ANA I'; f.k.a. 'SAND SWAN'.")).toEqual({
      imo: '7406784',
      mmsi: null,
      formerNames: ['ANA I', 'SAND SWAN'],
    });
    expect(ofacRemarks('Vessel Registration Identification IMO  8730455; MMSI 273123456.').imo).toBe('8730455');
    expect(ofacRemarks('Vessel Registration Identification 8606173.').imo).toBe('8606173');
    expect(ofacRemarks('Vessel Registration Identification 15411 (Malta).').imo).toBeNull();
    expect(ofacRemarks('Vessel Registration Identification RS 150443 (Russia).').imo).toBeNull();
    expect(ofacRemarks("MMSI 375311000; a.k.a. 'SEASTAR III'.")).toEqual({ imo: null, mmsi: '375311000', formerNames: ['SEASTAR III'] });
  });

  test('flag names as lists write them', () => {
    expect(countryCodeOf('St. Kitts & Nevis')).toBe('KN');
    expect(countryCodeOf('Saint Kitts and Nevis')).toBe('KN');
    expect(countryCodeOf("Democratic People's Republic of Korea")).toBe('KP');
    expect(countryCodeOf('Sao Tome and Principe')).toBe('ST');
    expect(countryCodeOf('Turkey')).toBe('TR');
    expect(countryCodeOf('None Identified')).toBeNull();
    expect(countryCodeOf('Atlantis')).toBeUndefined();
  });
});

describe('row validation', () => {
  const ctx = { listTlp: 'AMBER' as const, listJurisdiction: 'NL', agencies: new Map([['be-customs', {}]]) };
  const row = { imo: '9074729', name: 'OCEAN STAR', category: 'smuggling', riskLevel: 'high', reason: 'r' };

  test('defaults come from the list; enums are case-insensitive; validUntil as a date is the end of the day', () => {
    const r = validateRow(2, { ...row, validUntil: '2030-12-31', recipients: 'be-customs' }, ctx);
    expect(r).toEqual({
      entry: expect.objectContaining({
        ref: 'IMO:9074729',
        tlp: 'AMBER',
        jurisdiction: 'NL',
        category: 'SMUGGLING',
        riskLevel: 'HIGH',
        recipients: ['be-customs'],
        validUntil: new Date('2030-12-31T23:59:59.999Z'),
        validFrom: null,
      }),
    });
  });

  test('reasons are specific', () => {
    expect(validateRow(2, { ...row, reason: 'x\u0001' }, ctx)).toEqual({
      error: 'reason contains invisible control characters: remove it',
    });
    expect(validateRow(2, { ...row, recipients: 'nobody' }, ctx)).toEqual({ error: 'recipients: unknown agency code "nobody"' });
    expect(validateRow(2, { ...row, validFrom: '2030-01-02', validUntil: '2030-01-01' }, ctx)).toEqual({
      error: 'validUntil must not be before validFrom',
    });
    expect(validateRow(2, { ...row, validFrom: '2030-01-02T10:00' }, ctx)).toEqual({
      error: expect.stringMatching(/^validFrom: DateTime "2030-01-02T10:00" has no time zone/),
    });
  });
});
