/**
 * Custom GraphQL scalars of the public contract (schema/api-contract: IMONumber, MMSI,
 * CountryCode, UNLocode, DateTime).
 *
 * Validation lives in src/common/identifiers.ts; this file only adapts it to GraphQL:
 * - bad client input (variables or literals) -> GraphQLError with extensions.code BAD_USER_INPUT,
 *   so clients can tell "you sent a wrong value" from a server failure;
 * - bad output (serialize) is a server-side data problem, so it gets no BAD_USER_INPUT code.
 */
import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { IdentifierError, parseCountryCode, parseImo, parseMmsi, parseUnLocode, quoteInput } from '../common/identifiers';

function userInputError(message: string, node?: ValueNode): GraphQLError {
  // nodes gives the client a line/column for literals; variables get theirs from graphql-js.
  return new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } });
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return quoteInput(value);
  return `the ${typeof value} ${String(value)}`;
}

interface StringScalarConfig<T> {
  name: string;
  description: string;
  example: string;
  /** Validates and normalises the text; throws IdentifierError with a user-facing message. */
  parse: (text: string) => T;
  /** Turns the internal value back into the wire string; throws IdentifierError when invalid. */
  serialize: (value: unknown) => string;
}

/** Builds a scalar that travels as a JSON string and is validated the same way on every path. */
function stringScalar<T>(config: StringScalarConfig<T>): GraphQLScalarType<T, string> {
  const { name, example, parse } = config;

  const parseText = (text: string, node?: ValueNode): T => {
    try {
      return parse(text);
    } catch (err) {
      if (err instanceof IdentifierError) throw userInputError(err.message, node);
      throw err;
    }
  };

  return new GraphQLScalarType<T, string>({
    name,
    description: config.description,
    serialize(value) {
      try {
        return config.serialize(value);
      } catch (err) {
        if (err instanceof IdentifierError) throw new GraphQLError(`${name} cannot represent value: ${err.message}`);
        throw err;
      }
    },
    parseValue(value) {
      // Variables arrive as JSON: a number here would lose leading zeros (MMSI) or hide a typo.
      if (typeof value !== 'string') {
        throw userInputError(`${name} must be a string, such as "${example}", got ${describeValue(value)}`);
      }
      return parseText(value);
    },
    parseLiteral(node) {
      if (node.kind !== Kind.STRING) {
        const shown = print(node);
        const truncated = shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
        throw userInputError(`${name} must be a string in double quotes, such as "${example}", got ${truncated}`, node);
      }
      return parseText(node.value, node);
    },
  });
}

/** Output side of IMO/MMSI: also accepts whole numbers, as a database column might hold them. */
function digitsFrom(value: unknown, length: number): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value).padStart(length, '0') : value;
}

function requireText(value: unknown): string {
  if (typeof value !== 'string') throw new IdentifierError(`expected a string, got ${describeValue(value)}`);
  return value;
}

export const IMONumberScalar = stringScalar<string>({
  name: 'IMONumber',
  description:
    'IMO ship identification number: 7 digits with a valid check digit. Accepted as "9074729" or ' +
    '"IMO 9074729"; always served as the 7 digits, e.g. "9074729".',
  example: '9074729',
  parse: parseImo,
  serialize: (value) => parseImo(requireText(digitsFrom(value, 7))),
});

export const MMSIScalar = stringScalar<string>({
  name: 'MMSI',
  description:
    'Maritime Mobile Service Identity: exactly 9 digits, as a string (leading zeros matter). ' +
    'For ship stations the first 3 digits are the Maritime Identification Digits of the flag.',
  example: '244650000',
  parse: parseMmsi,
  serialize: (value) => parseMmsi(requireText(digitsFrom(value, 9))),
});

export const CountryCodeScalar = stringScalar<string>({
  name: 'CountryCode',
  description: 'ISO 3166-1 alpha-2 country code in upper case, e.g. "NL". Only officially assigned codes.',
  example: 'NL',
  parse: parseCountryCode,
  serialize: (value) => parseCountryCode(requireText(value)),
});

export const UNLocodeScalar = stringScalar<string>({
  name: 'UNLocode',
  description:
    'UN/LOCODE location code: ISO country code plus 3 characters from A-Z and 2-9, in upper case, ' + 'e.g. "NLRTM" (Rotterdam).',
  example: 'NLRTM',
  parse: parseUnLocode,
  serialize: (value) => parseUnLocode(requireText(value)),
});

// ---------------------------------------------------------------------------------------------
// DateTime

const DATE_TIME_EXAMPLE = '2024-05-03T10:15:00Z';
// date T time (seconds and fraction optional) zone; groups: y m d hh mm ss zone
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (handles leap years for us).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses an ISO 8601 date-time that carries a time zone ("Z" or an offset such as "+02:00").
 * A time without a zone is rejected: agencies sit in different zones and guessing is how
 * an alert ends up an hour off. Throws IdentifierError with a user-facing message.
 */
export function parseDateTime(input: string): Date {
  const text = requireText(input).trim();
  const match = DATE_TIME.exec(text);
  if (!match) {
    throw new IdentifierError(
      `DateTime must be an ISO 8601 date and time with a time zone, such as "${DATE_TIME_EXAMPLE}", got ${quoteInput(text)}`,
    );
  }
  const [, y, mo, d, h, mi, s = '00', zone] = match;
  if (!zone) {
    throw new IdentifierError(`DateTime ${quoteInput(text)} has no time zone: add "Z" for UTC or an offset such as "+02:00"`);
  }
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const utc = /^[Zz]$/.test(zone);
  const offsetOk = utc || (Number(zone.slice(1, 3)) <= 23 && Number(zone.slice(-2)) <= 59);
  // JS Date silently rolls "2024-02-30" over to March 1st, so check the calendar ourselves.
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
  // Hand Date the strict ISO form ("T", "Z", "+02:00") rather than relying on engine leniency.
  const zoneIso = utc ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${text.slice(0, 10)}T${text.slice(11, text.length - zone.length)}${zoneIso}`);
  if (!valid || Number.isNaN(date.getTime())) {
    throw new IdentifierError(`DateTime ${quoteInput(text)} is not a real date and time`);
  }
  return date;
}

export const DateTimeScalar = stringScalar<Date>({
  name: 'DateTime',
  description:
    `Date and time in ISO 8601 with a time zone, e.g. "${DATE_TIME_EXAMPLE}" or "2024-05-03T12:15:00+02:00". ` +
    'Served in UTC with milliseconds, e.g. "2024-05-03T10:15:00.000Z".',
  example: DATE_TIME_EXAMPLE,
  parse: parseDateTime,
  serialize: (value) => {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new IdentifierError('the date is invalid');
      return value.toISOString();
    }
    return parseDateTime(requireText(value)).toISOString();
  },
});

/** For type-graphql: buildSchema({ scalarsMap }) makes fields typed `Date` use DateTimeScalar. */
export const scalarsMap: { type: DateConstructor; scalar: GraphQLScalarType }[] = [{ type: Date, scalar: DateTimeScalar }];
