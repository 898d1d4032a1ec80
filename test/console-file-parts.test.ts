/**
 * The console's cutting of an import file into parts (web/src/watchlists/file-parts.ts): whatever
 * the budget, the parts hold every record once, in order, whole (a quoted field across lines stays
 * in one part), each CSV part starts with the header, and a line of a part maps back to the same
 * line of the file.
 */
import fc from 'fast-check';
import { nextPart, splitFile } from '../web/src/watchlists/file-parts';

const field = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 ]{0,12}$/),
  fc.stringMatching(/^[A-Za-z ,\n]{0,12}$/).map((s) => `"${s}"`),
);
const record = fc.array(field, { minLength: 1, maxLength: 4 }).map((f) => f.join(','));

/** Every part of the file, sent from the first record on with `budget` bytes a part. */
function parts(text: string, format: 'CSV' | 'OFAC_SDN', budget: number) {
  const file = splitFile(text, format)!;
  const out = [];
  let from = 0;
  do {
    const part = nextPart(file, from, budget);
    out.push(part);
    from += part.records;
  } while (from < file.records.length);
  return { file, out };
}

test('CSV parts: the header on each, every record once and whole, lines mapping back to the file', () => {
  fc.assert(
    fc.property(fc.array(record, { maxLength: 30 }), fc.integer({ min: 1, max: 200 }), fc.boolean(), (records, budget, blank) => {
      const header = 'imo,name,reason';
      const text = `${[header, ...records.flatMap((r) => (blank ? [r, ''] : [r]))].join('\n')}\n`;
      const { file, out } = parts(text, 'CSV', budget);
      expect(out.every((p) => p.content.startsWith(`${header}\n`))).toBe(true);
      expect(out.map((p) => p.content.slice(header.length + 1)).join('')).toBe(text.slice(header.length + 1));
      const fileLines = text.split('\n');
      for (const p of out) {
        p.content.split('\n').forEach((line, i) => {
          if (i > 0 && i < p.content.split('\n').length - 1) expect(fileLines[i + 1 + p.lineOffset - 1]).toBe(line);
        });
      }
      expect(out.reduce((n, p) => n + p.records, 0)).toBe(file.records.length);
    }),
  );
});

test('a quoted field over several lines stays in one record, with the line it starts on', () => {
  const text = 'imo,name,reason\n9074729,A,"one\ntwo\nthree"\n9249128,B,plain\n';
  const file = splitFile(text, 'CSV')!;
  expect(file.records).toEqual(['9074729,A,"one\ntwo\nthree"\n', '9249128,B,plain\n']);
  expect(file.startLines).toEqual([2, 5]);
  const second = nextPart(file, 1, 1);
  // Line 2 of the part (after its header) is line 5 of the file.
  expect(2 + second.lineOffset).toBe(5);
});

test('a JSON array is not cut; JSON Lines and OFAC files are, without a header', () => {
  expect(splitFile('[{"imo":"9074729"}]', 'JSON')).toBeUndefined();
  const lines = splitFile('{"imo":"9074729"}\n{"imo":"9249128"}\n', 'JSON')!;
  expect(lines.header).toBe('');
  expect(nextPart(lines, 1, 1)).toEqual({ content: '{"imo":"9249128"}\n', lineOffset: 1, records: 1 });
  const ofac = splitFile('1,"A",vessel\n2,"B",vessel\n', 'OFAC_SDN')!;
  expect(ofac.records).toHaveLength(2);
});
