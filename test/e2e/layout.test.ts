/**
 * Every screen holds from the window's smallest size (800×560) up: at 800×560, 1024×700 and
 * 1440×900 nothing scrolls sideways and no control is narrower than its content — sign-in, the
 * catalog with and without the detail pane, the task drawer beside it, the More menu, My uploads
 * with a failed upload opened, and the upload dialog. A screenshot of each is saved in test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot } from './support/chromium.js';
import { layoutProblems } from './support/layout.js';
import { startStack, type Stack } from './support/stack.js';
import { closeTasks, isoRows, LONG, openIso, openTasks, search, signIn } from './support/ui.js';

/** A page load and a walk through six screens, on a machine shared with other test files. */
const PATIENT = { timeout: 90_000 };
const SLOW_LOAD = { timeout: 30_000 };

const SIZES = [
  { width: 800, height: 560 },
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;

let browser: Browser;
let stack: Stack;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Each describe block gets a local API and harness of its own (nobody signed in yet). */
function ownStack(): void {
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
}

async function pageAt(size: { width: number; height: number }): Promise<Page> {
  const { page } = await openPage(browser);
  await page.setViewportSize(size);
  await page.goto(stack.harness.url);
  return page;
}

/** Checks the screen on show and saves it as e2e-layout-<width>-<screen>.png. */
async function expectHolds(page: Page, screen: string): Promise<void> {
  const { width } = page.viewportSize()!;
  await screenshot(page, `layout-${width}-${screen}`);
  expect(await layoutProblems(page), `${screen} at ${width} px`).toEqual([]);
}

describe('the sign-in screen', () => {
  ownStack();

  it.each(SIZES)('holds at $width×$height', PATIENT, async (size) => {
    const page = await pageAt(size);
    await page.getByRole('heading', { name: 'Sign in to ISO Desk' }).waitFor(SLOW_LOAD);
    await expectHolds(page, 'sign-in');
    await page.context().close();
  });
});

describe('the workspace', () => {
  ownStack();

  beforeAll(async () => {
    const page = await pageAt(SIZES[2]);
    await signIn(page, { profile: 'work', key: stack.api.keys.client });
    await page.context().close();
  });

  it.each(SIZES)('holds at $width×$height', PATIENT, async (size) => {
    const page = await pageAt(size);
    await isoRows(page).first().waitFor(SLOW_LOAD);
    await expectHolds(page, 'catalog');

    await openIso(page, 'Bookworm', 'debian-12.7.0-amd64-netinst.iso');
    await expectHolds(page, 'detail');

    await openTasks(page);
    await expectHolds(page, 'tasks');
    await closeTasks(page);
    await search(page, '');

    await page.getByRole('button', { name: 'More', exact: true }).click();
    await page.getByRole('menu', { name: 'More' }).waitFor();
    await expectHolds(page, 'menu');
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: 'My uploads' }).click();
    const uploads = page.getByRole('table', { name: 'My uploads' });
    await uploads.getByRole('row').filter({ hasText: 'win-custom-2022.iso' }).first().waitFor(LONG);
    await expectHolds(page, 'uploads');
    await uploads.getByRole('button', { name: 'win-custom-2022.iso' }).click();
    await page.getByRole('button', { name: 'Upload again' }).waitFor();
    await expectHolds(page, 'upload-detail');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Upload', exact: true }).first().click();
    await page.getByRole('dialog', { name: 'Upload an ISO' }).waitFor();
    await expectHolds(page, 'upload-dialog');
    await page.context().close();
  });
});
