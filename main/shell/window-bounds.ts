/**
 * The main window's size and position, remembered in <dataDir>/window-state.json. The file is
 * validated on load, and a saved position is only reused while it is still visible on one of the
 * current displays (a monitor may have been unplugged since); otherwise the window is centred.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';

export const WINDOW_STATE_FILE = 'window-state.json';
export const MIN_SIZE = { width: 800, height: 560 } as const;
export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;
/** How much of the title bar must be on a display for a saved position to count as visible. */
const MIN_VISIBLE = 80;

const Int = z.number().int().min(-100_000).max(100_000);
export const WindowState = z.object({
  x: Int,
  y: Int,
  width: z.number().int().min(MIN_SIZE.width).max(20_000),
  height: z.number().int().min(MIN_SIZE.height).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.output<typeof WindowState>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the window should open with: a position only when the saved one is still on screen. */
export interface InitialBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Fits the saved state to today's displays (their work areas). */
export function initialBounds(saved: WindowState | null, workAreas: readonly Rect[]): InitialBounds {
  if (!saved) return { ...DEFAULT_SIZE, maximized: false };
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: 32 };
  const area = workAreas.find(
    (a) =>
      overlap(titleBar.x, titleBar.x + titleBar.width, a.x, a.x + a.width) >= MIN_VISIBLE &&
      overlap(titleBar.y, titleBar.y + titleBar.height, a.y, a.y + a.height) > 0,
  );
  if (!area) {
    const largest = workAreas.reduce<Rect | null>((best, a) => (!best || a.width * a.height > best.width * best.height ? a : best), null);
    return {
      width: largest ? Math.min(saved.width, largest.width) : saved.width,
      height: largest ? Math.min(saved.height, largest.height) : saved.height,
      maximized: saved.maximized,
    };
  }
  return {
    x: saved.x,
    y: saved.y,
    width: Math.min(saved.width, area.width),
    height: Math.min(saved.height, area.height),
    maximized: saved.maximized,
  };
}

/** The saved state, or null when there is none or it is not valid. */
export function loadWindowState(dataDir: string): WindowState | null {
  try {
    const parsed = WindowState.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `normal` is the window's un-maximized bounds, so restoring a maximized window keeps its old size. */
export function toWindowState(normal: Rect, maximized: boolean): WindowState | null {
  const parsed = WindowState.safeParse({
    x: Math.round(normal.x),
    y: Math.round(normal.y),
    width: Math.round(normal.width),
    height: Math.round(normal.height),
    maximized,
  });
  return parsed.success ? parsed.data : null;
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}
