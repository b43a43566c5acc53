/**
 * Help → "Check Connection…" in the built Electron shell (with the Electron double): on every
 * platform the Help menu has it, and choosing it asks the page to open the connection check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { launchShell, prepareShell, stopAll } from './support/shell-process.js';

let api: LocalApi;
const dirs: string[] = [];

beforeAll(async () => {
  await prepareShell();
  api = await startLocalApi({ quiet: true });
}, 120_000);

afterAll(async () => {
  await stopAll();
  await api?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Help → Check Connection…', () => {
  it.each(['linux', 'darwin'] as const)('opens the connection check from the Help menu (%s)', async (platform) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-help-menu-'));
    dirs.push(dataDir);
    const shell = launchShell({ dataDir, apiUrl: api.url, double: { platform } });
    await shell.ready();
    await shell.call('menu', { path: ['Help', 'Check Connection…'] });
    const state = await shell.until((s) => s.rendererEvents.some((e) => e.event === 'shell/command'), 'the command reaches the page');
    expect(state.rendererEvents.filter((e) => e.event === 'shell/command').map((e) => e.payload)).toEqual([{ command: 'checkConnection' }]);
    await shell.call('quit', {});
    expect((await shell.exited).code).toBe(0);
  });
});
