/**
 * The child process's side of the test's remote control: answers commands (commands.ts) over the
 * IPC channel by acting on the Electron double the way the OS, the user or a renderer would, and
 * reports what the double recorded. Just before the process exits it sends the final state.
 */
import fs from 'node:fs';
import type * as E from 'electron';
import { EVENTS } from '../../../main/ipc/contract.js';
import type { Commands, FromChild, MenuItemSnapshot, SenderSpec, Snapshot, ToChild, WindowSnapshot } from './commands.js';
import {
  app,
  BrowserWindow,
  hooks,
  ipcMain,
  type Menu,
  nativeTheme,
  otherWebContents,
  powerMonitor,
  record,
  session,
  WebFrameMain,
  type WebContents,
} from './main-process.js';

const warnings: string[] = [];
for (const level of ['warn', 'error'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    original(...args);
  };
}

/** What the app window's page world holds: the preload's `isodesk`, and the events it delivered. */
const pages = new Map<BrowserWindow, Record<string, unknown>>();
const rendererEvents: { event: string; payload: unknown }[] = [];

hooks.preloaded = (win, mainWorld) => {
  pages.set(win, mainWorld);
  const api = mainWorld.isodesk as { on?: (event: string, listener: (payload: unknown) => void) => () => void } | undefined;
  if (typeof api?.on !== 'function') return;
  for (const event of Object.keys(EVENTS)) api.on(event, (payload) => rendererEvents.push({ event, payload }));
};

function appWindow(): BrowserWindow {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) throw new Error('the app has no window');
  return win;
}

function menuSnapshot(menu: Menu | null): MenuItemSnapshot[] {
  return (menu?.items ?? []).map((item) => ({
    label: item.label,
    role: item.role,
    accelerator: item.accelerator,
    submenu: item.submenu ? menuSnapshot(item.submenu) : null,
  }));
}

function windowSnapshot(win: BrowserWindow): WindowSnapshot {
  return {
    id: win.id,
    webContentsId: win.webContents.id,
    options: JSON.parse(JSON.stringify(win.options)) as Record<string, unknown>,
    requestedUrl: win.load.requestedUrl,
    url: win.webContents.destroyed ? null : win.webContents.getURL() || null,
    document: win.load.document,
    subresources: win.load.subresources,
    loadError: win.load.error,
    loaded: win.load.loaded,
    preload: win.load.preload,
    visible: win.isVisible(),
    focused: win.isFocused(),
    minimized: win.isMinimized(),
    destroyed: win.isDestroyed(),
    shows: win.shows,
    focuses: win.focuses,
  };
}

/** Windows ever created, the closed ones too: tests look at what happened to them. */
const windowsSeen: BrowserWindow[] = [];

function snapshot(): Snapshot {
  for (const win of BrowserWindow.getAllWindows()) if (!windowsSeen.includes(win)) windowsSeen.push(win);
  return {
    ready: app.isReady(),
    timeline: [...record.timeline],
    privilegedSchemes: record.privilegedSchemes,
    userData: app.getPath('userData'),
    windows: windowsSeen.map(windowSnapshot),
    ipcHandlers: [...ipcMain.handlers.keys()],
    ipcListeners: ipcMain.eventNames().map(String),
    handledSchemes: app.isReady() ? [...session.defaultSession.protocol.handlers.keys()] : [],
    trays: record.trays.map((tray) => ({
      icon: tray.icon,
      iconExists: fs.existsSync(tray.icon),
      tooltips: tray.tooltips,
      titles: tray.titles,
      menu: menuSnapshot(tray.contextMenu),
      destroyed: tray.isDestroyed(),
    })),
    notifications: record.notifications.map((n) => ({ title: n.title, body: n.body, icon: n.icon, shown: n.shown })),
    openedExternal: record.openedExternal,
    openedPaths: record.openedPaths,
    messageBoxes: record.messageBoxes.map(({ answer: _answer, ...box }) => box),
    saveDialogs: record.saveDialogs.map(({ answer: _answer, ...box }) => box),
    errorBoxes: record.errorBoxes,
    applicationMenu: record.applicationMenu ? menuSnapshot(record.applicationMenu) : null,
    rendererEvents,
    warnings,
  };
}

function senderOf(from: SenderSpec): { contents: WebContents; frame: WebFrameMain } {
  const contents = from.contents === 'app-window' ? appWindow().webContents : otherWebContents(from.url);
  if (from.frame === 'main') {
    // A main frame that shows `url` (the app's own page unless the test names another).
    const frame =
      from.contents === 'app-window' && from.url !== contents.mainFrame.url ? new WebFrameMain(contents.processId, from.url, null) : contents.mainFrame;
    if (frame !== contents.mainFrame) Object.defineProperty(frame, 'routingId', { value: contents.mainFrame.routingId });
    return { contents, frame };
  }
  return { contents, frame: new WebFrameMain(contents.processId, from.url, contents.mainFrame) };
}

function findMenuItem(menu: Menu | null, path: string[]): { click(): void } {
  let items = menu?.items ?? [];
  for (const [i, label] of path.entries()) {
    // Labels may carry an access-key marker ("&File").
    const item = items.find((candidate) => candidate.label?.replace('&', '') === label);
    if (!item) throw new Error(`no menu item "${path.slice(0, i + 1).join(' > ')}"`);
    if (i === path.length - 1) return item;
    items = item.submenu?.items ?? [];
  }
  throw new Error('empty menu path');
}

