/**
 * Issue #11 in Chromium: the upload dialog says what a link really is before anything is sent (a
 * bootable ISO with its publisher's SHA-256, a web page, an ISO that does not boot, a file already
 * uploaded, with both choices), and the catalog marks what changed since the last sync. Real
 * Chromium, the browser harness, the local HOSTKEY API, and a publisher's https mirror whose
 * certificate the harness trusts through an explicit CA.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { PUBLISHED, startPublisher, type Publisher } from '../fixtures/publisher.js';
import { startCore, type Core } from '../services/harness.js';
import { screenshot } from './support/chromium.js';
import { signedInStack, type SignedInStack } from './support/signed-in.js';
import { eventually, isoRow, isoRows, LONG, rowCount } from './support/ui.js';

let stack: SignedInStack;
let page: Page;
let publisher: Publisher;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-e2e-publisher-'));
  publisher = await startPublisher(tmp);
  stack = await signedInStack({ stack: { fileHostCa: publisher.certs.ca } });
  page = stack.page;
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await publisher?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function uploadDialog(): Locator {
  return page.getByRole('dialog', { name: 'Upload an ISO' });
}

/** Opens the upload dialog with `url` and waits for what main found out about it. */
async function check(url: string): Promise<Locator> {
  if (!(await uploadDialog().isVisible())) await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
  const dialog = uploadDialog();
  await dialog.getByLabel('ISO URL').fill(url);
  await dialog.getByRole('region', { name: 'What the file is' }).waitFor(LONG);
  return dialog;
}

