/**
 * VesselAlert.history: every status change from the alert stream's log. Whoever sees the alert
 * sees what it became and when; who made the change and why reach the owning agency only, even a
 * partner whose agreement releases the alert's sensitive fields (the engine's readAlertNotes).
 */
import { alertInput } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';

let hub: TestHub;
const owner = tokenFor('nl-customs');

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const PUBLISH = `mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id } }`;
const STATUS = `mutation($id: ID!, $status: AlertStatus!, $note: String) { updateAlertStatus(id: $id, status: $status, note: $note) { id } }`;
const HISTORY = `query($id: ID!) { alert(id: $id) { access { basis } history { status at actor note } } }`;

const forbiddenPaths = (res: { errors?: { path?: (string | number)[]; extensions?: { code?: string } }[] }) =>
  (res.errors ?? []).map((e) => `${e.extensions?.code} ${e.path?.join('.')}`).sort();

test('the owner reads every status change with its note and actor, oldest first', async () => {
  const { id } = (await hub.gql(owner, PUBLISH, { input: alertInput() })).data!.publishAlert;
  expect((await hub.gql(owner, STATUS, { id, status: 'ACKNOWLEDGED', note: 'boarding team informed' })).errors).toBeUndefined();
  expect((await hub.gql(owner, STATUS, { id, status: 'RESOLVED' })).errors).toBeUndefined();

  const res = await hub.gql(owner, HISTORY, { id });
  expect(res.errors).toBeUndefined();
  const history = res.data!.alert.history;
  expect(history.map((h: any) => [h.status, h.actor, h.note])).toEqual([
    ['ACTIVE', 'dev-nl-customs', null],
    ['ACKNOWLEDGED', 'dev-nl-customs', 'boarding team informed'],
    ['RESOLVED', 'dev-nl-customs', null],
  ]);
  const times = history.map((h: any) => Date.parse(h.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
});

test.each([
  ['by jurisdiction', 'nl-coastguard', ['viewer'], undefined, 'JURISDICTION'],
  ['by an agreement that releases its sensitive fields', 'be-customs', ['analyst'], 'CUSTOMS', 'AGREEMENT'],
])(
  'a partner that sees the alert %s reads the statuses and times, never the note or actor',
  async (_how, agency, roles, purpose, basis) => {
    const { id } = (await hub.gql(owner, PUBLISH, { input: alertInput() })).data!.publishAlert;
    expect((await hub.gql(owner, STATUS, { id, status: 'ACKNOWLEDGED', note: 'informant says Tuesday' })).errors).toBeUndefined();

    const res = await hub.gql(tokenFor(agency, roles, purpose ? { purpose } : {}), HISTORY, { id });
    expect(res.data!.alert.access.basis).toBe(basis);
    expect(res.data!.alert.history.map((h: any) => [h.status, typeof h.at, h.actor, h.note])).toEqual([
      ['ACTIVE', 'string', null, null],
      ['ACKNOWLEDGED', 'string', null, null],
    ]);
    expect(forbiddenPaths(res)).toEqual([
      'FORBIDDEN alert.history.0.actor',
      'FORBIDDEN alert.history.0.note',
      'FORBIDDEN alert.history.1.actor',
      'FORBIDDEN alert.history.1.note',
    ]);
    expect(JSON.stringify(res)).not.toContain('informant');
  },
);

test('an agency that does not see the alert reads none of its history', async () => {
  const { id } = (await hub.gql(owner, PUBLISH, { input: alertInput({ tlp: 'RED' }) })).data!.publishAlert;
  const res = await hub.gql(tokenFor('nl-coastguard'), HISTORY, { id });
  expect(res.data!.alert).toBeNull();
});
