/**
 * The audit view against a real hub with the demo data: a Belgian customs officer reads Dutch
 * Customs' shadow-fleet entry (LADY LEILA) under the agreement nl-customs--be-customs-narcotics,
 * which releases its sensitive fields; Dutch Customs' auditor then sees who read it, under which
 * basis, agreement and purpose, narrows the trail by partner, person, operation and time, and sees
 * the chain's newest signed checkpoint with its signature checked in the browser.
 */
import type { Browser } from 'playwright-core';
import { mintDevToken } from '../../src/auth/dev-token';
import { startTestHub, tokenFor, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn } from '../support/browser';
import { pollUntil } from '../support/wait';

let hub: TestHub;
let browser: Browser;
let origin: string;

const READER = 'officer.janssens@douane.example';
const READ_ENTRY = '{ watchlistEntries(filter: { imo: "9683740" }) { edges { node { source access { basis } } } } }';

beforeAll(async () => {
  [hub, browser] = await Promise.all([
    startTestHub({ console: { devSignIn: true }, seedDemo: true, auditCheckpointMs: 200 }),
    launchBrowser(),
  ]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

test('an auditor of the data owner sees a partner’s read, filters the trail, and sees the chain’s signed head', async () => {
  const read = await hub.gql(mintDevToken({ agency: 'be-customs', roles: ['viewer'], purpose: 'CUSTOMS', subject: READER }), READ_ENTRY);
  expect(read.data?.watchlistEntries.edges[0].node).toMatchObject({ source: expect.any(String), access: { basis: 'AGREEMENT' } });
  // The read is on the trail, and a checkpoint covers it, before the auditor looks.
  const auditor = tokenFor('nl-customs', ['auditor']);
  const signed = await pollUntil(
    async () =>
      (await hub.gql(auditor, '{ auditTrail(first: 1, filter: { agency: "be-customs" }) { totalCount } auditCheckpoint { sequence } }'))
        .data,
    (d) => d?.auditTrail.totalCount === 1 && d.auditCheckpoint !== null,
  );
  expect(signed?.auditTrail.totalCount).toBe(1);

  const c = await openConsole(browser, origin);
  await signIn(c.page, origin, 'nl-customs', ['auditor']);
  await c.page.getByRole('link', { name: 'Audit' }).click();
  await c.page.getByRole('heading', { name: 'Audit trail' }).waitFor();
  await c.page.getByText('The newest checkpoint’s signature is valid for the hub’s key').waitFor();
  expect(await c.page.locator('dt:text-is("Events on the chain") + dd').textContent()).toMatch(/^\d+$/);

  await c.page.getByLabel('Agency that acted').selectOption('be-customs');
  await c.page.getByRole('button', { name: 'Apply filter' }).click();
  await c.page.getByRole('status').getByText('1 of 1 events').waitFor();
  const row = c.page.getByRole('row', { name: new RegExp(READER) });
  await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([
    expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
    `${READER}Belgian Customs and Excise (AAD&A) (be-customs)`,
    'readSensitiveFields',
    expect.stringContaining('WatchlistEntry'),
    'Agreement nl-customs--be-customs-narcotics',
    'Customs',
    expect.stringMatching(/\S/),
  ]);
  // The read volume for the window counts the partner's read.
  await c.page
    .getByRole('table', { name: 'Reads per agency in this window: partners reading your data, and your own people reading partners’ data' })
    .getByRole('row', { name: 'be-customs 1 1' })
    .waitFor();
  expect(await seriousViolations(c.page)).toEqual([]);
  await screenshot(c.page, 'audit');

  // Every criterion narrows: the same read by person and operation, and nothing for another person or a window before it.
  await c.page.getByLabel('Person (token subject)').fill(READER);
  await c.page.getByLabel('Operation').fill('readSensitiveFields');
  await c.page.getByRole('button', { name: 'Apply filter' }).click();
  await c.page.getByRole('status').getByText('1 of 1 events').waitFor();
  await c.page.getByLabel('Person (token subject)').fill('someone.else@douane.example');
  await c.page.getByRole('button', { name: 'Apply filter' }).click();
  await c.page.getByText('No event matches.').waitFor();
  await c.page.getByLabel('Person (token subject)').fill(READER);
  await c.page.getByLabel('Until (UTC)').fill('2026-01-01T00:00');
  await c.page.getByRole('button', { name: 'Apply filter' }).click();
  await c.page.getByRole('status').getByText('0 of 0 events').waitFor();

  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('the audit view is offered to auditors only', async () => {
  const c = await openConsole(browser, origin);
  await signIn(c.page, origin, 'nl-customs', ['analyst']);
  await c.page.getByRole('link', { name: 'Agreements' }).waitFor();
  expect(await c.page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
  await c.context.close();
});