describe('the upload dialog before anything is sent', () => {
  it('shows a good ISO: volume, boot modes, isohybrid, and the publisher’s SHA-256 as expected, not verified', async () => {
    const dialog = await check(publisher.url(PUBLISHED.ubuntu));
    const found = dialog.getByRole('region', { name: 'What the file is' });
    expect(await found.textContent()).toContain('ISO 9660 image, boots with BIOS and UEFI');
    expect(await found.textContent()).toMatch(/Volume label\s*\S+/);
    expect(await found.textContent()).toContain('Yes: it can also be written to a USB stick');
    const checksum = dialog.getByRole('region', { name: "Publisher's checksum" });
    expect(await checksum.textContent()).toContain(publisher.sha256[PUBLISHED.ubuntu]);
    expect(await checksum.textContent()).toContain('/releases/24.04/SHA256SUMS');
    expect(await checksum.textContent()).toContain('Expected, not verified');
    expect(await checksum.textContent()).toContain('sha256sum /dev/sr0');
    expect(await dialog.getByRole('button', { name: 'Upload', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, 'upload-good-iso');
  });

  it('keeps the publisher’s SHA-256 with the upload, shown later with the command to verify it on the server', async () => {
    const url = publisher.url(PUBLISHED.ubuntu);
    const dialog = await check(url);
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    await page.getByRole('tab', { name: 'My uploads' }).click();
    const row = page.getByRole('table', { name: 'My uploads' }).getByRole('button', { name: 'example-24.04-live-server-amd64.iso' });
    await row.click(LONG);
    const kept = page.getByRole('region', { name: 'Publisher’s SHA-256' });
    await kept.waitFor(LONG);
    expect(await kept.textContent()).toContain(publisher.sha256[PUBLISHED.ubuntu]);
    expect(await kept.textContent()).toContain('Not verified by ISO Desk');
    expect(await kept.textContent()).toContain('sha256sum /dev/sr0');
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('tab', { name: 'Catalog' }).click();
  });

  it('says an HTML page is a web page, not an ISO, without blocking the upload', async () => {
    const dialog = await check(publisher.url(PUBLISHED.page));
    const found = dialog.getByRole('region', { name: 'What the file is' });
    expect(await found.textContent()).toContain('This is a web page, not an ISO');
    expect(await found.getByRole('term').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Upload', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, 'upload-html-page');
  });

  it('says an ISO without a boot record does not boot', async () => {
    const dialog = await check(publisher.url(PUBLISHED.unlisted));
    const found = dialog.getByRole('region', { name: 'What the file is' });
    expect(await found.textContent()).toContain('image that does not boot');
    expect(await found.textContent()).toContain('Not bootable');
    expect(await dialog.getByRole('region', { name: "Publisher's checksum" }).textContent()).toContain('No SHA-256 published beside the file');
    await screenshot(page, 'upload-not-bootable');
  });

  it('offers to mount a file uploaded before instead of uploading it again, or to upload it again', async () => {
    const dialog = await check(publisher.url(PUBLISHED.arch));
    const before = dialog.getByRole('status', { name: 'Uploaded before' });
    await before.waitFor(LONG);
    expect(await before.textContent()).toMatch(/You uploaded a file named archlinux-2024\.11\.01-x86_64\.iso on .* \(Active\)\s*— mount it instead\?/);
    expect(await dialog.getByRole('button', { name: 'Upload again', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, 'upload-uploaded-before');
    await before.getByRole('button', { name: 'Mount it instead' }).click();
    await uploadDialog().waitFor({ state: 'detached' });
    const confirm = page.getByRole('alertdialog', { name: 'Mount ISO' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Mount archlinux-2024.11.01-x86_64.iso on');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('the catalog after a sync that found changes', () => {
  let admin: Core;

  afterAll(() => admin?.app.close());

  it('marks new and changed images, filters them, and lists removed ones once', async () => {
    admin = await startCore();
    await admin.call('session/signIn', { profile: 'admin', base_url: stack.api.url, api_key: stack.api.keys.admin });
    // The admin edits and deletes the first two images the customer sees, and adds one for them.
    const names = (await isoRows(page).locator('[aria-colindex="1"]').allTextContents()).slice(0, 2).map((t) => t.trim());
    const servers = await admin.call('servers/list', { refresh: true });
    const serverId = servers.items.find((s) => s.state === 'active')!.id;
    await admin.call('catalog/sync', { server_id: serverId });
    const all = (await admin.call('catalog/query', { server_id: serverId, limit: 500 })).rows;
    const [changed, removed] = names.map((name) => all.find((i) => i.iso_name === name)!);
    expect(changed && removed).toBeTruthy();
    await admin.call('iso/add', { name: 'Rescue 9', short_name: 'rescue9', iso_name: 'rescue-9.iso', private: 'client@example.com', status: 'Active' });
    await admin.call('iso/update', { id: changed!.id, description: 'Now with the 2025 point release' });
    await admin.call('iso/del', { id: removed!.id, pending: true });

    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const banner = page.getByRole('status', { name: 'Removed images' });
    await banner.waitFor(LONG);
    expect(await banner.textContent()).toContain(removed!.iso_name);
    await eventually(() => isoRow(page, 'rescue-9.iso').locator('.mark').textContent()).toBe('New');
    expect(await isoRows(page).filter({ hasText: changed!.iso_name }).first().locator('.mark').textContent()).toBe('Changed');
    await screenshot(page, 'catalog-changes');
    await isoRows(page).filter({ hasText: changed!.iso_name }).first().click();
    expect(await page.locator('.changed-note').textContent()).toContain(`description (was “${changed!.description}”)`);
    await page.getByRole('button', { name: 'Close details' }).click();

    const filter = page.getByRole('checkbox', { name: /Changed since/ });
    await filter.check();
    await eventually(() => rowCount(page)).toBeLessThanOrEqual(3);
    const marks = await isoRows(page).locator('.mark').allTextContents();
    expect(marks.length).toBe(await rowCount(page));
    expect(new Set(marks)).toEqual(new Set(['New', 'Changed']));
    await filter.uncheck();

    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.reload();
    await isoRows(page).first().waitFor(LONG);
    await eventually(() => isoRow(page, 'rescue-9.iso').locator('.mark').count()).toBe(1);
    expect(await page.getByRole('status', { name: 'Removed images' }).count()).toBe(0);
  });
});
