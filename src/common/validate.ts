/** Input checks at the edge, each failing with BAD_USER_INPUT and a message naming the field. */
import { badInput } from './errors';

/** Control characters other than line breaks and tabs (C0, DEL, C1) have no place in intelligence text. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and
 * the invisible direction marks (U+200E, U+200F, U+061C). They make text display in another order
 * than it is stored ("Trojan Source", CVE-2021-42574), so an alert could read one way to its
 * analyst and another to a partner or a filter. Right-to-left letters need none of them.
 */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** What is wrong with the characters of `value` for a message ("contains ..."), or null: the one rule for free text. */
export function unsafeCharacters(value: string): string | null {
  if (CONTROL.test(value)) return 'invisible control characters';
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) {
    const code = bidi[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `an invisible bidirectional control character (U+${code}), which makes text display in another order than it is stored`;
  }
  return null;
}

export function text(value: string, field: string, max: number): string;
export function text(value: string | null | undefined, field: string, max: number): string | null;
export function text(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badInput(`${field} must not be empty`, field);
  if (trimmed.length > max) throw badInput(`${field} must be at most ${max} characters, got ${trimmed.length}`, field);
  const unsafe = unsafeCharacters(trimmed);
  if (unsafe) throw badInput(`${field} contains ${unsafe}: remove it`, field);
  return trimmed;
}

/** Codes of current members (`known`), each once; a departed agency is named as such. */
export function agencyCodes(
  codes: string[] | null | undefined,
  field: string,
  known: ReadonlyMap<string, unknown>,
  departed: ReadonlyMap<string, { departedOn: string }>,
): string[] {
  if (!codes) return [];
  if (codes.length > 100) throw badInput(`${field} may name at most 100 agencies`, field);
  const gone = codes.filter((c) => departed.has(c));
  if (gone.length > 0) {
    const which = gone.map((c) => `"${c}" left the membership on ${departed.get(c)!.departedOn}`).join(', ');
    throw badInput(`${field}: ${which}; name current members only`, field);
  }
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw badInput(`${field}: unknown agency code ${unknown.map((c) => `"${c.slice(0, 40)}"`).join(', ')}`, field);
  }
  return [...new Set(codes)];
}

export function validityWindow(from: Date, until: Date | null | undefined): void {
  if (until && until.getTime() < from.getTime()) {
    throw badInput('validUntil must not be before validFrom', 'validUntil');
  }
}

export function coordinates(p: { lat: number; lon: number } | null | undefined): void {
  if (!p) return;
  if (!(p.lat >= -90 && p.lat <= 90)) throw badInput(`location.lat must be from -90 to 90, got ${p.lat}`, 'location.lat');
  if (!(p.lon >= -180 && p.lon <= 180)) throw badInput(`location.lon must be from -180 to 180, got ${p.lon}`, 'location.lon');
}