type Handlers = { [C in keyof Commands]: (args: Commands[C]['args']) => Commands[C]['result'] | Promise<Commands[C]['result']> };

const handlers: Handlers = {
  state: () => snapshot(),

  renderer: async ({ domain, action, request }) => {
    const page = pages.get(appWindow());
    const api = page?.isodesk as Record<string, Record<string, (req: unknown) => Promise<unknown>>> | undefined;
    const fn = api?.[domain]?.[action];
    if (typeof fn !== 'function') throw new Error(`the page has no isodesk.${domain}.${action}`);
    return fn(request ?? {});
  },

  invoke: ({ channel, payload, from }) => {
    const { contents, frame } = senderOf(from);
    return ipcMain.invoke(contents.invokeEvent(frame), channel, payload === undefined ? [] : [payload]);
  },

  fetch: ({ url, method }) => session.defaultSession.protocol.request(url, method),

  request: ({ url }) =>
    new Promise((resolve) => {
      const listener = session.defaultSession.webRequest.listener;
      if (!listener) return resolve({ cancel: false });
      const details = { id: 1, url, method: 'GET', resourceType: 'xhr', referrer: '', timestamp: Date.now(), uploadData: [] };
      listener(details as unknown as Parameters<typeof listener>[0], (response) => resolve({ cancel: response.cancel === true }));
    }),

  permission: async ({ permission, url }) => {
    const ses = session.defaultSession;
    const contents = appWindow().webContents as unknown as E.WebContents;
    type Permission = Parameters<NonNullable<typeof ses.permissionCheck>>[1];
    const check = ses.permissionCheck
      ? ses.permissionCheck(contents, permission as Permission, url, { requestingUrl: url } as E.PermissionCheckHandlerHandlerDetails)
      : true;
    const request = await new Promise<boolean>((resolve) => {
      if (!ses.permissionRequest) return resolve(true);
      ses.permissionRequest(contents, permission as Permission, resolve, { requestingUrl: url } as E.PermissionRequest);
    });
    return { request, check };
  },

  navigate: ({ url, event, mainFrame }) => {
    const contents = appWindow().webContents;
    let prevented = false;
    const details = {
      url,
      isMainFrame: mainFrame,
      isSameDocument: false,
      frame: contents.mainFrame,
      initiator: contents.mainFrame,
      preventDefault: () => (prevented = true),
    };
    contents.emit(event, details);
    return { prevented };
  },

  windowOpen: ({ url }) => {
    const handler = appWindow().webContents.windowOpenHandler;
    if (!handler) return { action: 'allow (no handler)' };
    const answer = handler({
      url,
      frameName: '',
      features: '',
      disposition: 'new-window',
      referrer: { url: '', policy: 'default' },
      postBody: undefined,
    } as unknown as E.HandlerDetails);
    return { action: answer.action };
  },

  attachWebview: () => {
    let prevented = false;
    appWindow().webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    return { prevented };
  },

  answerMessageBox: ({ response }) => {
    const box = record.messageBoxes.find((b) => !b.answered);
    if (!box) throw new Error('no message box is open');
    box.answered = true;
    box.answer(response);
    return null;
  },

  answerSaveDialog: ({ filePath }) => {
    const box = record.saveDialogs.find((b) => !b.answered);
    if (!box) throw new Error('no save dialog is open');
    box.answered = true;
    box.answer(filePath);
    return null;
  },

  window: ({ action }) => {
    const win = appWindow();
    if (action === 'close') win.close();
    else if (action === 'minimize') win.minimize();
    else win.emit('session-end', {});
    return null;
  },

  appEvent: ({ name }) => {
    app.emit(name, {}, true);
    return null;
  },

  theme: ({ dark }) => {
    nativeTheme.change(dark);
    return null;
  },

  powerEvent: ({ name }) => {
    powerMonitor.emit(name, {});
    return null;
  },

  quit: () => {
    app.quit();
    return null;
  },

  tray: ({ item }) => {
    const tray = record.trays.at(-1);
    if (!tray) throw new Error('there is no tray icon');
    if (item === null) tray.emit('click', {}, { x: 0, y: 0, width: 16, height: 16 }, { x: 0, y: 0 });
    else findMenuItem(tray.contextMenu, [item]).click();
    return null;
  },

  menu: ({ path }) => {
    findMenuItem(record.applicationMenu, path).click();
    return null;
  },

  notificationClick: ({ index }) => {
    const notification = record.notifications[index];
    if (!notification) throw new Error(`no notification #${index}`);
    notification.emit('click', {});
    return null;
  },
};

function send(message: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

process.on('message', (message: ToChild) => {
  const handler = handlers[message.command] as (args: unknown) => unknown;
  Promise.resolve()
    .then(() => handler(message.args))
    .then(
      (value) => send({ type: 'reply', id: message.id, ok: true, value }),
      (err: unknown) => send({ type: 'reply', id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    )
    .catch(() => undefined);
});

hooks.beforeExit = async (code) => {
  await send({ type: 'exit', code, state: snapshot() });
  process.disconnect?.();
};
