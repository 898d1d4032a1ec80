/** Valid identifiers for test vessels. */

/** The IMO number with these first six digits and its check digit. */
export function imoFrom(six: number | string): string {
  const d = String(six).padStart(6, '0');
  const sum = [7, 6, 5, 4, 3, 2].reduce((s, w, i) => s + w * Number(d[i]), 0);
  return `${d}${sum % 10}`;
}

/** The same number with a wrong check digit. */
export function badImo(six: number | string): string {
  const good = imoFrom(six);
  return `${good.slice(0, 6)}${(Number(good[6]) + 1) % 10}`;
}
