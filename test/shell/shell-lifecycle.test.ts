/**
 * The built shell on the Electron double, across the desktop's life: a second launch, closing the
 * window on each platform (README, "Closing the window does not stop your tasks"), notifications
 * and the tray's running count, quitting with tasks in flight, and the window's remembered place.
 * Each test starts its own app (and its own local HOSTKEY API where task timing matters) on its
 * own data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import type { Snapshot } from './electron-double/commands.js';
import { cacheClosedCleanly, eachTestStartsItsOwnApp, launchShell, newDataDir, signInAndPick, type ShellProcess } from './support/shell-process.js';

const apis: LocalApi[] = [];
async function localApi(taskDelayMs: number): Promise<LocalApi> {
  const api = await startLocalApi({ quiet: true, taskDelayMs });
  apis.push(api);
  return api;
}

eachTestStartsItsOwnApp();
afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.close()));
});

const win = (state: Snapshot) => state.windows[0]!;
const tooltips = (state: Snapshot) => state.trays.at(-1)?.tooltips ?? [];
const doneNotice = (state: Snapshot) => state.notifications.find((n) => /^Mounting .+: done$/.test(n.title) && n.shown);

async function mount(shell: ShellProcess, api: LocalApi): Promise<string> {
  const { serverId, isoName } = await signInAndPick(shell, api.keys.client);
  const task = await shell.value<{ key: string; state: string }>('iso', 'mount', { server_id: serverId, iso_name: isoName });
  expect(task.state).toBe('running');
  return task.key;
}

/** What an app must never print while closing: errors from a tracker polling a closed cache, unhandled rejections. */
function expectQuietExit(log: string): void {
  expect(log).not.toMatch(/Error|Unhandled|not open|closed database/i);
}

describe('a second launch', () => {
  it('brings the open window back, restored and focused, and exits without a window of its own', async () => {
    const api = await localApi(500);
    const dataDir = newDataDir();
    const first = launchShell({ dataDir, apiUrl: api.url });
    await first.ready();

    await first.call('window', { action: 'close' });
    expect(win(await first.state())).toMatchObject({ visible: false, destroyed: false });
    const second = launchShell({ dataDir, apiUrl: api.url });
    const secondExit = await second.exited;
    expect(secondExit.code).toBe(0);
    expect(secondExit.state?.timeline).toContain('app.requestSingleInstanceLock held by another instance');
    expect(secondExit.state?.windows).toEqual([]);
    expect(secondExit.state?.timeline.some((line) => line.startsWith('protocol.handle'))).toBe(false);
    let state = await first.until((s) => win(s).visible && win(s).focused, 'the first window comes back');
    expect(state.timeline).toContain('app second-instance');

    await first.call('window', { action: 'minimize' });
    const third = launchShell({ dataDir, apiUrl: api.url });
    expect((await third.exited).code).toBe(0);
    state = await first.until((s) => !win(s).minimized && win(s).focused, 'the minimized window is restored');
    expect(state.windows).toHaveLength(1);
  });
});

