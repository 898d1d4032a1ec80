/**
 * ISSUE 13, item 5: the reporter's identity never leaves the report. Escalation refuses an alert
 * title, description or intelligence summary that repeats a distinctive word of the reporter's
 * contact or submitting subject (any case, with or without accents, as a whole word), an e-mail
 * address or a phone number of the contact; ordinary alert text passes. Over HTTP against the
 * running hub, and as properties on generated contacts and texts (src/report/reporter-identity.ts).
 */
import fc from 'fast-check';
import { mintDevToken } from '../src/auth/dev-token';
import { STOP_WORDS, repeatsIdentity, reporterIdentity } from '../src/report/reporter-identity';
import { expectError } from './support/expect';
import { startTestHub, type TestHub } from './support/hub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ reportRateLimit: { max: 1000, windowSeconds: 600 } });
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

// ---------------------------------------------------------------------------------------------
// Reports and escalation over HTTP

const operator = (subject: string) => mintDevToken({ agency: 'nl-ect-terminal', roles: ['viewer'], subject });
const NL_ANALYST = () => mintDevToken({ agency: 'nl-customs', roles: ['analyst'], subject: 'analyst.bakker@douane.example' });

const SUBMIT = `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id } }`;
const TRIAGE = `mutation($id: ID!) { triageReport(id: $id, status: UNDER_REVIEW) { status } }`;
const ESCALATE = `mutation($id: ID!, $input: PublishAlertInput!) {
  escalateReport(id: $id, input: $input) { id title description intelligenceSummary } }`;

let counter = 0;

/** A report UNDER_REVIEW at Rotterdam, with this contact, submitted by this subject. */
async function reportUnderReview(reporterContact: string, subject: string): Promise<string> {
  const input = {
    port: 'NLRTM',
    category: 'UNAUTHORIZED_ACCESS',
    observedAt: new Date(Date.now() - 3600_000).toISOString(),
    description: `Two people climbed the fence at the reefer yard and left by boat (#${++counter})`,
    reporterContact,
  };
  const res = await hub.gql(operator(subject), SUBMIT, { input });
  expect(res.errors).toBeUndefined();
  const id = res.data!.submitSuspiciousActivityReport.id as string;
  expect((await hub.gql(NL_ANALYST(), TRIAGE, { id })).errors).toBeUndefined();
  return id;
}

const FIELDS = ['title', 'description', 'intelligenceSummary'] as const;
type Field = (typeof FIELDS)[number];

const alertInput = (field: Field, text: string) => ({
  vessel: { imo: '9074729', name: 'ESTRELLA DEL MAR' },
  category: 'UNAUTHORIZED_ACCESS',
  severity: 'HIGH',
  tlp: 'AMBER',
  title: 'Intruders reached the reefer yard from the water',
  description: 'Two people climbed the fence at night and left by boat.',
  [field]: text,
});

const escalate = (id: string, field: Field, text: string) => hub.gql(NL_ANALYST(), ESCALATE, { id, input: alertInput(field, text) });

/**
 * Refused as BAD_USER_INPUT naming the field, in a message that is the same whatever the text:
 * nothing of the identity can be in it.
 */
function expectRefused(res: Awaited<ReturnType<typeof escalate>>, field: Field) {
  const err = expectError(res, 'BAD_USER_INPUT');
  expect(err.message).toBe(
    `input.${field} contains the reporter's identity or contact details: remove them. The reporter's identity stays on ` +
      'the report, where only the analysts of its jurisdiction read it; an alert never carries it',
  );
  expect(err.extensions).toEqual({ code: 'BAD_USER_INPUT', field: `input.${field}`, requestId: expect.any(String) });
}

