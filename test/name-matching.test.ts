/**
 * name-v2: the one normalisation (SQL, held to the any-ascii library), terms and keys, and the
 * scoring with its explanation. The screening through the hub is in test/screening.test.ts.
 */
import fc from 'fast-check';
import { matchNames } from '../src/screening/name-match';
import { createTestDatabase, type TestDatabase } from './support/db';

// An ES module only (jest.config.js compiles it to CommonJS for Jest); TypeScript cannot import it from CommonJS.
const { default: anyAscii } = jest.requireActual<{ default: (s: string) => string }>('any-ascii');

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

interface Form {
  norm: string;
  terms: string[];
  codes: string[];
  keys: string[];
}

/** How the database reads each name: vessel_name_norm, its terms, codes and keys. */
async function formsOf(names: string[]): Promise<Form[]> {
  return database.db.query(
    `SELECT f.norm, f.terms, c.codes, vessel_name_keys(f.terms, c.codes) AS keys
     FROM unnest($1::text[]) WITH ORDINALITY AS u(name, i)
     CROSS JOIN LATERAL (SELECT vessel_name_norm(u.name) AS norm, vessel_name_terms(vessel_name_norm(u.name)) AS terms) f
     CROSS JOIN LATERAL (SELECT vessel_name_codes(f.terms) AS codes) c
     ORDER BY u.i`,
    [names],
  );
}

const similarity = async (screened: string, listed: string) => {
  const [a, b] = await formsOf([screened, listed]);
  return matchNames(a, b);
};

describe('one normalisation across scripts', () => {
  test.each([
    ['Cyrillic', 'ВОЛГА СТАР', 'VOLGA STAR'],
    ['Greek', 'ΑΓΙΟΣ ΝΙΚΟΛΑΟΣ', 'AGIOS NIKOLAOS'],
    ['Arabic', 'نور', 'NWR'],
    ['Hebrew', 'שלום', 'SLVM'],
    ['CJK', '大连 1', 'DALIAN 1'],
    ['Korean', '한진 부산', 'HANJIN BUSAN'],
    ['Latin with accents and a type prefix', 'M/V Ærø-Ålesund', 'AERO ALESUND'],
    ['Japanese (kana, and a Han character read as Chinese)', 'さくら丸', 'SAKURAWAN'],
  ])('%s: %s reads as %s', async (_script, name, expected) => {
    const [form] = await formsOf([name]);
    expect(form.norm).toBe(expected);
  });

  test('the SQL transliteration is the any-ascii library, code point by code point', async () => {
    // Code points from the scripts crew lists and registries write names in, and any others.
    const ranges: [number, number][] = [
      [0x20, 0x7e],
      [0xc0, 0x24f],
      [0x370, 0x3ff],
      [0x400, 0x4ff],
      [0x590, 0x5ff],
      [0x600, 0x6ff],
      [0xe00, 0xe7f],
      [0x3040, 0x30ff],
      [0x4e00, 0x9fff],
      [0xac00, 0xd7a3],
      [0x80, 0x10ffff],
    ];
    const codePoint = fc.oneof(...ranges.map(([lo, hi]) => fc.integer({ min: lo, max: hi }))).filter((cp) => cp < 0xd800 || cp > 0xdfff);
    const name = fc.array(codePoint, { minLength: 1, maxLength: 12 }).map((cps) => String.fromCodePoint(...cps));
    const samples = fc.sample(name, { numRuns: 400, seed: 14 });
    const rows: { t: string }[] = await database.db.query(
      `SELECT portcullis_transliterate(s) AS t FROM unnest($1::text[]) WITH ORDINALITY AS u(s, i) ORDER BY u.i`,
      [samples],
    );
    expect(rows.map((r) => r.t)).toEqual(samples.map((s) => anyAscii(s)));
  });

  test('numbers lose leading zeros, Roman numerals after the first word read as numbers', async () => {
    const [a, b, c] = await formsOf(['Atlantic II', 'ATLANTIC 02', 'II VIKING']);
    expect(a.terms).toEqual(['ATLANTIC', '2']);
    expect(b.terms).toEqual(['ATLANTIC', '2']);
    expect(c.terms).toEqual(['II', 'VIKING']);
    expect(a.codes).toEqual(b.codes);
  });

  test('two words written together share a key with the words apart', async () => {
    const [apart, together] = await formsOf(['SEA STAR', 'SEASTAR']);
    expect(apart.keys).toEqual(expect.arrayContaining(together.keys));
  });
});

describe('name-v2 scoring', () => {
  test('numbers must agree: VICTORY 3 is not VICTORY 5, ATLANTIC II is ATLANTIC 2', async () => {
    expect(await similarity('VICTORY 3', 'VICTORY 5')).toBeNull();
    expect(await similarity('VICTORY 3', 'VICTORY')).toMatchObject({ unmatchedScreened: ['3'] });
    const roman = await similarity('ATLANTIC II', 'ATLANTIC 2');
    expect(roman).toMatchObject({ similarity: 1, numbersAgreed: ['2'] });
  });

  test('joined and split words match', async () => {
    const joined = await similarity('SEASTAR', 'SEA STAR');
    expect(joined).toMatchObject({ similarity: 1, matches: [{ screened: 'SEASTAR', listed: 'SEA STAR', how: 'JOINED' }] });
    const split = await similarity('SEA STAR', 'SEASTAR');
    expect(split).toMatchObject({ similarity: 1, matches: [{ screened: 'SEA STAR', listed: 'SEASTAR', how: 'JOINED' }] });
  });

  test('each term says how it matched: exactly, by sound, by edit distance', async () => {
    const m = await similarity('KRISTINA MARIJA EXPLORRER', 'CHRISTINA MARIA EXPLORER');
    expect(m!.matches).toEqual([
      { screened: 'KRISTINA', listed: 'CHRISTINA', how: 'PHONETIC' },
      { screened: 'EXPLORRER', listed: 'EXPLORER', how: 'PHONETIC' },
      { screened: 'MARIJA', listed: 'MARIA', how: 'EDIT_DISTANCE' },
    ]);
    expect(m!.similarity).toBeGreaterThan(0.8);
    expect(m!.similarity).toBeLessThan(1);
  });

  test('a shared common word alone is below the default threshold', async () => {
    const m = await similarity('OCEAN STAR', 'OCEAN GLORY');
    expect(m!.similarity).toBeLessThan(0.7);
    expect(m!.unmatchedScreened).toEqual(['STAR']);
    expect(m!.unmatchedListed).toEqual(['GLORY']);
  });
});
