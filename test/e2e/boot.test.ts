/**
 * Boot from ISO in Chromium (issue #9), through the browser harness against the local HOSTKEY
 * API: the server panel shows the power state with the time it was read; "Boot from ISO…" asks
 * first, naming the server by hostname and IP and saying it goes down, then runs as a job of
 * three steps in the task centre; "Back to disk" and the Power menu confirm the same way; a failed
 * step offers Retry step, Skip step and Cancel with HOSTKEY's message; the console's link never
 * reaches the page; the PIN dialog says how many tries are left; an ISO left attached raises the
 * detach reminder. Every screen also holds at the window's smallest size, 800×560. Screenshots:
 * test-results/e2e-boot-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PIN } from '../../main/local-api/server.js';
import { openPage, screenshot, screenshotEachTest } from './support/chromium.js';
import { layoutProblems } from './support/layout.js';
import { signedInStack, type SignedInStack } from './support/signed-in.js';
import { closeTasks, dismissToasts, eventually, fillSignIn, isoRows, LONG, openTasks, toast } from './support/ui.js';

const WEB = { name: 'web-ams-01.client.example', ip: '185.70.104.21' };
const WEB_ID = `${WEB.name} (${WEB.ip})`;
const DEBIAN = 'debian-12.7.0-amd64-netinst.iso';
const RESCUE = { name: 'rescue-ams-01.pin.example', ip: '185.70.105.31' };
const VM = { name: 'vm-ams-02.pin.example', ip: '185.70.105.32' };
const SMALL = { width: 800, height: 560 };

let stack: SignedInStack;
let page: Page;
screenshotEachTest('boot', () => page);

/** "The OS browser" is a script that writes down the address it was given (ISO Desk honours $BROWSER). */
const browserDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-browser-'));
const OPENED = path.join(browserDir, 'opened.txt');

beforeAll(async () => {
  const opener = path.join(browserDir, 'open.sh');
  fs.writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${OPENED}'\n`, { mode: 0o700 });
  process.env.BROWSER = opener;
  stack = await signedInStack();
  page = stack.page;
});

afterAll(async () => {
  await stack?.close();
  fs.rmSync(browserDir, { recursive: true, force: true });
});

function panel(p: Page, name: string): Locator {
  return p.getByRole('region', { name });
}

/** A job in the task centre, by its kind and target ("Boot from ISO debian… on web-01 (IP)"). */
function job(centre: Locator, kind: string, target: string): Locator {
  return centre.getByRole('listitem', { name: `${kind} ${target}`, exact: true });
}

/** The job's own line of state (its badge), e.g. Running, Stopped, Done. */
async function expectJobState(item: Locator, state: string): Promise<void> {
  await eventually(async () => (await item.count()) > 0 && (await item.locator('.line .badge').textContent())?.trim(), LONG.timeout).toBe(state);
}

function steps(item: Locator): Locator {
  return item.getByRole('list', { name: 'Steps' }).getByRole('listitem');
}

/** Each step as one line of text: "2. Set the boot device to CD (the ISO) Done Boot device set". */
async function stepTexts(item: Locator): Promise<string[]> {
  return (await steps(item).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

async function expectHolds(p: Page, screen: string): Promise<void> {
  // The drawer slides in from the side: measure where it comes to rest.
  await p.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished),
    ),
  );
  expect(await layoutProblems(p), `${screen} at ${p.viewportSize()?.width} px`).toEqual([]);
}

/** Picks a Power menu item (e.g. "Reboot…") and answers the confirmation that names the server. */
async function powerMenu(p: Page, item: string): Promise<Locator> {
  await p.getByRole('button', { name: 'Power', exact: true }).click();
  await p
    .getByRole('menu', { name: 'Power' })
    .getByRole('menuitem', { name: new RegExp(`^${item}`) })
    .click();
  const dialog = p.getByRole('alertdialog', { name: item.replace('…', '') });
  await dialog.waitFor();
  return dialog;
}

async function bootFromIso(p: Page, serverName: string, isoName: string): Promise<Locator> {
  await panel(p, serverName).getByRole('button', { name: 'Boot from ISO…' }).click();
  const dialog = p.getByRole('alertdialog', { name: 'Boot from ISO' });
  await dialog.getByLabel('Find an ISO').fill(isoName);
  await dialog.getByRole('radio', { name: new RegExp(isoName.replace(/\./g, '\\.')) }).check();
  // Main plans the job for the chosen ISO; its first step names it once the plan is in.
  await dialog
    .getByRole('listitem')
    .filter({ hasText: `Mount ${isoName}` })
    .waitFor(LONG);
  return dialog;
}

