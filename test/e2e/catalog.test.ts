/**
 * Browsing the catalog: instant search (and its shortcuts), sorting by column, the size filter,
 * the detail pane with the ISO's history (newest first, filtered by type), and the dark theme.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { signedInStack, type SignedInStack } from './support/signed-in.js';
import { eventually, grid, isoRow, isoRows, LONG, openIso, rowCount, search } from './support/ui.js';

let stack: SignedInStack;
let page: Page;
screenshotEachTest('catalog', () => page);

const UNITS: Record<string, number> = { B: 1, KB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3, TB: 1e12, TiB: 1024 ** 4 };

/** "2.6 GiB" → bytes, to compare the Size column as people read it. */
function bytes(text: string): number {
  const match = /([\d.,]+)\s*([KMGT]?i?B)/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]!.replace(',', '.')) * (UNITS[match[2]!] ?? Number.NaN);
}

async function column(page: Page, index: number): Promise<string[]> {
  return isoRows(page).locator(`[role="gridcell"][aria-colindex="${index}"]`).allTextContents();
}

beforeAll(async () => {
  stack = await signedInStack();
  page = stack.page;
});

afterAll(() => stack?.close());

describe('catalog', () => {
  it('searches name, file name and description as you type', async () => {
    const all = await rowCount(page);
    await search(page, 'debian');
    await eventually(() => rowCount(page)).toBe(2);
    for (const row of await isoRows(page).allTextContents()) expect(row.toLowerCase()).toContain('debian');
    await search(page, 'Bookworm');
    await eventually(() => rowCount(page)).toBe(1);
    expect(await isoRows(page).first().textContent()).toContain('debian-12.7.0-amd64-netinst.iso');
    await search(page, 'no such image anywhere');
    await eventually(() => grid(page).textContent()).toContain('No ISOs match');
    await search(page, '');
    await eventually(() => rowCount(page)).toBe(all);
  });

  it('focuses the search with / and Ctrl+K', async () => {
    const field = page.getByRole('searchbox', { name: 'Search' });
    await grid(page).focus();
    await page.keyboard.press('/');
    await eventually(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await grid(page).focus();
    await page.keyboard.press('Control+k');
    await eventually(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('sorts by any column, both ways', async () => {
    const sizeHeader = grid(page).getByRole('columnheader', { name: 'Size' });
    await sizeHeader.getByRole('button').click();
    await eventually(() => sizeHeader.getAttribute('aria-sort')).toBe('descending');
    await eventually(async () => {
      const sizes = (await column(page, 3)).map(bytes);
      return sizes.every((s, i) => i === 0 || s <= sizes[i - 1]!);
    }).toBe(true);
    await sizeHeader.getByRole('button').click();
    await eventually(() => sizeHeader.getAttribute('aria-sort')).toBe('ascending');
    await eventually(async () => {
      const sizes = (await column(page, 3)).map(bytes);
      return sizes.length > 1 && sizes.every((s, i) => i === 0 || s >= sizes[i - 1]!);
    }).toBe(true);

    const nameHeader = grid(page).getByRole('columnheader', { name: 'Name', exact: true });
    await nameHeader.getByRole('button').click();
    await eventually(() => nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await eventually(async () => {
      const names = (await column(page, 1)).map((n) => n.toLowerCase());
      return names.length > 1 && names.every((n, i) => i === 0 || n >= names[i - 1]!);
    }).toBe(true);
  });

  it('filters by size', async () => {
    const all = await rowCount(page);
    await page.getByRole('combobox', { name: 'Size' }).selectOption({ label: 'Over 10 GiB' });
    await eventually(() => rowCount(page)).toBe(0);
    await page.getByRole('combobox', { name: 'Size' }).selectOption({ label: '1–5 GiB' });
    await eventually(async () => {
      const sizes = (await column(page, 3)).map(bytes);
      return sizes.length > 0 && sizes.every((s) => s >= 1024 ** 3 && s <= 5 * 1024 ** 3);
    }).toBe(true);
    expect(await rowCount(page)).toBeLessThan(all);
    await page.getByRole('combobox', { name: 'Size' }).selectOption({ label: 'Any size' });
    await eventually(() => rowCount(page)).toBe(all);
  });

  it('shows one name column, not greyed, that names each image once', async () => {
    await search(page, '');
    const headers = (await grid(page).getByRole('columnheader').allTextContents()).map((h) => h.trim());
    expect(headers).toEqual(['Name', 'Description', 'Size', 'Date']);
    const row = isoRow(page, 'debian-12.7.0-amd64-netinst.iso').first();
    expect(((await row.textContent()) ?? '').split('debian-12.7.0-amd64-netinst.iso')).toHaveLength(2);
    const [cell, text] = await row
      .locator('[role="gridcell"][aria-colindex="1"]')
      .evaluate((el) => [getComputedStyle(el).color, getComputedStyle(document.body).color]);
    expect(cell).toBe(text);
  });

  it('says the server state in plain words, not billing codes', async () => {
    const picker = page.getByRole('combobox', { name: 'Server' });
    const home = await picker.inputValue();
    const suspended = picker.getByRole('option', { name: /build-nyc-01/ });
    expect(await suspended.textContent()).toContain('(suspended)');
    await picker.selectOption({ value: (await suspended.getAttribute('value')) ?? '' });
    const server = page.getByRole('region', { name: 'build-nyc-01.client.example' });
    await eventually(() => server.textContent()).toContain('Suspended — powered off by billing');
    expect(await server.textContent()).not.toContain('power_off');
    expect(await server.textContent()).toContain('No ISO mounted by ISO Desk');
    await picker.selectOption(home);
    await page.getByRole('region', { name: 'web-ams-01.client.example' }).waitFor(LONG);
  });

  it('opens an ISO with its history, newest first, filtered by type', async () => {
    const pane = await openIso(page, 'Noble Numbat', 'ubuntu-24.04.1-live-server-amd64.iso');
    expect(await pane.getByRole('heading', { level: 2 }).textContent()).toContain('ubuntu-24.04.1-live-server-amd64.iso');
    const history = pane.getByRole('region', { name: 'History' });
    const entries = history.getByRole('listitem');
    await eventually(() => entries.count()).toBe(4);
    const times = await history.locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await entries.first().textContent()).toContain('unmount');
    await search(page, '');
    await screenshot(page, 'catalog-detail');

    await history.getByRole('combobox', { name: 'Type' }).selectOption('mount');
    await eventually(() => entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain('Mounted on server 40211');
    await history.getByRole('combobox', { name: 'Type' }).selectOption('');
  });

  it('follows the dark theme of the system', async () => {
    const dark = await openPage(stack.browser, { colorScheme: 'dark' });
    await dark.page.goto(stack.harness.url);
    await isoRows(dark.page).first().waitFor(LONG);
    await isoRow(dark.page, 'debian-12.7.0-amd64-netinst.iso').first().click();
    const lightness = await dark.page.evaluate(() => {
      const [r, g, b] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(Number);
      return ((r ?? 255) + (g ?? 255) + (b ?? 255)) / 3;
    });
    expect(lightness).toBeLessThan(80);
    await screenshot(dark.page, 'dark-theme');
    await dark.context.close();
  });

  it('lists the keyboard shortcuts', async () => {
    await grid(page).focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Search the catalog');
    await screenshot(page, 'shortcuts');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
