/**
 * Signing in, as with the real HOSTKEY: the base URL typed on the form is the one used (the
 * harness does not pin it here). Wrong key, an account without servers and an unreachable host
 * each get their own plain message; then profiles, the server picker and switching.
 * A sequence, in order: the refusals need the sign-in screen, so the successful sign-in comes after them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { detailPane, eventually, fillSignIn, grid, isoRow, isoRows, LONG, search, signIn } from './support/ui.js';
import { closedPort } from '../support/ports.js';

let stack: Stack;
let browser: Browser;
let page: Page;
screenshotEachTest('signin', () => page);

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ pinApiUrl: false }), launchChromium()]);
  ({ page } = await openPage(browser));
  await page.goto(stack.harness.url);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('sign-in', () => {
  it('says so when the API key is wrong', async () => {
    await fillSignIn(page, { profile: 'work', baseUrl: stack.api.url, key: 'hk-not-a-real-key' });
    const alert = page.getByRole('alert');
    await alert.waitFor(LONG);
    expect(await alert.textContent()).toMatch(/Invalid API key/i);
    expect(await page.getByRole('heading', { name: 'Sign in to ISO Desk' }).isVisible()).toBe(true);
    await screenshot(page, 'sign-in-wrong-key');
  });

  it('tells an account without servers that the key itself is fine', async () => {
    await fillSignIn(page, { profile: 'work', baseUrl: stack.api.url, key: stack.api.keys.noServers });
    await eventually(() => page.getByRole('alert').textContent()).toMatch(/no servers/i);
    expect(await page.getByRole('alert').textContent()).toMatch(/key is valid/i);
  });

  it('explains an unreachable host and what to do', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    await fillSignIn(page, { profile: 'work', baseUrl: url, key: stack.api.keys.client });
    await eventually(() => page.getByRole('alert').textContent()).toMatch(/could not reach/i);
    expect(await page.getByRole('alert').textContent()).toMatch(/try again/i);
    await screenshot(page, 'sign-in-unreachable');
  });

  it('switches between API key and token with the arrow keys, as WAI-ARIA tabs do', async () => {
    const key = page.getByRole('tab', { name: 'API key' });
    const token = page.getByRole('tab', { name: 'Token' });
    await key.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(() => token.getAttribute('aria-selected')).toBe('true');
    expect(await token.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await key.getAttribute('tabindex')).toBe('-1');
    const panel = page.getByRole('tabpanel', { name: 'Token' });
    expect(await panel.getByLabel('Token', { exact: true }).count()).toBe(1);
    await page.keyboard.press('Home');
    await eventually(() => key.getAttribute('aria-selected')).toBe('true');
    expect(await page.getByRole('tabpanel', { name: 'API key' }).getByLabel('API key').count()).toBe(1);
  });

  it('notes that a bare token cannot be renewed', async () => {
    await page.getByRole('tab', { name: 'Token' }).click();
    await page.getByRole('tabpanel', { name: 'Token' }).getByLabel('Token').waitFor();
    await page.getByText('Tokens cannot be renewed').waitFor();
    await page.getByRole('tab', { name: 'API key' }).click();
  });

  it('signs in with a valid key and shows the first server with its catalog', async () => {
    await signIn(page, { profile: 'work', baseUrl: stack.api.url, key: stack.api.keys.client });
    const picker = page.getByRole('combobox', { name: 'Server' });
    const servers = await picker.getByRole('option').allTextContents();
    expect(servers).toHaveLength(5);
    expect(servers.join('\n')).toContain('web-ams-01.client.example');
    // Admin-only images are not in a customer's catalog.
    await search(page, 'Windows Server 2025');
    await eventually(() => grid(page).textContent()).toContain('No ISO');
    await search(page, '');
    await eventually(() => isoRows(page).count()).toBeGreaterThan(5);
  });
});

describe('servers and profiles', () => {
  it('switches the server and the catalog follows it', async () => {
    const picker = page.getByRole('combobox', { name: 'Server' });
    const option = picker.getByRole('option', { name: /db-fra-01/ });
    await picker.selectOption({ value: (await option.getAttribute('value')) ?? '' });
    await page.getByRole('heading', { name: 'db-fra-01' }).waitFor(LONG);
    await isoRow(page, 'debian-12.7.0-amd64-netinst.iso').first().click();
    expect(await detailPane(page).textContent()).toContain('on db-fra-01');
    await screenshot(page, 'server-switch');
  });

  it('adds a second profile and switches between profiles', async () => {
    await page.getByRole('button', { name: 'More', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Add profile…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add profile' });
    await fillSignIn(dialog, { profile: 'admin', baseUrl: stack.api.url, key: stack.api.keys.admin });
    await dialog.waitFor({ state: 'detached', ...LONG });
    const profiles = page.getByRole('combobox', { name: 'Profile' });
    await eventually(() => profiles.inputValue()).toBe('admin');
    // Staff see the admin-only images.
    await search(page, 'Windows Server 2025');
    await isoRow(page, 'Windows Server 2025').first().waitFor(LONG);
    await profiles.selectOption('work');
    await eventually(() => profiles.inputValue()).toBe('work');
    await page
      .getByRole('combobox', { name: 'Server' })
      .getByRole('option', { name: /web-ams-01/ })
      .waitFor({ state: 'attached', ...LONG });
    await search(page, 'Windows Server 2025');
    await eventually(() => isoRows(page).count()).toBe(0);
  });
});
