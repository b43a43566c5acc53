/**
 * The Electron double: what `import … from 'electron'` gives the shell when it runs under Node in
 * a test (electron-main.ts maps the module name here). It plays the parts of Electron the shell uses,
 * typed against the electron package's own declarations (each piece `implements` or `satisfies` a
 * Pick of the real type), so a changed signature fails `tsc` before it fails a user.
 *
 * It keeps Electron's rules where breaking them is a wiring bug: windows, sessions, screen, tray and
 * powerMonitor only after `ready`; privileged schemes and the sandbox switch only before; one
 * ipcMain handler per channel; safeStorage only once ready; the single-instance lock in the userData
 * folder of the moment; windows load their page through the session's protocol handler and run the
 * preload sandboxed, as the built files are; quitting goes before-quit → close windows → will-quit →
 * quit, and any step may be cancelled.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { types } from 'node:util';
import vm from 'node:vm';
import type * as E from 'electron';
import type { HttpAnswer } from './commands.js';
import { readConfig } from './config.js';
import { rendererElectron } from './renderer-side.js';

const config = readConfig();

/** Everything the double saw, read by the driver (driver.ts). */
export const record = {
  timeline: [] as string[],
  privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  openedExternal: [] as string[],
  openedPaths: [] as string[],
  /** What was put on the clipboard (the console's "Copy link"). */
  clipboard: [] as string[],
  errorBoxes: [] as { title: string; content: string }[],
  messageBoxes: [] as {
    type: string | null;
    message: string;
    detail: string | null;
    buttons: string[];
    parented: boolean;
    answered: boolean;
    answer: (response: number) => void;
  }[],
  notifications: [] as Notification[],
  trays: [] as Tray[],
  applicationMenu: null as Menu | null,
};

/** Hooks for the driver: a window's preload ran (its page world holds what the preload exposed). */
export const hooks = {
  preloaded: (_window: BrowserWindow, _mainWorld: Record<string, unknown>): void => undefined,
  /** Runs before the process exits; the driver reports the final state there. */
  beforeExit: async (_code: number): Promise<void> => undefined,
};

const note = (line: string): void => void record.timeline.push(line);

class ElectronEvent {
  private prevented = false;
  preventDefault = (): void => {
    this.prevented = true;
  };
  get defaultPrevented(): boolean {
    return this.prevented;
  }
}

function electronEvent<P extends object>(params: P): E.Event<P> {
  return Object.assign(new ElectronEvent(), params) as unknown as E.Event<P>;
}

function requireReady(what: string): void {
  if (!app.isReady()) throw new Error(`${what} cannot be used before the app is ready (the Electron double enforces Electron's rule).`);
}

// ---------------------------------------------------------------------------------------------
// app

let exiting = false;

async function exitProcess(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  note(`process exit ${code}`);
  try {
    await Promise.all(singleInstance.pending);
    await hooks.beforeExit(code);
  } finally {
    singleInstance.release();
    process.exit(code);
  }
}

