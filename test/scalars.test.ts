import {
  graphql,
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  type ExecutionResult,
} from 'graphql';
import {
  CountryCodeScalar,
  DateTimeScalar,
  IMONumberScalar,
  MMSIScalar,
  parseDateTime,
  scalarsMap,
  UNLocodeScalar,
} from '../src/graphql/scalars';

interface EchoArgs {
  imo?: string;
  mmsi?: string;
  country?: string;
  port?: string;
  at?: Date;
}

// echo(...) hands its (already parsed) arguments back, so one query exercises input and output.
const Echo = new GraphQLObjectType<EchoArgs>({
  name: 'Echo',
  fields: {
    imo: { type: IMONumberScalar },
    mmsi: { type: MMSIScalar },
    country: { type: CountryCodeScalar },
    port: { type: UNLocodeScalar },
    at: { type: DateTimeScalar },
    atIsDate: { type: GraphQLBoolean, resolve: (args) => args.at instanceof Date },
    atEpochMs: { type: GraphQLFloat, resolve: (args) => args.at?.getTime() },
  },
});

// Resolvers returning raw values, to check what serialize does with data from storage.
const Stored = new GraphQLObjectType<Record<string, unknown>>({
  name: 'Stored',
  fields: {
    imo: { type: IMONumberScalar },
    mmsi: { type: MMSIScalar },
    at: { type: DateTimeScalar },
    country: { type: CountryCodeScalar },
  },
});

let stored: Record<string, unknown> = {};

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      echo: {
        type: Echo,
        args: {
          imo: { type: IMONumberScalar },
          mmsi: { type: MMSIScalar },
          country: { type: CountryCodeScalar },
          port: { type: UNLocodeScalar },
          at: { type: DateTimeScalar },
        },
        resolve: (_root, args: EchoArgs) => args,
      },
      stored: { type: Stored, resolve: () => stored },
      ping: { type: GraphQLString, resolve: () => 'pong' },
    },
  }),
});

const ALL_FIELDS = '{ imo mmsi country port at atIsDate atEpochMs }';

async function run(source: string, variableValues?: Record<string, unknown>): Promise<ExecutionResult> {
  return graphql({ schema, source, variableValues });
}

/** The single error of a failed request, checked to carry the BAD_USER_INPUT code. */
function userError(result: ExecutionResult): GraphQLError {
  expect(result.errors).toHaveLength(1);
  const error = result.errors![0];
  // graphql-js wraps variable errors; the code sits on the error itself or on its originalError.
  const code = error.extensions?.code ?? (error.originalError as GraphQLError | undefined)?.extensions?.code;
  expect(code).toBe('BAD_USER_INPUT');
  return error;
}

