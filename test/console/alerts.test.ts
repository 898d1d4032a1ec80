/**
 * The duty officer's screens in a real browser against a real hub: the live alert board (what
 * another agency publishes appears within two seconds, what the officer may not see never does,
 * a network drop loses and doubles nothing, a withdrawn alert leaves with a note) and the alert
 * detail (map, status history, lifecycle actions for the owner only, withheld fields labelled).
 */
import type { Browser, Page } from 'playwright-core';
import { alertInput, PUBLISH_ALERT } from '../support/builders';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn, type ConsolePage } from '../support/browser';
import { startTestHub, tokenFor, type TestHub } from '../support/hub';
import { startProxy } from '../support/proxy';

let hub: TestHub;
let browser: Browser;
let origin: string;

const NL_CUSTOMS = tokenFor('nl-customs');
const BE_CUSTOMS = tokenFor('be-customs');
let titles = 0;
/** A title no other alert of this file has. */
const uniqueTitle = (what: string) => `${what} ${++titles} ${Date.now().toString(36)}`;

beforeAll(async () => {
  [hub, browser] = await Promise.all([startTestHub({ console: { devSignIn: true } }), launchBrowser()]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

async function publish(token: string, over: Record<string, unknown>): Promise<string> {
  const res = await hub.gql(token, PUBLISH_ALERT, { input: alertInput(over) });
  if (!res.data?.publishAlert) throw new Error(`publishAlert was refused: ${JSON.stringify(res.errors)}`);
  return res.data.publishAlert.id as string;
}

async function setStatus(token: string, id: string, status: string, note?: string) {
  const res = await hub.gql(
    token,
    `mutation($id: ID!, $status: AlertStatus!, $note: String) { updateAlertStatus(id: $id, status: $status, note: $note) { id } }`,
    {
      id,
      status,
      note,
    },
  );
  expect(res.errors).toBeUndefined();
}

/**
 * Runs in the page before the console: records the notifications shown and the tones started, so
 * the journey can tell what the officer got. A spy on the browser's outputs, not a stand-in.
 */
const RECORD_ALARMS = `
  window.__notified = [];
  window.__tones = 0;
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) { super(title, options); window.__notified.push(title); }
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) { window.__tones++; return start.apply(this, args); };
`;
type Recorded = { __notified: string[]; __tones: number };
// Functions, not strings: the console's CSP forbids evaluating strings in the page.
const notified = (page: Page, title: string) =>
  page.waitForFunction((t) => (globalThis as unknown as Recorded).__notified.some((n) => n.includes(t)), title);
const tonesPlayed = (page: Page) => page.evaluate(() => (globalThis as unknown as Recorded).__tones);

const connectionState = (page: Page) => page.locator('[data-connection]');
const waitLive = (page: Page, timeout = 10_000) => page.locator('[data-connection="live"]').waitFor({ timeout });
/** The board's rows whose alert title is exactly `title`. */
const rows = (page: Page, title: string) =>
  page.locator('table.alert-table tbody tr').filter({ has: page.getByRole('link', { name: title, exact: true }) });

async function openBoard(at: string, agency: string, roles: string[]): Promise<ConsolePage> {
  const c = await openConsole(browser, at);
  await signIn(c.page, at, agency, roles, 'MARITIME_SAFETY_SECURITY');
  await c.page.getByRole('heading', { name: 'Alert board' }).waitFor();
  await waitLive(c.page);
  return c;
}

test('a duty officer’s board shows at once what another agency publishes for it, and never what it may not see', async () => {
  const earlier = uniqueTitle('Earlier NL alert');
  await publish(NL_CUSTOMS, { title: earlier, severity: 'MEDIUM' });

  const c = await openConsole(browser, origin);
  // Spies on the browser's alarm outputs (not on the hub): which notifications were shown, how many tones started.
  await c.context.grantPermissions(['notifications'], { origin });
  await c.page.addInitScript(RECORD_ALARMS);
  await signIn(c.page, origin, 'nl-coastguard', ['viewer'], 'MARITIME_SAFETY_SECURITY');
  const page = c.page;
  await waitLive(page);
  // The initial state comes from the alerts query.
  await rows(page, earlier).waitFor();
  await page.getByText('Desktop notifications are on.').waitFor();

  // Invisible first (BE jurisdiction, AMBER: nl-coastguard has no basis), then a visible marker.
  const hidden = uniqueTitle('Belgian AMBER alert');
  await publish(BE_CUSTOMS, { title: hidden, port: 'BEANR', severity: 'CRITICAL' });
  const marker = uniqueTitle('Dutch HIGH alert');
  const published = Date.now();
  await publish(NL_CUSTOMS, { title: marker, severity: 'HIGH', port: 'NLRTM' });
  await rows(page, marker).waitFor({ timeout: 2_000 });
  expect(Date.now() - published).toBeLessThan(2_000);
  // The stream is in order: the marker came after the invisible alert, which never arrived.
  expect(await page.getByText(hidden).count()).toBe(0);
  expect(await rows(page, marker).count()).toBe(1);

  const row = rows(page, marker);
  expect(await row.locator('.severity').textContent()).toBe('High');
  expect(await row.textContent()).toContain('OCEAN STAR, IMO 9074729');
  expect(await row.textContent()).toContain('Rotterdam');
  expect(await row.textContent()).toContain('Active');
  expect(await row.locator('.tlp').textContent()).toBe('TLP:AMBER');
  expect(await row.locator('.basis').textContent()).toBe('Jurisdiction');
  expect(await row.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

  // A HIGH alert raised a notification and a tone; the screen reader hears of it too.
  await notified(page, marker);
  expect(await tonesPlayed(page)).toBeGreaterThan(0);
  await page
    .getByRole('status')
    .filter({ hasText: `New High alert: ${marker}` })
    .waitFor();

  // Sound off: the next HIGH alert notifies, but plays no tone.
  await page.getByLabel('Play a sound').uncheck();
  const tones = await tonesPlayed(page);
  const quiet = uniqueTitle('Quiet HIGH alert');
  await publish(NL_CUSTOMS, { title: quiet, severity: 'HIGH' });
  await notified(page, quiet);
  expect(await tonesPlayed(page)).toBe(tones);
  expect(
    await page.evaluate(() =>
      (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('portcullis.alerts.sound'),
    ),
  ).toBe('off');

  // Filters narrow the board: minimum severity HIGH hides the MEDIUM alert.
  await page.getByLabel('Minimum severity').selectOption('HIGH');
  await waitLive(page);
  await rows(page, earlier).waitFor({ state: 'detached' });
  await rows(page, marker).waitFor();
  await page.getByLabel('Minimum severity').selectOption('');
  await page.getByLabel('Category').selectOption('SMUGGLING');
  await rows(page, marker).waitFor({ state: 'detached' });
  await page.getByLabel('Category').selectOption('');
  await page.getByLabel('Port (UN/LOCODE)').fill('nlams');
  await page.getByLabel('Port (UN/LOCODE)').press('Enter');
  await page.getByText('No alerts match these filters.').waitFor();
  await page.getByLabel('Port (UN/LOCODE)').fill('');
  await page.getByLabel('Port (UN/LOCODE)').press('Enter');
  await rows(page, marker).waitFor();

  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'alerts-board');
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('after a network drop the board reconnects, and an alert published meanwhile appears exactly once', async () => {
  const proxy = await startProxy(Number(new URL(hub.url).port));
  try {
    const c = await openBoard(proxy.origin, 'nl-coastguard', ['viewer']);
    const page = c.page;
    // One event received, so the board has a position to resume from.
    const before = uniqueTitle('Before the drop');
    await publish(NL_CUSTOMS, { title: before });
    await rows(page, before).waitFor();

    await proxy.cut();
    await page.locator('[data-connection="reconnecting"]').waitFor();
    expect(await connectionState(page).textContent()).toBe('Connection lost: reconnecting…');
    const during = uniqueTitle('During the drop');
    await publish(NL_CUSTOMS, { title: during }); // straight to the hub, not through the proxy
    await proxy.restore();

    await rows(page, during).waitFor({ timeout: 10_000 });
    await waitLive(page);
    expect(await connectionState(page).textContent()).toBe('Live: new alerts appear as they are published.');
    // Once each: the resume replays only what came after the last event seen.
    const after = uniqueTitle('After the drop');
    await publish(NL_CUSTOMS, { title: after });
    await rows(page, after).waitFor();
    expect(await rows(page, during).count()).toBe(1);
    expect(await rows(page, before).count()).toBe(1);
    expect(await rows(page, after).count()).toBe(1);
    expect(c.offOrigin()).toEqual([]);
    expect(c.cspViolations()).toEqual([]);
    await c.context.close();
  } finally {
    await proxy.close();
  }
});

test('after a drop before any live event, the board re-reads the list and misses nothing', async () => {
  const proxy = await startProxy(Number(new URL(hub.url).port));
  try {
    const c = await openBoard(proxy.origin, 'nl-coastguard', ['viewer']);
    const page = c.page;
    await proxy.cut();
    await page.locator('[data-connection="reconnecting"]').waitFor();
    const during = uniqueTitle('Published before any event');
    await publish(NL_CUSTOMS, { title: during });
    await proxy.restore();
    await rows(page, during).waitFor({ timeout: 10_000 });
    await waitLive(page);
    expect(await rows(page, during).count()).toBe(1);
    expect(c.offOrigin()).toEqual([]);
    expect(c.cspViolations()).toEqual([]);
    await c.context.close();
  } finally {
    await proxy.close();
  }
});

test('an alert its owner withdraws leaves the board with a note naming it', async () => {
  const title = uniqueTitle('Soon withdrawn');
  const id = await publish(NL_CUSTOMS, { title });
  const c = await openBoard(origin, 'nl-coastguard', ['viewer']);
  const page = c.page;
  await rows(page, title).waitFor();

  await setStatus(NL_CUSTOMS, id, 'WITHDRAWN', 'wrong vessel');
  await page
    .getByRole('alert')
    .filter({ hasText: `Alert “${title}” was withdrawn or is no longer visible to your agency.` })
    .waitFor();
  expect(await rows(page, title).count()).toBe(0);
  expect(await page.getByText('wrong vessel').count()).toBe(0);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  expect(await page.getByText(`Alert “${title}” was withdrawn`).count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('the alert detail: map, status history, lifecycle actions for the owner only, withheld fields labelled for a partner', async () => {
  const title = uniqueTitle('Located alert');
  await publish(NL_CUSTOMS, { title, location: { lat: 51.95, lon: 4.14 }, intelligenceSummary: 'informant on board' });

  // The owner's analyst acknowledges it, with a note.
  const owner = await openBoard(origin, 'nl-customs', ['analyst']);
  await owner.page.getByRole('link', { name: title, exact: true }).click();
  const page = owner.page;
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const map = page.getByRole('img', { name: 'Map of the alert’s position: 51.950° N, 4.140° E' });
  await map.waitFor();
  expect(await map.locator('path.land').getAttribute('d')).toMatch(/^M/);
  await page.getByText('51.950° N, 4.140° E', { exact: true }).waitFor();
  expect(await page.getByText('informant on board').count()).toBe(1);

  await page.getByLabel('Note (kept in the status history, seen by your agency only)').fill('Boarding team informed');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('status').filter({ hasText: 'The alert is now Acknowledged.' }).waitFor();
  const history = page.locator('table.alert-history tbody tr');
  await history.nth(1).waitFor();
  expect(await history.nth(0).textContent()).toContain('Active');
  expect(await history.nth(1).textContent()).toContain('Acknowledged');
  expect(await history.nth(1).textContent()).toContain('Boarding team informed');
  // The actor is the signed-in person's subject, as the header names them.
  const actor = (await history.nth(1).locator('td').nth(2).textContent())!;
  expect(await page.locator('header .who').textContent()).toContain(`${actor} of Netherlands Customs`);
  // Withdrawing asks first.
  await page.getByRole('button', { name: 'Withdraw…' }).click();
  await page.getByRole('button', { name: 'Withdraw the alert' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'alerts-detail');
  expect(owner.offOrigin()).toEqual([]);
  expect(owner.cspViolations()).toEqual([]);
  await owner.context.close();

  // A partner analyst (by jurisdiction) sees the alert and its history, not the note, the summary or the actions.
  const partner = await openBoard(origin, 'nl-coastguard', ['analyst']);
  await partner.page.getByRole('link', { name: title, exact: true }).click();
  const p = partner.page;
  await p.getByRole('heading', { level: 1, name: title }).waitFor();
  const withheld = p.locator('[data-withheld="intelligenceSummary"]');
  expect(await withheld.textContent()).toBe('withheld not released to you as Jurisdiction');
  expect(await p.getByText('informant on board').count()).toBe(0);
  const partnerHistory = p.locator('table.alert-history tbody tr');
  await partnerHistory.nth(1).waitFor();
  expect(await partnerHistory.nth(1).textContent()).toContain('Acknowledged');
  expect(await p.getByText('Boarding team informed').count()).toBe(0);
  expect(await p.getByText(actor).count()).toBe(0);
  await p.getByText('Who made each change and why is shown to the publishing agency only.').waitFor();
  expect(await p.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
  expect(await p.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
  expect(await p.getByRole('button', { name: 'Withdraw…' }).count()).toBe(0);
  await p.getByRole('img', { name: /Map of the alert’s position/ }).waitFor();
  expect(await seriousViolations(p)).toEqual([]);
  expect(partner.offOrigin()).toEqual([]);
  expect(partner.cspViolations()).toEqual([]);
  await partner.context.close();
});