class App
  extends EventEmitter
  implements
    Pick<
      E.App,
      | 'getAppPath'
      | 'getPath'
      | 'setPath'
      | 'enableSandbox'
      | 'setAppUserModelId'
      | 'requestSingleInstanceLock'
      | 'whenReady'
      | 'isReady'
      | 'quit'
      | 'exit'
      | 'isPackaged'
      | 'getName'
      | 'getVersion'
    >
{
  readonly isPackaged = config.isPackaged;
  private ready = false;
  private readyPromise: Promise<void>;
  private resolveReady: () => void = () => undefined;
  private paths = new Map<string, string>([['userData', config.userData]]);
  /** A quit in progress (between app.quit() and will-quit). */
  quitting = false;

  constructor() {
    super();
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  getName(): string {
    return 'ISO Desk';
  }
  getVersion(): string {
    return (JSON.parse(fs.readFileSync(path.join(config.appPath, 'package.json'), 'utf8')) as { version: string }).version;
  }
  getAppPath(): string {
    return config.appPath;
  }
  getPath(name: Parameters<E.App['getPath']>[0]): string {
    const known = this.paths.get(name);
    if (known) return known;
    if (name === 'home') return os.homedir();
    if (name === 'temp') return os.tmpdir();
    if (name === 'appData') return path.dirname(this.getPath('userData'));
    if (name === 'sessionData') return this.getPath('userData');
    throw new Error(`Failed to get '${name}' path`);
  }
  setPath(name: string, to: string): void {
    if (!path.isAbsolute(to)) throw new Error('Path must be absolute');
    note(`app.setPath ${name}`);
    this.paths.set(name, to);
  }
  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    note('app.enableSandbox');
  }
  setAppUserModelId(id: string): void {
    note(`app.setAppUserModelId ${id}`);
  }
  requestSingleInstanceLock(): boolean {
    const acquired = singleInstance.acquire(this.getPath('userData'));
    note(`app.requestSingleInstanceLock ${acquired ? 'acquired' : 'held by another instance'}`);
    return acquired;
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Called by electron-main.ts once the app's main script has run, as Electron does. */
  markReady(): void {
    this.ready = true;
    note('app ready');
    this.emit('will-finish-launching');
    this.emit('ready', electronEvent({}), {});
    this.resolveReady();
  }

  quit(): void {
    if (this.quitting || exiting) return;
    this.quitting = true;
    note('app.quit');
    const beforeQuit = electronEvent({});
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return this.cancelQuit('before-quit');
    for (const win of BrowserWindow.getAllWindows()) {
      win.close();
      if (!win.isDestroyed()) return this.cancelQuit('a window refused to close');
    }
    // Electron emits will-quit once the windows are gone, on a later turn of the event loop.
    setImmediate(() => {
      const willQuit = electronEvent({});
      this.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) return this.cancelQuit('will-quit');
      this.emit('quit', electronEvent({}), 0);
      void exitProcess(0);
    });
  }

  private cancelQuit(why: string): void {
    note(`quit cancelled (${why})`);
    this.quitting = false;
  }

  exit(exitCode = 0): void {
    note(`app.exit ${exitCode}`);
    void exitProcess(exitCode);
  }

  /** The last window closed: continue a quit in progress, else tell the app (or quit, as Electron does without a listener). */
  allWindowsClosed(): void {
    if (this.quitting) return;
    if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed');
    else this.quit();
  }
}

export const app = new App();

/**
 * The single-instance lock, kept like Chromium's ProcessSingleton: a lock file and a socket in the
 * userData folder. A second instance finds the lock held by a live process, hands its argv and
 * working folder over the socket (the first gets 'second-instance') and answers false.
 */
const singleInstance = {
  lockFile: null as string | null,
  socketFile: null as string | null,
  server: null as net.Server | null,
  pending: [] as Promise<void>[],

  acquire(dir: string): boolean {
    // Chromium creates the user data folder (0700) if it does not exist yet.
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = path.join(dir, 'SingletonLock');
    const socket = path.join(dir, 'SingletonSocket');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      } catch {
        const holder = Number(fs.readFileSync(lock, 'utf8'));
        if (holder && holder !== process.pid && isAlive(holder)) {
          this.notify(socket);
          return false;
        }
        // A lock left by a process that died: take it over.
        fs.rmSync(lock, { force: true });
        continue;
      }
      this.lockFile = lock;
      this.socketFile = socket;
      fs.rmSync(socket, { force: true });
      this.server = net.createServer((conn) => {
        let data = '';
        conn.setEncoding('utf8');
        conn.on('data', (chunk: string) => (data += chunk));
        conn.on('end', () => {
          const { argv, cwd } = JSON.parse(data) as { argv: string[]; cwd: string };
          note('app second-instance');
          app.emit('second-instance', electronEvent({}), argv, cwd, {});
        });
      });
      this.server.listen(socket);
      this.server.unref();
      return true;
    }
    return false;
  },

  notify(socket: string): void {
    this.pending.push(
      new Promise<void>((resolve) => {
        const conn = net.connect(socket, () => conn.end(JSON.stringify({ argv: process.argv, cwd: process.cwd() })));
        conn.on('close', () => resolve());
        conn.on('error', () => resolve());
      }),
    );
  },

  release(): void {
    if (this.lockFile) fs.rmSync(this.lockFile, { force: true });
    if (this.socketFile) fs.rmSync(this.socketFile, { force: true });
  },
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// protocol, session

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

