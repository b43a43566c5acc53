import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, WINDOW_STATE_FILE, initialBounds, loadWindowState, saveWindowState, toWindowState } from '../../main/shell/window-bounds.js';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const monitorRight = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('initialBounds', () => {
  it('opens at the default size, centred, the first time', () => {
    expect(initialBounds(null, [laptop])).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it('reuses a saved position that is still on a display', () => {
    const saved = { x: 2000, y: 100, width: 1300, height: 900, maximized: false };
    expect(initialBounds(saved, [laptop, monitorRight])).toEqual({ x: 2000, y: 100, width: 1300, height: 900, maximized: false });
  });

  it('drops the position when its monitor is gone, and shrinks to fit the remaining display', () => {
    const saved = { x: 2000, y: 100, width: 1900, height: 1200, maximized: true };
    expect(initialBounds(saved, [laptop])).toEqual({ width: 1440, height: 875, maximized: true });
  });

  it('does not trust a title bar that is only a sliver on screen', () => {
    const saved = { x: laptop.width - 20, y: 100, width: 1000, height: 700, maximized: false };
    expect(initialBounds(saved, [laptop]).x).toBeUndefined();
  });
});

describe('window-state.json', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-bounds-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('round-trips the un-maximized bounds and the maximized flag', () => {
    const dir = tempDir();
    const state = toWindowState({ x: 10.4, y: 20.6, width: 1024, height: 700 }, true);
    expect(state).toEqual({ x: 10, y: 21, width: 1024, height: 700, maximized: true });
    saveWindowState(dir, state!);
    expect(loadWindowState(dir)).toEqual(state);
  });

  it('ignores a missing, corrupt or out-of-range file', () => {
    const dir = tempDir();
    expect(loadWindowState(dir)).toBeNull();
    const file = path.join(dir, WINDOW_STATE_FILE);
    fs.writeFileSync(file, '{"x":');
    expect(loadWindowState(dir)).toBeNull();
    fs.writeFileSync(file, JSON.stringify({ x: 0, y: 0, width: 10, height: 10, maximized: false }));
    expect(loadWindowState(dir)).toBeNull();
    fs.writeFileSync(file, JSON.stringify({ x: 'a', y: 0, width: 1000, height: 700, maximized: false }));
    expect(loadWindowState(dir)).toBeNull();
  });

  it('does not save a window smaller than the minimum (e.g. mid-animation)', () => {
    expect(toWindowState({ x: 0, y: 0, width: 100, height: 100 }, false)).toBeNull();
  });
});
