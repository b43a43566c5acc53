/**
 * The Activity tab and My uploads' hygiene in Chromium, against the browser harness and the local
 * HOSTKEY API: a mount made in the app is one timeline row with HOSTKEY's login and message and the
 * server; filters narrow it; CSV export downloads the file main wrote. My uploads shows the total
 * size, ages and "never mounted", and deletes several uploads after one confirmation that lists them.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './support/chromium.js';
import { signedInStack, type SignedInStack } from './support/signed-in.js';
import { confirm, eventually, expectTaskState, LONG, openIso, openTasks, task, closeTasks } from './support/ui.js';

let stack: SignedInStack;
let page: Page;

beforeAll(async () => {
  stack = await signedInStack();
  page = stack.page;
}, 180_000);

afterAll(() => stack?.close());

function timeline(): Locator {
  return page.getByRole('table', { name: 'Activity' });
}

describe('the activity timeline', () => {
  it('shows a mount made here as one row with who, what, where and HOSTKEY’s message, and filters it', async () => {
    const pane = await openIso(page, 'Bookworm', 'debian-12.7.0-amd64-netinst.iso');
    await pane.getByRole('button', { name: 'Mount' }).click();
    await confirm(page, 'Mount ISO', 'Mount');
    await expectTaskState(task(await openTasks(page), 'Mount', 'debian-12.7.0-amd64-netinst.iso on web-ams-01.client.example'), 'Done');
    await closeTasks(page);

    await page.getByRole('tab', { name: 'Activity' }).click();
    const mount = timeline().getByRole('row').filter({ hasText: 'Mount requested' }).filter({ hasText: 'debian-12.7.0-amd64-netinst.iso' });
    await mount.first().waitFor(LONG);
    expect(await mount.count()).toBe(1);
    const cells = await mount.getByRole('cell').allTextContents();
    expect(cells[1]).toContain('mount');
    expect(cells[2]).toContain('HOSTKEY history + this app');
    expect(cells[3]).toBe('client@example.com');
    expect(cells[4]).toBe('web-ams-01.client.example');
    expect(cells[5]).toMatch(/^Mount on server \d+$/);
    // Newest first.
    expect(await timeline().getByRole('row').nth(1).textContent()).toContain('debian-12.7.0-amd64-netinst.iso');
    await screenshot(page, 'activity');

    await page.getByRole('group', { name: 'Filters' }).getByLabel('Kind').selectOption('upload');
    await eventually(async () => {
      const kinds = await timeline().locator('tbody td:nth-child(2)').allTextContents();
      return kinds.length > 0 && kinds.every((k) => k.trim() === 'upload');
    }).toBe(true);
    await page.getByRole('group', { name: 'Filters' }).getByLabel('Kind').selectOption({ label: 'All kinds' });
    await page.getByRole('group', { name: 'Filters' }).getByLabel('Server').selectOption({ label: 'web-ams-01.client.example' });
    await eventually(() => timeline().locator('tbody tr').count()).toBe(1);
  });

  it('exports what is shown as a CSV download', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^isodesk-activity-\d{8}-\d{4}\.csv$/);
    const text = fs.readFileSync((await file.path())!, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,kind,login,what,server_id,iso_id,iso_name,state,message,sources');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,mount,client@example\.com,.*debian-12\.7\.0-amd64-netinst\.iso.*,succeeded,Mount on server \d+,hostkey\+journal$/);
  });
});

describe('my uploads', () => {
  function uploadRow(name: string): Locator {
    return page.getByRole('table', { name: 'My uploads' }).getByRole('row').filter({ hasText: name });
  }

  it('shows the total size, ages and "never mounted", and deletes several after one confirmation listing them', async () => {
    await page.getByRole('tab', { name: 'My uploads' }).click();
    await uploadRow('win-custom-2022.iso').waitFor(LONG);
    expect(await page.getByText(/· [\d.]+ (GiB|MiB) in all/).count()).toBe(1);
    await eventually(() => uploadRow('win-custom-2022.iso').getByText('never mounted').count()).toBe(1);
    expect(await uploadRow('archlinux-2024.11.01-x86_64.iso').textContent()).toMatch(/(\d+ (days|months|years)|today)/);

    await uploadRow('win-custom-2022.iso').getByRole('checkbox').check();
    await uploadRow('archlinux-2024.11.01-x86_64.iso').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Delete 2 selected…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete 2 uploads' });
    await dialog.waitFor();
    const listed = await dialog.getByRole('list', { name: 'What this acts on' }).getByRole('listitem').allTextContents();
    expect(listed.map((l) => l.split(' · ')[0])).toEqual(['archlinux-2024.11.01-x86_64.iso', 'win-custom-2022.iso']);
    await screenshot(page, 'uploads-delete-several');
    await dialog.getByRole('button', { name: 'Delete 2' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(
      async () => (await uploadRow('win-custom-2022.iso').count()) === 0 || /Deleting/.test((await uploadRow('win-custom-2022.iso').textContent()) ?? ''),
    ).toBe(true);
    await eventually(
      async () =>
        (await uploadRow('archlinux-2024.11.01-x86_64.iso').count()) === 0 ||
        /Deleting/.test((await uploadRow('archlinux-2024.11.01-x86_64.iso').textContent()) ?? ''),
    ).toBe(true);
  });
});