class Protocol implements Pick<E.Protocol, 'registerSchemesAsPrivileged' | 'handle' | 'unhandle' | 'isProtocolHandled'> {
  readonly handlers = new Map<string, ProtocolHandler>();
  private registered = false;

  registerSchemesAsPrivileged(customSchemes: E.CustomScheme[]): void {
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    if (this.registered) throw new Error('protocol.registerSchemesAsPrivileged can only be called once');
    this.registered = true;
    note('protocol.registerSchemesAsPrivileged');
    for (const s of customSchemes) record.privilegedSchemes.push({ scheme: s.scheme, privileges: { ...s.privileges } });
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    requireReady('protocol.handle');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    note(`protocol.handle ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** What the page gets for `url`: the handler's response, or an error for an unhandled scheme. */
  async request(url: string, method = 'GET'): Promise<HttpAnswer | { error: string }> {
    const scheme = url.split(':')[0] ?? '';
    const handler = this.handlers.get(scheme);
    if (!handler) return { error: `net::ERR_UNKNOWN_URL_SCHEME (${url})` };
    const response = await handler(new Request(url, { method }));
    return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: await response.text() };
  }
}

export const protocol = new Protocol();

type BeforeRequest = (details: E.OnBeforeRequestListenerDetails, callback: (response: E.CallbackResponse) => void) => void;
type PermissionRequest = NonNullable<Parameters<E.Session['setPermissionRequestHandler']>[0]>;
type PermissionCheck = NonNullable<Parameters<E.Session['setPermissionCheckHandler']>[0]>;

class WebRequest implements Pick<E.WebRequest, 'onBeforeRequest'> {
  listener: BeforeRequest | null = null;
  onBeforeRequest(filterOrListener: E.WebRequestFilter | BeforeRequest | null, maybeListener?: BeforeRequest | null): void {
    this.listener = typeof filterOrListener === 'function' || filterOrListener === null ? filterOrListener : (maybeListener ?? null);
  }
}

class Session extends EventEmitter implements Pick<E.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> {
  readonly protocol = protocol;
  readonly webRequest = new WebRequest();
  permissionRequest: PermissionRequest | null = null;
  permissionCheck: PermissionCheck | null = null;

  setPermissionRequestHandler(handler: PermissionRequest | null): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheck | null): void {
    this.permissionCheck = handler;
  }
}

let theDefaultSession: Session | null = null;

export const session = {
  get defaultSession(): Session {
    if (!app.isReady()) throw new Error('Session can only be received when app is ready');
    theDefaultSession ??= new Session();
    return theDefaultSession;
  },
} satisfies Record<keyof Pick<typeof E.session, 'defaultSession'>, unknown>;

// ---------------------------------------------------------------------------------------------
// ipcMain

type InvokeHandler = (event: E.IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class IpcMain extends EventEmitter implements Pick<E.IpcMain, 'handle' | 'removeHandler'> {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    note(`ipcMain.handle ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** ipcRenderer.invoke arriving in main: Electron's reply, structured-cloned like the real one. */
  async invoke(event: E.IpcMainInvokeEvent, channel: string, args: unknown[]): Promise<{ result: unknown } | { error: string }> {
    const handler = this.handlers.get(channel);
    if (!handler) return { error: `Error: No handler registered for '${channel}'` };
    try {
      const result = await handler(event, ...args);
      return { result: structuredClone(result) };
    } catch (err) {
      return { error: String(err) };
    }
  }
}

export const ipcMain = new IpcMain();

// ---------------------------------------------------------------------------------------------
// webContents, frames, windows

let nextId = 1;

export class WebFrameMain implements Pick<E.WebFrameMain, 'processId' | 'routingId' | 'url'> {
  readonly routingId = nextId++;
  constructor(
    readonly processId: number,
    public url: string,
    readonly parent: WebFrameMain | null,
  ) {}
}

type WindowOpenHandler = Parameters<E.WebContents['setWindowOpenHandler']>[0];

export class WebContents extends EventEmitter implements Pick<E.WebContents, 'id' | 'isDestroyed' | 'send' | 'setWindowOpenHandler' | 'getURL'> {
  readonly id = nextId++;
  readonly processId = nextId++;
  readonly mainFrame = new WebFrameMain(this.processId, '', null);
  readonly session: Session;
  windowOpenHandler: WindowOpenHandler | null = null;
  destroyed = false;
  /** Delivers main's messages to the renderer side (set when a preload subscribes). */
  deliver: ((channel: string, args: unknown[]) => void) | null = null;

  constructor() {
    super();
    this.session = session.defaultSession;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    // Serialized with the structured clone algorithm, like Electron: a value that cannot cross throws here.
    const cloned = structuredClone(args);
    const deliver = this.deliver;
    if (deliver) setImmediate(() => deliver(channel, cloned));
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  /** An IPC event as Electron builds it for a call from `frame` of this webContents. */
  invokeEvent(frame: WebFrameMain): E.IpcMainInvokeEvent {
    return electronEvent({ sender: this, senderFrame: frame, frameId: frame.routingId, processId: frame.processId }) as unknown as E.IpcMainInvokeEvent;
  }
}

export interface PreloadRun {
  path: string;
  ran: boolean;
  error: string | null;
  required: string[];
  exposed: string[];
}

export interface PageLoad {
  requestedUrl: string | null;
  document: (HttpAnswer & { url: string }) | null;
  subresources: { url: string; status: number; contentType: string | null }[];
  error: string | null;
  preload: PreloadRun | null;
  /** 'ready-to-show' was emitted. */
  loaded: boolean;
}

/** The modules a sandboxed preload may require (Electron's sandboxed renderer offers these and nothing else). */
const SANDBOXED_MODULES = new Set(['electron', 'events', 'timers', 'url']);

export class BrowserWindow
  extends EventEmitter
  implements
    Pick<
      E.BrowserWindow,
      | 'id'
      | 'show'
      | 'hide'
      | 'focus'
      | 'isVisible'
      | 'isFocused'
      | 'isDestroyed'
      | 'isMinimized'
      | 'minimize'
      | 'restore'
      | 'isMaximized'
      | 'maximize'
      | 'isFullScreen'
      | 'getNormalBounds'
      | 'setBackgroundColor'
      | 'loadURL'
      | 'close'
      | 'destroy'
    >
{
  private static readonly all = new Set<BrowserWindow>();
  readonly id = nextId++;
  readonly webContents: WebContents;
  readonly options: E.BrowserWindowConstructorOptions;
  readonly load: PageLoad = { requestedUrl: null, document: null, subresources: [], error: null, preload: null, loaded: false };
  private visible: boolean;
  private focused = false;
  private minimized = false;
  private maximized = false;
  private destroyed = false;
  private bounds: E.Rectangle;
  shows = 0;
  focuses = 0;

  static getAllWindows(): BrowserWindow[] {
    return [...BrowserWindow.all];
  }
  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return [...BrowserWindow.all].find((win) => win.webContents === contents) ?? null;
  }

  constructor(options: E.BrowserWindowConstructorOptions = {}) {
    super();
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    note('new BrowserWindow');
    this.options = options;
    this.webContents = new WebContents();
    this.visible = options.show !== false;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    BrowserWindow.all.add(this);
  }

  show(): void {
    this.shows++;
    this.visible = true;
    this.minimized = false;
    this.focus();
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.focuses++;
    this.focused = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
    this.focused = false;
  }
  restore(): void {
    this.minimized = false;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  isFullScreen(): boolean {
    return false;
  }
  getNormalBounds(): E.Rectangle {
    return { ...this.bounds };
  }
  setBackgroundColor(backgroundColor: string): void {
    this.options.backgroundColor = backgroundColor;
  }

  /** The user (or app.quit) closes the window: 'close' may be prevented, else it is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = electronEvent({});
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.focused = false;
    this.webContents.destroyed = true;
    BrowserWindow.all.delete(this);
    note('window closed');
    this.emit('closed');
    if (BrowserWindow.all.size === 0) app.allWindowsClosed();
  }

  /**
   * Runs the preload as a sandboxed renderer does, then loads `url` through the session's protocol
   * handler: the document and every script and stylesheet it references.
   */
  async loadURL(url: string): Promise<void> {
    note(`loadURL ${url}`);
    this.load.requestedUrl = url;
    const preload = this.options.webPreferences?.preload;
    if (preload) this.load.preload = this.runPreload(preload);
    const answer = await this.webContents.session.protocol.request(url);
    if ('error' in answer) {
      this.load.error = answer.error;
      this.webContents.emit('did-fail-load', electronEvent({}), -301, answer.error, url, true);
      throw new Error(`${answer.error} loading '${url}'`);
    }
    this.load.document = { url, ...answer };
    this.webContents.mainFrame.url = url;
    for (const ref of referencedFiles(answer.body)) {
      const target = new URL(ref, url).href;
      const sub = await this.webContents.session.protocol.request(target);
      this.load.subresources.push(
        'error' in sub ? { url: target, status: 0, contentType: null } : { url: target, status: sub.status, contentType: sub.headers['content-type'] ?? null },
      );
    }
    this.webContents.emit('did-finish-load', electronEvent({}));
    this.load.loaded = true;
    note('ready-to-show');
    this.emit('ready-to-show', electronEvent({}));
  }

  private runPreload(file: string): PreloadRun {
    const run: PreloadRun = { path: file, ran: false, error: null, required: [], exposed: [] };
    let code: string;
    try {
      code = fs.readFileSync(file, 'utf8');
    } catch (err) {
      // Electron logs this in the renderer's console and loads the page without the preload.
      run.error = `Unable to load preload script: ${file} (${err instanceof Error ? err.message : String(err)})`;
      return run;
    }
    const mainWorld: Record<string, unknown> = {};
    const contents = this.webContents;
    const renderer = rendererElectron(
      {
        invoke: (channel, args) => ipcMain.invoke(contents.invokeEvent(contents.mainFrame), channel, args),
        listen: (deliver) => {
          contents.deliver = deliver;
        },
      },
      mainWorld,
      { isProxy: (value) => types.isProxy(value) },
    );
    const sandboxed = this.options.webPreferences?.sandbox !== false;
    const requireInPreload = (name: string): unknown => {
      run.required.push(name);
      if (name === 'electron') return renderer;
      if (sandboxed && !SANDBOXED_MODULES.has(name)) throw new Error(`module not found: ${name}`);
      throw new Error(`the Electron double offers no '${name}' to a preload`);
    };
    const module = { exports: {} };
    try {
      vm.runInNewContext(code, { require: requireInPreload, module, exports: module.exports, console }, { filename: file });
      run.ran = true;
    } catch (err) {
      run.error = err instanceof Error ? err.message : String(err);
    }
    run.exposed = Object.keys(mainWorld);
    hooks.preloaded(this, mainWorld);
    return run;
  }
}

/** The scripts and stylesheets a document references (src= and href= of script and link tags). */
function referencedFiles(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<(script|link)\b[^>]*?\b(src|href)="([^"]+)"/g)) {
    const ref = m[3]!;
    if (m[1] === 'link' && !/rel="(stylesheet|modulepreload)"/.test(m[0])) continue;
    found.push(ref);
  }
  return found;
}

