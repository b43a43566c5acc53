/**
 * 100,000 ISOs: the list renders only the rows in view, scrolls to the end, and search answers
 * from the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, screenshotEachTest } from './support/chromium.js';
import { signedInStack, type SignedInStack } from './support/signed-in.js';
import { eventually, grid, isoRows, rowCount, search } from './support/ui.js';

const COUNT = 100_000;

let stack: SignedInStack;
let page: Page;
screenshotEachTest('large-catalog', () => page);

beforeAll(async () => {
  // The first sync stores all of them in the cache; customers see all but the admin-only ones.
  stack = await signedInStack({ stack: { api: { isoCount: COUNT } }, signInTimeout: 90_000 });
  page = stack.page;
  await page.waitForFunction((min) => Number(document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount')) > min, COUNT - COUNT / 97, {
    timeout: 60_000,
  });
}, 120_000);

afterAll(() => stack?.close());

describe(`${COUNT.toLocaleString('en')} ISOs`, () => {
  it('renders only the rows in view', async () => {
    const inDom = await grid(page).getByRole('row').count();
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(200);
    await screenshot(page, 'large-catalog');
  });

  it('scrolls to the middle and to the last row', async () => {
    const total = await rowCount(page);
    const middle = Math.floor(total / 2);
    // Rows are a fixed height, so half the scroll height is the middle of the list.
    await grid(page)
      .getByRole('rowgroup')
      .last()
      .evaluate((body) => (body.scrollTop = body.scrollHeight / 2));
    const near = grid(page)
      .locator('[role="row"][aria-rowindex]')
      .filter({ has: page.locator('[role="gridcell"]:not([aria-busy="true"])') });
    await eventually(async () => {
      const indexes = (await near.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('aria-rowindex'))))).filter((i) => i > 1);
      return indexes.some((i) => Math.abs(i - middle) < 50);
    }, 10_000).toBe(true);

    await grid(page).focus();
    await page.keyboard.press('End');
    const last = grid(page).locator(`[role="row"][aria-rowindex="${total + 1}"]`);
    await last.waitFor();
    await eventually(() => last.locator('[role="gridcell"]:not([aria-busy="true"])').count(), 10_000).toBeGreaterThan(0);
    expect(await last.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    await grid(page).locator('[role="row"][aria-rowindex="2"]').waitFor();
  });

  it('answers a search from the cache', async () => {
    // How fast is the benchmark's business (npm run bench); this checks what the answer holds.
    await search(page, 'AlmaLinux 9.5 dvd');
    // Some rows, not all: the search index may still be building when the rows are readable.
    await eventually(() => rowCount(page), 10_000).toSatisfy((n: number) => n > 0 && n < COUNT / 10);
    for (const row of (await isoRows(page).allTextContents()).slice(0, 10)) expect(row).toMatch(/AlmaLinux/i);
    await search(page, '4242');
    await eventually(() => isoRows(page).first().textContent(), 10_000).toContain('4242');
  });
});
