/**
 * How a test drives the shell running on the Electron double in a child process, and what it
 * reads back. Every value here is plain JSON: it crosses the child's IPC channel.
 */

/** Who sends an IPC call: the app window's main frame, one of its sub-frames, or another webContents. */
export interface SenderSpec {
  contents: 'app-window' | 'other';
  frame: 'main' | 'sub';
  /** The sending frame's URL. */
  url: string;
}

/** Electron's reply to ipcRenderer.invoke: the handler's result, or the error the renderer sees. */
export type InvokeReply = { result: unknown } | { error: string };

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface MenuItemSnapshot {
  label: string | null;
  role: string | null;
  accelerator: string | null;
  submenu: MenuItemSnapshot[] | null;
}

export interface WindowSnapshot {
  id: number;
  webContentsId: number;
  /** The constructor options as given (JSON-safe). */
  options: Record<string, unknown>;
  /** The URL the window was asked to load, and what the page's main frame shows. */
  requestedUrl: string | null;
  url: string | null;
  /** The page's document and the scripts and styles it references, as the session served them. */
  document: (HttpAnswer & { url: string }) | null;
  subresources: { url: string; status: number; contentType: string | null }[];
  loadError: string | null;
  /** The page finished loading ('ready-to-show'). */
  loaded: boolean;
  preload: { path: string; ran: boolean; error: string | null; required: string[]; exposed: string[] } | null;
  visible: boolean;
  focused: boolean;
  minimized: boolean;
  destroyed: boolean;
  shows: number;
  focuses: number;
}

export interface TraySnapshot {
  icon: string;
  iconExists: boolean;
  tooltips: string[];
  titles: string[];
  menu: MenuItemSnapshot[];
  destroyed: boolean;
}

export interface Snapshot {
  ready: boolean;
  /** Calls and events in the order they happened (e.g. "protocol.registerSchemesAsPrivileged", "app ready"). */
  timeline: string[];
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  userData: string;
  windows: WindowSnapshot[];
  ipcHandlers: string[];
  ipcListeners: string[];
  handledSchemes: string[];
  trays: TraySnapshot[];
  notifications: { title: string; body: string; icon: string | null; shown: boolean }[];
  openedExternal: string[];
  openedPaths: string[];
  messageBoxes: { type: string | null; message: string; detail: string | null; buttons: string[]; parented: boolean; answered: boolean }[];
  saveDialogs: { title: string | null; defaultPath: string | null; extensions: string[]; parented: boolean; answered: boolean }[];
  errorBoxes: { title: string; content: string }[];
  applicationMenu: MenuItemSnapshot[] | null;
  /** What the preload delivered to the page's `isodesk.on(...)` subscribers, in order. */
  rendererEvents: { event: string; payload: unknown }[];
  /** Lines the app wrote with console.warn / console.error. */
  warnings: string[];
}

/** Commands the test sends, with their arguments and answers. */
export interface Commands {
  state: { args: Record<string, never>; result: Snapshot };
  /** Calls `window.isodesk.<domain>.<action>(request)` in the app window, through the real preload. */
  renderer: { args: { domain: string; action: string; request?: unknown }; result: unknown };
  /** An ipcRenderer.invoke as Electron would deliver it to main, from the given sender. */
  invoke: { args: { channel: string; payload?: unknown; from: SenderSpec }; result: InvokeReply };
  /** A request to the default session's protocol handler (what the window's page would get). */
  fetch: { args: { url: string; method?: string }; result: HttpAnswer | { error: string } };
  /** Whether the session's webRequest.onBeforeRequest cancels a request from the page. */
  request: { args: { url: string }; result: { cancel: boolean } };
  permission: { args: { permission: string; url: string }; result: { request: boolean; check: boolean } };
  /** Emits will-frame-navigate / will-redirect on the app window; answers whether the shell prevented it. */
  navigate: { args: { url: string; event: 'will-frame-navigate' | 'will-redirect'; mainFrame: boolean }; result: { prevented: boolean } };
  windowOpen: { args: { url: string }; result: { action: string } };
  attachWebview: { args: Record<string, never>; result: { prevented: boolean } };
  /** Answers the oldest open message box with the button at `response`. */
  answerMessageBox: { args: { response: number }; result: null };
  /** Answers the oldest open save dialog with a path, or closes it (null). */
  answerSaveDialog: { args: { filePath: string | null }; result: null };
  /** The user closes, minimizes the app window, or the OS ends the session. */
  window: { args: { action: 'close' | 'minimize' | 'session-end' }; result: null };
  /** app events the OS sends (activate: the Dock icon was clicked). */
  appEvent: { args: { name: 'activate' }; result: null };
  /** The user switches the system between light and dark. */
  theme: { args: { dark: boolean }; result: null };
  /** The OS is shutting down (powerMonitor). */
  powerEvent: { args: { name: 'shutdown' }; result: null };
  /** app.quit(), as Cmd+Q or the File menu's Quit do. */
  quit: { args: Record<string, never>; result: null };
  /** A click on the tray icon, or on one of its menu items by label. */
  tray: { args: { item: string | null }; result: null };
  /** A click on an application menu item, by its labels from the top. */
  menu: { args: { path: string[] }; result: null };
  notificationClick: { args: { index: number }; result: null };
}

export type CommandName = keyof Commands;

export type ToChild = { id: number; command: CommandName; args: unknown };
export type FromChild =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'exit'; code: number; state: Snapshot };