/** A webContents that is not the app window's (another window, a webview, a devtools page). */
export function otherWebContents(url: string): WebContents {
  const contents = new WebContents();
  contents.mainFrame.url = url;
  return contents;
}

// ---------------------------------------------------------------------------------------------
// safeStorage: AES-256-GCM under the key the "OS" keeps, with Chromium's version prefix

const PREFIX = Buffer.from('v11');

export const safeStorage = {
  isEncryptionAvailable(): boolean {
    // On Linux Electron answers true only once the app is ready and a key is available.
    return app.isReady() && config.safeStorage.available;
  },
  getSelectedStorageBackend(): ReturnType<E.SafeStorage['getSelectedStorageBackend']> {
    if (config.platform !== 'linux') throw new Error('safeStorage.getSelectedStorageBackend() is only available on Linux');
    return app.isReady() ? config.safeStorage.backend : 'unknown';
  },
  encryptString(plainText: string): Buffer {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    }
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(config.safeStorage.key, 'hex'), iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([PREFIX, iv, cipher.getAuthTag(), body]);
  },
  decryptString(encrypted: Buffer): string {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    }
    try {
      if (!encrypted.subarray(0, PREFIX.length).equals(PREFIX)) throw new Error('no version prefix');
      const iv = encrypted.subarray(3, 15);
      const tag = encrypted.subarray(15, 31);
      const decipher = crypto.createDecipheriv('aes-256-gcm', Buffer.from(config.safeStorage.key, 'hex'), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  },
} satisfies Pick<E.SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;

