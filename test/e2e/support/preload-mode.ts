/**
 * The e2e suite's preload mode (ISODESK_E2E_BRIDGE=preload): instead of the browser harness's
 * bridge.js, the page runs the preload the app ships (dist/preload/index.cjs) on an `electron`
 * stand-in (preload-page.ts) whose IPC reaches the same harness. The renderer then talks to main
 * through the real preload, with contextBridge's copying and IPC's structured cloning in the way.
 *
 * The harness's own bridge still carries the calls: it is fetched as the page would fetch it and
 * run inside the stand-in with a private `window`, so the page never sees it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { CHANNELS, EVENT_CHANNEL, EVENTS, INVOKE_PREFIX } from '../../../main/ipc/contract.js';
import type { ContractNames } from './preload-page.js';
import { ensureAppBuilt } from './renderer-build.js';

export type BridgeMode = 'harness' | 'preload';

/** The mode of this test run; vitest.config.ts runs the preload-mode project with it set. */
export const BRIDGE_MODE: BridgeMode = process.env.ISODESK_E2E_BRIDGE === 'preload' ? 'preload' : 'harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PRELOAD = path.join(ROOT, 'dist/preload/index.cjs');
const GLOBAL = '__isodeskPreloadMode';

const NAMES: ContractNames = {
  invokePrefix: INVOKE_PREFIX,
  eventChannel: EVENT_CHANNEL,
  channels: Object.keys(CHANNELS) as ContractNames['channels'],
  events: Object.keys(EVENTS) as ContractNames['events'],
};

let standIn: Promise<string> | null = null;

function standInScript(): Promise<string> {
  standIn ??= build({
    entryPoints: [path.join(path.dirname(fileURLToPath(import.meta.url)), 'preload-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: GLOBAL,
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return standIn;
}

/** bridge.js for the preload mode: the harness bridge kept private, the stand-in, then the real preload. */
export async function preloadBridgeScript(harnessBridge: string): Promise<string> {
  const preload = fs.readFileSync(PRELOAD, 'utf8');
  return [
    '(function () {',
    'var harness = {};',
    `(function (window, self, globalThis) {\n${harnessBridge}\n}).call(harness, harness, harness, harness);`,
    await standInScript(),
    `var electron = ${GLOBAL}.electronForPage(harness.isodesk, window, ${JSON.stringify(NAMES)});`,
    'var module = { exports: {} };',
    "var require = function (name) { if (name === 'electron') return electron; throw new Error('module not found: ' + name); };",
    `(function (require, module, exports) {\n${preload}\n})(require, module, module.exports);`,
    '})();',
  ].join('\n');
}

const served = new WeakMap<BrowserContext, number>();

/** How many pages of `context` were given the preload (0 would mean the mode is not in effect). */
export function preloadBridgesServed(context: BrowserContext): number {
  return served.get(context) ?? 0;
}

/** Serves every page of `context` the preload-mode bridge.js in place of the harness's. */
export async function usePreloadBridge(context: BrowserContext): Promise<void> {
  // Built before the page loads, so serving bridge.js takes no longer than the harness does.
  await ensureAppBuilt();
  await standInScript();
  await context.route(
    (url) => url.pathname === '/bridge.js',
    async (route) => {
      // Fetched as the page's own <script> would be (the harness gives the bridge to its own page only).
      const response = await route.fetch({
        headers: { ...route.request().headers(), 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' },
      });
      if (response.status() !== 200) return route.fulfill({ response });
      const { 'content-length': _length, ...headers } = response.headers();
      await route.fulfill({ status: 200, headers, body: await preloadBridgeScript(await response.text()) });
      served.set(context, preloadBridgesServed(context) + 1);
    },
  );
}
