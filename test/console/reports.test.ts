/**
 * The report screens against a real hub in a real browser: a terminal guard on a phone reports
 * what they saw (a double tap and a resend after a dropped connection make exactly one report),
 * the analysts of the jurisdiction read the reporter's contact while an agreement partner sees it
 * withheld with the reason, and the operator follows its report's status without ever seeing the
 * analysts' notes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, PHONE, screenshot, seriousViolations, signIn } from '../support/browser';
import { startProxy, type Proxy } from '../support/proxy';

// Browser journeys on a machine shared with other work: a step that hangs fails on its own timeout first.
jest.setTimeout(60_000);

const OPERATOR = 'nl-ect-terminal';
const PARTNER = 'be-customs';
const AGREEMENT = 'nl-ect-terminal--be-customs-reports';

let hub: TestHub;
let browser: Browser;
let origin: string;
let policiesDir: string;

interface ReportRow {
  id: string;
  reference: string;
  description: string;
  observedAt: string;
  status: string;
  reporterContact: string | null;
  imo: string | null;
  securityLevel: number | null;
}

beforeAll(async () => {
  policiesDir = copyDemoPolicies();
  // The terminal shares its reports with Belgian Customs under an agreement that releases no
  // sensitive field: Belgian Customs sees the reports, never who made them.
  fs.writeFileSync(
    path.join(policiesDir, 'agreements', `${AGREEMENT}.yaml`),
    [
      `id: ${AGREEMENT}`,
      `provider: ${OPERATOR}`,
      `recipients: [${PARTNER}]`,
      'types: [SuspiciousActivityReport]',
      'jurisdictions: [NL]',
      'maxTlp: AMBER',
      'purpose: Gate incidents at the Rotterdam container terminal, for the Scheldt ports the same lines call at',
      'validFrom: 2026-01-01',
      '',
    ].join('\n'),
  );
  [hub, browser] = await Promise.all([
    startTestHub({ console: { devSignIn: true }, policiesDir, reportRateLimit: { max: 1000, windowSeconds: 600 } }),
    launchBrowser(),
  ]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  if (policiesDir) fs.rmSync(policiesDir, { recursive: true, force: true });
});

const analyst = () => tokenFor('nl-customs', ['analyst']);

/** Every report the jurisdiction's analysts see whose description is `description`. */
async function reportsDescribed(description: string): Promise<ReportRow[]> {
  const res = await hub.gql<{ reports: { edges: { node: ReportRow }[] } }>(
    analyst(),
    `{ reports(first: 500) { edges { node { id reference description observedAt status reporterContact imo securityLevel } } } }`,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.reports.edges.map((e) => e.node).filter((r) => r.description === description);
}

async function submitOverApi(description: string, contact: string): Promise<{ id: string; reference: string }> {
  const res = await hub.gql<{ submitSuspiciousActivityReport: { id: string; reference: string } }>(
    tokenFor(OPERATOR, ['viewer']),
    `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id reference } }`,
    {
      input: {
        port: 'NLRTM',
        category: 'SECURITY_BREACH',
        observedAt: new Date(Date.now() - 3_600_000).toISOString(),
        description,
        reporterContact: contact,
        vesselName: 'NORDIC STAR',
        securityLevel: 1,
      },
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.submitSuspiciousActivityReport;
}

/** Moves within the console as its links do (the session lives in the page's memory: a reload would end it). */
async function navigate(page: Page, to: string): Promise<void> {
  // Source text, run in the page: this file is compiled without the DOM's types.
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(to)}); dispatchEvent(new PopStateEvent('popstate'))`);
}

/** Nothing on the page is wider than the phone's screen (no sideways scrolling with a gloved thumb). */
async function fitsThePhone(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) === true;
}

/** Fills in the report form, with `description`. */
async function fillForm(page: Page, description: string): Promise<void> {
  await page.getByLabel('What kind of activity?').selectOption('SECURITY_BREACH');
  await page.getByLabel('What did you see?').fill(description);
  await page.getByLabel('IMO number').fill('IMO 9074729');
  await page.getByLabel('Vessel name').fill('NORDIC STAR');
  await page.getByLabel('Level 2').check();
  await page.getByLabel('What did you do about it?').fill('Closed gate 4, called the duty officer');
  await page.getByLabel('How can an analyst reach you?').fill('J. de Vries, +31 10 123 4567');
}

/** The idempotency keys of the report submissions the page sent, in order (failed sends included). */
function recordSubmissions(page: Page): string[] {
  const keys: string[] = [];
  page.on('request', (r: Request) => {
    const body = r.postData();
    if (r.url().endsWith('/graphql') && body?.includes('submitSuspiciousActivityReport'))
      keys.push(JSON.parse(body).variables.idempotencyKey);
  });
  return keys;
}

test('a guard on a phone taps submit twice and makes exactly one report, in the port’s time', async () => {
  const c = await openConsole(browser, origin, PHONE);
  c.page.setDefaultTimeout(15_000);
  const page = c.page;
  const keys = recordSubmissions(page);
  await signIn(page, origin, OPERATOR, ['viewer']);
  await page.getByRole('heading', { name: 'Report suspicious activity' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/report');

  // The terminal's only port is preselected; the time is Rotterdam's, while the phone runs on UTC.
  await page.getByText('Rotterdam (NLRTM)').waitFor();
  await page.getByText('Local time in Rotterdam (Europe/Amsterdam).').waitFor();
  // Big targets for gloved hands.
  for (const target of [
    page.getByRole('button', { name: 'Send report' }),
    page.locator('label.choice').first(),
    page.getByLabel('What kind of activity?'),
  ]) {
    expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(48);
  }

  const description = `Seal of container MSKU1234567 broken at gate 4 (${Date.now()})`;
  await fillForm(page, description);
  expect(await fitsThePhone(page)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'report-form-phone');

  // Two taps in the same instant, before the page could show that it is sending.
  const before = Date.now();
  await page.getByRole('button', { name: 'Send report' }).evaluate((b) => {
    const button = b as unknown as { click(): void };
    button.click();
    button.click();
  });
  const received = page.getByRole('heading', { name: /^Report SAR-nl-ect-terminal-\d{4}-\d{6} received$/ });
  await received.waitFor();
  const reference = (await received.textContent())!.replace(/^Report /, '').replace(/ received$/, '');

  const reports = await reportsDescribed(description);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ reference, imo: '9074729', securityLevel: 2, reporterContact: 'J. de Vries, +31 10 123 4567' });
  // Entered as Rotterdam's wall-clock time "now" (to the minute), stored as that instant.
  const observed = new Date(reports[0].observedAt).getTime();
  expect(observed).toBeLessThanOrEqual(before);
  expect(observed).toBeGreaterThan(before - 2 * 60_000);
  // However many taps, one key went out, at most as often as the button was pressed.
  expect(new Set(keys).size).toBe(1);

  expect(await fitsThePhone(page)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  // A new report is a new key.
  await page.getByRole('button', { name: 'Make another report' }).click();
  expect(await page.getByLabel('What did you see?').inputValue()).toBe('');
  const second = `Drone over the stack yard (${Date.now()})`;
  await page.getByLabel('What kind of activity?').selectOption('SURVEILLANCE');
  await page.getByLabel('What did you see?').fill(second);
  await page.getByRole('button', { name: 'Send report' }).click();
  await page.getByRole('heading', { name: /received$/ }).waitFor();
  expect(new Set(keys).size).toBe(2);
  expect(await reportsDescribed(second)).toHaveLength(1);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('an agency at several ports chooses among them on a desktop, its first port preselected', async () => {
  const c = await openConsole(browser, origin);
  c.page.setDefaultTimeout(15_000);
  await signIn(c.page, origin, 'be-coastguard', ['viewer']);
  await c.page.getByRole('link', { name: 'Report activity' }).click();
  const port = c.page.getByLabel('Port *');
  expect(await port.inputValue()).toBe('BEZEE');
  expect(await port.locator('option').allTextContents()).toEqual(['Zeebrugge (BEZEE)', 'Oostende (Ostend) (BEOST)', 'Antwerpen (BEANR)']);
  await port.selectOption('BEANR');
  await c.page.getByText('Local time in Antwerpen (Europe/Brussels).').waitFor();
  const description = `Small boat alongside a tanker at night (${Date.now()})`;
  await c.page.getByLabel('What kind of activity?').selectOption('SHIP_TO_SHIP_TRANSFER');
  await c.page.getByLabel('What did you see?').fill(description);
  expect(await seriousViolations(c.page)).toEqual([]);
  await c.page.getByRole('button', { name: 'Send report' }).click();
  await c.page.getByRole('heading', { name: /^Report SAR-be-coastguard-\d{4}-\d{6} received$/ }).waitFor();
  const res = await hub.gql<{ reports: { edges: { node: { port: string; description: string } }[] } }>(
    tokenFor('be-coastguard', ['viewer']),
    `{ reports(first: 500) { edges { node { port description } } } }`,
  );
  expect(res.data!.reports.edges.map((e) => e.node).filter((r) => r.description === description)).toEqual([{ port: 'BEANR', description }]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('the form says what to fix before sending, and shows the hub’s own refusal without losing anything', async () => {
  const c = await openConsole(browser, origin, PHONE);
  c.page.setDefaultTimeout(15_000);
  const page = c.page;
  await signIn(page, origin, OPERATOR, ['viewer']);
  await page.getByLabel('IMO number').fill('9074728');
  await page.getByRole('button', { name: 'Send report' }).click();
  await page.getByRole('alert').filter({ hasText: 'Please correct 3 field(s)' }).waitFor();
  await page.getByText('An IMO number is 7 digits whose last digit checks the others').waitFor();
  expect(await page.getByLabel('IMO number').getAttribute('aria-invalid')).toBe('true');
  expect(await seriousViolations(page)).toEqual([]);

  // The hub refuses a description made only of a control character; its message is shown as it is.
  await page.getByLabel('IMO number').fill('9074729');
  await page.getByLabel('What kind of activity?').selectOption('THEFT');
  await page.getByLabel('What did you see?').fill('Cable cut \u202e at the reefer rack');
  await page.getByRole('button', { name: 'Send report' }).click();
  await page.getByRole('alert').filter({ hasText: 'The hub did not accept the report: description contains' }).waitFor();
  expect(await page.getByLabel('What did you see?').inputValue()).toBe('Cable cut \u202e at the reefer rack');
  expect(await page.getByLabel('IMO number').inputValue()).toBe('9074729');
  expect(await seriousViolations(page)).toEqual([]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('a send that fails when the network drops keeps the form, and the retry makes one report with the same key', async () => {
  const hubPort = Number(new URL(hub.url).port);
  const proxy: Proxy = await startProxy(hubPort);
  try {
    const c = await openConsole(browser, proxy.origin, PHONE);
    const page = c.page;
    const keys = recordSubmissions(page);
    await signIn(page, proxy.origin, OPERATOR, ['viewer']);
    const description = `Person climbed the fence at the empty depot (${Date.now()})`;
    await fillForm(page, description);

    await proxy.cut();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not sent: the hub cannot be reached. Nothing you typed is lost.' }).waitFor();
    expect(await page.getByLabel('What did you see?').inputValue()).toBe(description);
    expect(await page.getByLabel('How can an analyst reach you?').inputValue()).toBe('J. de Vries, +31 10 123 4567');
    expect(await page.getByLabel('Level 2').isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await reportsDescribed(description)).toHaveLength(0);

    await proxy.restore();
    await page.getByRole('button', { name: 'Send again' }).click();
    await page.getByRole('heading', { name: /^Report SAR-.* received$/ }).waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await reportsDescribed(description)).toHaveLength(1);
    expect(c.offOrigin()).toEqual([]);
    expect(c.cspViolations()).toEqual([]);
    await c.context.close();
  } finally {
    await proxy.close();
  }
});

test('an answer lost after the hub stored the report: the resend gets the same report, not a second one', async () => {
  const c = await openConsole(browser, origin, PHONE);
  c.page.setDefaultTimeout(15_000);
  const page = c.page;
  const keys = recordSubmissions(page);
  await signIn(page, origin, OPERATOR, ['viewer']);
  const description = `Unknown van waiting at the quay gate (${Date.now()})`;
  await fillForm(page, description);

  // The first submission reaches the real hub, which stores the report; its answer never arrives.
  let stored = false;
  await page.route('**/graphql', async (route) => {
    if (stored || !route.request().postData()?.includes('submitSuspiciousActivityReport')) return route.fallback();
    await route.fetch();
    stored = true;
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: 'Send report' }).click();
  await page.getByRole('alert').filter({ hasText: 'Not sent' }).waitFor();
  const [first] = await reportsDescribed(description);
  expect(first).toBeDefined();

  await page.getByRole('button', { name: 'Send again' }).click();
  await page.getByRole('heading', { name: `Report ${first.reference} received` }).waitFor();
  expect(keys).toEqual([keys[0], keys[0]]);
  expect(await reportsDescribed(description)).toHaveLength(1);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('the jurisdiction’s analyst reads the reporter; an agreement partner sees it withheld, with the reason', async () => {
  const description = `Crew member photographing the ISPS gate (${Date.now()})`;
  const { id, reference } = await submitOverApi(description, 'M. Jansen, security desk, +31 10 765 4321');

  const a = await openConsole(browser, origin);
  a.page.setDefaultTimeout(15_000);
  await signIn(a.page, origin, 'nl-customs', ['analyst']);
  await a.page.getByRole('link', { name: 'Our reports' }).click();
  await a.page.getByRole('heading', { name: 'Suspicious-activity reports' }).waitFor();
  const row = a.page.locator(`tr[data-report="${reference}"]`);
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain('Security breach');
  await expect(row.textContent()).resolves.toContain('Jurisdiction');
  // The filter by status and port.
  await a.page.getByLabel('Status').selectOption('CLOSED');
  await a.page.getByRole('button', { name: 'Apply filter' }).click();
  await a.page.getByText('No reports.').waitFor();
  await a.page.getByLabel('Status').selectOption('SUBMITTED');
  await a.page.getByLabel('Port', { exact: true }).fill('NLRTM');
  await a.page.getByRole('button', { name: 'Apply filter' }).click();
  await row.waitFor();
  expect(await seriousViolations(a.page)).toEqual([]);
  await screenshot(a.page, 'reports-list');

  await row.getByRole('link', { name: reference }).click();
  await a.page.getByRole('heading', { name: `Report ${reference}` }).waitFor();
  await a.page.locator('[data-field="reporterContact"]').getByText('M. Jansen, security desk, +31 10 765 4321').waitFor();
  expect(await a.page.locator('[data-field="submittedBy"]').textContent()).not.toContain('withheld');
  expect(await a.page.locator('.withheld').count()).toBe(0);
  expect(await seriousViolations(a.page)).toEqual([]);
  await screenshot(a.page, 'report-detail');
  expect(a.offOrigin()).toEqual([]);
  expect(a.cspViolations()).toEqual([]);
  await a.context.close();

  const p = await openConsole(browser, origin);
  p.page.setDefaultTimeout(15_000);
  await signIn(p.page, origin, PARTNER, ['analyst']);
  await navigate(p.page, `/reports/${encodeURIComponent(id)}`);
  await p.page.getByRole('heading', { name: `Report ${reference}` }).waitFor();
  for (const field of ['reporterContact', 'submittedBy']) {
    const cell = p.page.locator(`[data-field="${field}"]`);
    expect(await cell.locator(`[data-withheld="${field}"]`).count()).toBe(1);
    expect(await cell.textContent()).toBe(`withheld not released to you as Agreement ${AGREEMENT}`);
  }
  expect(await p.page.textContent('main')).not.toContain('Jansen');
  await p.page.getByText(description).waitFor();
  expect(await seriousViolations(p.page)).toEqual([]);
  expect(p.offOrigin()).toEqual([]);
  expect(p.cspViolations()).toEqual([]);
  await p.context.close();
});

test('the operator follows its report’s status, and never sees the analyst’s note', async () => {
  const description = `Lashing gang reports a tampered reefer unit (${Date.now()})`;
  const note = `Checked with the shipping line, crew list matches ${Date.now()}`;
  const { id, reference } = await submitOverApi(description, 'Night shift lead, ext. 221');
  const triage = await hub.gql(
    analyst(),
    `mutation($id: ID!, $note: String) { triageReport(id: $id, status: UNDER_REVIEW, note: $note) { status } }`,
    {
      id,
      note,
    },
  );
  expect(triage.errors).toBeUndefined();

  const c = await openConsole(browser, origin, PHONE);
  c.page.setDefaultTimeout(15_000);
  await signIn(c.page, origin, OPERATOR, ['viewer']);
  await c.page.getByRole('link', { name: 'Our reports' }).click();
  await c.page.getByRole('heading', { name: 'Our reports' }).waitFor();
  const row = c.page.locator(`[data-report="${reference}"]:visible`);
  await row.getByText('Under review').waitFor();
  await expect(row.textContent()).resolves.toContain('Owner');
  expect(await fitsThePhone(c.page)).toBe(true);
  expect(await c.page.textContent('main')).not.toContain(note);
  expect(await seriousViolations(c.page)).toEqual([]);

  await row.getByRole('link', { name: reference }).click();
  await c.page.getByRole('heading', { name: `Report ${reference}` }).waitFor();
  await c.page.getByText('Submitted → Under review').waitFor();
  // The operator, as owner, reads its own reporter's contact.
  await c.page.locator('[data-field="reporterContact"]').getByText('Night shift lead, ext. 221').waitFor();
  expect(await c.page.textContent('main')).not.toContain(note);
  expect(await c.page.getByRole('columnheader', { name: 'Note' }).count()).toBe(0);
  expect(await fitsThePhone(c.page)).toBe(true);
  expect(await seriousViolations(c.page)).toEqual([]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();

  // The analyst who wrote it reads the note in the same history.
  const a = await openConsole(browser, origin);
  a.page.setDefaultTimeout(15_000);
  await signIn(a.page, origin, 'nl-customs', ['analyst']);
  await navigate(a.page, `/reports/${encodeURIComponent(id)}`);
  await a.page.getByRole('cell', { name: note }).waitFor();
  expect(await seriousViolations(a.page)).toEqual([]);
  expect(a.offOrigin()).toEqual([]);
  expect(a.cspViolations()).toEqual([]);
  await a.context.close();
});