// ---------------------------------------------------------------------------------------------
// nativeImage, Menu, Tray, Notification

class NativeImage implements Pick<E.NativeImage, 'isEmpty'> {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return !fs.existsSync(this.path);
  }
}

export const nativeImage = {
  createFromPath: (file: string): NativeImage => new NativeImage(file),
};

export class MenuItem {
  readonly label: string | null;
  readonly role: string | null;
  readonly accelerator: string | null;
  readonly submenu: Menu | null;
  private readonly onClick: (() => void) | null;

  constructor(options: E.MenuItemConstructorOptions) {
    this.label = options.label ?? null;
    this.role = options.role ?? null;
    this.accelerator = typeof options.accelerator === 'string' ? options.accelerator : null;
    const submenu = options.submenu;
    this.submenu = submenu === undefined ? null : submenu instanceof Menu ? submenu : Menu.buildFromTemplate(submenu as E.MenuItemConstructorOptions[]);
    const click = options.click;
    this.onClick = click ? () => click(this as unknown as E.MenuItem, undefined, {} as E.KeyboardEvent) : null;
    if (!this.label && !this.role && options.type !== 'separator' && !this.submenu)
      throw new Error('Invalid template for MenuItem: must have at least one of label, role or type');
  }
  click(): void {
    if (!this.onClick) throw new Error(`menu item "${this.label ?? this.role}" has no click handler`);
    this.onClick();
  }
}

