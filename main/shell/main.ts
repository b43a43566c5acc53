/**
 * The Electron entry point: the only place that wires Electron to the app core. It picks the data
 * folder and secret store, starts the core with task tracking, serves the renderer on app://,
 * guards IPC, and adds the desktop pieces (tray, menu, notifications, single instance).
 */
import fs from 'node:fs';
import path from 'node:path';
import { app, clipboard, dialog, powerMonitor, session, shell, type BrowserWindow } from 'electron';
import * as z from 'zod';
import { createApp, type App } from '../app.js';
import { PRODUCT, VERSION } from '../version.js';
import { DATA_DIR_ENV, resolveDataDir } from '../session/data-dir.js';
import { closeAction } from './close-policy.js';
import { hardenSession } from './hardening.js';
import { registerIpc } from './ipc.js';
import { installAppMenu } from './menu.js';
import { electronNativeBindingPath } from './native-binding.js';
import { notifyTaskEndings, remindOfAttachedIsos } from './notifications.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { createSecretStore } from './secret-store.js';
import { saveFileAs } from './save-file.js';
import { forwardAppEvents, sendShellCommand } from './shell-events.js';
import type { ShellCommand } from '../ipc/contract.js';
import { createTray } from './tray.js';
import { createMainWindow, rememberBounds, revealWindow } from './window.js';

const APP_ID = 'com.isodesk.app';
const API_URL_ENV = 'ISODESK_API_URL';

const appRoot = app.getAppPath();
const built = (...parts: string[]): string => path.join(appRoot, 'dist', ...parts);
const paths = {
  renderer: built('renderer'),
  preload: built('preload', 'index.cjs'),
  windowIcon: built('icons', 'icon.png'),
  // A template image on macOS adapts to light and dark menu bars.
  trayIcon: built('icons', process.platform === 'darwin' ? 'trayTemplate.png' : process.platform === 'win32' ? 'tray.png' : 'tray-linux.png'),
};

