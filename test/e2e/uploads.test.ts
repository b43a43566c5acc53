/**
 * My uploads as a place to work: distinct status badges and full dates, rows opened with the
 * keyboard into a detail pane (source URL, status, size, dates, history, Mount, Delete), a failed
 * upload that says why and offers "Upload again", and a download whose size grows with the time
 * of each check. Each describe block has its own local API, with the timings it needs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { startStack, type Stack, type StackOptions } from './support/stack.js';
import { description, detailPane, eventually, expectTaskState, LONG, openTasks, reasonShown, signIn, task, toast } from './support/ui.js';

let browser: Browser;
let page: Page | undefined;
screenshotEachTest('uploads', () => page);

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A stack of its own (with `opts`) and a customer's page, for one describe block. */
function customer(opts: StackOptions = {}): () => Page {
  let stack: Stack;
  let mine: Page;
  beforeAll(async () => {
    stack = await startStack(opts);
    ({ page: mine } = await openPage(browser));
    page = mine;
    await mine.goto(stack.harness.url);
    await signIn(mine, { profile: 'work', key: stack.api.keys.client });
    await mine.getByRole('tab', { name: 'My uploads' }).click();
  });
  afterAll(async () => {
    await mine?.context().close();
    await stack?.close();
  });
  return () => mine;
}

function uploadsTable(page: Page): Locator {
  return page.getByRole('table', { name: 'My uploads' });
}

function uploadRow(page: Page, name: string): Locator {
  return uploadsTable(page).getByRole('row').filter({ hasText: name });
}

/** The detail pane once it shows the upload whose display name starts with `name`. */
async function uploadPane(page: Page, name: string): Promise<Locator> {
  const pane = detailPane(page);
  await eventually(() => pane.getByRole('heading', { level: 2 }).textContent()).toContain(name);
  return pane;
}

/** Starts an upload through the upload dialog. */
async function upload(page: Page, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Upload an ISO' });
  await dialog.getByLabel('ISO URL').fill(url);
  const submit = dialog.getByRole('button', { name: 'Upload', exact: true });
  await eventually(() => submit.isEnabled()).toBe(true);
  await submit.click();
  await dialog.waitFor({ state: 'detached', ...LONG });
}

