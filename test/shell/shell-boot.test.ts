/**
 * The built Electron shell (package.json `main`, dist/main/shell.js) started as Electron starts it,
 * with the Electron double in place of `electron`, the local HOSTKEY API and a temporary data
 * folder. The app window runs the built preload (dist/preload/index.cjs) in a sandbox and loads
 * its page through the shell's own app:// handler, so the calls below cross the same wiring a
 * user's clicks do: preload → ipcMain handler → sender check → dispatch → services → HTTP.
 *
 * One app start serves the whole file: each test reads a different part of it, and the few that
 * change something (signing in) say so and are independent of order otherwise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, INVOKE_PREFIX } from '../../main/ipc/contract.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { APP_ENTRY_URL } from '../../main/shell/app-origin.js';
import type { SenderSpec, Snapshot } from './electron-double/commands.js';
import { launchShell, prepareShell, ROOT, stopAll, type ShellProcess } from './support/shell-process.js';

let api: LocalApi;
let dataDir: string;
let shell: ShellProcess;
let started: Snapshot;

beforeAll(async () => {
  await prepareShell();
  api = await startLocalApi({ quiet: true, taskDelayMs: 500 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-shell-boot-'));
  shell = launchShell({ dataDir, apiUrl: api.url });
  started = await shell.ready();
}, 120_000);

afterAll(async () => {
  await stopAll();
  await api?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const appWindow = (state: Snapshot) => state.windows[0]!;
const at = (state: Snapshot, prefix: string) => state.timeline.findIndex((line) => line.startsWith(prefix));
const channels = Object.keys(CHANNELS).map((c) => INVOKE_PREFIX + c);

describe('start-up', () => {
  it('registers the app scheme and the sandbox before ready, then serves, guards IPC and only then opens the window', () => {
    const ready = at(started, 'app ready');
    expect(ready).toBeGreaterThan(0);
    expect(at(started, 'protocol.registerSchemesAsPrivileged')).toBeLessThan(ready);
    expect(at(started, 'app.enableSandbox')).toBeLessThan(ready);
    // The lock is taken in the data folder the app moved userData to, so it guards that folder.
    expect(at(started, 'app.setPath userData')).toBeLessThan(at(started, 'app.requestSingleInstanceLock acquired'));
    expect(started.userData).toBe(dataDir);
    const window = at(started, 'new BrowserWindow');
    expect(window).toBeGreaterThan(ready);
    expect(at(started, 'protocol.handle app')).toBeGreaterThan(ready);
    expect(at(started, 'protocol.handle app')).toBeLessThan(window);
    for (const channel of channels) expect(at(started, `ipcMain.handle ${channel}`), channel).toBeLessThan(window);
    expect(started.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
  });

  it('opens one window with contextIsolation, the sandbox, no Node, and the built preload', () => {
    expect(started.windows).toHaveLength(1);
    const { options, preload } = appWindow(started);
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
    });
    const builtPreload = path.join(ROOT, 'dist', 'preload', 'index.cjs');
    expect((options.webPreferences as { preload: string }).preload).toBe(builtPreload);
    expect(fs.existsSync(builtPreload)).toBe(true);
    // The preload ran sandboxed: it asked for nothing but electron and exposed only the API.
    expect(preload).toEqual({ path: builtPreload, ran: true, error: null, required: ['electron'], exposed: ['isodesk'] });
    expect(fs.existsSync(options.icon as string)).toBe(true);
  });

  it('loads app://isodesk/index.html and shows the window once the page is ready', () => {
    const win = appWindow(started);
    expect(win.requestedUrl).toBe(APP_ENTRY_URL);
    expect(win.url).toBe(APP_ENTRY_URL);
    expect(win.options.show).toBe(false);
    expect(at(started, 'ready-to-show')).toBeGreaterThan(at(started, `loadURL ${APP_ENTRY_URL}`));
    expect(win).toMatchObject({ loaded: true, visible: true, focused: true, loadError: null });
  });
});

describe('IPC', () => {
  it('has exactly one handler per contract channel, and no other listener', () => {
    // The double throws on a second handler for a channel, as Electron does, so duplicates never get this far.
    expect([...started.ipcHandlers].sort()).toEqual([...channels].sort());
    expect(started.ipcListeners).toEqual([]);
  });

  it("answers the app page's calls through the preload: sign in, list servers, list ISOs (signs in profile 'work')", async () => {
    const profile = await shell.value<{ name: string }>('session', 'signIn', {
      profile: 'work',
      base_url: 'https://api.hostkey.com',
      api_key: api.keys.client,
    });
    expect(profile.name).toBe('work');
    const servers = await shell.value<{ items: { id: number }[] }>('servers', 'list', { refresh: true });
    expect(servers.items.length).toBeGreaterThan(0);
    const serverId = servers.items[0]!.id;
    const sync = await shell.value<{ count: number }>('catalog', 'sync', { server_id: serverId });
    expect(sync.count).toBeGreaterThan(0);
    const catalog = await shell.value<{ total: number; rows: { iso_name: string }[] }>('catalog', 'query', { server_id: serverId });
    expect(catalog.rows.length).toBeGreaterThan(0);
    expect(catalog.total).toBe(sync.count);
    // Validation still happens in main, whatever the page sends.
    const invalid = await shell.renderer('iso', 'mount', { server_id: -1, iso_name: 'x.iso' });
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  const foreign: [string, SenderSpec][] = [
    ['a sub-frame of the app window', { contents: 'app-window', frame: 'sub', url: APP_ENTRY_URL }],
    ['the app window showing another origin', { contents: 'app-window', frame: 'main', url: 'https://evil.example/' }],
    ['another webContents on the app origin', { contents: 'other', frame: 'main', url: APP_ENTRY_URL }],
    ['another webContents elsewhere', { contents: 'other', frame: 'main', url: 'file:///tmp/page.html' }],
  ];

  it.each(foreign)('refuses every channel from %s before running it', async (_name, from) => {
    for (const channel of channels) {
      const payload = channel.endsWith('session/signIn') ? { profile: 'intruder', base_url: api.url, api_key: api.keys.client } : {};
      const reply = await shell.call('invoke', { channel, payload, from });
      expect(reply, channel).toEqual({ result: expect.objectContaining({ ok: false, error: expect.objectContaining({ kind: 'permission' }) }) });
    }
    const status = await shell.value<{ profiles: { name: string }[] }>('session', 'status', {});
    expect(status.profiles.map((p) => p.name)).not.toContain('intruder');
  });

  it('has no handler for unknown channels, even from the app page', async () => {
    const own: SenderSpec = { contents: 'app-window', frame: 'main', url: APP_ENTRY_URL };
    for (const channel of [`${INVOKE_PREFIX}shell/exec`, 'session/status', `${INVOKE_PREFIX}__proto__`]) {
      expect(await shell.call('invoke', { channel, payload: {}, from: own })).toEqual({ error: `Error: No handler registered for '${channel}'` });
    }
  });
});

describe('the app protocol', () => {
  const fetchApp = (url: string, method?: string) => shell.call('fetch', { url, method });

  it('serves the built renderer with the security headers', async () => {
    const answer = await fetchApp(APP_ENTRY_URL);
    if ('error' in answer) throw new Error(answer.error);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(fs.readFileSync(path.join(ROOT, 'dist', 'renderer', 'index.html'), 'utf8'));
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    // Every script and stylesheet the page references came from the built renderer with a type nosniff accepts.
    const assets = appWindow(started).subresources.filter((r) => !r.url.endsWith('/bridge.js'));
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      expect(asset.status, asset.url).toBe(200);
      expect(asset.contentType, asset.url).toMatch(/^(text\/javascript|text\/css)/);
    }
  });

  it('answers 404 for the harness-only bridge.js the page also names', async () => {
    expect(await fetchApp('app://isodesk/bridge.js')).toMatchObject({ status: 404 });
  });

  it('refuses paths outside the renderer, other hosts and other methods', async () => {
    const secret = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    for (const url of [
      'app://isodesk/../package.json',
      'app://isodesk/%2e%2e/package.json',
      'app://isodesk/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      'app://isodesk/..%5cpackage.json',
      'app://isodesk/%2e%2e/%2e%2e/main/shell/main.ts',
      'app://elsewhere/index.html',
    ]) {
      const answer = await fetchApp(url);
      expect(answer, url).toMatchObject({ status: 404 });
      expect('body' in answer && answer.body, url).not.toBe(secret);
    }
    expect(await fetchApp(APP_ENTRY_URL, 'POST')).toMatchObject({ status: 404 });
  });
});

describe("the page's reach", () => {
  it('cancels requests to the network and the file system', async () => {
    for (const url of ['https://api.hostkey.com/eq.php', `${api.url}/auth.php`, 'file:///etc/passwd', 'wss://example.org/']) {
      expect(await shell.call('request', { url }), url).toEqual({ cancel: true });
    }
    expect(await shell.call('request', { url: `${APP_ENTRY_URL}` })).toEqual({ cancel: false });
  });

  it('grants only clipboard writes, and only to the app page', async () => {
    expect(await shell.call('permission', { permission: 'clipboard-sanitized-write', url: APP_ENTRY_URL })).toEqual({ request: true, check: true });
    for (const permission of ['notifications', 'media', 'geolocation', 'openExternal']) {
      expect(await shell.call('permission', { permission, url: APP_ENTRY_URL }), permission).toEqual({ request: false, check: false });
    }
    expect(await shell.call('permission', { permission: 'clipboard-sanitized-write', url: 'https://evil.example/' })).toEqual({ request: false, check: false });
  });

  it('stays on app:// and never opens a window or a webview', async () => {
    expect(await shell.call('navigate', { url: `${APP_ENTRY_URL}#/tasks`, event: 'will-frame-navigate', mainFrame: true })).toEqual({ prevented: false });
    for (const url of ['https://evil.example/', 'app://elsewhere/index.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(await shell.call('navigate', { url, event: 'will-frame-navigate', mainFrame: true }), url).toEqual({ prevented: true });
      expect(await shell.call('navigate', { url, event: 'will-redirect', mainFrame: true }), url).toEqual({ prevented: true });
      expect(await shell.call('windowOpen', { url }), url).toEqual({ action: 'deny' });
    }
    expect(await shell.call('windowOpen', { url: APP_ENTRY_URL })).toEqual({ action: 'deny' });
    expect(await shell.call('attachWebview', {})).toEqual({ prevented: true });
    expect((await shell.state()).windows).toHaveLength(1);
  });

  it('hands https links to the browser, asks before plain http, and opens nothing else', async () => {
    const before = (await shell.state()).openedExternal.length;
    await shell.call('windowOpen', { url: 'https://hostkey.com/docs' });
    await shell.call('navigate', { url: 'https://hostkey.com/contacts', event: 'will-frame-navigate', mainFrame: true });
    for (const url of ['file:///etc/passwd', 'smb://host/share', 'ms-settings:', 'https://user:pw@evil.example/']) await shell.call('windowOpen', { url });
    let state = await shell.until((s) => s.openedExternal.length === before + 2, 'https links open at once');
    expect(state.openedExternal.slice(before)).toEqual(['https://hostkey.com/docs', 'https://hostkey.com/contacts']);

    // Plain http: a question on the app window; Cancel opens nothing, Open in Browser opens it.
    await shell.call('windowOpen', { url: 'http://mirror.example/readme.txt' });
    state = await shell.until((s) => s.messageBoxes.some((b) => !b.answered), 'a question about the http link');
    const box = state.messageBoxes.find((b) => !b.answered)!;
    expect(box).toMatchObject({ type: 'warning', parented: true, buttons: ['Open in Browser', 'Cancel'] });
    expect(box.detail).toContain('http://mirror.example/readme.txt');
    await shell.call('answerMessageBox', { response: 1 });
    await shell.call('windowOpen', { url: 'http://mirror.example/other.txt' });
    await shell.until((s) => s.messageBoxes.filter((b) => !b.answered).length === 1, 'a second question');
    await shell.call('answerMessageBox', { response: 0 });
    state = await shell.until((s) => s.openedExternal.length === before + 3, 'the accepted http link opens');
    expect(state.openedExternal.slice(before)).toEqual(['https://hostkey.com/docs', 'https://hostkey.com/contacts', 'http://mirror.example/other.txt']);
    expect(state.openedExternal.every((url) => /^https?:\/\//.test(url))).toBe(true);
  });
});

describe('menus', () => {
  it('sends the menu commands to the page through the preload', async () => {
    await shell.call('menu', { path: ['File', 'Upload ISO…'] });
    await shell.call('menu', { path: ['View', 'Tasks'] });
    const state = await shell.until((s) => s.rendererEvents.filter((e) => e.event === 'shell/command').length >= 2, 'two shell commands reach the page');
    expect(state.rendererEvents.filter((e) => e.event === 'shell/command').map((e) => e.payload)).toEqual([{ command: 'upload' }, { command: 'tasks' }]);
  });

  it('opens the data folder from the File menu', async () => {
    await shell.call('menu', { path: ['File', 'Open Data Folder'] });
    expect((await shell.state()).openedPaths).toContain(dataDir);
  });
});
