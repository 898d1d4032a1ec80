/** What the hub's logger keeps of an error: a database error's words, never the values it quotes. */
import { Writable } from 'node:stream';
import { createLogger } from '../src/common/logger';

function capture() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

test("a PostgreSQL error's quoted values are left out of its message and stack", () => {
  const { log, lines } = capture();
  const uuid = Object.assign(new Error('invalid input syntax for type uuid: "Jan de Vries, +31 6 1234 5678"'), { code: '22P02' });
  const unique = Object.assign(
    new Error('duplicate key value violates unique constraint "x_key" Key (contact)=(jan@example.org) already exists.'),
    {
      code: '23505',
    },
  );
  log.error({ err: uuid }, 'unexpected error');
  log.error({ err: unique }, 'unexpected error');
  const text = JSON.stringify(lines);
  expect(text).not.toContain('Jan de Vries');
  expect(text).not.toContain('jan@example.org');
  expect(lines[0].err).toMatchObject({ code: '22P02', message: 'invalid input syntax for type uuid: "…"' });
  expect(lines[1].err.message).toBe('duplicate key value violates unique constraint "…" Key (contact)=(…) already exists.');
});

test('other errors keep their message', () => {
  const { log, lines } = capture();
  log.error({ err: new Error('the webhook receiver answered 500') }, 'delivery failed');
  expect(lines[0].err.message).toBe('the webhook receiver answered 500');
});