describe("escalation keeps the reporter's identity out of the alert", () => {
  const CONTACT = 'P. Jansen, security desk, +31 10 000 0000';
  const SUBJECT = 'p.jansen@delta-terminal.example';

  it('refuses the leak of the issue, "Reporter: P. Jansen saw ...", and its case and accent variants', async () => {
    const id = await reportUnderReview(CONTACT, SUBJECT);
    const cases: [Field, string][] = [
      ['description', 'Reporter: P. Jansen saw two people climb the fence at the reefer yard'],
      ['title', 'Tip from jansen'],
      ['intelligenceSummary', 'JANSEN confirms the boat left at 02:00'],
      ['description', 'Confirmed by Jänsen of the night shift'],
      ['title', 'Seen by J\u0301ANSE\u0308N (security desk)'],
      ['description', 'Call the desk on +31-10-000-0000 for details'],
      ['intelligenceSummary', 'Contact: P.Jansen@Delta-Terminal.example'],
      ['description', 'Reported through the Delta terminal'], // the submitting subject's domain names the employer
    ];
    for (const [field, text] of cases) expectRefused(await escalate(id, field, text), field);
    const got = await hub.gql(NL_ANALYST(), 'query($id: ID!) { report(id: $id) { status } }', { id });
    expect(got.data!.report.status).toBe('UNDER_REVIEW');
  });

  it('publishes ordinary alert text, including the common words of the contact', async () => {
    const id = await reportUnderReview(CONTACT, SUBJECT);
    const text = 'The security desk at gate 4 of the terminal saw two people; Jansenius Street cameras checked at 10:00';
    const res = await escalate(id, 'description', text);
    expect(res.errors).toBeUndefined();
    expect(res.data!.escalateReport.description).toBe(text);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: generated contacts and texts

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
/** Accented forms that NFD decomposes into the plain letter and a combining mark. */
const ACCENTED: Record<string, string[]> = {
  a: ['á', 'à', 'ä', 'â', 'å'],
  e: ['é', 'è', 'ë', 'ê'],
  i: ['í', 'ï', 'î'],
  o: ['ó', 'ö', 'ô', 'õ'],
  u: ['ú', 'ü', 'û'],
  c: ['ç'],
  n: ['ñ'],
};

/** A name word of 2 to 9 letters that is not a common contact word. */
const nameWord = fc
  .array(fc.constantFrom(...LETTERS), { minLength: 2, maxLength: 9 })
  .map((l) => l.join(''))
  .filter((w) => !STOP_WORDS.has(w));

/** The word written with random accents and random case: "jansen" as "JäNsÉn". */
const disguised = (word: string) =>
  fc
    .tuple(...[...word].map((ch) => fc.tuple(fc.constantFrom(ch, ...(ACCENTED[ch] ?? [])), fc.boolean())))
    .map((chars) => chars.map(([ch, upper]) => (upper ? ch.toUpperCase() : ch)).join(''));

const SEPARATORS = [' ', '-', '.', '/', ''];

/** A Dutch phone number as its digits ("31" and nine more), and a writer of it with separators. */
const phoneDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((d) => `31${d.join('')}`);
const writtenPhone = (digits: string) =>
  fc
    .array(fc.constantFrom(...SEPARATORS), { minLength: digits.length - 1, maxLength: digits.length - 1 })
    .map((seps) => `+${[...digits].map((d, i) => d + (seps[i] ?? '')).join('')}`);

interface Reporter {
  names: string[]; // given name, surname and the employer in the e-mail domain, as generated
  contact: string;
  subject: string;
  email: string;
  phone: string;
}

const reporterArb: fc.Arbitrary<Reporter> = fc
  .record({
    given: nameWord,
    surname: nameWord,
    employer: nameWord,
    particle: fc.constantFrom('', 'van ', 'de ', 'van der '),
    role: fc.constantFrom('security desk', 'night shift security', 'gate officer', 'terminal control room', 'duty manager'),
    phone: phoneDigits,
    withEmail: fc.boolean(),
  })
  .chain((r) =>
    fc.record({
      given: disguised(r.given),
      surname: disguised(r.surname),
      phone: writtenPhone(r.phone),
      r: fc.constant(r),
    }),
  )
  .map(({ given, surname, phone, r }) => {
    const email = `${r.given[0]}.${r.surname}@${r.employer}.example`;
    const contact = [`${given} ${r.particle}${surname}`, r.role, phone, r.withEmail ? email : null].filter(Boolean).join(', ');
    return { names: [r.given, r.surname, r.employer], contact, subject: email, email, phone: r.phone };
  });

/** A text that embeds one distinctive part of the reporter, disguised, among ordinary words. */
const leakArb = (rep: Reporter) =>
  fc
    .oneof(
      fc.constantFrom(...rep.names).chain(disguised),
      disguised(rep.email).map((e) => e.normalize('NFD').replace(/\p{M}/gu, '')), // an address has no accents
      writtenPhone(rep.phone),
    )
    .chain((part) =>
      fc.record({
        part: fc.constant(part),
        before: fc.constantFrom('Reporter: ', 'Seen by ', '(', '"', '', 'Tip - ', 'Contact '),
        after: fc.constantFrom(' saw the boat', ').', '"', ',', '!', '', ' at gate 4'),
      }),
    )
    .map(({ part, before, after }) => `${before}${part}${after}`);

/** Ordinary alert words, among them the common words of contacts. */
const VOCABULARY = (
  'two people climbed fence reefer yard boat left night security desk gate 4 the terminal of and van de crew vessel ' +
  'anchor check cameras filmed berth 12 officer at container seal broken drone seen over quay Rotterdam smuggling'
).split(' ');

/** A text of ordinary words none of which is a generated name of the reporter. */
const cleanArb = (rep: Reporter) =>
  fc
    .array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 12 })
    .map((ws) => ws.filter((w) => !rep.names.includes(w.toLowerCase())))
    .filter((ws) => ws.length > 0)
    .map((ws) => `${ws.join(' ')}.`);

describe('properties on generated contacts and texts', () => {
  it('a text embedding a distinctive part of the reporter, in any case and accents, is always refused', () => {
    fc.assert(
      fc.property(
        reporterArb.chain((rep) => fc.tuple(fc.constant(rep), leakArb(rep))),
        ([rep, text]) => repeatsIdentity(reporterIdentity(rep.contact, rep.subject), text),
      ),
      { numRuns: 500 },
    );
  });

  it('a text of words absent from the contact is always accepted', () => {
    fc.assert(
      fc.property(
        reporterArb.chain((rep) => fc.tuple(fc.constant(rep), cleanArb(rep))),
        ([rep, text]) => !repeatsIdentity(reporterIdentity(rep.contact, rep.subject), text),
      ),
      { numRuns: 500 },
    );
  });

  it('over HTTP: escalation refuses the generated leaks in any field and publishes the clean texts', async () => {
    await fc.assert(
      fc.asyncProperty(
        reporterArb.chain((rep) => fc.tuple(fc.constant(rep), leakArb(rep), cleanArb(rep), fc.constantFrom(...FIELDS))),
        async ([rep, leak, clean, field]) => {
          const id = await reportUnderReview(rep.contact, rep.subject);
          expectRefused(await escalate(id, field, leak), field);
          const res = await escalate(id, field, clean);
          expect(res.errors).toBeUndefined();
          expect(res.data!.escalateReport[field]).toBe(clean);
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);
});
