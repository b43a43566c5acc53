/**
 * How a person uses ISO Desk, by role and accessible name: the steps several e2e files share.
 * Waiting is done with Playwright's auto-waiting locators and `eventually` (vitest's expect.poll).
 */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

export const LONG = { timeout: 15_000 };

/** expect.poll with the patience the app needs on a busy CI machine (its default is one second). */
export function eventually<T>(read: () => T | Promise<T>, timeout = LONG.timeout) {
  return expect.poll(read, { timeout });
}

export function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'ISO images' });
}

/** Data rows of the catalog that show an ISO (not loading placeholders). */
export function isoRows(page: Page): Locator {
  return grid(page)
    .getByRole('row')
    .filter({ has: page.locator('[role="gridcell"]:not([aria-busy="true"])') });
}

export function isoRow(page: Page, text: string): Locator {
  return isoRows(page).filter({ hasText: text });
}

export async function rowCount(page: Page): Promise<number> {
  return Number(await grid(page).getAttribute('aria-rowcount')) - 1;
}

export interface SignIn {
  profile: string;
  key: string;
  baseUrl?: string;
}

/** Fills the sign-in form (of the sign-in screen or the Add profile dialog) and submits it. */
export async function fillSignIn(scope: Page | Locator, s: SignIn): Promise<void> {
  await scope.getByLabel('Profile name').fill(s.profile);
  if (s.baseUrl) {
    // A typed address is the host picker's "Custom address…".
    await scope.getByLabel('HOSTKEY host').selectOption({ label: 'Custom address…' });
    await scope.getByLabel('API base URL').fill(s.baseUrl);
  }
  await scope.getByRole('tabpanel', { name: 'API key' }).getByLabel('API key').fill(s.key);
  await scope.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in from the sign-in screen and waits for the catalog's first rows (the first sync). */
export async function signIn(page: Page, s: SignIn, timeout = LONG.timeout): Promise<void> {
  await fillSignIn(page, s);
  await isoRows(page).first().waitFor({ timeout });
}

export async function search(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search' }).fill(text);
}

export function detailPane(page: Page): Locator {
  return page.getByRole('complementary').filter({ has: page.locator('#detail-title') });
}

/** Searches for `query` and opens the ISO whose row shows `rowText` in the detail pane. */
export async function openIso(page: Page, query: string, rowText = query): Promise<Locator> {
  await search(page, query);
  await isoRow(page, rowText).first().click();
  const pane = detailPane(page);
  await pane.waitFor();
  return pane;
}

export async function openTasks(page: Page): Promise<Locator> {
  const toggle = page.getByRole('button', { name: 'Tasks', exact: true });
  const centre = page.getByRole('complementary', { name: 'Tasks' });
  // The app may open or close the drawer itself between reading the toggle and clicking it: look again until it is open.
  await eventually(async () => {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    return centre.isVisible();
  }).toBe(true);
  return centre;
}

/** Closes the task centre, which covers the detail pane. */
export async function closeTasks(page: Page): Promise<void> {
  const centre = page.getByRole('complementary', { name: 'Tasks' });
  if ((await centre.count()) === 0) return;
  await centre.getByRole('button', { name: 'Close tasks' }).click();
  await centre.waitFor({ state: 'detached' });
}

/** A task in the task centre, e.g. task(centre, 'Mount', 'debian-12…iso on web-ams-01'). */
export function task(centre: Locator, kind: 'Mount' | 'Unmount' | 'Upload', target: string | RegExp): Locator {
  const name = typeof target === 'string' ? `${kind} ${target}` : new RegExp(`^${kind} ${target.source}`);
  return centre.getByRole('listitem', { name });
}

/** Waits until the task shows `state` (Running, Done, Failed, Outcome unknown). */
export async function expectTaskState(item: Locator, state: string, timeout = 15_000): Promise<void> {
  await eventually(async () => (await item.count()) > 0 && (await item.first().textContent()), timeout).toContain(state);
}

/** The confirmation dialog a command asks first; answers it with `button`. */
export async function confirm(page: Page, title: string, button: string): Promise<void> {
  const dialog = page.getByRole('alertdialog', { name: title });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The corner where notifications appear (outcomes as role=status, failures as role=alert). */
export function notifications(page: Page): Locator {
  return page.getByRole('region', { name: 'Notifications' });
}

export function toast(page: Page, text: string | RegExp): Locator {
  return notifications(page).getByText(text);
}

/** Dismisses every notification, e.g. before a screenshot of what is under them. */
export async function dismissToasts(page: Page): Promise<void> {
  const dismiss = notifications(page).getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

/**
 * The accessible description of a control (why a disabled button is disabled): aria-description,
 * the text of its aria-describedby elements, or its title, in the order browsers use them.
 */
export function description(control: Locator): Promise<string> {
  return control.evaluate((el) => {
    const explicit = el.getAttribute('aria-description');
    if (explicit) return explicit;
    const ids = el.getAttribute('aria-describedby')?.split(/\s+/).filter(Boolean) ?? [];
    const described = ids
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' ')
      .trim();
    return described || el.getAttribute('title') || '';
  });
}

/** True when every element that describes the control (aria-describedby) is on screen. */
export function reasonShown(control: Locator): Promise<boolean> {
  return control.evaluate((el) => {
    const ids = el.getAttribute('aria-describedby')?.split(/\s+/).filter(Boolean) ?? [];
    return ids.length > 0 && ids.every((id) => document.getElementById(id)?.checkVisibility() === true);
  });
}

/** The text of every row in `rows` that `cover` lies over where the row can be seen (inside its scroller). */
export async function rowsCovered(cover: Locator, rows: Locator): Promise<string[]> {
  const box = await cover.boundingBox();
  if (!box) return [];
  return rows.evaluateAll(
    (elements, b) =>
      elements
        .filter((row) => {
          let { left, top, right, bottom } = row.getBoundingClientRect();
          for (let parent = row.parentElement; parent; parent = parent.parentElement) {
            if (getComputedStyle(parent).overflow === 'visible') continue;
            const clip = parent.getBoundingClientRect();
            [left, top, right, bottom] = [Math.max(left, clip.left), Math.max(top, clip.top), Math.min(right, clip.right), Math.min(bottom, clip.bottom)];
          }
          return left < b.x + b.width && b.x < right && top < b.y + b.height && b.y < bottom;
        })
        .map((row) => row.textContent ?? ''),
    box,
  );
}
