/**
 * The README's console walkthrough, step by step, on the demo data that `npm start` loads: if a
 * step the README describes stops working, this fails.
 */
import type { Browser } from 'playwright-core';
import { startTestHub, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, seriousViolations, signIn } from '../support/browser';

let hub: TestHub;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  [hub, browser] = await Promise.all([startTestHub({ console: { devSignIn: true }, seedDemo: true }), launchBrowser()]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

test('1. the duty officer of the Dutch coastguard watches the alert board', async () => {
  const c = await openConsole(browser, origin);
  await signIn(c.page, origin, 'nl-coastguard', ['viewer'], 'MARITIME_SAFETY_SECURITY');
  await c.page.getByRole('heading', { name: 'Alert board' }).waitFor();
  await c.page.getByRole('link', { name: 'STS transfer suspected before arrival' }).waitFor();
  await c.page.getByRole('link', { name: 'AIS switched off in the Scheldt approach' }).waitFor();
  // The French RED alert names Belgian customs only: the list is complete and it is not in it.
  expect(await c.page.getByText('Cargo origin falsified').count()).toBe(0);
  await c.page.getByRole('link', { name: 'STS transfer suspected before arrival' }).click();
  await c.page.getByRole('heading', { name: 'STS transfer suspected before arrival' }).waitFor();
  await c.page.locator('[data-withheld="intelligenceSummary"]').waitFor();
  expect(await seriousViolations(c.page)).toEqual([]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('2. a German customs analyst screens a tanker and opens the Dutch entry shared by agreement', async () => {
  const c = await openConsole(browser, origin);
  await signIn(c.page, origin, 'de-customs', ['analyst'], 'CUSTOMS');
  await c.page.getByRole('link', { name: 'Screening' }).click();
  const form = c.page.locator('form', { has: c.page.getByRole('heading', { name: 'One vessel' }) });
  await form.getByLabel('IMO number', { exact: true }).fill('9249128');
  await form.getByRole('button', { name: 'Screen vessel' }).click();
  await c.page.getByText('Agreement nl-customs--de-customs-sanctions').first().waitFor();
  await c.page.getByRole('link', { name: /^Open entry on SAKHALIN ISLAND/ }).click();
  await c.page.getByRole('heading', { name: /SAKHALIN ISLAND/ }).waitFor();
  const source = c.page.locator('[data-withheld="source"]');
  await source.waitFor();
  expect(await source.textContent()).toContain('not released to you as Agreement nl-customs--de-customs-sanctions');
  expect(await seriousViolations(c.page)).toEqual([]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('3. the terminal’s guard finds the form ready for Rotterdam and the status of the terminal’s report', async () => {
  const c = await openConsole(browser, origin);
  await signIn(c.page, origin, 'nl-ect-terminal', ['viewer']);
  await c.page.getByRole('heading', { name: 'Report suspicious activity' }).waitFor();
  await c.page.getByText('Rotterdam (NLRTM)').first().waitFor();
  await c.page.getByRole('link', { name: 'Our reports' }).click();
  await c.page.getByRole('heading', { name: 'Our reports' }).waitFor();
  await c.page.getByText('Surveillance').first().waitFor();
  await c.page.getByText('Submitted').first().waitFor();
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('4. the Dutch customs analyst reads who reported it', async () => {
  const c = await openConsole(browser, origin);
  await signIn(c.page, origin, 'nl-customs', ['analyst'], 'CUSTOMS');
  await c.page.getByRole('link', { name: 'Our reports' }).click();
  await c.page
    .getByRole('link', { name: /^SAR-nl-ect-terminal-/ })
    .first()
    .click();
  await c.page.locator('[data-field="reporterContact"]').getByText('Security desk, +31 10 000 0000').waitFor();
  expect(await seriousViolations(c.page)).toEqual([]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});
