/**
 * escalationTextCheck against a real hub: the fields escalateReport would refuse for carrying the
 * reporter's identity, answered before anything is written, to the analysts who may escalate the
 * report only, and the same verdict escalateReport then gives.
 */
import { startTestHub, tokenFor, type TestHub } from './support/hub';

const CHECK = `query($id: ID!, $title: String, $description: String, $intelligenceSummary: String) {
  escalationTextCheck(id: $id, title: $title, description: $description, intelligenceSummary: $intelligenceSummary) { field message } }`;

let hub: TestHub;
let reportId: string;
const analyst = tokenFor('nl-customs', ['analyst']);

beforeAll(async () => {
  hub = await startTestHub();
  const res = await hub.gql(
    tokenFor('nl-ect-terminal', ['viewer']),
    `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id } }`,
    {
      input: {
        port: 'NLRTM',
        category: 'SECURITY_BREACH',
        observedAt: new Date(Date.now() - 600_000).toISOString(),
        description: 'Fence cut at gate 4',
        reporterContact: 'Piet Jansen, piet.jansen@ect.example.nl',
        imo: '9074729',
      },
    },
  );
  expect(res.errors).toBeUndefined();
  reportId = res.data!.submitSuspiciousActivityReport.id;
  const moved = await hub.gql(analyst, 'mutation($id: ID!) { triageReport(id: $id, status: UNDER_REVIEW) { status } }', { id: reportId });
  expect(moved.errors).toBeUndefined();
});

afterAll(() => hub?.stop());

test('names each field that carries the identity, and escalateReport refuses the first of them the same way', async () => {
  const texts = {
    id: reportId,
    title: 'Breach at gate 4',
    description: 'Mr Jänsen saw it',
    intelligenceSummary: 'Ask PIET.JANSEN@ect.example.nl',
  };
  const res = await hub.gql(analyst, CHECK, texts);
  expect(res.errors).toBeUndefined();
  const problems = res.data!.escalationTextCheck as { field: string; message: string }[];
  expect(problems.map((p) => p.field)).toEqual(['input.description', 'input.intelligenceSummary']);
  // The message names the field, never the identity.
  for (const p of problems) expect(p.message.toLowerCase()).not.toContain('jansen');

  const escalate = await hub.gql(
    analyst,
    `mutation($id: ID!, $input: PublishAlertInput!) { escalateReport(id: $id, input: $input, note: "n") { id } }`,
    {
      id: reportId,
      input: {
        vessel: { imo: '9074729', name: 'NORDIC STAR' },
        category: 'SECURITY_BREACH',
        severity: 'HIGH',
        tlp: 'AMBER',
        title: texts.title,
        description: texts.description,
        intelligenceSummary: texts.intelligenceSummary,
      },
    },
  );
  expect(escalate.errors?.[0]).toMatchObject({
    message: problems[0].message,
    extensions: { code: 'BAD_USER_INPUT', field: 'input.description' },
  });
  // Clean text: nothing to warn about.
  const clean = await hub.gql(analyst, CHECK, { id: reportId, title: 'Breach at gate 4', description: 'A guard saw it' });
  expect(clean.data!.escalationTextCheck).toEqual([]);
});

test('only the analysts who may escalate the report get an answer, and texts are bounded', async () => {
  const viewer = await hub.gql(tokenFor('nl-customs', ['viewer']), CHECK, { id: reportId, title: 'x' });
  expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const operator = await hub.gql(tokenFor('nl-ect-terminal', ['analyst']), CHECK, { id: reportId, title: 'Piet' });
  expect(['FORBIDDEN', 'NOT_FOUND']).toContain(operator.errors?.[0].extensions?.code);
  const foreign = await hub.gql(tokenFor('be-customs', ['analyst']), CHECK, { id: reportId, title: 'Piet' });
  expect(['FORBIDDEN', 'NOT_FOUND']).toContain(foreign.errors?.[0].extensions?.code);
  const long = await hub.gql(analyst, CHECK, { id: reportId, title: 'x'.repeat(201) });
  expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
});
