/**
 * Changing the catalog, as the seed allows each role: a customer edits (HOSTKEY has the last word)
 * and deletes only its own uploads; an administrator adds, edits and deletes with `del` (queued or
 * at once) and with the alternative `delete`. Each deletion says what HOSTKEY answered, and the
 * image is gone from the catalog afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack } from './support/stack.js';
import { description, detailPane, eventually, grid, isoRow, LONG, openIso, reasonShown, search, signIn, toast } from './support/ui.js';

let browser: Browser;
let page: Page | undefined;
screenshotEachTest('admin', () => page);

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A stack of its own and a page signed in with `key`, for one describe block. */
function signedIn(profile: string, key: (stack: Stack) => string): { stack: () => Stack; page: () => Page } {
  let stack: Stack;
  let mine: Page;
  beforeAll(async () => {
    stack = await startStack();
    ({ page: mine } = await openPage(browser));
    page = mine;
    await mine.goto(stack.harness.url);
    await signIn(mine, { profile, key: key(stack) });
  });
  afterAll(async () => {
    await mine?.context().close();
    await stack?.close();
  });
  return { stack: () => stack, page: () => mine };
}

async function deleteDialog(page: Page, title = 'Delete ISO') {
  const dialog = page.getByRole('alertdialog', { name: title });
  await dialog.waitFor();
  return dialog;
}

/** Waits until a search for `query` lists nothing, i.e. the image left the catalog. */
async function expectGone(page: Page, query: string): Promise<void> {
  await search(page, query);
  await eventually(() => grid(page).textContent()).toContain('No ISOs match');
  await search(page, '');
}

describe('a customer', () => {
  const session = signedIn('customer', (s) => s.api.keys.client);

  it('sees Add ISO and Delete refused in advance, with the reason as text', async () => {
    const page = session.page();
    const add = page.getByRole('button', { name: 'Add ISO' });
    expect(await add.isDisabled()).toBe(true);
    expect(await description(add)).toContain('administrators can');
    const pane = await openIso(page, 'Bookworm', 'debian-12.7.0-amd64-netinst.iso');
    const del = pane.getByRole('button', { name: 'Delete', exact: true });
    expect(await del.isDisabled()).toBe(true);
    expect(await description(del)).toContain('Only administrators and the owner');
    expect(await reasonShown(del)).toBe(true);
    // The seed puts no role on update: Edit is offered.
    expect(await pane.getByRole('button', { name: 'Edit', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, 'customer-not-owner');
  });

  it("shows HOSTKEY's own refusal when it edits an image it does not own", async () => {
    const page = session.page();
    const pane = await openIso(page, 'Bookworm', 'debian-12.7.0-amd64-netinst.iso');
    await pane.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Edit / });
    await dialog.getByLabel('Description').fill('Mine now');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => dialog.getByRole('alert').textContent()).toContain('only administrators and the owner of a private image may change it');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('deletes its own upload, and HOSTKEY refuses an admin action it tries anyway', async () => {
    const page = session.page();
    const pane = await openIso(page, 'archlinux', 'archlinux-2024.11.01-x86_64.iso');
    const del = pane.getByRole('button', { name: 'Delete', exact: true });
    await eventually(() => del.isEnabled()).toBe(true);
    await del.click();
    const dialog = await deleteDialog(page);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, 'HOSTKEY answered “Deleting”').waitFor(LONG);
    await expectGone(page, 'archlinux');

    const answer = await page.evaluate(() =>
      window.isodesk!.iso.add({ name: 'Sneaky', short_name: 'sneaky', iso_name: 'sneaky.iso', private: 'client@example.com' }),
    );
    expect(answer).toMatchObject({ ok: false, error: { kind: 'permission', message: expect.stringContaining('administrator') } });
  });
});

