/** Debian's Chromium driven by playwright-core (Playwright's own browsers cannot be downloaded here). */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.resolve('test-results');

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(EXECUTABLE)) throw new Error(`Chromium not found at ${EXECUTABLE}: apt-get install chromium (or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
}

/** A fresh context (no shared storage between tests) with one page, sized like a laptop window. */
export async function openPage(browser: Browser, opts: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1360, height: opts.height ?? 820 },
    deviceScaleFactor: 1,
    colorScheme: opts.colorScheme ?? 'light',
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
  });
  // Fail a step with the locator it waited for, well before the test's own timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  // Surface page crashes and console errors in the test output: they explain most failures.
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  return { context, page };
}

/** Saves test-results/e2e-<name>.png; the README uses these. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `e2e-${name}.png`);
  // Let transitions settle so screenshots show the finished screen.
  await page.waitForTimeout(250);
  await page.screenshot({ path: file });
  return file;
}