export class Menu extends EventEmitter {
  readonly items: MenuItem[];

  constructor(items: MenuItem[] = []) {
    super();
    this.items = items;
  }

  static buildFromTemplate(template: Array<E.MenuItemConstructorOptions | E.MenuItem>): Menu {
    return new Menu(template.map((item) => (item instanceof MenuItem ? item : new MenuItem(item as E.MenuItemConstructorOptions))));
  }
  static setApplicationMenu(menu: Menu | null): void {
    note('Menu.setApplicationMenu');
    record.applicationMenu = menu;
  }
}

export class Tray extends EventEmitter implements Pick<E.Tray, 'setToolTip' | 'setTitle' | 'destroy' | 'isDestroyed'> {
  readonly icon: string;
  readonly tooltips: string[] = [];
  readonly titles: string[] = [];
  contextMenu: Menu | null = null;
  private destroyed = false;

  constructor(image: NativeImage | string) {
    super();
    requireReady('Tray');
    if (config.tray === 'fails') throw new Error('Failed to create the tray icon: no status area on this desktop.');
    this.icon = typeof image === 'string' ? image : image.path;
    note('new Tray');
    record.trays.push(this);
  }
  setToolTip(toolTip: string): void {
    this.tooltips.push(toolTip);
  }
  setTitle(title: string): void {
    this.titles.push(title);
  }
  setContextMenu(menu: Menu | null): void {
    this.contextMenu = menu;
  }
  destroy(): void {
    this.destroyed = true;
    note('tray destroyed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class Notification extends EventEmitter implements Pick<E.Notification, 'title' | 'body' | 'show'> {
  title: string;
  body: string;
  readonly icon: string | null;
  shown = false;

  static isSupported(): boolean {
    return config.notifications;
  }

  constructor(options: E.NotificationConstructorOptions = {}) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    this.icon = typeof options.icon === 'string' ? options.icon : null;
    record.notifications.push(this);
  }
  show(): void {
    this.shown = true;
    this.emit('show', electronEvent({}));
  }
}

// ---------------------------------------------------------------------------------------------
// shell, dialog, nativeTheme, screen, powerMonitor

export const shell = {
  openExternal(url: string): Promise<void> {
    record.openedExternal.push(url);
    return Promise.resolve();
  },
  openPath(file: string): Promise<string> {
    record.openedPaths.push(file);
    return Promise.resolve('');
  },
} satisfies Pick<E.Shell, 'openExternal' | 'openPath'>;

export const clipboard = {
  writeText(text: string): Promise<void> {
    record.clipboard.push(text);
    return Promise.resolve();
  },
} satisfies Pick<typeof E.clipboard, 'writeText'>;

export const dialog = {
  showErrorBox(title: string, content: string): void {
    note('dialog.showErrorBox');
    record.errorBoxes.push({ title, content });
  },
  showMessageBox(windowOrOptions: E.BaseWindow | E.MessageBoxOptions, maybeOptions?: E.MessageBoxOptions): Promise<E.MessageBoxReturnValue> {
    const parented = maybeOptions !== undefined;
    const options = (maybeOptions ?? windowOrOptions) as E.MessageBoxOptions;
    return new Promise((resolve) => {
      record.messageBoxes.push({
        type: options.type ?? null,
        message: options.message,
        detail: options.detail ?? null,
        buttons: options.buttons ?? ['OK'],
        parented,
        answered: false,
        answer: (response) => resolve({ response, checkboxChecked: false }),
      });
    });
  },
} satisfies Pick<E.Dialog, 'showErrorBox' | 'showMessageBox'>;

class NativeTheme extends EventEmitter implements Pick<E.NativeTheme, 'shouldUseDarkColors'> {
  shouldUseDarkColors = config.darkTheme;

