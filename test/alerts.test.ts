import { alertInput } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { positionOf } from './support/stream';

let hub: TestHub;
const nl = tokenFor('nl-customs');

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const PUBLISH = `mutation($input: PublishAlertInput!) { publishAlert(input: $input) {
  id sequence status tlp jurisdiction port location { lat lon } ownerAgency { code } vessel { imo } } }`;
const STATUS = `mutation($id: ID!, $status: AlertStatus!, $note: String) { updateAlertStatus(id: $id, status: $status, note: $note) { id status sequence } }`;

test('publishing takes the jurisdiction from the port and opens the alert stream', async () => {
  const res = await hub.gql(nl, PUBLISH, { input: alertInput({ location: { lat: 51.95, lon: 4.14 } }) });
  expect(res.errors).toBeUndefined();
  expect(res.data!.publishAlert).toMatchObject({
    status: 'ACTIVE',
    tlp: 'AMBER',
    jurisdiction: 'NL',
    port: 'NLRTM',
    location: { lat: 51.95, lon: 4.14 },
    ownerAgency: { code: 'nl-customs' },
    vessel: { imo: '9074729' },
  });
  const events = await hub.database.db.query('SELECT kind, status FROM alert_events WHERE sequence = $1', [
    String(await positionOf(hub, res.data!.publishAlert.sequence)),
  ]);
  expect(events).toEqual([{ kind: 'PUBLISHED', status: 'ACTIVE' }]);
});

test('sequences increase with every publish and status change, each logged with the change', async () => {
  const a = (await hub.gql(nl, PUBLISH, { input: alertInput() })).data!.publishAlert;
  const b = (await hub.gql(nl, PUBLISH, { input: alertInput() })).data!.publishAlert;
  expect(await positionOf(hub, b.sequence)).toBeGreaterThan(await positionOf(hub, a.sequence));
  const ack = await hub.gql(nl, STATUS, { id: a.id, status: 'ACKNOWLEDGED', note: 'seen by duty officer' });
  expect(ack.errors).toBeUndefined();
  expect(await positionOf(hub, ack.data!.updateAlertStatus.sequence)).toBeGreaterThan(await positionOf(hub, b.sequence));
  const log = await hub.database.db.query('SELECT kind, status, note FROM alert_events WHERE alert_id = $1 ORDER BY sequence', [
    a.id.split(':')[1],
  ]);
  expect(log).toEqual([
    { kind: 'PUBLISHED', status: 'ACTIVE', note: null },
    { kind: 'UPDATED', status: 'ACKNOWLEDGED', note: 'seen by duty officer' },
  ]);
});

test('a withdrawn alert cannot change again, and a no-op change is refused', async () => {
  const a = (await hub.gql(nl, PUBLISH, { input: alertInput() })).data!.publishAlert;
  const same = await hub.gql(nl, STATUS, { id: a.id, status: 'ACTIVE' });
  expect(same.errors?.[0]).toMatchObject({ message: 'the alert is already ACTIVE', extensions: { code: 'BAD_USER_INPUT' } });
  expect((await hub.gql(nl, STATUS, { id: a.id, status: 'WITHDRAWN' })).errors).toBeUndefined();
  const again = await hub.gql(nl, STATUS, { id: a.id, status: 'ACTIVE' });
  expect(again.errors?.[0].message).toMatch(/WITHDRAWN and can no longer change/);
});

test('publishing input is validated at the edge', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ port: null }, /jurisdiction is required when no port is given/],
    [{ location: { lat: 91, lon: 0 } }, /location.lat must be from -90 to 90/],
    [{ expiresAt: '2001-01-01T00:00:00Z' }, /expiresAt must be in the future/],
    [{ title: '' }, /title must not be empty/],
  ];
  for (const [over, message] of cases) {
    const res = await hub.gql(nl, PUBLISH, { input: alertInput(over) });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(message);
  }
});

test('operators never publish, and viewers need the analyst role', async () => {
  const operator = await hub.gql(tokenFor('nl-ect-terminal', ['analyst']), PUBLISH, { input: alertInput() });
  expect(operator.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  expect(operator.errors?.[0].message).toMatch(/private operators never publish/);
  const viewer = await hub.gql(tokenFor('nl-customs', ['viewer']), PUBLISH, { input: alertInput() });
  expect(viewer.errors?.[0].message).toMatch(/analyst role/);
});

test('the alerts list filters by port, severity, category, IMO and status', async () => {
  await hub.gql(nl, PUBLISH, { input: alertInput({ port: 'NLAMS', severity: 'CRITICAL', vessel: { imo: '9176187', name: 'X' } }) });
  const q = `query($f: AlertFilter) { alerts(filter: $f, first: 500) { totalCount edges { node { port severity vessel { imo } } } } }`;
  const ams = await hub.gql(nl, q, { f: { ports: ['NLAMS'] } });
  expect(ams.data!.alerts.totalCount).toBe(1);
  const critical = await hub.gql(nl, q, { f: { minSeverity: 'CRITICAL', imo: '9176187' } });
  expect(critical.data!.alerts.edges.map((e: any) => e.node.severity)).toEqual(['CRITICAL']);
  const withdrawn = await hub.gql(nl, q, { f: { status: ['WITHDRAWN'] } });
  expect(withdrawn.data!.alerts.totalCount).toBe(1);
});
