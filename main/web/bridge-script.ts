/**
 * Builds `/bridge.js`: bridge-client.ts compiled for the browser (by the build, or once per process
 * when the harness runs from source), wrapped in a function whose parameters carry this run's
 * secret and the contract's channel and event names, so none of them is a page global.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNELS, EVENTS } from '../ipc/contract.js';
import { bundleBridgeClient } from './bridge-bundle.mjs';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bridge-client.ts');

/** The client's code, put in by `npm run build:main`; absent when the harness runs from source. */
declare const ISODESK_BUILT_BRIDGE_CLIENT: string | undefined;

let bundled: Promise<string> | null = null;

function bundle(): Promise<string> {
  bundled ??=
    typeof ISODESK_BUILT_BRIDGE_CLIENT === 'string'
      ? Promise.resolve(ISODESK_BUILT_BRIDGE_CLIENT)
      : import('esbuild').then(({ build }) => bundleBridgeClient(build, ENTRY));
  return bundled;
}

export async function bridgeScript(secret: string): Promise<string> {
  const code = await bundle();
  const args = [secret, Object.keys(CHANNELS), Object.keys(EVENTS)].map((v) => JSON.stringify(v)).join(', ');
  return `(function (ISODESK_BRIDGE_SECRET, ISODESK_CHANNELS, ISODESK_EVENTS) {\n${code}})(${args});\n`;
}