describe('the server panel', () => {
  it('shows the power state with the time it was read, and reads it again on request', async () => {
    const server = panel(page, WEB.name);
    await eventually(() => server.textContent()).toMatch(/Power:\s*On\s*read \d/);
    const readAt = () => server.getByText(/^read \d/).textContent();
    const first = await readAt();
    // HOSTKEY takes a moment to answer, so the new reading carries a later time.
    stack.api.faults.holdAction('status', 1500);
    await server.getByRole('button', { name: 'Refresh power state' }).click();
    await eventually(() => server.textContent()).toContain('reading…');
    await eventually(readAt).not.toBe(first);
    expect(await server.textContent()).toMatch(/Power:\s*On/);
    expect(await server.textContent()).toContain('No ISO mounted by ISO Desk');
    for (const name of ['Boot from ISO…', 'Back to disk', 'Console', 'Power', 'Unmount']) {
      expect(await server.getByRole('button', { name, exact: true }).isVisible(), name).toBe(true);
    }
    await screenshot(page, 'boot-server-panel');
  });
});

describe('Boot from ISO', () => {
  it('asks first, naming the server and saying it goes down', async () => {
    const dialog = await bootFromIso(page, WEB.name, DEBIAN);
    const text = await dialog.textContent();
    expect(text).toContain(`Boot ${WEB_ID} from an ISO?`);
    expect(text).toContain(`Mount ${DEBIAN}`);
    expect(text).toContain('Set the boot device to CD (the ISO)');
    // The steps main planned for this server, which the job then runs.
    expect((await dialog.getByRole('listitem').allTextContents()).map((t) => t.trim())).toEqual([
      `Mount ${DEBIAN}`,
      'Set the boot device to CD (the ISO)',
      'Reboot',
    ]);
    expect(text).toContain('The server will go down');
    await screenshot(page, 'boot-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('runs mount, boot device and reboot as one job, step by step, and notifies when it ends', async () => {
    // The reboot is held at HOSTKEY for a moment, so the job is seen standing at its last step.
    stack.api.faults.holdAction('reboot', 2500);
    const dialog = await bootFromIso(page, WEB.name, DEBIAN);
    await dialog.getByRole('button', { name: 'Boot from ISO', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...LONG });

    const centre = await openTasks(page);
    const item = job(centre, 'Boot from ISO', `${DEBIAN} on ${WEB_ID}`);
    await eventually(() => item.textContent()).toContain('Step 3 of 3');
    expect(await stepTexts(item)).toEqual([
      expect.stringMatching(new RegExp(`^1\\. Mount ${DEBIAN.replace(/\./g, '\\.')} Done`)),
      expect.stringMatching(/^2\. Set the boot device to CD \(the ISO\) Done/),
      expect.stringMatching(/^3\. Reboot Running/),
    ]);
    await screenshot(page, 'boot-job');
    await expectJobState(item, 'Done');
    expect(await steps(item).allTextContents()).toEqual([expect.stringContaining('Done'), expect.stringContaining('Done'), expect.stringContaining('Done')]);
    await toast(page, `Done — Boot from ISO: ${DEBIAN} on ${WEB_ID}`).waitFor(LONG);
    await eventually(() => panel(page, WEB.name).textContent()).toContain(DEBIAN);
    await closeTasks(page);
  });

  it('goes back to disk after a confirmation that names the server', async () => {
    await dismissToasts(page);
    const server = panel(page, WEB.name);
    await server.getByRole('button', { name: 'Back to disk' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Back to disk' });
    await dialog
      .getByRole('listitem')
      .filter({ hasText: `Unmount ${DEBIAN}` })
      .waitFor(LONG);
    const text = await dialog.textContent();
    expect(text).toContain(`Boot ${WEB_ID} from its disk again?`);
    expect(text).toContain(`Unmount ${DEBIAN}`);
    expect(text).toContain('The server will go down');
    // Cancel has the focus: a stray Enter does no harm.
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await dialog.getByRole('button', { name: 'Back to disk' }).click();
    const item = job(await openTasks(page), 'Back to disk', WEB_ID);
    await expectJobState(item, 'Done');
    expect(await stepTexts(item)).toEqual([
      expect.stringContaining('1. Unmount the ISO Done'),
      expect.stringContaining('2. Set the boot device to disk Done'),
      expect.stringContaining('3. Reboot Done'),
    ]);
    await eventually(() => server.textContent()).toContain('No ISO mounted by ISO Desk');
    await closeTasks(page);
  });
});

describe('the Power menu', () => {
  it('says that off and reboot take the server down, and does nothing when cancelled', async () => {
    for (const item of ['Reboot…', 'Power off…']) {
      const dialog = await powerMenu(page, item);
      const text = await dialog.textContent();
      expect(text).toContain(WEB_ID);
      expect(text).toContain('The server will go down');
      if (item === 'Reboot…') await screenshot(page, 'boot-power-confirm');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    const centre = await openTasks(page);
    expect(await centre.getByRole('listitem', { name: /^(Reboot|Power off) / }).count()).toBe(0);
    await closeTasks(page);
  });

  it('powers the server off and on, each a job of one step, and the panel shows the state', async () => {
    const server = panel(page, WEB.name);
    let dialog = await powerMenu(page, 'Power off…');
    await dialog.getByRole('button', { name: 'Power off' }).click();
    await expectJobState(job(await openTasks(page), 'Power off', WEB_ID), 'Done');
    await server.getByRole('button', { name: 'Refresh power state' }).click();
    await eventually(() => server.textContent()).toMatch(/Power:\s*Off/);
    await closeTasks(page);

    dialog = await powerMenu(page, 'Power on…');
    expect(await dialog.textContent()).toContain(`Power on ${WEB_ID}?`);
    await dialog.getByRole('button', { name: 'Power on' }).click();
    await expectJobState(job(await openTasks(page), 'Power on', WEB_ID), 'Done');
    await server.getByRole('button', { name: 'Refresh power state' }).click();
    await eventually(() => server.textContent()).toMatch(/Power:\s*On/);
    await closeTasks(page);
  });

  it('stops at a failed step with HOSTKEY’s message, and Retry step sends it again', async () => {
    await dismissToasts(page);
    stack.api.faults.failAction('reboot', 'BMC did not answer: IPMI session timed out', 'task');
    const dialog = await powerMenu(page, 'Reboot…');
    await dialog.getByRole('button', { name: 'Reboot' }).click();
    const centre = await openTasks(page);
    const item = job(centre, 'Reboot', WEB_ID).first();
    await expectJobState(item, 'Stopped');
    expect(await steps(item).first().textContent()).toContain('BMC did not answer: IPMI session timed out');
    for (const name of ['Retry step', 'Skip step', 'Cancel']) expect(await item.getByRole('button', { name }).isVisible(), name).toBe(true);
    await toast(page, /^Stopped at “Reboot” — Reboot:/).waitFor(LONG);
    await screenshot(page, 'boot-job-failed');
    await item.getByRole('button', { name: 'Retry step' }).click();
    await expectJobState(item, 'Done');
    expect(await steps(item).first().textContent()).toMatch(/Done \(sent 2×\)/);
    await closeTasks(page);
  });

  it('Cancel stops a job at its failed step and sends nothing more', async () => {
    stack.api.faults.failAction('boot_dev', 'boot device change refused by the BMC', 'task');
    const dialog = await bootFromIso(page, WEB.name, DEBIAN);
    await dialog.getByRole('button', { name: 'Boot from ISO', exact: true }).click();
    const item = job(await openTasks(page), 'Boot from ISO', `${DEBIAN} on ${WEB_ID}`).first();
    await expectJobState(item, 'Stopped');
    expect(await item.textContent()).toContain('Step 2 of 3');
    await item.getByRole('button', { name: 'Cancel' }).click();
    await expectJobState(item, 'Cancelled');
    expect(await steps(item).nth(1).textContent()).toContain('boot device change refused by the BMC');
    expect(await steps(item).nth(2).textContent()).toContain('Waiting');
    expect(await item.getByRole('button', { name: 'Retry step' }).count()).toBe(0);
    await closeTasks(page);
  });
});

describe('the console', () => {
  it('opens it in the OS browser, and its address (a one-time password) never reaches the page', async () => {
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Console', exact: true }).click();
    const menu = page.getByRole('menu', { name: 'Console' });
    expect(await menu.getByRole('menuitem', { name: /^Copy link/ }).textContent()).toContain('one-time password');
    await menu.getByRole('menuitem', { name: /^Open console/ }).click();
    await toast(page, `Console of ${WEB_ID} opened in your browser`).waitFor(LONG);
    await eventually(() => (fs.existsSync(OPENED) ? fs.readFileSync(OPENED, 'utf8') : '')).toMatch(/password=/);
    const address = fs.readFileSync(OPENED, 'utf8').trim();

    // The harness has no clipboard of its own: Copy link says so instead of showing the address.
    await page.getByRole('button', { name: 'Console', exact: true }).click();
    await menu.getByRole('menuitem', { name: /^Copy link/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not copy the console link' }).first().waitFor(LONG);
    const seen = await page.evaluate(() => document.documentElement.outerHTML + JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
    expect(seen).not.toContain(address);
    expect(seen).not.toContain(new URL(address).searchParams.get('password'));
  });
});

describe('the detach reminder', () => {
  let clockPage: Page;

  afterAll(async () => {
    await clockPage?.context().close();
  });

  it('calls out an ISO attached longer than the setting, with Back to disk a click away', async () => {
    ({ page: clockPage } = await openPage(stack.browser));
    // Only the page's clock is moved; HOSTKEY's side and ISO Desk's record keep real time.
    await clockPage.clock.install();
    await clockPage.goto(stack.harness.url);
    const server = panel(clockPage, WEB.name);
    await server.waitFor(LONG);
    const dialog = await bootFromIso(clockPage, WEB.name, DEBIAN);
    await dialog.getByRole('button', { name: 'Boot from ISO', exact: true }).click();
    await expectJobState(job(await openTasks(clockPage), 'Boot from ISO', `${DEBIAN} on ${WEB_ID}`).first(), 'Done');
    await closeTasks(clockPage);
    await eventually(() => server.textContent()).toContain(DEBIAN);
    expect(await server.getByRole('status').count()).toBe(0);

    await clockPage.clock.fastForward('02:01:00');
    const reminder = server.getByRole('status').filter({ hasText: 'has been attached for' });
    await reminder.waitFor(LONG);
    expect(await reminder.textContent()).toContain(DEBIAN);
    await toast(clockPage, `${DEBIAN} is still attached to ${WEB_ID}`).waitFor(LONG);
    expect(await reminder.getByRole('button', { name: 'Back to disk…' }).isVisible()).toBe(true);
    await clockPage.setViewportSize(SMALL);
    await expectHolds(clockPage, 'server panel with the reminder');
    await screenshot(clockPage, 'boot-reminder');
    await clockPage.setViewportSize({ width: 1360, height: 820 });

    // The setting is the user's: at four hours, two hours attached is no longer worth a reminder.
    await clockPage.getByRole('button', { name: 'More', exact: true }).click();
    await clockPage.getByRole('menuitem', { name: /^Preferences/ }).click();
    const prefs = clockPage.getByRole('dialog', { name: 'Preferences' });
    await prefs.getByLabel('Remind me to detach an ISO').selectOption({ label: 'After 4 hours' });
    await prefs.getByRole('button', { name: 'Save' }).click();
    await prefs.waitFor({ state: 'detached' });
    await reminder.waitFor({ state: 'detached' });

    // One click on the reminder's button opens "Back to disk" for this server.
    await clockPage.getByRole('button', { name: 'More', exact: true }).click();
    await clockPage.getByRole('menuitem', { name: /^Preferences/ }).click();
    await prefs.getByLabel('Remind me to detach an ISO').selectOption({ label: 'After 2 hours' });
    await prefs.getByRole('button', { name: 'Save' }).click();
    await reminder.getByRole('button', { name: 'Back to disk…' }).click();
    const confirm = clockPage.getByRole('alertdialog', { name: 'Back to disk' });
    expect(await confirm.textContent()).toContain(WEB_ID);
    await confirm.getByRole('button', { name: 'Back to disk' }).click();
    await eventually(() => server.textContent()).toContain('No ISO mounted by ISO Desk');
    await reminder.waitFor({ state: 'detached' });
  });
});

describe('at 800×560', () => {
  it('the server panel, its menus, the Boot dialog and a job in the task centre hold', async () => {
    await page.setViewportSize(SMALL);
    await dismissToasts(page);
    await expectHolds(page, 'server panel');
    await page.getByRole('button', { name: 'Power', exact: true }).click();
    await expectHolds(page, 'Power menu');
    await page.keyboard.press('Escape');
    const dialog = await bootFromIso(page, WEB.name, DEBIAN);
    await expectHolds(page, 'Boot from ISO dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await openTasks(page);
    await expectHolds(page, 'task centre with jobs');
    await screenshot(page, 'boot-800-tasks');
    await closeTasks(page);
  });
});

describe('the PIN', () => {
  let pinPage: Page;

  beforeAll(async () => {
    ({ page: pinPage } = await openPage(stack.browser));
    await pinPage.goto(stack.harness.url);
    await pinPage.getByRole('button', { name: 'More', exact: true }).click();
    await pinPage.getByRole('menuitem', { name: /^Add profile/ }).click();
    await fillSignIn(pinPage.getByRole('dialog', { name: 'Add profile' }), { profile: 'pin', key: stack.api.keys.pin! });
    await isoRows(pinPage).first().waitFor(LONG);
  });

  afterAll(async () => {
    await pinPage?.context().close();
  });

  it('asks for it when HOSTKEY wants it, says how many tries are left, and goes on with the right one', async () => {
    const server = panel(pinPage, RESCUE.name);
    await server.waitFor(LONG);
    const confirm = await powerMenu(pinPage, 'Reboot…');
    await confirm.getByRole('button', { name: 'Reboot' }).click();
    let dialog = pinPage.getByRole('dialog', { name: 'PIN required' });
    await dialog.waitFor(LONG);
    expect(await dialog.textContent()).toContain(`${RESCUE.name} (${RESCUE.ip})`);
    expect(await dialog.textContent()).toMatch(/3 tries left: the account locks after three wrong PINs/);
    await pinPage.setViewportSize(SMALL);
    await expectHolds(pinPage, 'PIN dialog');
    await screenshot(pinPage, 'boot-pin-dialog');
    await pinPage.setViewportSize({ width: 1360, height: 820 });

    await dialog.getByLabel('Account PIN').fill('0000');
    await dialog.getByRole('button', { name: 'Send PIN' }).click();
    dialog = pinPage.getByRole('dialog', { name: 'Wrong PIN' });
    await dialog.waitFor(LONG);
    expect(await dialog.textContent()).toContain('2 tries left');
    await screenshot(pinPage, 'boot-pin-wrong');
    await dialog.getByLabel('Account PIN').fill(DEMO_PIN);
    await dialog.getByRole('button', { name: 'Send PIN' }).click();
    const reboot = job(await openTasks(pinPage), 'Reboot', `${RESCUE.name} (${RESCUE.ip})`);
    await expectJobState(reboot, 'Done');
    // The PIN is kept for the session: the console opens without asking again.
    await pinPage.getByRole('button', { name: 'Console', exact: true }).click();
    await pinPage
      .getByRole('menu', { name: 'Console' })
      .getByRole('menuitem', { name: /^Open console/ })
      .click();
    await toast(pinPage, `Console of ${RESCUE.name} (${RESCUE.ip}) opened in your browser`).waitFor(LONG);
    expect(await pinPage.getByRole('dialog', { name: /PIN/ }).count()).toBe(0);
    expect(await pinPage.evaluate((pin) => document.documentElement.outerHTML.includes(pin), DEMO_PIN)).toBe(false);
    await closeTasks(pinPage);
  });

  it('skips a step the server refuses (a VM rejects boot from CD) and finishes the job', async () => {
    await pinPage.getByLabel('Server').selectOption({ label: VM.name });
    await isoRows(pinPage).first().waitFor(LONG);
    await panel(pinPage, VM.name).getByRole('button', { name: 'Boot from ISO…' }).click();
    const dialog = pinPage.getByRole('alertdialog', { name: 'Boot from ISO' });
    const first = dialog.getByRole('radio').first();
    await first.check();
    const iso = await first.getAttribute('value');
    await dialog.getByRole('button', { name: 'Boot from ISO', exact: true }).click();
    const item = job(await openTasks(pinPage), 'Boot from ISO', `${iso} on ${VM.name} (${VM.ip})`);
    await expectJobState(item, 'Stopped');
    const refused = steps(item).nth(1);
    expect(await refused.textContent()).toContain('Failed');
    expect((await refused.locator('blockquote').textContent())?.length).toBeGreaterThan(5);
    await pinPage.setViewportSize(SMALL);
    await expectHolds(pinPage, 'stopped job in the task centre');
    await pinPage.setViewportSize({ width: 1360, height: 820 });
    await item.getByRole('button', { name: 'Skip step' }).click();
    await expectJobState(item, 'Done');
    expect(await refused.textContent()).toContain('Skipped');
    expect(await steps(item).nth(2).textContent()).toContain('Done');
    await closeTasks(pinPage);
  });
});