describe('an administrator', () => {
  const session = signedIn('admin', (s) => s.api.keys.admin);

  /** Adds an ISO through the Add ISO dialog, as Active so the catalog lists it. */
  async function addIso(page: Page, name: string, isoName: string, screenshotName?: string): Promise<void> {
    await page.getByRole('button', { name: 'Add ISO' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add ISO' });
    // Required fields say so; the example client email is nobody's real address.
    for (const label of ['Name', 'Short name', 'File name', 'Private (client email)']) {
      expect(await dialog.getByLabel(label, { exact: true }).getAttribute('aria-required'), label).toBe('true');
    }
    expect(await dialog.getByLabel('Private (client email)').getAttribute('placeholder')).toBe('client@example.com');
    expect(await dialog.getByLabel('Status', { exact: true }).locator('option').allTextContents()).toEqual([
      "HOSTKEY's default (Pending)",
      'Pending',
      'Active',
      'Other…',
    ]);
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Short name').fill(isoName.slice(0, 12));
    await dialog.getByLabel('File name').fill(isoName);
    await dialog.getByLabel('Private (client email)').fill('client@example.com');
    await dialog.getByLabel('Description').fill(`${name} installer`);
    await dialog.getByLabel('Status', { exact: true }).selectOption('Active');
    if (screenshotName) await screenshot(page, screenshotName);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, `Added ${name}`).waitFor(LONG);
  }

  it('adds an ISO', async () => {
    const page = session.page();
    await addIso(page, 'Kali Linux 2024.4', 'kali-linux-2024.4-installer-amd64.iso', 'admin-add');
    await search(page, 'kali');
    await isoRow(page, 'kali-linux-2024.4-installer-amd64.iso').waitFor(LONG);
    await search(page, '');
  });

  it('edits an ISO', async () => {
    const page = session.page();
    await addIso(page, 'Parrot OS 6.2', 'parrot-security-6.2.iso');
    const pane = await openIso(page, 'parrot', 'parrot-security-6.2.iso');
    await pane.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Edit / });
    await dialog.getByLabel('Description').fill('Parrot OS 6.2 (checked)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await eventually(() => detailPane(page).textContent()).toContain('(checked)');
    await eventually(() => isoRow(page, 'parrot').first().textContent()).toContain('(checked)');
    const history = detailPane(page).getByRole('region', { name: 'History' });
    await eventually(() => history.textContent()).toContain('Changed description');
    await search(page, '');
  });

  it('queues a deletion with del, says HOSTKEY answered “Deleting”, and the ISO leaves the catalog', async () => {
    const page = session.page();
    await addIso(page, 'Tails 6.9', 'tails-amd64-6.9.iso');
    const pane = await openIso(page, 'tails', 'tails-amd64-6.9.iso');
    await pane.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = await deleteDialog(page);
    expect(await dialog.getByRole('checkbox', { name: 'Delete now, without the queue' }).isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, 'Deletion accepted: tails-amd64-6.9.iso').waitFor(LONG);
    expect(await toast(page, 'HOSTKEY answered “Deleting”').count()).toBe(1);
    await expectGone(page, 'tails');
  });

  it('deletes at once, without the queue', async () => {
    const page = session.page();
    const pane = await openIso(page, 'SystemRescue', 'systemrescue-11.02-amd64.iso');
    await pane.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = await deleteDialog(page);
    await dialog.getByRole('checkbox', { name: 'Delete now, without the queue' }).check();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, 'Deleted systemrescue-11.02-amd64.iso').waitFor(LONG);
    expect(await toast(page, 'HOSTKEY answered “Deleted”').count()).toBe(1);
    await expectGone(page, 'SystemRescue');
  });

  it('deletes with the alternative method from the More menu, which says when to use it', async () => {
    const page = session.page();
    const pane = await openIso(page, 'TrueNAS', 'TrueNAS-SCALE-24.04.2.iso');
    await pane.getByRole('button', { name: 'More actions' }).click();
    const item = page.getByRole('menuitem', { name: 'Delete with the alternative method…' });
    expect(await description(item)).toMatch(/use it when Delete is refused or fails/);
    await screenshot(page, 'more-menu');
    await item.click();
    const dialog = await deleteDialog(page, 'Delete ISO (alternative method)');
    expect(await dialog.getByRole('checkbox').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await toast(page, 'Deletion accepted: TrueNAS-SCALE-24.04.2.iso').waitFor(LONG);
    await expectGone(page, 'TrueNAS');
    await screenshot(page, 'admin-deleted');
  });
});
