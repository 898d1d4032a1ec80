/**
 * The agreements screen against a real hub: Dutch Customs sees what it shares and with whom, what
 * it receives from German Customs, and the agreement that ends within 30 days is flagged; what
 * an agreement releases (types, sensitive fields, TLP cap, jurisdictions, purposes, validity) is
 * shown as the policy file says it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { copyDemoPolicies, startTestHub, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn } from '../support/browser';

let hub: TestHub;
let browser: Browser;
let origin: string;
let policiesDir: string;
/** The day the short agreement ends: ten days from now (UTC). */
const endingOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  policiesDir = copyDemoPolicies();
  fs.writeFileSync(
    path.join(policiesDir, 'agreements', 'nl-customs--fr-douane-trial.yaml'),
    [
      'id: nl-customs--fr-douane-trial',
      'provider: nl-customs',
      'recipients: [fr-douane]',
      'types: [VesselAlert]',
      'maxTlp: GREEN',
      'purposes: [CUSTOMS]',
      'purpose: A short trial of alert sharing with French customs',
      'validFrom: 2026-01-01',
      `validUntil: ${endingOn}`,
      '',
    ].join('\n'),
  );
  [hub, browser] = await Promise.all([startTestHub({ console: { devSignIn: true }, policiesDir }), launchBrowser()]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  if (policiesDir) fs.rmSync(policiesDir, { recursive: true, force: true });
});

test('an agency sees what it shares and receives, and an agreement ending within 30 days is flagged', async () => {
  const c = await openConsole(browser, origin);
  await signIn(c.page, origin, 'nl-customs', ['viewer']);
  await c.page.getByRole('link', { name: 'Agreements' }).click();
  await c.page.getByRole('heading', { name: 'Data-sharing agreements' }).waitFor();

  const shares = c.page.getByRole('region', { name: /What we share/ });
  const receives = c.page.getByRole('region', { name: /What we receive/ });
  await shares.getByRole('heading', { name: 'nl-customs--be-customs-narcotics' }).waitFor();
  expect(await shares.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
    'nl-customs--fr-douane-trial',
    'nl-customs--be-customs-narcotics',
    'nl-customs--de-customs-sanctions',
  ]);
  expect(await receives.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['de-customs--nl-customs-sanctions']);

  // The one ending soon says so, ending soonest first; the others are in force without a warning.
  const trial = c.page.getByRole('article', { name: 'nl-customs--fr-douane-trial' });
  await expect(trial.getByRole('note').textContent()).resolves.toBe(
    `Ends in 10 days, on ${endingOn}: renew it, or records stop flowing under it.`,
  );
  const narcotics = c.page.getByRole('article', { name: 'nl-customs--be-customs-narcotics' });
  expect(await narcotics.getByRole('note').count()).toBe(0);
  await narcotics.getByText('In force until 2027-12-31.').waitFor();

  // What it releases, as the policy file says.
  const row = async (card: typeof trial, term: string) => (await card.locator(`dt:text-is("${term}") + dd`).textContent())?.trim();
  expect(await row(narcotics, 'Shared with')).toBe(
    'Belgian Customs and Excise (AAD&A) (be-customs), Belgian Coast Guard (Kustwacht) (be-coastguard)',
  );
  expect(await row(narcotics, 'Record types')).toBe('WatchlistEntry, VesselAlert');
  expect(await row(narcotics, 'Sensitive fields released')).toBe('source, notes, intelligenceSummary');
  expect(await row(narcotics, 'Up to')).toBe('TLP:AMBER');
  expect(await row(narcotics, 'Jurisdictions')).toBe('NL');
  expect(await row(narcotics, 'For the purposes')).toBe('Customs, Law enforcement');
  expect(await row(narcotics, 'Valid')).toBe('from 2026-01-01 to 2027-12-31 (UTC)');
  const received = c.page.getByRole('article', { name: 'de-customs--nl-customs-sanctions' });
  expect(await row(received, 'Shared by')).toBe('German Customs (Generalzolldirektion) (de-customs)');
  expect(await row(received, 'Sensitive fields released')).toBe('None: core fields only');
  expect(await row(received, 'Up to')).toBe('TLP:AMBER+STRICT');

  expect(await seriousViolations(c.page)).toEqual([]);
  await screenshot(c.page, 'agreements');
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});