describe('Linux with a tray', () => {
  it('keeps following a mount after the window is closed, says when it ends, and counts it in the tray', async () => {
    const api = await localApi(1500);
    const shell = launchShell({ dataDir: newDataDir(), apiUrl: api.url });
    await shell.ready();
    const key = await mount(shell, api);
    await shell.until((s) => tooltips(s).includes('ISO Desk: 1 task running'), 'the tray counts the running mount');

    await shell.call('window', { action: 'close' });
    let state = await shell.state();
    expect(win(state)).toMatchObject({ visible: false, destroyed: false });

    state = await shell.until((s) => doneNotice(s) !== undefined, 'a notification when the mount ends', 20_000);
    expect(tooltips(state).at(-1)).toBe('ISO Desk: no tasks running');
    expect(doneNotice(state)?.icon).toMatch(/icon\.png$/);
    expect(win(state).visible).toBe(false);

    // Clicking the notification brings the window back and asks the page to open that task.
    await shell.call('notificationClick', { index: state.notifications.indexOf(doneNotice(state)!) });
    state = await shell.until((s) => win(s).visible && s.rendererEvents.some((e) => e.event === 'shell/command'), 'the window shows the task');
    expect(state.rendererEvents.filter((e) => e.event === 'shell/command').map((e) => e.payload)).toEqual([{ command: 'openTask', key }]);
    // The page heard about the task through the preload as well.
    expect(state.rendererEvents.some((e) => e.event === 'tasks/changed' && (e.payload as { task: { key: string } }).task.key === key)).toBe(true);
  });

  it('brings the window back from the tray and quits from it, closing the cache cleanly', async () => {
    const api = await localApi(500);
    const dataDir = newDataDir();
    const shell = launchShell({ dataDir, apiUrl: api.url });
    await shell.ready();
    await shell.call('window', { action: 'close' });
    await shell.call('tray', { item: null });
    expect(win(await shell.state()).visible).toBe(true);
    await shell.call('window', { action: 'close' });
    await shell.call('tray', { item: 'Open ISO Desk' });
    expect(win(await shell.state()).visible).toBe(true);
    await shell.call('tray', { item: 'Tasks' });
    await shell.until((s) => s.rendererEvents.some((e) => e.event === 'shell/command'), 'Tasks reaches the page');

    await shell.call('tray', { item: 'Quit' });
    const exit = await shell.exited;
    expect(exit.code).toBe(0);
    expect(exit.state?.trays.at(-1)?.destroyed).toBe(true);
    expect(win(exit.state!).destroyed).toBe(true);
    expect(cacheClosedCleanly(dataDir)).toBe(true);
    expectQuietExit(shell.log);
  });
});

describe('quitting', () => {
  it('stops the tracker and closes the cache with a mount in flight; the next start follows it to the end', async () => {
    const api = await localApi(6000);
    const dataDir = newDataDir();
    const first = launchShell({ dataDir, apiUrl: api.url });
    await first.ready();
    const key = await mount(first, api);
    await first.call('quit', {});
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    // The shell held the quit until the core had closed, then quit again.
    expect(exit.state?.timeline).toContain('quit cancelled (will-quit)');
    expect(exit.state?.timeline.filter((line) => line === 'app.quit')).toHaveLength(2);
    expect(cacheClosedCleanly(dataDir)).toBe(true);
    expectQuietExit(first.log);
    expect(exit.state?.notifications).toEqual([]);

    // The next start finds the mount running in the journal (the tray's first count) and follows it to the end.
    const next = launchShell({ dataDir, apiUrl: api.url });
    const state = await next.until((s) => doneNotice(s) !== undefined, 'the resumed mount ends with a notification', 30_000);
    expect(tooltips(state)[0]).toBe('ISO Desk: 1 task running');
    expect(tooltips(state).at(-1)).toBe('ISO Desk: no tasks running');
    const tasks = await next.value<{ key: string; state: string }[]>('tasks', 'list', {});
    expect(tasks.find((t) => t.key === key)?.state).toBe('succeeded');
  });

  it('quits cleanly when the OS shuts down', async () => {
    const api = await localApi(500);
    const dataDir = newDataDir();
    const shell = launchShell({ dataDir, apiUrl: api.url });
    await shell.ready();
    await shell.call('powerEvent', { name: 'shutdown' });
    const exit = await shell.exited;
    expect(exit.code).toBe(0);
    expect(cacheClosedCleanly(dataDir)).toBe(true);
  });
});

describe('Linux without a tray', () => {
  it('says so, and closing the window quits with the cache closed cleanly', async () => {
    const api = await localApi(500);
    const dataDir = newDataDir();
    const shell = launchShell({ dataDir, apiUrl: api.url, double: { tray: 'fails' } });
    await shell.ready();
    expect((await shell.state()).warnings.some((w) => /no tray icon/.test(w))).toBe(true);
    await shell.call('window', { action: 'close' });
    const exit = await shell.exited;
    expect(exit.code).toBe(0);
    expect(win(exit.state!).destroyed).toBe(true);
    expect(cacheClosedCleanly(dataDir)).toBe(true);
    expect(exit.state?.trays).toEqual([]);
  });
});

