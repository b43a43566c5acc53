/** The main window: hardened web preferences, remembered bounds, no white flash on dark themes. */
import { BrowserWindow, nativeTheme, screen } from 'electron';
import { APP_ENTRY_URL } from './app-origin.js';
import { hardenWebContents } from './hardening.js';
import { MIN_SIZE, initialBounds, loadWindowState, saveWindowState, toWindowState } from './window-bounds.js';
import { PRODUCT } from '../version.js';

/** The renderer's --bg colours (renderer/src/styles/app.css), painted before the page loads. */
const BACKGROUND = { light: '#f4f5f7', dark: '#111418' } as const;

export function backgroundColor(): string {
  return nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light;
}

export interface MainWindowOptions {
  dataDir: string;
  preload: string;
  icon: string;
  devTools: boolean;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const bounds = initialBounds(
    loadWindowState(opts.dataDir),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    title: PRODUCT,
    width: bounds.width,
    height: bounds.height,
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : { center: true }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    backgroundColor: backgroundColor(),
    icon: opts.icon,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      webviewTag: false,
      spellcheck: false,
      devTools: opts.devTools,
    },
  });
  hardenWebContents(win.webContents);

  const onThemeChange = (): void => win.setBackgroundColor(backgroundColor());
  nativeTheme.on('updated', onThemeChange);
  win.once('closed', () => nativeTheme.off('updated', onThemeChange));

  win.once('ready-to-show', () => {
    if (bounds.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Saves the window's bounds; called when it closes or hides and before quitting. */
export function rememberBounds(win: BrowserWindow, dataDir: string): void {
  if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
  const state = toWindowState(win.getNormalBounds(), win.isMaximized());
  if (!state) return;
  try {
    saveWindowState(dataDir, state);
  } catch {
    // Losing the window position is harmless; it must not block closing.
  }
}

/** Brings the window back from the tray, the Dock or behind other windows. */
export function revealWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
