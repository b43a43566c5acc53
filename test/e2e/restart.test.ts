/**
 * Restart: the app closes while a mount and an upload are running; a new app on the same data
 * folder signs in by itself, shows both tasks, follows them and reports their end.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { confirm, eventually, expectTaskState, isoRows, LONG, openIso, openTasks, signIn, task } from './support/ui.js';

let stack: Stack;
let browser: Browser;
/** The page on screen: before the restart, then the new app's. */
let current: Page | undefined;
screenshotEachTest('restart', () => current);

const UPLOAD_URL = 'https://mirror.example.com/releases/nixos-minimal-24.05-x86_64-linux.iso';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ api: { taskDelayMs: 6000, uploadStepMs: 4000 } }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('restart', () => {
  it('resumes running tasks after the app restarts, and they finish', async () => {
    const before = await openPage(browser);
    const page = before.page;
    current = page;
    await page.goto(stack.harness.url);
    await signIn(page, { profile: 'work', key: stack.api.keys.client });

    // The upload (about 8 s at HOSTKEY here) first, then the mount (6 s): both still run at the restart.
    await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Upload an ISO' });
    await dialog.getByLabel('ISO URL').fill(UPLOAD_URL);
    const submit = dialog.getByRole('button', { name: 'Upload', exact: true });
    await eventually(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    const pane = await openIso(page, 'Bookworm', 'debian-12.7.0-amd64-netinst.iso');
    await pane.getByRole('button', { name: 'Mount' }).click();
    await confirm(page, 'Mount ISO', 'Mount');
    const centre = await openTasks(page);
    await expectTaskState(task(centre, 'Mount', /debian-12\.7\.0-amd64-netinst\.iso/), 'Running');
    await expectTaskState(task(centre, 'Upload', UPLOAD_URL), 'Running');
    await before.context.close();

    await stack.restartHarness();
    const after = await openPage(browser);
    current = after.page;
    await after.page.goto(stack.harness.url);
    await isoRows(after.page).first().waitFor(LONG);
    const resumed = await openTasks(after.page);
    const mount = task(resumed, 'Mount', /debian-12\.7\.0-amd64-netinst\.iso/);
    const upload = task(resumed, 'Upload', UPLOAD_URL);
    await mount.waitFor(LONG);
    await upload.waitFor(LONG);
    await expectTaskState(mount, 'Done', 30_000);
    await expectTaskState(upload, 'Done', 30_000);
    const server = after.page.getByRole('region', { name: 'web-ams-01.client.example' });
    await eventually(() => server.textContent()).toContain('debian-12.7.0-amd64-netinst.iso');
    await screenshot(after.page, 'restart-resumed');
  }, 90_000);
});