function fail(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

/** ISODESK_API_URL (used by `npm run demo`): an http(s) URL, or unset. */
function apiUrlFromEnv(): string | undefined | Error {
  const raw = process.env[API_URL_ENV]?.trim();
  if (!raw) return undefined;
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(raw);
  return parsed.success ? parsed.data : new Error(`${API_URL_ENV} must be an http(s) URL, not "${raw}".`);
}

/** Development runs load the Electron build of better-sqlite3 from .cache; packages carry their own. */
function nativeBindingOrError(): string | undefined | Error {
  if (app.isPackaged) return undefined;
  const file = electronNativeBindingPath(appRoot, { electronVersion: process.versions.electron, platform: process.platform, arch: process.arch });
  if (fs.existsSync(file)) return file;
  return new Error(
    `better-sqlite3 has not been built for Electron ${process.versions.electron} yet (${file} is missing). ` +
      'Start ISO Desk with "npm start": it builds that copy once and keeps the Node build for npm test.',
  );
}

async function start(dataDir: string): Promise<void> {
  const apiUrl = apiUrlFromEnv();
  if (apiUrl instanceof Error) return fail(`${PRODUCT} cannot start`, apiUrl.message);
  const nativeBinding = nativeBindingOrError();
  if (nativeBinding instanceof Error) return fail(`${PRODUCT} cannot start`, nativeBinding.message);

  hardenSession(session.defaultSession);
  serveRenderer(session.defaultSession, paths.renderer);

  const devTools = !app.isPackaged;
  let quitting = false;
  let closed = false;
  let win: BrowserWindow | null = null;
  let removeTray: (() => void) | null = null;

  const showWindow = (): BrowserWindow => {
    if (!win || win.isDestroyed()) win = openWindow();
    revealWindow(win);
    return win;
  };
  const command = (cmd: ShellCommand): void => sendShellCommand(showWindow().webContents, cmd);

  const openWindow = (): BrowserWindow => {
    const created = createMainWindow({ dataDir, preload: paths.preload, icon: paths.windowIcon, devTools });
    created.on('close', (event) => {
      rememberBounds(created, dataDir);
      if (closeAction(process.platform, removeTray !== null, quitting) === 'hide') {
        event.preventDefault();
        created.hide();
      }
    });
    // Hiding instead of closing must not hold up a Windows log-off or shutdown.
    created.on('session-end', () => {
      quitting = true;
    });
    return created;
  };

  // The window loads while the cache opens (it needs none of it); its calls wait for the app.
  let open!: (app: Promise<App>) => void;
  const opening = new Promise<App>((resolve) => (open = resolve));
  registerIpc(
    async (channel, payload) => (await opening).dispatch(channel, payload),
    () => (win && !win.isDestroyed() ? win.webContents.id : null),
  );
  win = openWindow();
  // One turn of the event loop, so the window's process is on its way before the cache opens on this thread.
  await new Promise((resolve) => setImmediate(resolve));
  open(
    createApp({
      dataDir,
      secrets: createSecretStore(dataDir),
      apiUrl,
      nativeBinding,
      trackTasks: true,
      holdForFirstRows: true,
      saveFile: (name, content) => saveFileAs(win, name, content),
      // "Console" (issue #9): the link goes from main straight to the OS browser or the clipboard, never to the window.
      desktop: {
        openExternal: (url) => shell.openExternal(url),
        copyText: (text) => clipboard.writeText(text),
      },
    }),
  );
  let core: App;
  try {
    core = await opening;
  } catch (err) {
    win.destroy();
    return fail(`${PRODUCT} cannot open its data`, `${err instanceof Error ? err.message : String(err)}\n\nData folder: ${dataDir}`);
  }

  forwardAppEvents(core.events, () => (win && !win.isDestroyed() ? win.webContents : null));

  installAppMenu(
    {
      command,
      openDataFolder: () => void shell.openPath(dataDir),
      about: () =>
        void dialog.showMessageBox(showWindow(), {
          type: 'info',
          title: `About ${PRODUCT}`,
          message: `${PRODUCT} ${VERSION}`,
          detail:
            `Manage ISO images at HOSTKEY.\n\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, ` +
            `Node ${process.versions.node}\nData folder: ${dataDir}`,
        }),
    },
    devTools,
  );
  notifyTaskEndings(core.events, paths.windowIcon, (key) => command({ command: 'openTask', key }));
  remindOfAttachedIsos(core.services, paths.windowIcon, (serverId) => command({ command: 'showServer', server_id: serverId }));
  try {
    removeTray = createTray(paths.trayIcon, core.events, await core.services['tasks/list']({}), {
      open: () => void showWindow(),
      tasks: () => command({ command: 'tasks' }),
      quit: () => app.quit(),
    });
  } catch (err) {
    // No tray (e.g. a desktop without a status area): closing the window then quits, see close-policy.
    console.warn(`${PRODUCT}: no tray icon: ${err instanceof Error ? err.message : String(err)}`);
  }

  app.on('second-instance', () => void showWindow());
  app.on('activate', () => void showWindow());
  app.on('before-quit', () => {
    quitting = true;
  });
  powerMonitor.on('shutdown', () => {
    quitting = true;
    app.quit();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    removeTray?.();
    void core.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}

registerAppScheme();
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
// One folder for everything (cache, secrets, Chromium's own storage), the same one the CLI uses.
const dataDir = resolveDataDir();
if (process.env[DATA_DIR_ENV] === undefined && dataDir !== app.getPath('userData')) {
  console.warn(`${PRODUCT}: using ${dataDir} (Electron proposed ${app.getPath('userData')}) so the CLI and the app share data.`);
}
app.setPath('userData', dataDir);

// The lock lives in the data folder, so separate ISODESK_DATA_DIRs (tests, demos) run side by side.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app
    .whenReady()
    .then(() => start(dataDir))
    .catch((err: unknown) => fail(`${PRODUCT} cannot start`, err instanceof Error ? err.message : String(err)));
}
