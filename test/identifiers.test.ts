import fs from 'node:fs';
import path from 'node:path';
import { ISO_COUNTRY_CODES } from '../src/common/countries';
import {
  IdentifierError,
  isCountryCode,
  isPlaceholderMmsi,
  isUnLocode,
  isValidImo,
  isValidMmsi,
  mmsiMid,
  parseCountryCode,
  parseImo,
  parseMmsi,
  parseUnLocode,
  unLocodeCountry,
} from '../src/common/identifiers';

/** Runs fn and returns the IdentifierError it throws (fails the test otherwise). */
function errorOf(fn: () => unknown): IdentifierError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IdentifierError);
    return err as IdentifierError;
  }
  throw new Error('expected an IdentifierError, nothing was thrown');
}

describe('IMO numbers', () => {
  it.each(['9074729', '9176187', '9187629', '9187655', '7406784'])('accepts known-good %s', (imo) => {
    expect(parseImo(imo)).toBe(imo);
    expect(isValidImo(imo)).toBe(true);
  });

  it.each(['IMO 9074729', 'IMO9074729', 'imo 9074729', 'Imo9074729', '  IMO 9074729 ', '9074729\n'])(
    'accepts prefix/whitespace variant %j and returns the 7 digits',
    (input) => {
      expect(parseImo(input)).toBe('9074729');
      expect(isValidImo(input)).toBe(true);
    },
  );

  it('rejects a wrong check digit and says which one was expected', () => {
    expect(errorOf(() => parseImo('9074728')).message).toBe('IMO number "9074728" has a wrong check digit: expected 9');
    expect(errorOf(() => parseImo('IMO 9176188')).message).toBe('IMO number "9176188" has a wrong check digit: expected 7');
    expect(isValidImo('9074728')).toBe(false);
  });

  it.each(['907472', '90747290', '12ab', '', 'IMO', 'IMO  9074729', 'IMO-9074729', '9O74729', 'MMSI 9074729'])(
    'rejects malformed %j',
    (input) => {
      const err = errorOf(() => parseImo(input));
      expect(err.message).toMatch(/^IMO number must be 7 digits, optionally prefixed "IMO", got "/);
      expect(isValidImo(input)).toBe(false);
    },
  );

  it('quotes the input in the message', () => {
    expect(errorOf(() => parseImo('12ab')).message).toBe('IMO number must be 7 digits, optionally prefixed "IMO", got "12ab"');
    expect(errorOf(() => parseImo('907472')).message).toContain('got "907472"');
  });

  it('never echoes more than 40 characters of the input', () => {
    const huge = 'A'.repeat(10_000);
    const message = errorOf(() => parseImo(huge)).message;
    expect(message).toContain(`"${'A'.repeat(40)}…"`);
    expect(message.length).toBeLessThan(120);
  });

  it('escapes control characters instead of printing them', () => {
    expect(errorOf(() => parseImo('12\u0007ab')).message).toContain('"12\\u0007ab"');
  });

  it('rejects non-strings at runtime with a clear message', () => {
    expect(errorOf(() => parseImo(9074729 as unknown as string)).message).toBe(
      'IMO number must be given as text, such as "9074729", got the number 9074729',
    );
    expect(isValidImo(undefined)).toBe(false);
    expect(isValidImo(null)).toBe(false);
  });

  it('IdentifierError is a real Error subclass', () => {
    const err = errorOf(() => parseImo('x'));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('IdentifierError');
  });
});

describe('MMSI', () => {
  it('accepts exactly 9 digits, trimmed', () => {
    expect(parseMmsi('244650000')).toBe('244650000');
    expect(parseMmsi(' 002442000 ')).toBe('002442000');
    expect(isValidMmsi('244650000')).toBe(true);
  });

  it.each(['24465000', '2446500001', '24465000a', '', 'MMSI 244650000', '244 650 000'])('rejects %j', (input) => {
    expect(errorOf(() => parseMmsi(input)).message).toMatch(/^MMSI must be exactly 9 digits, got "/);
    expect(isValidMmsi(input)).toBe(false);
  });

  it('names the bad input', () => {
    expect(errorOf(() => parseMmsi('12345')).message).toBe('MMSI must be exactly 9 digits, got "12345"');
  });

  it('returns the MID of ship stations only', () => {
    expect(mmsiMid('244650000')).toBe('244'); // Netherlands
    expect(mmsiMid('636012345')).toBe('636'); // Liberia
    expect(mmsiMid('273123456')).toBe('273'); // Russia
    expect(mmsiMid('775000001')).toBe('775');
    expect(mmsiMid('002442000')).toBeUndefined(); // coast station
    expect(mmsiMid('024400000')).toBeUndefined(); // group call
    expect(mmsiMid('111244000')).toBeUndefined(); // SAR aircraft
    expect(mmsiMid('970123456')).toBeUndefined(); // AIS-SART
    expect(mmsiMid('992446000')).toBeUndefined(); // aid to navigation
    expect(mmsiMid('812345678')).toBeUndefined(); // handheld VHF
    expect(mmsiMid('12345')).toBeUndefined(); // not an MMSI at all
  });

  it.each(['000000000', '111111111', '999999999', '555555555', '123456789', '987654321', '012345678', '412000000'])(
    'flags placeholder %s',
    (mmsi) => expect(isPlaceholderMmsi(mmsi)).toBe(true),
  );

  it.each(['244650000', '636012345', '412000001', '002442000', 'abc', '12345'])('does not flag %s', (mmsi) =>
    expect(isPlaceholderMmsi(mmsi)).toBe(false),
  );
});

describe('country codes', () => {
  it('holds exactly the 249 officially assigned codes', () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249);
    for (const code of ['NL', 'GB', 'US', 'PA', 'LR', 'MH', 'SS', 'CW', 'SX', 'BQ', 'AX', 'AQ', 'UM']) {
      expect(ISO_COUNTRY_CODES.has(code)).toBe(true);
    }
    for (const code of ['XK', 'UK', 'EU', 'AN', 'XX', 'ZZ']) expect(ISO_COUNTRY_CODES.has(code)).toBe(false);
  });

  it('accepts upper-case assigned codes', () => {
    expect(parseCountryCode('NL')).toBe('NL');
    expect(parseCountryCode(' PA ')).toBe('PA');
    expect(isCountryCode('LR')).toBe(true);
  });

  it('rejects lower and mixed case with the upper-case message', () => {
    expect(errorOf(() => parseCountryCode('nl')).message).toBe(
      'country code must be an ISO 3166-1 alpha-2 code in upper case, such as "NL", got "nl"',
    );
    expect(isCountryCode('Nl')).toBe(false);
  });

  it.each(['NLD', 'N', '', '12', 'Netherlands'])('rejects malformed %j', (input) => {
    expect(errorOf(() => parseCountryCode(input)).message).toMatch(/^country code must be an ISO 3166-1 alpha-2 code/);
  });

  it('rejects well-formed but unassigned codes', () => {
    expect(errorOf(() => parseCountryCode('XX')).message).toBe('country code "XX" is not an assigned ISO 3166-1 alpha-2 code');
    expect(errorOf(() => parseCountryCode('UK')).message).toBe('country code "UK" is not an assigned ISO 3166-1 alpha-2 code (use "GB")');
    expect(isCountryCode('XK')).toBe(false);
  });
});

