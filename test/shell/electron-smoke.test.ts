/**
 * The development Electron app end to end: build, launch with Playwright's Electron driver against
 * the local HOSTKEY API, sign in and see the catalog, and check the window's hardening from inside.
 * It needs Electron's binary (and a display on Linux), so it is skipped, with the reason printed,
 * where they are missing; the browser-harness e2e tests cover the same workflows there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_MISSING_HELP, installedElectron } from '../../main/build/electron-binary.js';
import { prepareElectron } from '../../main/build/launch.js';
import { CHANNELS } from '../../main/ipc/contract.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { APP_ORIGIN } from '../../main/shell/app-origin.js';
import { ensureRendererBuilt } from '../e2e/support/renderer-build.js';
import { isoRows, LONG, signIn } from '../e2e/support/ui.js';

const root = path.resolve(import.meta.dirname, '../..');
const electron = installedElectron(root);

function skipReason(): string | null {
  if (!electron) return 'the electron package is not installed';
  if (!electron.binary) return ELECTRON_MISSING_HELP;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (run under xvfb-run to include it)';
  }
  return null;
}
const reason = skipReason();
if (reason) console.warn(`[electron-smoke] skipped: ${reason}`);

describe.skipIf(reason !== null)('Electron app (development build)', () => {
  let api: LocalApi;
  let dataDir: string;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'main/build/build.mjs')], { cwd: root, stdio: 'inherit' });
    await ensureRendererBuilt();
    // Builds better-sqlite3 for Electron on the first run (downloads a prebuilt binary or compiles).
    const binary = await prepareElectron(root);
    api = await startLocalApi({ quiet: true, taskDelayMs: 300 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-electron-'));
    const { ELECTRON_RUN_AS_NODE: _runAsNode, ...env } = process.env;
    app = await _electron.launch({
      executablePath: binary,
      args: [root],
      cwd: root,
      env: { ...env, ISODESK_DATA_DIR: dataDir, ISODESK_API_URL: api.url },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    page.on('pageerror', (err) => console.error(`[electron page error] ${err.message}`));
  }, 20 * 60_000);

  afterAll(async () => {
    await app?.close();
    await api?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the renderer from app:// with only the contract bridge in reach', async () => {
    expect(page.url()).toBe(`${APP_ORIGIN}/index.html`);
    const world = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = w.isodesk as Record<string, unknown>;
      let evalBlocked = false;
      try {
        new Function('return 1')();
      } catch {
        evalBlocked = true;
      }
      return {
        domains: Object.keys(bridge).sort(),
        require: typeof w.require,
        process: typeof w.process,
        ipcRenderer: 'ipcRenderer' in bridge,
        evalBlocked,
      };
    });
    const domains = [...new Set(Object.keys(CHANNELS).map((c) => c.split('/')[0]))];
    expect(world).toEqual({ domains: [...domains, 'on'].sort(), require: 'undefined', process: 'undefined', ipcRenderer: false, evalBlocked: true });
  });

  it(
    'signs in against the local API and shows the catalog',
    async () => {
      await signIn(page, { profile: 'work', key: api.keys.client });
      expect(await isoRows(page).count()).toBeGreaterThan(0);
      const stored = fs.readdirSync(dataDir);
      expect(stored).toContain('isodesk.db');
      // The token and key are either encrypted in secrets.bin or kept in memory; never readable on disk.
      for (const file of stored.filter((f) => fs.statSync(path.join(dataDir, f)).isFile())) {
        expect(fs.readFileSync(path.join(dataDir, file)).includes(api.keys.client), file).toBe(false);
      }
    },
    LONG.timeout * 2,
  );

  it('stays on app:// and opens no window when the page tries to leave', async () => {
    // Another app:// host: Chromium itself would allow both, only the shell's handlers refuse them.
    await page.evaluate(() => {
      window.open('app://elsewhere/index.html');
      window.location.href = 'app://elsewhere/index.html';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(`${APP_ORIGIN}/index.html`);
    expect(app.windows()).toHaveLength(1);
  });
});
