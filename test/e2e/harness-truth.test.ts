/**
 * The page tells the truth about what it is connected to: the sign-in screen shows the API address
 * the harness was started with (not HOSTKEY's default), and when the harness process goes away
 * the page says it lost the connection instead of "Connected".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { eventually, LONG, signIn } from './support/ui.js';

let stack: Stack;
let browser: Browser;
let page: Page;
screenshotEachTest('harness-truth', () => page);

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('harness truth', () => {
  it('shows the API address the harness was started with', async () => {
    ({ page } = await openPage(browser));
    await page.goto(stack.harness.url);
    const field = page.getByLabel('API base URL');
    await eventually(() => field.inputValue()).toBe(stack.api.url);
    expect(await field.getAttribute('readonly')).not.toBeNull();
    await page.getByText('ISO Desk was started with this API address').waitFor();
    await page.context().close();
  });

  it('says it lost the connection when the harness process goes away', async () => {
    ({ page } = await openPage(browser));
    await page.goto(stack.harness.url);
    await signIn(page, { profile: 'work', key: stack.api.keys.client });
    const status = page.getByRole('contentinfo');
    expect(await status.textContent()).toContain('Connected');
    // A new harness process: the page's bridge belongs to the one that is gone.
    await stack.restartHarness();
    const alert = page.getByRole('alert').filter({ hasText: 'lost the connection' });
    await alert.waitFor(LONG);
    expect(await status.textContent()).not.toMatch(/\bConnected\b/);
    await screenshot(page, 'connection-lost');
  });
});
