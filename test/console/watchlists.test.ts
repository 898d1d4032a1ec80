/**
 * The watchlist screens against a real hub in a real browser: an analyst creates a list, imports a
 * file by upload and reads the bad rows by their lines (also when the file is larger than the hub
 * takes in one request and goes in parts), searches the entries, adds one by hand, edits it and
 * ends it, and sees the change in its history; and the owner sees what partners reported on its
 * entries, newest first.
 */
import type { Browser } from 'playwright-core';
import { startTestHub, tokenFor, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn, type ConsolePage } from '../support/browser';
import { badImo, imoFrom } from '../support/vessels';

jest.setTimeout(90_000);

/** Small, so that a file of a few dozen kilobytes needs several requests. */
const MAX_BODY_BYTES = 16 * 1024;

let hub: TestHub;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  [hub, browser] = await Promise.all([
    startTestHub({ console: { devSignIn: true }, transport: { maxRequestBytes: MAX_BODY_BYTES } }),
    launchBrowser(),
  ]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

async function analystConsole(): Promise<ConsolePage> {
  const c = await openConsole(browser, origin);
  c.page.setDefaultTimeout(20_000);
  await signIn(c.page, origin, 'nl-customs', ['analyst'], 'CUSTOMS');
  await c.page.getByRole('link', { name: 'Watchlists' }).click();
  await c.page.getByRole('heading', { name: 'Watchlists', level: 1 }).waitFor();
  return c;
}

/** Creates a list through the form and opens it. */
async function createList(c: ConsolePage, name: string): Promise<void> {
  const page = c.page;
  await page.getByText('Create a watchlist').click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill('Vessels of interest to the Rotterdam customs team');
  await page.getByRole('button', { name: 'Create the list' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `List ${name} created.` })
    .waitFor();
  await page.locator(`tr[data-watchlist="${name}"]`).waitFor();
  await page.getByRole('link', { name: 'Open it' }).click();
  await page.getByRole('heading', { name: `Watchlist ${name}` }).waitFor();
}

async function upload(c: ConsolePage, name: string, content: string): Promise<void> {
  await c.page.getByLabel('Format').selectOption('CSV');
  await c.page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await c.page.getByRole('button', { name: 'Import', exact: true }).click();
}

/** The bad rows table as [line, problem] pairs. */
async function badRows(c: ConsolePage): Promise<[number, string][]> {
  const table = c.page.getByRole('table', { name: 'Bad rows, not loaded' });
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = (tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('td');
      return [Number(cells[0].textContent), cells[1].textContent ?? ''] as [number, string];
    }),
  );
  return rows;
}