  /** The system switched between light and dark. */
  change(dark: boolean): void {
    this.shouldUseDarkColors = dark;
    this.emit('updated');
  }
}
export const nativeTheme = new NativeTheme();

export const screen = {
  getAllDisplays(): E.Display[] {
    requireReady("The 'screen' module");
    return config.displays.map((d, i) => ({ id: i + 1, scaleFactor: 1, ...d }) as unknown as E.Display);
  },
} satisfies Pick<E.Screen, 'getAllDisplays'>;

class PowerMonitor extends EventEmitter {
  override on(eventName: string | symbol, listener: (...args: unknown[]) => void): this {
    requireReady('powerMonitor');
    return super.on(eventName, listener);
  }
}
export const powerMonitor = new PowerMonitor();

// ---------------------------------------------------------------------------------------------
// Static members and constructors take what Electron's take (they answer the double's own objects).

type TakesLike<Real extends (...args: never[]) => unknown> = (...args: Parameters<Real>) => unknown;
type ConstructsLike<Real extends abstract new (...args: never[]) => unknown> = new (...args: ConstructorParameters<Real>) => unknown;

export const staticSignatures = {
  createFromPath: nativeImage.createFromPath,
  buildFromTemplate: Menu.buildFromTemplate,
  notificationIsSupported: Notification.isSupported,
  getAllWindows: BrowserWindow.getAllWindows,
  BrowserWindow,
  Notification,
} satisfies {
  createFromPath: TakesLike<typeof E.nativeImage.createFromPath>;
  buildFromTemplate: TakesLike<typeof E.Menu.buildFromTemplate>;
  notificationIsSupported: TakesLike<typeof E.Notification.isSupported>;
  getAllWindows: TakesLike<typeof E.BrowserWindow.getAllWindows>;
  BrowserWindow: ConstructsLike<typeof E.BrowserWindow>;
  Notification: ConstructsLike<typeof E.Notification>;
};