describe('valid input', () => {
  it('accepts literals and normalises them', async () => {
    const result = await run(
      `{ echo(imo: "IMO 9074729", mmsi: "244650000", country: "NL", port: "NLRTM", at: "2024-05-03T12:15:00+02:00") ${ALL_FIELDS} }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      echo: {
        imo: '9074729',
        mmsi: '244650000',
        country: 'NL',
        port: 'NLRTM',
        at: '2024-05-03T10:15:00.000Z',
        atIsDate: true,
        atEpochMs: Date.UTC(2024, 4, 3, 10, 15),
      },
    });
  });

  it('accepts variables and normalises them', async () => {
    const result = await run(
      `query ($imo: IMONumber, $mmsi: MMSI, $country: CountryCode, $port: UNLocode, $at: DateTime) {
         echo(imo: $imo, mmsi: $mmsi, country: $country, port: $port, at: $at) ${ALL_FIELDS}
       }`,
      { imo: 'imo9187629', mmsi: '636012345', country: 'LR', port: 'SGSIN', at: '2024-05-03T10:15:00.5Z' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.echo).toMatchObject({
      imo: '9187629',
      mmsi: '636012345',
      country: 'LR',
      port: 'SGSIN',
      at: '2024-05-03T10:15:00.500Z',
      atIsDate: true,
    });
  });

  it('leaves omitted and null arguments alone', async () => {
    const result = await run('query ($imo: IMONumber) { echo(imo: $imo, port: null) { imo port } }', { imo: null });
    expect(result.errors).toBeUndefined();
    expect(result.data?.echo).toEqual({ imo: null, port: null });
  });
});

describe('invalid literals', () => {
  it.each([
    ['imo: "9074728"', 'IMO number "9074728" has a wrong check digit: expected 9'],
    ['imo: "907472"', 'IMO number must be 7 digits, optionally prefixed "IMO", got "907472"'],
    ['mmsi: "24465000x"', 'MMSI must be exactly 9 digits, got "24465000x"'],
    ['country: "nl"', 'country code must be an ISO 3166-1 alpha-2 code in upper case, such as "NL", got "nl"'],
    ['country: "XX"', 'country code "XX" is not an assigned ISO 3166-1 alpha-2 code'],
    ['port: "NLRT0"', 'UN/LOCODE "NLRT0" has an invalid location part "RT0": use 3 letters A-Z or digits 2-9 (0 and 1 are not used)'],
    ['port: "XXRTM"', 'UN/LOCODE "XXRTM" starts with "XX", which is not an ISO 3166-1 country code'],
    ['at: "2024-05-03T10:15:00"', 'DateTime "2024-05-03T10:15:00" has no time zone: add "Z" for UTC or an offset such as "+02:00"'],
    ['at: "2024-02-30T10:15:00Z"', 'DateTime "2024-02-30T10:15:00Z" is not a real date and time'],
    ['at: "yesterday"', 'DateTime must be an ISO 8601 date and time with a time zone, such as "2024-05-03T10:15:00Z", got "yesterday"'],
  ])('echo(%s) is rejected with a clear message', async (arg, message) => {
    const error = userError(await run(`{ echo(${arg}) { imo } }`));
    expect(error.message).toBe(message);
    expect(error.locations).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it.each([
    ['imo: 9074729', 'IMONumber must be a string in double quotes, such as "9074729", got 9074729'],
    ['mmsi: 244650000', 'MMSI must be a string in double quotes, such as "244650000", got 244650000'],
    ['country: NL', 'CountryCode must be a string in double quotes, such as "NL", got NL'],
    ['port: ["NLRTM"]', 'UNLocode must be a string in double quotes, such as "NLRTM", got ["NLRTM"]'],
    ['at: 1714731300000', 'DateTime must be a string in double quotes, such as "2024-05-03T10:15:00Z", got 1714731300000'],
    ['at: true', 'DateTime must be a string in double quotes, such as "2024-05-03T10:15:00Z", got true'],
  ])('non-string literal echo(%s) is rejected', async (arg, message) => {
    expect(userError(await run(`{ echo(${arg}) { imo } }`)).message).toBe(message);
  });

  it('does not echo a huge literal back', async () => {
    const huge = '9'.repeat(100_000);
    const error = userError(await run(`{ echo(imo: ${huge}) { imo } }`));
    expect(error.message.length).toBeLessThan(150);
    expect(error.message).toContain('…');
  });
});

describe('invalid variables', () => {
  const query = `query ($imo: IMONumber, $mmsi: MMSI, $country: CountryCode, $port: UNLocode, $at: DateTime) {
    echo(imo: $imo, mmsi: $mmsi, country: $country, port: $port, at: $at) { imo }
  }`;

  it.each([
    [{ imo: '9074728' }, 'IMO number "9074728" has a wrong check digit: expected 9'],
    [{ imo: 9074729 }, 'IMONumber must be a string, such as "9074729", got the number 9074729'],
    [{ mmsi: '1234' }, 'MMSI must be exactly 9 digits, got "1234"'],
    [{ mmsi: 244650000 }, 'MMSI must be a string, such as "244650000", got the number 244650000'],
    [{ country: 'nl' }, 'country code must be an ISO 3166-1 alpha-2 code in upper case, such as "NL", got "nl"'],
    [{ country: 'XX' }, 'country code "XX" is not an assigned ISO 3166-1 alpha-2 code'],
    [{ port: 'NLRT0' }, 'has an invalid location part "RT0"'],
    [{ port: { code: 'NLRTM' } }, 'UNLocode must be a string, such as "NLRTM", got an object'],
    [{ at: '2024-05-03' }, 'DateTime must be an ISO 8601 date and time with a time zone'],
    [{ at: '2024-05-03T25:00:00Z' }, 'DateTime "2024-05-03T25:00:00Z" is not a real date and time'],
    [{ at: '2024-05-03T10:15:00' }, 'has no time zone'],
  ])('variables %j are rejected', async (variables, message) => {
    const error = userError(await run(query, variables));
    // graphql-js prefixes variable errors with 'Variable "$x" got invalid value ...; '.
    expect(error.message).toMatch(/^Variable "\$\w+" got invalid value/);
    expect(error.message).toContain(message);
    expect((error.originalError as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('serialize (output)', () => {
  it('normalises stored values and accepts Dates', async () => {
    stored = { imo: 'IMO 9074729', mmsi: 244650000, at: new Date(Date.UTC(2024, 4, 3, 10, 15)), country: 'NL' };
    const result = await run('{ stored { imo mmsi at country } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.stored).toEqual({
      imo: '9074729',
      mmsi: '244650000',
      at: '2024-05-03T10:15:00.000Z',
      country: 'NL',
    });
  });

  it('accepts ISO strings for DateTime', () => {
    expect(DateTimeScalar.serialize('2024-05-03T12:15:00+02:00')).toBe('2024-05-03T10:15:00.000Z');
    expect(DateTimeScalar.serialize(new Date('2024-05-03T10:15:00Z'))).toBe('2024-05-03T10:15:00.000Z');
  });

  it('reports bad stored values as server errors, not BAD_USER_INPUT', async () => {
    stored = { imo: '9074728', at: new Date('nope'), country: 'nl', mmsi: '244650000' };
    const result = await run('{ stored { imo mmsi at country } }');
    expect(result.data?.stored).toEqual({ imo: null, mmsi: '244650000', at: null, country: null });
    const messages = result.errors!.map((e) => e.message).sort();
    expect(messages).toEqual([
      'CountryCode cannot represent value: country code must be an ISO 3166-1 alpha-2 code in upper case, such as "NL", got "nl"',
      'DateTime cannot represent value: the date is invalid',
      'IMONumber cannot represent value: IMO number "9074728" has a wrong check digit: expected 9',
    ]);
    for (const error of result.errors!) expect(error.extensions.code).toBeUndefined();
  });
});

describe('scalar definitions', () => {
  it('have the contract names and descriptions', () => {
    const scalars = [IMONumberScalar, MMSIScalar, CountryCodeScalar, UNLocodeScalar, DateTimeScalar];
    expect(scalars.map((s) => s.name)).toEqual(['IMONumber', 'MMSI', 'CountryCode', 'UNLocode', 'DateTime']);
    for (const scalar of scalars) expect(scalar.description).toEqual(expect.any(String));
  });

  it('maps Date to DateTime for type-graphql', () => {
    expect(scalarsMap).toEqual([{ type: Date, scalar: DateTimeScalar }]);
  });

  it('parseLiteral works on its own and throws GraphQLError with the code', () => {
    expect(IMONumberScalar.parseLiteral({ kind: Kind.STRING, value: 'IMO 7406784' })).toBe('7406784');
    try {
      IMONumberScalar.parseLiteral({ kind: Kind.INT, value: '7406784' });
      throw new Error('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(GraphQLError);
      expect((err as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2024-05-03T10:15:00Z', '2024-05-03T10:15:00.000Z'],
    ['2024-05-03T10:15Z', '2024-05-03T10:15:00.000Z'],
    ['2024-05-03t10:15:00z', '2024-05-03T10:15:00.000Z'],
    ['2024-05-03 10:15:00Z', '2024-05-03T10:15:00.000Z'],
    ['2024-05-03T10:15:00.123456Z', '2024-05-03T10:15:00.123Z'],
    ['2024-05-03T12:15:00+0200', '2024-05-03T10:15:00.000Z'],
    ['2024-05-03T05:15:00-05:00', '2024-05-03T10:15:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('parses %s', (input, iso) => {
    expect(parseDateTime(input).toISOString()).toBe(iso);
  });

  it.each([
    '2023-02-29T00:00:00Z', // not a leap year
    '2024-13-01T00:00:00Z',
    '2024-05-03T24:00:00Z',
    '2024-05-03T10:60:00Z',
    '2024-05-03T10:15:60Z',
    '2024-05-03T10:15:00+24:00',
    '2024-05-03T10:15:00+02:60',
  ])('rejects impossible %s', (input) => {
    expect(() => parseDateTime(input)).toThrow('is not a real date and time');
  });

  it.each(['2024-05-03', '1714731300', '', '03/05/2024 10:15Z', '2024-05-03T10:15:00 Z'])('rejects malformed %j', (input) => {
    expect(() => parseDateTime(input)).toThrow('DateTime must be an ISO 8601 date and time with a time zone');
  });
});