describe('UN/LOCODE', () => {
  it('accepts valid codes', () => {
    for (const code of ['NLRTM', 'BEANR', 'DEHAM', 'SGSIN', 'USLAX', 'GBLON', 'AEJEA', 'CNSH2', 'US2HC']) {
      expect(parseUnLocode(code)).toBe(code);
      expect(isUnLocode(code)).toBe(true);
    }
    expect(parseUnLocode(' NLRTM ')).toBe('NLRTM');
  });

  it('rejects 0 and 1 in the location part', () => {
    expect(errorOf(() => parseUnLocode('NLRT0')).message).toBe(
      'UN/LOCODE "NLRT0" has an invalid location part "RT0": use 3 letters A-Z or digits 2-9 (0 and 1 are not used)',
    );
    expect(isUnLocode('NLR1M')).toBe(false);
    expect(isUnLocode('NLR-M')).toBe(false);
  });

  it('rejects an unknown country', () => {
    expect(errorOf(() => parseUnLocode('XXRTM')).message).toBe(
      'UN/LOCODE "XXRTM" starts with "XX", which is not an ISO 3166-1 country code',
    );
    expect(isUnLocode('UKLON')).toBe(false);
  });

  it('rejects wrong length and lower case', () => {
    expect(errorOf(() => parseUnLocode('NLRT')).message).toBe(
      'UN/LOCODE must be 5 characters (country code + 3 letters or digits), such as "NLRTM", got "NLRT"',
    );
    expect(errorOf(() => parseUnLocode('NL RTM')).message).toContain('must be 5 characters');
    expect(errorOf(() => parseUnLocode('nlrtm')).message).toBe('UN/LOCODE must be in upper case, such as "NLRTM", got "nlrtm"');
  });

  it('gives the country of a code', () => {
    expect(unLocodeCountry('NLRTM')).toBe('NL');
    expect(unLocodeCountry('SGSIN')).toBe('SG');
    expect(() => unLocodeCountry('XXRTM')).toThrow(IdentifierError);
  });

  it('accepts the shared sea-ports keys except withdrawn Netherlands Antilles (AN) codes', () => {
    // Real-world cross-check; the shared data is optional for this test.
    let ports: Record<string, unknown>;
    try {
      ports = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../shared/data/sea-ports.json'), 'utf8'));
    } catch {
      return;
    }
    const rejected = Object.keys(ports).filter((code) => !isUnLocode(code));
    // AN was withdrawn from ISO 3166-1 in 2010 (now CW, SX, BQ); the data set still has 7 such ports.
    expect(rejected.length).toBeLessThan(10);
    expect(rejected.every((code) => code.startsWith('AN'))).toBe(true);
  });
});
