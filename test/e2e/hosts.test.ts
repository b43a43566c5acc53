/**
 * The sign-in screen offers HOSTKEY's hosts by name. With the known-host table pointed at loopback
 * (the default host a closed port, invapi.hostkey.com the local API), signing in at the default
 * falls back once, tells the user which host answered, and the profile keeps it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { KNOWN_HOSTS } from '../../main/api/hosts.js';
import { openCache } from '../../main/cache/index.js';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { isoRows, LONG } from './support/ui.js';
import { closedPort } from '../support/ports.js';

let stack: Stack;
let browser: Browser;
let page: Page;
let unreachable: string;
screenshotEachTest('hosts', () => page);

beforeAll(async () => {
  unreachable = `http://127.0.0.1:${await closedPort()}`;
  const urls = (api: string): Record<string, string> => ({ api: unreachable, invapi: api, 'invapi-ru': 'http://127.0.0.1:9' });
  [stack, browser] = await Promise.all([
    startStack({ pinApiUrl: false, knownHosts: (api) => KNOWN_HOSTS.map((h) => ({ ...h, url: urls(api.url)[h.id] ?? h.url })) }),
    launchChromium(),
  ]);
  ({ page } = await openPage(browser));
  await page.goto(stack.harness.url);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('HOSTKEY hosts at sign-in', () => {
  it('offers the known hosts by name and a custom address', async () => {
    const picker = page.getByLabel('HOSTKEY host');
    expect(await picker.locator('option').allTextContents()).toEqual([
      'HOSTKEY — api.hostkey.com',
      'HOSTKEY — invapi.hostkey.com',
      'HOSTKEY Russia — invapi.hostkey.ru',
      'Custom address…',
    ]);
    expect(await page.getByLabel('API base URL').count()).toBe(0);
    await picker.selectOption({ label: 'Custom address…' });
    await page.getByLabel('API base URL').waitFor();
    await picker.selectOption({ label: 'HOSTKEY — api.hostkey.com' });
    await page.getByText('If it cannot be reached, ISO Desk tries HOSTKEY — invapi.hostkey.com once.').waitFor();
  });

  it('falls back from the unreachable default host and says which host answered', async () => {
    await page.getByLabel('Profile name').fill('work');
    await page.getByRole('tabpanel', { name: 'API key' }).getByLabel('API key').fill(stack.api.keys.client);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Signed in at HOSTKEY — invapi.hostkey.com' });
    await notice.waitFor(LONG);
    expect(await notice.textContent()).toMatch(/HOSTKEY — api\.hostkey\.com could not be reached/);
    await isoRows(page).first().waitFor(LONG);
    await screenshot(page, 'signed-in-after-fallback');
    const cache = openCache(path.join(stack.dataDir, 'isodesk.db'), { readonly: true });
    try {
      expect(cache.profiles.get('work')?.base_url).toBe(stack.api.url);
    } finally {
      cache.close();
    }
  });
});
