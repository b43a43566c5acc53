/**
 * Everything that starts a task, in one signed-in session: a link dropped on the window or pasted
 * opens the upload dialog (non-https and malformed links are refused), an upload runs to the end
 * under My uploads and in the task centre, mounts and unmounts succeed and fail with the API's
 * message. The same session then proves that neither the API key nor the token ever reached the
 * page: every /rpc answer and /events message the page received is searched for both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { WEB_SECRETS_FILE } from '../../main/web/app-side.js';
import { screenshot, screenshotEachTest } from './support/chromium.js';
import { signedInStack, type SignedInStack } from './support/signed-in.js';
import {
  closeTasks,
  confirm,
  detailPane,
  dismissToasts,
  eventually,
  expectTaskState,
  isoRows,
  LONG,
  openIso,
  openTasks,
  rowsCovered,
  search,
  task,
  toast,
} from './support/ui.js';

let stack: SignedInStack;
let page: Page;
screenshotEachTest('tasks', () => page);

const UPLOAD_URL = 'https://mirror.example.com/releases/alpine-virt-3.20.3-x86_64.iso';

/** Keeps a copy of every bridge answer and event the page receives (installed before any script). */
function recordBridgeTraffic(): void {
  const seen: string[] = [];
  (window as unknown as { bridgeTraffic: string[] }).bridgeTraffic = seen;
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const res = await original(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    if (url.pathname.startsWith('/rpc/') || url.pathname === '/events') {
      const reader = res.clone().body?.pipeThrough(new TextDecoderStream()).getReader();
      void (async () => {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          seen.push(chunk.value);
        }
      })();
    }
    return res;
  };
}

