/**
 * How the built shell starts outside a package (`npm start`): it loads the Electron build of
 * better-sqlite3 from .cache/electron-native, and says plainly what is missing instead of opening
 * a broken window. Each test starts the app from its own app folder (package.json, a link to the
 * built dist/, and whatever .cache the case needs) on its own data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { electronNativeBindingPath } from '../../main/shell/native-binding.js';
import { eachTestStartsItsOwnApp, launchShell, newDataDir, ROOT } from './support/shell-process.js';

const ELECTRON_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const NODE_BUILD = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');

let api: LocalApi;
const appDirs: string[] = [];

eachTestStartsItsOwnApp();
beforeAll(async () => {
  api = await startLocalApi({ quiet: true });
});
afterEach(() => appDirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
afterAll(() => api?.close());

/** An app folder as `npm start` runs it: package.json and dist/ (linked), with or without the Electron build of better-sqlite3. */
function developmentApp(withNativeBuild: boolean): { appPath: string; binding: string } {
  const appPath = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-dev-app-'));
  appDirs.push(appPath);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(appPath, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(appPath, 'dist'));
  const binding = electronNativeBindingPath(appPath, { electronVersion: ELECTRON_VERSION, platform: 'linux', arch: process.arch });
  if (withNativeBuild) {
    // Node's build stands in for Electron's: the double runs on Node.
    fs.mkdirSync(path.dirname(binding), { recursive: true });
    fs.copyFileSync(NODE_BUILD, binding);
  }
  return { appPath, binding };
}

describe('a development run', () => {
  it('loads better-sqlite3 from .cache/electron-native and keeps the developer tools', async () => {
    const { appPath, binding } = developmentApp(true);
    const shell = launchShell({ dataDir: newDataDir(), apiUrl: api.url, double: { appPath, isPackaged: false } });
    const state = await shell.ready();
    expect(state.windows[0]?.options.webPreferences).toMatchObject({ devTools: true });
    const view = state.applicationMenu?.find((item) => item.label === '&View');
    expect(view?.submenu?.map((item) => item.role)).toContain('toggleDevTools');
    const mapped = path.join('/proc', String(shell.pid), 'maps');
    if (fs.existsSync(mapped)) {
      expect(fs.readFileSync(mapped, 'utf8')).toContain(fs.realpathSync(binding));
    } else {
      console.warn(`[shell-startup] not checking which better-sqlite3 binary was loaded: ${mapped} does not exist on ${process.platform}`);
    }
  });

  it('says how to build better-sqlite3 for Electron when it is missing, and opens no window', async () => {
    const { appPath } = developmentApp(false);
    const shell = launchShell({ dataDir: newDataDir(), apiUrl: api.url, double: { appPath, isPackaged: false } });
    const exit = await shell.exited;
    expect(exit.code).toBe(1);
    expect(exit.state?.errorBoxes).toEqual([
      {
        title: 'ISO Desk cannot start',
        content: expect.stringMatching(new RegExp(`not been built for Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')}.*"npm start"`)),
      },
    ]);
    expect(exit.state?.windows).toEqual([]);
  });
});

describe('a packaged run', () => {
  it('refuses an ISODESK_API_URL that is not http(s), with a message, before opening anything', async () => {
    const dataDir = newDataDir();
    const shell = launchShell({ dataDir, apiUrl: 'ftp://mirror.example/' });
    const exit = await shell.exited;
    expect(exit.code).toBe(1);
    expect(exit.state?.errorBoxes).toEqual([
      { title: 'ISO Desk cannot start', content: 'ISODESK_API_URL must be an http(s) URL, not "ftp://mirror.example/".' },
    ]);
    expect(exit.state?.windows).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'isodesk.db'))).toBe(false);
  });
});
