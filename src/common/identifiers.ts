/**
 * Validators and normalisers for maritime identifiers (IMO, MMSI, ISO country, UN/LOCODE).
 *
 * Pure functions with no GraphQL dependency, so importers, scripts and the GraphQL scalars
 * share one definition of "valid". Rules: /work/shared/data/README.md (IMO and ITU definitions).
 *
 * Error messages are read by analysts, not only developers: they say what was expected and
 * quote what was given, truncated so a caller can never make us echo a huge payload.
 */
import { ISO_COUNTRY_CODES } from './countries';

/** A value that is not a valid identifier. `message` is safe and meant to be shown to users. */
export class IdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentifierError';
  }
}

const MAX_QUOTED = 40;

/** Quote user input for a message: at most 40 characters, control characters escaped. */
export function quoteInput(input: unknown): string {
  const text = typeof input === 'string' ? input : String(input);
  // Array.from splits by code point, so truncation never cuts an emoji or other pair in half.
  const chars = Array.from(text);
  const shown = chars.length > MAX_QUOTED ? chars.slice(0, MAX_QUOTED).join('') + '…' : text;
  return JSON.stringify(shown);
}

/** Callers typed as string may still hand us anything at runtime (JSON, CSV importers). */
function requireString(input: unknown, what: string, example: string): string {
  if (typeof input !== 'string') {
    throw new IdentifierError(`${what} must be given as text, such as "${example}", got ${describe(input)}`);
  }
  return input.trim();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return `a value of type ${typeof value}`;
}

/** Runs a parser as a predicate; only IdentifierError means "invalid", anything else is a bug. */
function accepts(parse: (s: string) => unknown, s: unknown): boolean {
  try {
    parse(s as string);
    return true;
  } catch (err) {
    if (err instanceof IdentifierError) return false;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// IMO ship number

const IMO_SHAPE = /^(?:IMO\s?)?(\d{7})$/i;
const IMO_WEIGHTS = [7, 6, 5, 4, 3, 2];

function imoCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < IMO_WEIGHTS.length; i++) sum += IMO_WEIGHTS[i] * Number(digits[i]);
  return sum % 10;
}

/**
 * Parses an IMO ship number: "9074729" or "IMO 9074729" (any case, optional space).
 * Returns the 7 digits, the canonical form the API serves and stores.
 */
export function parseImo(input: string): string {
  const text = requireString(input, 'IMO number', '9074729');
  const match = IMO_SHAPE.exec(text);
  if (!match) {
    throw new IdentifierError(`IMO number must be 7 digits, optionally prefixed "IMO", got ${quoteInput(text)}`);
  }
  const digits = match[1];
  const expected = imoCheckDigit(digits);
  if (Number(digits[6]) !== expected) {
    // The check digit catches typos and swapped digits; a wrong one almost always means a mistyped number.
    throw new IdentifierError(`IMO number "${digits}" has a wrong check digit: expected ${expected}`);
  }
  return digits;
}

/** True when parseImo would accept the value (so "IMO 9074729" counts as valid). */
export function isValidImo(s: unknown): boolean {
  return accepts(parseImo, s);
}

// ---------------------------------------------------------------------------------------------
// MMSI (Maritime Mobile Service Identity)

const MMSI_SHAPE = /^\d{9}$/;

/** Parses an MMSI: exactly 9 digits. There is no check digit, so any 9 digits pass. */
export function parseMmsi(input: string): string {
  const text = requireString(input, 'MMSI', '244650000');
  if (!MMSI_SHAPE.test(text)) {
    throw new IdentifierError(`MMSI must be exactly 9 digits, got ${quoteInput(text)}`);
  }
  return text;
}

export function isValidMmsi(s: unknown): boolean {
  return accepts(parseMmsi, s);
}

/**
 * The Maritime Identification Digits (flag country) of a ship station MMSI, or undefined when
 * the MMSI is invalid or not a ship station (coast stations, SAR aircraft, beacons, AtoN, ...).
 * Ship stations are the ones starting with 2-7; their first three digits are the MID.
 */
