/**
 * Global object ids: `<Type>:<uuid>`. Clients treat them as opaque; the type prefix lets
 * `node(id)` route a lookup and stops an id of one type being used as another.
 */
import { badInput } from '../common/errors';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const toGlobalId = (type: string, key: string) => `${type}:${key}`;

export function parseGlobalId(id: string): { type: string; key: string } | undefined {
  const i = id.indexOf(':');
  if (i <= 0) return undefined;
  return { type: id.slice(0, i), key: id.slice(i + 1) };
}

/** The uuid behind a global id of `type`; a malformed id or one of another type is bad input. */
export function uuidOf(type: string, id: string, argName = 'id'): string {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.type !== type || !UUID.test(parsed.key)) {
    throw badInput(`${argName} must be a ${type} id such as "${type}:0b7e…", got "${id.slice(0, 60)}"`, argName);
  }
  return parsed.key;
}
