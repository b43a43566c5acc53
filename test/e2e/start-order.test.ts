/**
 * The order of a start with a cached catalog (renderer/src/lib/first-rows.ts): the cached servers
 * and the first page of the server shown last are asked for as the window starts, beside the
 * session, and used by the list; everything else (tasks, jobs, power, uploads, preferences, the change set, the sync with
 * HOSTKEY) is asked for only once that page has been answered. The window's later parts (dialogs,
 * panels: renderer/src/lib/later-parts.ts) are fetched after it too, not before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RPC_PREFIX } from '../../main/web/bridge-protocol.js';
import { launchChromium, openPage } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { isoRows, signIn } from './support/ui.js';

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  ({ page } = await openPage(browser));
  await page.goto(stack.harness.url);
  await signIn(page, { profile: 'work', key: stack.api.keys.client });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** What the page asked main for, and when the answers came, in the order they happened. */
function recordCalls(target: Page): string[] {
  const seen: string[] = [];
  const channel = (url: string): string | null => {
    const { pathname } = new URL(url);
    return pathname.startsWith(RPC_PREFIX) ? pathname.slice(RPC_PREFIX.length) : null;
  };
  target.on('request', (r) => {
    const name = channel(r.url());
    if (name) seen.push(`asked ${name}`);
    // A chunk other than the script the page starts with (index-*.js).
    else if (/\/assets\/(?!index-)[^/]+\.js$/.test(new URL(r.url()).pathname)) seen.push('fetched a later part');
  });
  target.on('response', (r) => {
    const name = channel(r.url());
    if (name) seen.push(`answered ${name}`);
  });
  return seen;
}

describe('a start with a cached catalog', () => {
  it('asks for the first rows first, uses that answer, and asks for the rest only after it', async () => {
    // Away first, so that nothing the last page still had in flight is counted.
    await page.goto('about:blank');
    const seen = recordCalls(page);
    await page.goto(stack.harness.url);
    await isoRows(page).first().waitFor();
    // The start's own sync with HOSTKEY comes after the rows; once it is asked for, the start's order is complete.
    await expect.poll(() => seen.includes('asked catalog/sync'), { timeout: 15_000 }).toBe(true);

    // The rows, the servers and the session are asked for together, before any of them is answered.
    expect(seen.slice(0, 3)).toEqual(['asked catalog/query', 'asked servers/list', 'asked session/status']);
    const firstRows = seen.indexOf('answered catalog/query');
    for (const later of ['tasks/list', 'jobs/list', 'power/list', 'power/status', 'uploads/list', 'prefs/get', 'catalog/changes', 'catalog/sync']) {
      const asked = seen.indexOf(`asked ${later}`);
      if (asked >= 0) expect(asked, later).toBeGreaterThan(firstRows);
    }
    // The dialogs and panels come after the rows, and do come: opening one later does not wait for its file.
    await expect.poll(() => seen.includes('fetched a later part'), { timeout: 15_000 }).toBe(true);
    expect(seen.indexOf('fetched a later part')).toBeGreaterThan(firstRows);
    // The list and the server picker used those answers: neither was asked for again.
    const beforeSync = seen.slice(0, seen.indexOf('asked catalog/sync'));
    expect(beforeSync.filter((c) => c === 'asked catalog/query')).toHaveLength(1);
    expect(beforeSync.filter((c) => c === 'asked servers/list')).toHaveLength(1);
  });

  it('says so when a later part cannot be loaded as it is opened, instead of showing nothing', async () => {
    const { page: cut, context } = await openPage(browser);
    try {
      // The keyboard shortcuts' file never arrives (an update replaced the files, the harness went away).
      const shortcutsFile = /\/assets\/ShortcutsDialog-[^/]+\.js$/;
      await cut.route(shortcutsFile, (route) => route.abort());
      await cut.goto(stack.harness.url);
      await isoRows(cut).first().waitFor();
      await cut.keyboard.press('?');
      await cut.getByText('This part of ISO Desk could not be loaded. Reload the window (Ctrl+R), then try again.').waitFor();
      expect(await cut.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);
      // The shortcut is not left stuck on a dialog that is open and not there: the same key says so again.
      const failures = cut.getByText('This part of ISO Desk could not be loaded. Reload the window (Ctrl+R), then try again.');
      await cut.keyboard.press('?');
      await expect.poll(() => failures.count()).toBe(2);
      // The browser keeps a failed module failed until the page loads again; the toast's Reload
      // does that, and then the file arrives and the dialog opens.
      await cut.unroute(shortcutsFile);
      await cut.getByRole('button', { name: 'Reload' }).first().click();
      await isoRows(cut).first().waitFor();
      await cut.keyboard.press('?');
      await cut.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