export function mmsiMid(mmsi: string): string | undefined {
  if (!isValidMmsi(mmsi)) return undefined;
  const text = mmsi.trim();
  return /^[2-7]/.test(text) ? text.slice(0, 3) : undefined;
}

const ASCENDING = '0123456789';
const DESCENDING = '9876543210';

/**
 * True for MMSIs that are typical factory defaults or made-up values rather than assigned ones.
 * Used for screening warnings only (never to reject input): a transponder broadcasting such a
 * number is either misconfigured or hiding its identity.
 */
export function isPlaceholderMmsi(mmsi: string): boolean {
  if (!isValidMmsi(mmsi)) return false;
  const text = mmsi.trim();
  if (/^(\d)\1{8}$/.test(text)) return true; // 000000000, 111111111, ..., 999999999
  if (ASCENDING.includes(text) || DESCENDING.includes(text)) return true; // 123456789, 987654321, 012345678, ...
  // A ship MID followed by six zeros (e.g. 412000000) is the default many AIS units ship with.
  if (/^[2-7]\d{2}0{6}$/.test(text)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// ISO 3166-1 alpha-2 country code

const COUNTRY_HINTS: Record<string, string> = {
  UK: 'GB', // reserved for the United Kingdom but not assigned; GB is the code to use
};

/** Parses an ISO 3166-1 alpha-2 code. Upper case is required so stored values compare exactly. */
export function parseCountryCode(input: string): string {
  const text = requireString(input, 'country code', 'NL');
  if (!/^[A-Z]{2}$/.test(text)) {
    throw new IdentifierError(`country code must be an ISO 3166-1 alpha-2 code in upper case, such as "NL", got ${quoteInput(text)}`);
  }
  if (!ISO_COUNTRY_CODES.has(text)) {
    const hint = COUNTRY_HINTS[text] ? ` (use "${COUNTRY_HINTS[text]}")` : '';
    throw new IdentifierError(`country code "${text}" is not an assigned ISO 3166-1 alpha-2 code${hint}`);
  }
  return text;
}

export function isCountryCode(s: unknown): boolean {
  return accepts(parseCountryCode, s);
}

// ---------------------------------------------------------------------------------------------
// UN/LOCODE

/**
 * Parses a UN/LOCODE: ISO country code + 3 characters from [A-Z2-9], e.g. "NLRTM".
 * Digits 0 and 1 are never used in the location part (too easily confused with O and I).
 */
export function parseUnLocode(input: string): string {
  const text = requireString(input, 'UN/LOCODE', 'NLRTM');
  const example = 'such as "NLRTM"';
  if (text.length !== 5) {
    throw new IdentifierError(`UN/LOCODE must be 5 characters (country code + 3 letters or digits), ${example}, got ${quoteInput(text)}`);
  }
  if (text !== text.toUpperCase()) {
    throw new IdentifierError(`UN/LOCODE must be in upper case, ${example}, got ${quoteInput(text)}`);
  }
  const country = text.slice(0, 2);
  if (!ISO_COUNTRY_CODES.has(country)) {
    throw new IdentifierError(`UN/LOCODE ${quoteInput(text)} starts with ${quoteInput(country)}, which is not an ISO 3166-1 country code`);
  }
  const location = text.slice(2);
  if (!/^[A-Z2-9]{3}$/.test(location)) {
    throw new IdentifierError(
      `UN/LOCODE ${quoteInput(text)} has an invalid location part ${quoteInput(location)}: ` +
        'use 3 letters A-Z or digits 2-9 (0 and 1 are not used)',
    );
  }
  return text;
}

export function isUnLocode(s: unknown): boolean {
  return accepts(parseUnLocode, s);
}

/** The country of a UN/LOCODE ("NLRTM" -> "NL"). Throws IdentifierError if the code is invalid. */
export function unLocodeCountry(code: string): string {
  return parseUnLocode(code).slice(0, 2);
}
