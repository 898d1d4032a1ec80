/**
 * Report triage against a real hub in a real browser: the jurisdiction's analyst finds a terminal's
 * report in the queue beside its possible duplicate, moves it under review, is refused when the
 * alert text names the reporter (the form keeps everything and marks the field), escalates it, and
 * a duty officer of another agency sees the alert on the board; a second report is closed with
 * its note.
 */
import type { Browser } from 'playwright-core';
import { startTestHub, tokenFor, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn } from '../support/browser';

jest.setTimeout(90_000);

const OPERATOR = 'nl-ect-terminal';
const CONTACT = 'Jan de Vries, +31 10 123 4567';

let hub: TestHub;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  [hub, browser] = await Promise.all([
    startTestHub({ console: { devSignIn: true }, reportRateLimit: { max: 1000, windowSeconds: 600 } }),
    launchBrowser(),
  ]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

async function submit(description: string, minutesAgo: number): Promise<{ id: string; reference: string }> {
  const res = await hub.gql<{ submitSuspiciousActivityReport: { id: string; reference: string } }>(
    tokenFor(OPERATOR, ['viewer']),
    `mutation($input: SubmitReportInput!) { submitSuspiciousActivityReport(input: $input) { id reference } }`,
    {
      input: {
        port: 'NLRTM',
        category: 'SECURITY_BREACH',
        observedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
        description,
        reporterContact: CONTACT,
        imo: '9074729',
        vesselName: 'NORDIC STAR',
        securityLevel: 1,
      },
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.submitSuspiciousActivityReport;
}

async function statusOf(id: string): Promise<string> {
  const res = await hub.gql<{ report: { status: string } }>(tokenFor('nl-customs'), 'query($id: ID!) { report(id: $id) { status } }', {
    id,
  });
  return res.data!.report.status;
}

test('triage moves a report under review, refuses the reporter’s name in the alert, escalates it, and the duty officer’s board shows the alert', async () => {
  const first = await submit(`Two people climbed the fence at gate 4 (${Date.now()})`, 90);
  const second = await submit(`Fence at gate 4 cut, people seen near NORDIC STAR (${Date.now()})`, 30);

  const c = await openConsole(browser, origin);
  c.page.setDefaultTimeout(20_000);
  const page = c.page;
  await signIn(page, origin, 'nl-customs', ['analyst'], 'CUSTOMS');
  await page.getByRole('link', { name: 'Triage' }).click();
  await page.getByRole('heading', { name: 'Report triage' }).waitFor();
  await page.locator(`tr[data-report="${second.reference}"]`).waitFor();
  await page.locator(`tr[data-report="${first.reference}"]`).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'triage-queue');

  // Filtering by a status the new reports do not have leaves them out.
  await page.getByRole('checkbox', { name: 'Submitted' }).uncheck();
  await page.getByRole('button', { name: 'Show' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /^Showing 0 of 0 reports$/ })
    .waitFor();
  await page.getByRole('checkbox', { name: 'Submitted' }).check();
  await page.getByLabel('Port', { exact: true }).fill('NLRTM');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('link', { name: second.reference }).click();

  // The report beside its possible duplicate, field by field, the reporter's contact included.
  await page.getByRole('heading', { name: `Triage of report ${second.reference}` }).waitFor();
  const compare = page.getByRole('table', { name: 'Fields of this report and its possible duplicates' });
  await compare.getByRole('columnheader', { name: `${second.reference} (this report)` }).waitFor();
  await compare.getByRole('columnheader', { name: first.reference }).waitFor();
  expect(
    await compare
      .getByRole('row', { name: /Reporter’s contact/ })
      .getByText(CONTACT)
      .count(),
  ).toBe(2);

  await page.getByLabel('Under review').check();
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'The report is now Under review.' }).waitFor();
  expect(await statusOf(second.id)).toBe('UNDER_REVIEW');

  // The escalation form comes filled in with the report's vessel, port and category.
  const form = page.getByRole('form', { name: 'Escalate to an alert' });
  await form.waitFor();
  expect(await form.getByLabel('IMO number').inputValue()).toBe('9074729');
  expect(await form.getByLabel('Vessel name').inputValue()).toBe('NORDIC STAR');
  await form.getByText('Rotterdam (NLRTM)').waitFor();
  await form.getByText('Security breach').waitFor();

  const title = `Perimeter breach next to NORDIC STAR at Rotterdam (${Date.now()})`;
  const leaking = 'Jan de Vries at the gate saw two people cut the fence next to the vessel.';
  await form.getByLabel('Alert title').fill(title);
  await form.getByLabel('Alert description').fill(leaking);
  await form.getByLabel('Intelligence summary (optional)').fill('Second report of the same breach within an hour.');
  // Leaving the field asks the hub, which warns at the field before anything is sent.
  await form.getByText("The hub would refuse this: input.description contains the reporter's identity").waitFor();
  expect(await form.getByText('The hub would refuse this').count()).toBe(1);
  await form.getByLabel('Note for the report’s history (required)').fill('Two reports of one breach: escalating');
  await form.getByRole('button', { name: 'Publish the alert' }).click();

  // Refused: nothing published, the report still under review, everything typed kept, the field marked.
  const refusal = form.getByRole('alert').filter({ hasText: 'Not published.' });
  await refusal.getByText('Not published.').waitFor();
  expect(await refusal.textContent()).toContain("input.description contains the reporter's identity");
  expect(await form.getByLabel('Alert description').inputValue()).toBe(leaking);
  expect(await form.getByLabel('Alert title').inputValue()).toBe(title);
  expect(await form.getByLabel('Alert description').getAttribute('aria-invalid')).toBe('true');
  expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("aria-invalid")')).toBe('true');
  expect(await statusOf(second.id)).toBe('UNDER_REVIEW');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'triage-escalation-refused');

  await form.getByLabel('Alert description').fill('A guard saw two people cut the fence next to the vessel.');
  await form.getByLabel('Alert title').focus();
  await form.getByText('The hub would refuse this').waitFor({ state: 'detached' });
  await form.getByRole('button', { name: 'Publish the alert' }).click();
  await page.getByRole('status').filter({ hasText: 'Escalated to the alert' }).waitFor();
  await page.getByRole('link', { name: title }).waitFor();
  expect(await statusOf(second.id)).toBe('ESCALATED');
  // The history shows each step, with the analyst's notes.
  await page.getByRole('cell', { name: 'Under review → Escalated' }).waitFor();
  await page.getByRole('cell', { name: 'Two reports of one breach: escalating' }).waitFor();
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);

  // A duty officer of the Dutch coastguard sees the alert on the board, without the reporter.
  const duty = await openConsole(browser, origin);
  duty.page.setDefaultTimeout(20_000);
  await signIn(duty.page, origin, 'nl-coastguard', ['viewer'], 'MARITIME_SAFETY_SECURITY');
  await duty.page.getByRole('heading', { name: 'Alert board' }).waitFor();
  await duty.page.getByRole('link', { name: title, exact: true }).waitFor();
  expect(await duty.page.getByText('Vries').count()).toBe(0);
  expect(duty.offOrigin()).toEqual([]);
  await duty.context.close();

  // The first report is closed, with the note closing needs.
  await page.getByRole('link', { name: 'Triage queue' }).click();
  await page.getByRole('link', { name: first.reference }).click();
  await page.getByRole('heading', { name: `Triage of report ${first.reference}` }).waitFor();
  await page.getByLabel('Closed').check();
  await page.getByLabel('Note (required to close)').fill('Duplicate of the escalated report');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByText('This report is closed: triage is over.').waitFor();
  expect(await statusOf(first.id)).toBe('CLOSED');
  await c.context.close();
});
