/**
 * A real browser for the console's journeys: Debian's Chromium (`apt-get install chromium`; .ci/run
 * installs it when missing) driven by playwright-core, which never downloads a browser of its own.
 * Every page records every request it makes, so a journey can prove that nothing left the hub's
 * origin; `seriousViolations` runs axe-core on the page as it stands.
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Root in CI needs --no-sandbox; the rest keeps Chromium off the (closed) network at start.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  origin: string;
  /** Every URL the page asked for (documents, scripts, styles, fetches, WebSockets), in order. */
  requests: string[];
  /** The requests that went anywhere but the hub's origin: must stay empty. */
  offOrigin(): string[];
  /** What the browser refused under the hub's Content-Security-Policy: must stay empty. */
  cspViolations(): string[];
}

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** A new browser context on the console at `origin` (http://host:port), recording its requests. */
export async function openConsole(
  browser: Browser,
  origin: string,
  opts: {
    viewport?: { width: number; height: number };
    isMobile?: boolean;
    hasTouch?: boolean;
    deviceScaleFactor?: number;
    timezoneId?: string;
  } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 860 },
    ...opts,
    timezoneId: opts.timezoneId ?? 'UTC',
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('page', (p) => p.on('websocket', (ws) => requests.push(ws.url())));
  const page = await context.newPage();
  page.on('websocket', (ws) => requests.push(ws.url()));
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('Content Security Policy')) refused.push(m.text());
  });
  const base = new URL(origin);
  const wsOrigin = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}`;
  return {
    context,
    page,
    origin: base.origin,
    requests,
    cspViolations: () => [...refused],
    offOrigin: () => requests.filter((u) => !u.startsWith(`${base.origin}/`) && !u.startsWith(`${wsOrigin}/`) && !u.startsWith('data:')),
  };
}

/** Signs in through the development sign-in form as `agency` with `roles` (and a purpose when given). */
export async function signIn(page: Page, origin: string, agency: string, roles: string[] = ['analyst'], purpose?: string): Promise<void> {
  await page.goto(`${origin}/`);
  if (purpose) await page.getByLabel('Purpose of use').selectOption(purpose);
  await page.getByLabel('Agency').selectOption(agency);
  for (const role of ['viewer', 'analyst', 'auditor']) {
    const box = page.getByRole('checkbox', { name: role[0].toUpperCase() + role.slice(1) });
    if (roles.includes(role)) await box.check();
    else await box.uncheck();
  }
  await page.getByRole('button', { name: 'Sign in as this agency' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** axe-core's serious and critical violations on the page as it stands (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<{ id: string; help: string; targets: string[] }[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Saves a screenshot for the README when SCREENSHOTS=1 (`npm run screenshots`); otherwise does nothing. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const dir = path.resolve(__dirname, '../../docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