test('an analyst creates a list, imports a file and sees the bad rows by line; the good rows are entries', async () => {
  const c = await analystConsole();
  const page = c.page;
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'watchlists-lists');

  const name = `Rotterdam import ${Date.now()}`;
  await createList(c, name);
  const file = [
    'imo,name,mmsi,flag,category,riskLevel,reason', // 1
    `IMO ${imoFrom(951001)},LADY GREY,244555111,NL,SMUGGLING,HIGH,Cocaine in reefers`, // 2
    `${badImo(951002)},BAD CHECK,,,SMUGGLING,HIGH,wrong check digit`, // 3
    `${imoFrom(951003)},"NORTH, WIND",,PA,SANCTIONS_EVASION,CRITICAL,"Two lines`, // 4
    `of reason"`, // 5
    `${imoFrom(951004)},NO CATEGORY,,,,HIGH,missing category`, // 6
    `${imoFrom(951005)},SEA FOX,,LR,DRUG_TRAFFICKING,MEDIUM,Reported by a partner`, // 7
  ].join('\n');
  await upload(c, 'rotterdam.csv', `${file}\n`);

  await page.getByText('5 records read: 3 created, 0 updated, 0 unchanged, 2 bad, 0 skipped.').waitFor();
  const bad = await badRows(c);
  expect(bad.map(([line]) => line)).toEqual([3, 6]);
  expect(bad[0][1]).toMatch(/imo/i);
  expect(bad[1][1]).toMatch(/category/i);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'watchlists-import');

  // The list's entries are the good rows, as the hub has them.
  await page.getByText('Showing 3 of 3 entries').waitFor();
  for (const imo of [imoFrom(951001), imoFrom(951003), imoFrom(951005)]) await page.locator(`tr[data-entry="${imo}"]`).waitFor();

  // Importing the same file again changes nothing.
  await upload(c, 'rotterdam.csv', `${file}\n`);
  await page.getByText('5 records read: 0 created, 0 updated, 3 unchanged, 2 bad, 0 skipped.').waitFor();

  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('a file larger than the hub takes in one request goes in parts, and its bad rows keep their own line numbers', async () => {
  const c = await analystConsole();
  const page = c.page;
  await createList(c, `Large import ${Date.now()}`);
  const badLines = new Set([2, 150, 333, 601]);
  const lines = ['imo,name,category,riskLevel,reason'];
  for (let line = 2; line <= 601; line++) {
    const n = 960000 + line;
    const imo = badLines.has(line) ? badImo(n) : imoFrom(n);
    lines.push(`${imo},VESSEL ${line},SMUGGLING,LOW,Reason of line ${line}: ${'x'.repeat(40)}`);
  }
  const content = `${lines.join('\n')}\n`;
  expect(content.length).toBeGreaterThan(2 * MAX_BODY_BYTES);

  const parts: number[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && r.postData()?.includes('importWatchlistEntries')) parts.push(r.postData()!.length);
  });
  await upload(c, 'large.csv', content);
  await page.getByText('600 records read: 596 created, 0 updated, 0 unchanged, 4 bad, 0 skipped.').waitFor();
  expect((await badRows(c)).map(([line]) => line)).toEqual([...badLines]);
  // Several requests got through, each within the limit; the hub refused any larger one before it was read.
  expect(parts.length).toBeGreaterThan(2);
  await page.getByRole('progressbar').waitFor();
  expect(await page.getByRole('progressbar').getAttribute('value')).toBe('600');
  expect(
    (await hub.gql(tokenFor('nl-customs'), '{ watchlistEntries(first: 0, filter: { imo: "' + imoFrom(960500) + '" }) { totalCount } }'))
      .data!.watchlistEntries.totalCount,
  ).toBe(1);
  expect(c.offOrigin()).toEqual([]);
  await c.context.close();
});

test('an analyst adds an entry by hand, edits it, ends it, and the entry page shows its history', async () => {
  const c = await analystConsole();
  const page = c.page;
  await createList(c, `Hand entries ${Date.now()}`);
  const imo = imoFrom(952001);
  await page.getByText('Add an entry').click();
  const form = page.getByRole('form', { name: 'Add an entry' });
  await form.getByLabel('IMO number').fill(imo);
  await form.getByLabel('Vessel name').fill('MARLIN');
  await form.getByLabel('Category').selectOption('SMUGGLING');
  await form.getByLabel('Risk level').selectOption('MEDIUM');
  await form.getByLabel('Reason').fill('Cigarettes found in a void space');
  await form.getByRole('button', { name: 'Add the entry' }).click();
  await form.getByRole('status').filter({ hasText: 'Entry added.' }).waitFor();
  await page.locator(`tr[data-entry="${imo}"]`).waitFor();

  await form.getByRole('link', { name: 'Open it' }).click();
  await page.getByRole('heading', { name: `Watchlist entry: MARLIN (IMO ${imo})` }).waitFor();
  await page.getByText('Edit this entry').click();
  const edit = page.getByRole('form', { name: 'Edit this entry' });
  await edit.getByLabel('Risk level').selectOption('CRITICAL');
  await edit.getByLabel('Notes').fill('Same crew as the 2025 case');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Changes saved' }).waitFor();
  await page.locator('dd.severity-critical').waitFor();

  await page.getByRole('button', { name: 'End this entry now' }).click();
  await page.getByRole('button', { name: 'Yes, end it' }).click();
  await page.getByRole('status').filter({ hasText: 'The entry has ended.' }).waitFor();
  await page.getByText('(not in force)').waitFor();
  const history = page.getByRole('region', { name: 'Versions of this entry, oldest first' });
  await expectRows(history, 3);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'watchlists-entry');
  expect(c.offOrigin()).toEqual([]);
  await c.context.close();
});

