/**
 * Admin actions by role: a customer sees them disabled with the reason (and HOSTKEY refuses them
 * anyway); an administrator adds an ISO, updates its description, deletes with `del` (queued or
 * at once) and with the alternative `delete`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { confirm, description, detailPane, eventually, fillSignIn, grid, isoRow, LONG, openIso, search, signIn, toast } from './support/ui.js';

let stack: Stack;
let browser: Browser;
let page: Page;
screenshotEachTest('admin', () => page);

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  ({ page } = await openPage(browser));
  await page.goto(stack.harness.url);
  await signIn(page, { profile: 'customer', key: stack.api.keys.client });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('a customer', () => {
  it('sees admin actions disabled, with the reason', async () => {
    const add = page.getByRole('button', { name: 'Add ISO' });
    expect(await add.isDisabled()).toBe(true);
    expect(await description(add)).toContain('administrators can');
    const pane = await openIso(page, 'Bookworm', 'debian-12.7.0-amd64-netinst.iso');
    for (const name of ['Edit', 'Delete', 'Delete (by ID)']) {
      const button = pane.getByRole('button', { name, exact: true });
      expect(await button.isDisabled(), name).toBe(true);
      expect(await description(button), name).toMatch(/administrators/);
    }
  });

  it('is refused by HOSTKEY too, with its message', async () => {
    const answer = await page.evaluate(() =>
      window.isodesk!.iso.add({ name: 'Sneaky', short_name: 'sneaky', iso_name: 'sneaky.iso', private: 'client@example.com' }),
    );
    expect(answer).toMatchObject({ ok: false, error: { kind: 'permission', message: expect.stringContaining('administrator') } });
  });
});

describe('an administrator', () => {
  it('signs in as a second profile', async () => {
    await page.getByRole('button', { name: 'Add profile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add profile' });
    await fillSignIn(dialog, { profile: 'admin', key: stack.api.keys.admin });
    await dialog.waitFor({ state: 'detached', ...LONG });
    await eventually(() => page.getByRole('button', { name: 'Add ISO' }).isEnabled()).toBe(true);
  });

  it('adds an ISO', async () => {
    await page.getByRole('button', { name: 'Add ISO' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add ISO' });
    await dialog.getByLabel('Name', { exact: true }).fill('Kali Linux 2024.4');
    await dialog.getByLabel('Short name').fill('kali20244');
    await dialog.getByLabel('File name').fill('kali-linux-2024.4-installer-amd64.iso');
    await dialog.getByLabel('Private (client email)').fill('client@example.com');
    await dialog.getByLabel('Description').fill('Kali Linux 2024.4 installer');
    await dialog.getByLabel('Status').fill('Active');
    await screenshot(page, 'admin-add');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, 'Added Kali Linux 2024.4').waitFor(LONG);
    await search(page, 'kali');
    await isoRow(page, 'kali-linux-2024.4-installer-amd64.iso').waitFor(LONG);
  });

  it('updates its description', async () => {
    const pane = await openIso(page, 'kali', 'kali-linux-2024.4-installer-amd64.iso');
    await pane.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Edit / });
    await dialog.getByLabel('Description').fill('Kali Linux 2024.4 installer (checked)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await eventually(() => detailPane(page).textContent()).toContain('(checked)');
    await eventually(() => isoRow(page, 'kali').first().textContent()).toContain('(checked)');
    const history = detailPane(page).getByRole('region', { name: 'History' });
    await eventually(() => history.textContent()).toContain('Changed description');
  });

  it('queues a deletion with del', async () => {
    const pane = await openIso(page, 'kali', 'kali-linux-2024.4-installer-amd64.iso');
    await pane.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete ISO' });
    expect(await dialog.getByRole('checkbox', { name: 'Delete now' }).isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, 'Deletion queued for kali-linux-2024.4-installer-amd64.iso').waitFor(LONG);
  });

  it('deletes at once with del and "Delete now"', async () => {
    const pane = await openIso(page, 'SystemRescue', 'systemrescue-11.02-amd64.iso');
    await pane.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete ISO' });
    await dialog.getByRole('checkbox', { name: 'Delete now' }).check();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, 'Deleted systemrescue-11.02-amd64.iso').waitFor(LONG);
    await eventually(() => grid(page).textContent()).toContain('No ISOs match');
  });

  it('deletes with the alternative delete, by ID', async () => {
    const pane = await openIso(page, 'TrueNAS', 'TrueNAS-SCALE-24.04.2.iso');
    await pane.getByRole('button', { name: 'Delete (by ID)' }).click();
    await confirm(page, 'Delete ISO (by ID)', 'Delete');
    await toast(page, 'Deleted TrueNAS-SCALE-24.04.2.iso').waitFor(LONG);
    await screenshot(page, 'admin-deleted');
  });
});
