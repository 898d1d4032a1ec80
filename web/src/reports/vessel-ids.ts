/** Checks of the vessel identifiers a reporter types, before the hub is asked (it checks them again). */

/** The 7 digits of an IMO number ("IMO 9074729" or "9074729"), or undefined when it is not one. */
export function imoDigits(value: string): string | undefined {
  const digits = value
    .trim()
    .replace(/^imo\s*/i, '')
    .replace(/\s+/g, '');
  if (!/^\d{7}$/.test(digits)) return undefined;
  const sum = [...digits.slice(0, 6)].reduce((acc, d, i) => acc + Number(d) * (7 - i), 0);
  return sum % 10 === Number(digits[6]) ? digits : undefined;
}

/** The 9 digits of an MMSI, or undefined when it is not one. */
export function mmsiDigits(value: string): string | undefined {
  const digits = value.trim().replace(/\s+/g, '');
  return /^\d{9}$/.test(digits) ? digits : undefined;
}

/** A random UUID v4; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