describe('macOS', () => {
  it('keeps the app in the Dock and the menu bar when the window closes, with the running count; Cmd+Q quits', async () => {
    const api = await localApi(1500);
    const dataDir = newDataDir();
    const shell = launchShell({ dataDir, apiUrl: api.url, double: { platform: 'darwin' } });
    let state = await shell.ready();
    expect(state.trays.at(-1)).toMatchObject({ iconExists: true });
    expect(state.trays.at(-1)?.icon).toMatch(/trayTemplate\.png$/);
    // macOS keeps About in the app menu, named after the app.
    expect(state.applicationMenu?.[0]?.label).toBe('ISO Desk');

    await mount(shell, api);
    await shell.until((s) => s.trays.at(-1)?.titles.includes('1') ?? false, 'the menu bar shows 1 running task');
    await shell.call('window', { action: 'close' });
    expect(win(await shell.state())).toMatchObject({ visible: false, destroyed: false });
    state = await shell.until((s) => doneNotice(s) !== undefined, 'the mount ends while the window is closed', 20_000);
    expect(state.trays.at(-1)?.titles.at(-1)).toBe('');

    await shell.call('appEvent', { name: 'activate' });
    expect(win(await shell.state()).visible).toBe(true);
    await shell.call('quit', {});
    expect((await shell.exited).code).toBe(0);
    expect(cacheClosedCleanly(dataDir)).toBe(true);
  });
});

describe('Windows', () => {
  it('hides to the tray when the window closes, and lets a log-off close it and quit', async () => {
    const api = await localApi(500);
    const dataDir = newDataDir();
    const shell = launchShell({ dataDir, apiUrl: api.url, double: { platform: 'win32' } });
    const state = await shell.ready();
    expect(state.timeline).toContain('app.setAppUserModelId com.isodesk.app');
    expect(state.trays.at(-1)?.icon).toMatch(/[\\/]tray\.png$/);
    await shell.call('window', { action: 'close' });
    expect(win(await shell.state())).toMatchObject({ visible: false, destroyed: false });

    await shell.call('window', { action: 'session-end' });
    await shell.call('window', { action: 'close' });
    const exit = await shell.exited;
    expect(exit.code).toBe(0);
    expect(win(exit.state!).destroyed).toBe(true);
    expect(cacheClosedCleanly(dataDir)).toBe(true);
  });
});

describe('the window', () => {
  it('opens where it was last closed, on a display that still shows it', async () => {
    const api = await localApi(500);
    const dataDir = newDataDir();
    const first = launchShell({ dataDir, apiUrl: api.url });
    expect(win(await first.ready()).options).toMatchObject({ width: 1200, height: 800, center: true });
    await first.call('window', { action: 'close' });
    await first.call('quit', {});
    expect((await first.exited).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'))).toEqual({ x: 0, y: 0, width: 1200, height: 800, maximized: false });

    const next = launchShell({ dataDir, apiUrl: api.url });
    const options = win(await next.ready()).options;
    expect(options).toMatchObject({ x: 0, y: 0, width: 1200, height: 800 });
    expect(options.center).toBeUndefined();
    await next.call('quit', {});
    await next.exited;

    // That monitor is gone: the only display left starts far to the right, so the window is centred on it.
    const elsewhere = { x: 4000, y: 0, width: 1440, height: 900 };
    const moved = launchShell({ dataDir, apiUrl: api.url, double: { displays: [{ bounds: elsewhere, workArea: elsewhere }] } });
    const placed = win(await moved.ready()).options;
    expect(placed).toMatchObject({ center: true, width: 1200, height: 800 });
    expect(placed.x).toBeUndefined();
  });

  it('is painted in the system theme before the page loads, and follows it', async () => {
    const api = await localApi(500);
    const shell = launchShell({ dataDir: newDataDir(), apiUrl: api.url, double: { darkTheme: true } });
    expect(win(await shell.ready()).options.backgroundColor).toBe('#111418');
    await shell.call('theme', { dark: false });
    expect(win(await shell.state()).options.backgroundColor).toBe('#f4f5f7');
  });
});