async function expectRows(region: ReturnType<ConsolePage['page']['getByRole']>, n: number) {
  await region.locator(`tbody tr:nth-child(${n})`).waitFor();
  expect(await region.locator('tbody tr').count()).toBe(n);
}

test('the owner sees the sightings and false positives partners reported on its entries, newest first', async () => {
  const nl = tokenFor('nl-customs');
  const list = await hub.gql(nl, 'mutation($input: CreateWatchlistInput!) { createWatchlist(input: $input) { id } }', {
    input: { name: `Shared ${Date.now()}`, tlp: 'GREEN', jurisdiction: 'NL' },
  });
  expect(list.errors).toBeUndefined();
  const imo = imoFrom(953001);
  const entry = await hub.gql(nl, 'mutation($input: AddWatchlistEntryInput!) { addWatchlistEntry(input: $input) { id } }', {
    input: {
      watchlistId: list.data!.createWatchlist.id,
      vessel: { imo, name: 'SEA FOX' },
      category: 'DRUG_TRAFFICKING',
      riskLevel: 'HIGH',
      reason: 'Cocaine found in the sea chest',
    },
  });
  expect(entry.errors).toBeUndefined();
  const entryId = entry.data!.addWatchlistEntry.id;
  const report = async (agency: string, outcome: string, hoursAgo: number, note: string) => {
    const res = await hub.gql(
      tokenFor(agency),
      'mutation($id: ID!, $input: SightingInput!) { reportSighting(entryId: $id, input: $input) { id } }',
      { id: entryId, input: { outcome, note, port: 'NLRTM', observedAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() } },
    );
    expect(res.errors).toBeUndefined();
  };
  await report('be-customs', 'CONFIRMED', 5, 'Met at the Waalhaven berth');
  await report('nl-coastguard', 'FALSE_POSITIVE', 1, 'Same name, other hull: IMO differs');

  const c = await openConsole(browser, origin);
  c.page.setDefaultTimeout(20_000);
  const page = c.page;
  await signIn(page, origin, 'nl-customs', ['analyst'], 'CUSTOMS');
  await page.getByRole('link', { name: 'Sightings' }).click();
  await page.getByRole('heading', { name: 'Sightings on our entries' }).waitFor();
  const rows = page.locator(`tr[data-sighting="${imo}"]`);
  await rows.nth(1).waitFor();
  expect(await rows.count()).toBe(2);
  // Newest first: the false positive of an hour ago, then the sighting of five hours ago.
  expect(await rows.nth(0).textContent()).toContain('Same name, other hull');
  expect(await rows.nth(0).textContent()).toContain('Netherlands Coastguard');
  expect(await rows.nth(1).textContent()).toContain('Met at the Waalhaven berth');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'watchlists-sightings');

  await page.getByLabel('Outcome').selectOption('FALSE_POSITIVE');
  await page.getByRole('status').filter({ hasText: 'Showing 1 of 1 reports' }).waitFor();
  await rows
    .first()
    .getByRole('link', { name: `SEA FOX (IMO ${imo})` })
    .click();
  await page.getByRole('heading', { name: `Watchlist entry: SEA FOX (IMO ${imo})` }).waitFor();
  expect(c.offOrigin()).toEqual([]);
  await c.context.close();
});
