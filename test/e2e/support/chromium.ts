/** Debian's Chromium driven by playwright-core (Playwright's own browsers cannot be downloaded here). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { BRIDGE_MODE, preloadBridgesServed, usePreloadBridge, type BridgeMode } from './preload-mode.js';

const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** test-results/ at the repository root, wherever the tests are started from (a subfolder in preload mode). */
export const RESULTS_DIR = fileURLToPath(new URL(BRIDGE_MODE === 'preload' ? '../../../test-results/preload-mode' : '../../../test-results', import.meta.url));

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
  /** Which bridge gives the page window.isodesk: the harness's bridge.js, or the app's preload (preload-mode.ts). */
  bridge?: BridgeMode;
  /** What the page keeps (local storage) from an earlier context, as the desktop app keeps it between starts. */
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
}

/** A fresh context (no shared storage between tests unless given) with one page, sized like a laptop window. */
export async function openPage(browser: Browser, opts: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 820 },
    deviceScaleFactor: 1,
    colorScheme: opts.colorScheme ?? 'light',
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
    ...(opts.storageState && { storageState: opts.storageState }),
  });
  // Fail a step with the locator it waited for, well before the test's own timeout.
  context.setDefaultTimeout(10_000);
  if ((opts.bridge ?? BRIDGE_MODE) === 'preload') await usePreloadBridge(context);
  const page = await context.newPage();
  // Uncaught errors in the page go to the test output: they explain most failures.
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  return { context, page };
}

/** Saves test-results/e2e-<name>.png; the README uses these. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // Let transitions settle so screenshots show the finished screen.
  await page.waitForTimeout(250);
  await page.screenshot({ path: path.join(RESULTS_DIR, `e2e-${name}.png`) });
}

/**
 * Saves test-results/e2e-<file>-<test>.png after every test of the calling file, passed or failed:
 * the record of what each test ended on, and the first thing to look at when one fails.
 */
export function screenshotEachTest(file: string, page: () => Page | undefined): void {
  afterEach(async ({ task }) => {
    const current = page();
    if (!current || current.isClosed()) return;
    // In preload mode a page that got the harness's bridge instead would prove nothing about the preload.
    if (BRIDGE_MODE === 'preload') expect(preloadBridgesServed(current.context()), 'pages given the app preload').toBeGreaterThan(0);
    const slug = task.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await current.screenshot({ path: path.join(RESULTS_DIR, `e2e-${file}-${slug}.png`) });
  });
}
