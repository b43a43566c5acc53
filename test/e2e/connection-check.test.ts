/**
 * Help → Check connection in the app: the doctor's report (calls with host, time and outcome,
 * hosts, open questions), and "Save report…", which downloads the redacted bug report.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { LONG, signIn } from './support/ui.js';

let stack: Stack;
let browser: Browser;
let page: Page;
screenshotEachTest('connection-check', () => page);

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ api: { answers: 'alternatives' } }), launchChromium()]);
  ({ page } = await openPage(browser));
  await page.goto(stack.harness.url);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('Check connection', () => {
  it('runs from the sign-in screen before any profile exists, and checks the hosts', async () => {
    await page.getByRole('button', { name: 'Check connection…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check connection' });
    await dialog.getByText('Not signed in: only the hosts were checked.').waitFor(LONG);
    expect(
      await dialog
        .getByRole('listitem')
        .filter({ hasText: stack.api.url.replace('http://', '') })
        .textContent(),
    ).toMatch(/Answers/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows each read-only call with its host, time and what fell back or surprised it', async () => {
    await signIn(page, { profile: 'work', key: stack.api.keys.client });
    await page.getByRole('button', { name: 'More', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Check connection…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check connection' });
    const calls = dialog.getByRole('table', { name: 'Calls' });
    await calls.waitFor(LONG);
    await expect.poll(() => dialog.getByText(/^Profile work at /).textContent()).toMatch(/^Profile work at 127\.0\.0\.1:\d+$/);
    const row = (title: RegExp) => calls.getByRole('row').filter({ has: page.getByRole('rowheader', { name: title }) });
    expect(await row(/^eq\.php list$/).textContent()).toMatch(/Fell back|Unexpected/);
    expect(await row(/^eq\.php list$/).textContent()).toContain('servers listed as bare ids');
    expect(await row(/^iso\.php uploaded$/).textContent()).toMatch(/Unexpected.*the list is in "iso_images", not "data"/s);
    expect(await row(/^iso\.php list_iso/).textContent()).toMatch(/\d+ ms/);
    await dialog.getByText('Needs your help').first().waitFor();
    await screenshot(page, 'connection-check');
  });

  it('saves the redacted report with the answer log, without the key or the email', async () => {
    const dialog = page.getByRole('dialog', { name: 'Check connection' });
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save report…' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^isodesk-report-\d{8}-\d{4}\.txt$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text).toContain('connection check');
    expect(text).toContain('Unexpected answers (newest first');
    expect(text).toContain('the token is inside "result" (nested login)');
    for (const secret of [stack.api.keys.client, 'client@example.com', 'https://']) expect(text).not.toContain(secret);
    await page.getByRole('status').filter({ hasText: 'Report saved' }).waitFor(LONG);
  });
});