async function dropLink(page: Page, type: 'text/uri-list' | 'text/plain', text: string): Promise<void> {
  await page.evaluate(
    ({ type, text }) => {
      const data = new DataTransfer();
      data.setData(type, text);
      const target = document.querySelector('[role="grid"]') ?? document.body;
      for (const name of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(name, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { type, text },
  );
}

function uploadDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Upload an ISO' });
}

beforeAll(async () => {
  stack = await signedInStack({ beforeLoad: (fresh) => fresh.addInitScript(recordBridgeTraffic) });
  page = stack.page;
});

// The task centre covers the detail pane: each test opens it when it needs it.
afterEach(() => closeTasks(page));

afterAll(() => stack?.close());

describe('upload by URL', () => {
  it('opens the upload dialog with a link dropped on the window', async () => {
    await dropLink(page, 'text/uri-list', `# dragged from a browser\r\n${UPLOAD_URL}\r\n`);
    const dialog = uploadDialog(page);
    await dialog.waitFor();
    expect(await dialog.getByLabel('ISO URL').inputValue()).toBe(UPLOAD_URL);
    // The main process looked the link up: file name, and why it could not check it from here.
    await eventually(() => dialog.textContent()).toContain('alpine-virt-3.20.3-x86_64.iso');
    await eventually(() => dialog.textContent()).toContain('could not check the file');
    await screenshot(page, 'upload-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('opens it with a pasted link too', async () => {
    await page.evaluate((url) => {
      const data = new DataTransfer();
      data.setData('text/plain', url);
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, UPLOAD_URL);
    await uploadDialog(page).waitFor();
    expect(await uploadDialog(page).getByLabel('ISO URL').inputValue()).toBe(UPLOAD_URL);
    await uploadDialog(page).getByRole('button', { name: 'Close' }).click();
  });

  it('refuses plain http and malformed links before anything is sent', async () => {
    await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
    const dialog = uploadDialog(page);
    const field = dialog.getByLabel('ISO URL');
    await field.fill('http://mirror.example.com/images/plain.iso');
    await eventually(() => dialog.getByRole('alert').textContent()).toContain('only downloads ISOs over https');
    expect(await dialog.getByRole('button', { name: 'Upload', exact: true }).isDisabled()).toBe(true);
    await field.fill('mirror dot example slash image');
    await eventually(() => dialog.getByRole('alert').textContent()).toContain('not a complete URL');
    expect(await dialog.getByRole('button', { name: 'Upload', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'upload-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('uploads to completion, shown under My uploads and in the task centre', async () => {
    await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
    const dialog = uploadDialog(page);
    await dialog.getByLabel('ISO URL').fill(UPLOAD_URL);
    const submit = dialog.getByRole('button', { name: 'Upload', exact: true });
    await eventually(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await dialog.waitFor({ state: 'detached', ...LONG });

    await page.getByRole('tab', { name: 'My uploads' }).click();
    const uploads = page.getByRole('table', { name: 'My uploads' });
    const row = uploads.getByRole('row').filter({ hasText: 'alpine-virt-3.20.3-x86_64.iso' });
    await row.first().waitFor(LONG);

    const centre = await openTasks(page);
    const item = task(centre, 'Upload', UPLOAD_URL);
    await item.waitFor();
    await screenshot(page, 'uploads');
    await expectTaskState(item, 'Done');
    await eventually(() => row.first().textContent()).toContain('Active');
    await toast(page, /^Uploaded /)
      .first()
      .waitFor(LONG);
    await page.getByRole('tab', { name: 'Catalog' }).click();
  });

  it('reports a failed upload with the reason', async () => {
    const failing = 'https://mirror.example.com/fail/missing.iso';
    await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
    const dialog = uploadDialog(page);
    await dialog.getByLabel('ISO URL').fill(failing);
    const submit = dialog.getByRole('button', { name: 'Upload', exact: true });
    await eventually(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await dialog.waitFor({ state: 'detached', ...LONG });
    const item = task(await openTasks(page), 'Upload', failing);
    await expectTaskState(item, 'Failed');
    // HOSTKEY's own reason, from the image's history, not only its status word.
    expect(await item.textContent()).toContain('Download failed: The remote server answered 404 Not Found');
  });
});

describe('mount and unmount', () => {
  it('mounts an ISO on the chosen server after confirmation', async () => {
    const pane = await openIso(page, 'Bookworm', 'debian-12.7.0-amd64-netinst.iso');
    await pane.getByRole('button', { name: 'Mount' }).click();
    await confirm(page, 'Mount ISO', 'Mount');
    const centre = await openTasks(page);
    const item = task(centre, 'Mount', 'debian-12.7.0-amd64-netinst.iso on web-ams-01.client.example');
    await expectTaskState(item, 'Done');
    const server = page.getByRole('region', { name: 'web-ams-01.client.example' });
    await eventually(() => server.textContent()).toContain('debian-12.7.0-amd64-netinst.iso');
    // The drawer narrows the content: the detail pane and Unmount stay in view beside it.
    expect(await rowsCovered(centre, detailPane(page).or(server.getByRole('button', { name: 'Unmount' })))).toEqual([]);
    // Its full target, a plain state, no raw API words.
    const target = item.getByText('debian-12.7.0-amd64-netinst.iso on web-ams-01.client.example', { exact: true });
    expect(await target.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await item.textContent()).not.toMatch(/Status:|Not ready|\bOK\b/);
    await screenshot(page, 'mounted');
  });

  it('reports a failed mount with the API message', async () => {
    const pane = await openIso(page, 'broken');
    await pane.getByRole('button', { name: 'Mount' }).click();
    await confirm(page, 'Mount ISO', 'Mount');
    const item = task(await openTasks(page), 'Mount', /broken-rescue-cd\.iso/);
    await expectTaskState(item, 'Failed');
    expect(await item.textContent()).toContain('checksum mismatch');
    // The message stays HOSTKEY's, verbatim, under the plain state.
    expect(await item.locator('blockquote').textContent()).toContain('checksum mismatch');
    const alert = page.getByRole('alert').filter({ hasText: 'Mount failed' }).first();
    await alert.waitFor(LONG);
    // With the detail pane closed the list runs under the corner: the toast must not cover it.
    await detailPane(page).getByRole('button', { name: 'Close details' }).click();
    await search(page, '');
    await eventually(() => isoRows(page).count()).toBeGreaterThan(8);
    expect(await rowsCovered(alert, isoRows(page))).toEqual([]);
    const box = (await alert.boundingBox())!;
    const centre = (await page.getByRole('complementary', { name: 'Tasks' }).boundingBox())!;
    // In the corner beside the task drawer, not over it.
    expect(centre.x - (box.x + box.width)).toBeLessThan(30);
    expect(centre.x - (box.x + box.width)).toBeGreaterThanOrEqual(0);
    await dismissToasts(page);
    await screenshot(page, 'task-centre');
  });

  /** Mounts through the detail pane and waits until it is done (what an unmount test starts from). */
  async function mountDone(isoName: string): Promise<void> {
    const pane = await openIso(page, isoName);
    await pane.getByRole('button', { name: 'Mount' }).click();
    await confirm(page, 'Mount ISO', 'Mount');
    await expectTaskState(task(await openTasks(page), 'Mount', new RegExp(isoName.replace(/\./g, '\\.'))), 'Done');
    await closeTasks(page);
  }

  it('unmounts from the server', async () => {
    await mountDone('FreeBSD-14.1-RELEASE-amd64-disc1.iso');
    const server = page.getByRole('region', { name: 'web-ams-01.client.example' });
    await eventually(() => server.textContent()).toContain('FreeBSD-14.1-RELEASE-amd64-disc1.iso');
    await server.getByRole('button', { name: 'Unmount' }).click();
    await confirm(page, 'Unmount ISO', 'Unmount');
    const centre = await openTasks(page);
    await expectTaskState(task(centre, 'Unmount', 'web-ams-01.client.example'), 'Done');
    await eventually(() => server.textContent()).toContain('No ISO mounted by ISO Desk');
  });

  it('reports a failed unmount with the API message', async () => {
    stack.api.faults.failNextTask('the BMC did not answer in time');
    const server = page.getByRole('region', { name: 'web-ams-01.client.example' });
    await server.getByRole('button', { name: 'Unmount' }).click();
    await confirm(page, 'Unmount ISO', 'Unmount');
    const centre = await openTasks(page);
    const failed = task(centre, 'Unmount', 'web-ams-01.client.example').filter({ hasText: 'Failed' });
    await failed.first().waitFor(LONG);
    expect(await failed.first().textContent()).toContain('the BMC did not answer in time');
  });

  it('clears finished tasks', async () => {
    await mountDone('debian-11.11.0-amd64-netinst.iso');
    const centre = await openTasks(page);
    await centre.getByRole('button', { name: 'Clear finished' }).click();
    await eventually(() => centre.getByRole('listitem').count()).toBe(0);
  });
});

// Last, on purpose: it searches everything the page received in the tests above.
describe('secrets', () => {
  it('never sends the API key or the token to the page', async () => {
    const stored = JSON.parse(fs.readFileSync(path.join(stack.dataDir, WEB_SECRETS_FILE), 'utf8')) as Record<string, { api_key?: string; token?: string }>;
    const { api_key: apiKey, token } = stored.work ?? {};
    expect(apiKey).toBe(stack.api.keys.client);
    expect(token).toBeTruthy();
    const traffic = await page.evaluate(() => (window as unknown as { bridgeTraffic: string[] }).bridgeTraffic.join('\n'));
    // The session really went through the bridge: sign-in, tasks and their events.
    expect(traffic).toContain('"ok":true');
    expect(traffic).toContain('event: tasks/changed');
    expect(traffic.length).toBeGreaterThan(10_000);
    const page_ = await page.evaluate(() =>
      [document.documentElement.outerHTML, JSON.stringify(localStorage), JSON.stringify(sessionStorage), document.cookie].join('\n'),
    );
    for (const secret of [apiKey!, token!]) {
      expect(traffic).not.toContain(secret);
      expect(page_).not.toContain(secret);
    }
  });
});