describe('the list', () => {
  const current = customer();

  it('tells statuses apart by colour and shows whole dates', async () => {
    const page = current();
    const active = uploadRow(page, 'archlinux-2024.11.01-x86_64.iso').locator('.badge');
    const failed = uploadRow(page, 'win-custom-2022.iso').locator('.badge');
    await failed.waitFor(LONG);
    expect(await active.textContent()).toContain('Active');
    expect(await failed.textContent()).toContain('Error');
    const colour = (badge: Locator) => badge.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour(active)).not.toBe(await colour(failed));

    for (const name of ['archlinux-2024.11.01-x86_64.iso', 'win-custom-2022.iso']) {
      const cell = uploadRow(page, name).getByRole('cell').last();
      const text = (await cell.textContent()) ?? '';
      expect(text).toMatch(/2024.*\d{1,2}:\d{2}/);
      expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth), `${text} is cut`).toBe(true);
    }
  });

  it('opens a row with the keyboard, and moves between rows with the arrow keys', async () => {
    const page = current();
    const first = uploadsTable(page).getByRole('button', { name: 'archlinux-2024.11.01-x86_64.iso' });
    await first.focus();
    await page.keyboard.press('ArrowDown');
    const second = uploadsTable(page).getByRole('button', { name: 'win-custom-2022.iso' });
    await eventually(() => second.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const pane = await uploadPane(page, 'win-custom-2022');
    const text = await pane.textContent();
    for (const fact of ['https://files.client.example/failed-builds/win-custom-2022.iso', 'Error', 'Uploaded', 'Updated', '2024']) expect(text).toContain(fact);
    await eventually(() => pane.getByRole('region', { name: 'History' }).textContent()).toContain('404 Not Found');
    await page.keyboard.press('Escape');
    await pane.waitFor({ state: 'detached' });
  });

  it('offers Mount only for a ready upload, Delete for its owner, and Upload again for a failed one', async () => {
    const page = current();
    await uploadsTable(page).getByRole('button', { name: 'win-custom-2022.iso' }).click();
    const failedPane = await uploadPane(page, 'win-custom-2022');
    const mount = failedPane.getByRole('button', { name: 'Mount' });
    expect(await mount.isDisabled()).toBe(true);
    expect(await description(mount)).toContain('This upload failed');
    expect(await reasonShown(mount)).toBe(true);
    expect(await failedPane.getByRole('button', { name: 'Delete', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, 'upload-failed');
    await failedPane.getByRole('button', { name: 'Upload again' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload an ISO' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('ISO URL').inputValue()).toBe('https://files.client.example/failed-builds/win-custom-2022.iso');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await uploadsTable(page).getByRole('button', { name: 'archlinux-2024.11.01-x86_64.iso' }).click();
    const readyPane = await uploadPane(page, 'archlinux-2024.11.01-x86_64');
    expect(await readyPane.getByRole('button', { name: 'Mount' }).isEnabled()).toBe(true);
    expect(await readyPane.getByRole('button', { name: 'Upload again' }).count()).toBe(0);
  });

  it('deletes an upload from its pane', async () => {
    const page = current();
    await uploadsTable(page).getByRole('button', { name: 'win-custom-2022.iso' }).click();
    await (await uploadPane(page, 'win-custom-2022')).getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete ISO' });
    await dialog.getByRole('checkbox', { name: 'Delete now, without the queue' }).check();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await toast(page, 'Deleted win-custom-2022.iso').waitFor(LONG);
    await eventually(() => uploadRow(page, 'win-custom-2022.iso').count()).toBe(0);
  });

  it('says why an upload failed, in the words of the task that followed it', async () => {
    const page = current();
    const url = 'https://mirror.example.com/fail/never-there.iso';
    await upload(page, url);
    const item = task(await openTasks(page), 'Upload', url);
    await expectTaskState(item, 'Failed');
    const message = (await item.locator('blockquote').textContent())!.trim();
    expect(message.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Close tasks' }).click();
    await uploadsTable(page).getByRole('button', { name: 'never-there.iso' }).click();
    const pane = await uploadPane(page, 'never-there');
    await eventually(() => pane.locator('q').textContent()).toBe(message);
  });
});

describe('a download in progress', () => {
  // Each stage of an upload takes 5 s here, so the download is watched for a while.
  const current = customer({ api: { uploadStepMs: 5000 } });

  it('shows the size so far growing, with the time of each check', async () => {
    const page = current();
    await upload(page, 'https://mirror.example.com/releases/fedora-server-41-x86_64.iso');
    const row = uploadRow(page, 'fedora-server-41-x86_64.iso');
    const soFar = row.getByText(/so far/);
    await soFar.waitFor({ timeout: 20_000 });
    const read = async () => {
      const text = (await soFar.textContent()) ?? '';
      const match = /([\d.]+) (\w+) so far · (\d\d:\d\d:\d\d)/.exec(text);
      const units: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
      return match ? { bytes: Number(match[1]) * (units[match[2]!] ?? 0), at: match[3]! } : null;
    };
    const first = await read();
    expect(first).not.toBeNull();
    await screenshot(page, 'upload-downloading');
    await eventually(async () => {
      const later = await read();
      return later !== null && later.bytes > first!.bytes && later.at !== first!.at;
    }, 20_000).toBe(true);
    await uploadsTable(page).getByRole('button', { name: 'fedora-server-41-x86_64.iso' }).click();
    const pane = await uploadPane(page, 'fedora-server-41-x86_64');
    await eventually(() => pane.textContent()).toMatch(/so far.*checked \d\d:\d\d:\d\d/);
    expect(await description(pane.getByRole('button', { name: 'Mount' }))).toContain('has not finished downloading');
  }, 60_000);
});

describe('the upload dialog', () => {
  const current = customer();
  let server: http.Server;
  let requests = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-length': '1000' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses plain http once, without fetching the refused link', async () => {
    const page = current();
    await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Upload an ISO' });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/plain.iso`;
    await dialog.getByLabel('ISO URL').fill(url);
    await eventually(() => dialog.getByRole('alert').textContent()).toContain('only downloads ISOs over https');
    expect(await dialog.getByText(/only downloads ISOs over https/).count()).toBe(1);
    const submit = dialog.getByRole('button', { name: 'Upload', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    expect(await description(submit)).toContain('only downloads ISOs over https');
    expect(requests).toBe(0);
    await screenshot(page, 'upload-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
