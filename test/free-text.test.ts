/**
 * Issue 10, item 8: bidirectional controls are refused in free text ("Trojan Source"): text that
 * displays in another order than it is stored. One rule (src/common/validate.ts) for every field.
 */
import { addWatchlistEntry, alertInput, createWatchlist, entryInput, PUBLISH_ALERT } from './support/builders';
import { expectError } from './support/expect';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { imoFrom } from './support/vessels';

let hub: TestHub;
const NL = tokenFor('nl-customs');
let watchlistId: string;
let entryId: string;

beforeAll(async () => {
  hub = await startTestHub();
  watchlistId = await createWatchlist(hub, NL, { name: 'Free text' });
  entryId = await addWatchlistEntry(hub, NL, entryInput(watchlistId, { imo: imoFrom(744101), name: 'PLAIN TEXT' }));
}, 60_000);
afterAll(() => hub.stop());

const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
const hex = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

describe.each(BIDI.map((c) => ({ c, code: hex(c) })))('U+$code', ({ c, code }) => {
  const message = new RegExp(`contains an invisible bidirectional control character \\(U\\+${code}\\)`);
  const cases: [string, () => Promise<unknown>, string][] = [
    ['alert title', () => hub.gql(NL, PUBLISH_ALERT, { input: alertInput({ title: `Tanker ${c}lanif` }) }), 'title'],
    ['alert description', () => hub.gql(NL, PUBLISH_ALERT, { input: alertInput({ description: `See ${c}port B` }) }), 'description'],
    [
      'entry reason',
      () =>
        hub.gql(NL, `mutation($input: AddWatchlistEntryInput!) { addWatchlistEntry(input: $input) { id } }`, {
          input: entryInput(watchlistId, { imo: imoFrom(744102), name: 'SECOND' }, { reason: `Cargo ${c}declared` }),
        }),
      'reason',
    ],
    [
      'entry notes',
      () =>
        hub.gql(NL, `mutation($id: ID!, $input: UpdateWatchlistEntryInput!) { updateWatchlistEntry(id: $id, input: $input) { id } }`, {
          id: entryId,
          input: { notes: `ok ${c}not` },
        }),
      'notes',
    ],
    [
      'watchlist description',
      () =>
        hub.gql(NL, `mutation($input: CreateWatchlistInput!) { createWatchlist(input: $input) { id } }`, {
          input: { name: 'x', tlp: 'AMBER', jurisdiction: 'NL', description: `a${c}b` },
        }),
      'description',
    ],
  ];
  test.each(cases)('%s is refused, naming the field', async (_what, send, field) => {
    const res = (await send()) as Parameters<typeof expectError>[0];
    const err = expectError(res, 'BAD_USER_INPUT', message);
    expect(err.message.startsWith(field)).toBe(true);
    expect(err.extensions!.field).toBe(field);
  });
});

test('right-to-left letters themselves are accepted', async () => {
  const res = await hub.gql(NL, PUBLISH_ALERT, { input: alertInput({ title: 'ناقلة مشبوهة', description: 'ספינה חשודה' }) });
  expect(res.errors).toBeUndefined();
});
