/**
 * Offline: when HOSTKEY stops answering, a banner says how old the data is, browsing, search and
 * history keep working from the cache, network actions are disabled with the reason, and a task
 * started before the connection dropped is still there.
 * A sequence, in order: the first test takes the local API down, and the others look at that state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, screenshotEachTest } from './support/chromium.js';
import { signedInStack, type SignedInStack } from './support/signed-in.js';
import {
  closeTasks,
  confirm,
  description,
  detailPane,
  dismissToasts,
  eventually,
  expectTaskState,
  isoRows,
  LONG,
  openIso,
  openTasks,
  reasonShown,
  rowCount,
  search,
  task,
} from './support/ui.js';

let stack: SignedInStack;
let page: Page;
screenshotEachTest('offline', () => page);

beforeAll(async () => {
  // Mounts stay running for a minute: long enough to still be running when the network goes.
  stack = await signedInStack({ stack: { api: { taskDelayMs: 60_000 } } });
  page = stack.page;
});

afterAll(() => stack?.close());

describe('offline', () => {
  it('keeps browsing, search and history working from the cache, with a banner', async () => {
    const all = await rowCount(page);
    // Read once while online, so the history is in the cache.
    const pane = await openIso(page, 'Noble Numbat', 'ubuntu-24.04.1-live-server-amd64.iso');
    await pane.getByRole('region', { name: 'History' }).getByRole('listitem').first().waitFor(LONG);
    await pane.getByRole('button', { name: 'Mount' }).click();
    await confirm(page, 'Mount ISO', 'Mount');
    const mount = task(await openTasks(page), 'Mount', /ubuntu-24\.04\.1-live-server-amd64\.iso/);
    await expectTaskState(mount, 'Running');
    await closeTasks(page);
    await search(page, '');

    await stack.api.close();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const banner = page.getByRole('status').filter({ hasText: 'Offline — showing data from' });
    await banner.waitFor(LONG);

    await search(page, 'windows');
    await eventually(() => rowCount(page)).toBe(2);
    for (const row of await isoRows(page).allTextContents()) expect(row.toLowerCase()).toContain('windows');
    await search(page, '');
    await eventually(() => rowCount(page)).toBe(all);

    const cached = await openIso(page, 'Noble Numbat', 'ubuntu-24.04.1-live-server-amd64.iso');
    await eventually(() => cached.getByRole('region', { name: 'History' }).getByRole('listitem').count()).toBeGreaterThan(0);
    await search(page, '');
    await dismissToasts(page);
    await screenshot(page, 'offline');
  });

  it('disables every network action before it is tried, with the reason on screen', async () => {
    const pane = detailPane(page);
    const controls = [
      page.getByRole('button', { name: 'Upload', exact: true }),
      page.getByRole('button', { name: 'Unmount' }),
      pane.getByRole('button', { name: 'Mount' }),
      pane.getByRole('button', { name: 'Edit', exact: true }),
      pane.getByRole('button', { name: 'Delete', exact: true }),
    ];
    for (const control of controls) {
      expect(await control.isDisabled(), String(control)).toBe(true);
      expect(await description(control), String(control)).toContain('You are offline');
      expect(await reasonShown(control), String(control)).toBe(true);
    }
    // Still focusable, so keyboard users reach the reason too.
    await controls[0]!.focus();
    expect(await controls[0]!.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('keeps the task started before the connection dropped', async () => {
    const centre = await openTasks(page);
    await expectTaskState(task(centre, 'Mount', /ubuntu-24\.04\.1-live-server-amd64\.iso/), 'Running');
  });
});
