/**
 * Builds `/bridge.js`: bridge-client.ts compiled for the browser (by the build, or once per process
 * when the harness runs from source), wrapped in a function whose parameters carry this run's
 * secret and the contract's channel and event names, so none of them is a page global. A built
 * harness has the names from the build: it serves the script at once, without loading the
 * contract, while the app opens.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBridgeClient } from './bridge-bundle.mjs';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bridge-client.ts');

/** The client's code, put in by `npm run build:main`; absent when the harness runs from source. */
declare const ISODESK_BUILT_BRIDGE_CLIENT: string | undefined;
/** The contract's names, put in by `npm run build:main` (bridge-bundle.mjs); absent when running from source. */
declare const ISODESK_BUILT_BRIDGE_NAMES: { channels: string[]; events: string[] } | undefined;

async function names(): Promise<{ channels: string[]; events: string[] }> {
  if (typeof ISODESK_BUILT_BRIDGE_NAMES === 'object') return ISODESK_BUILT_BRIDGE_NAMES;
  const { CHANNELS, EVENTS } = await import('../ipc/contract.js');
  return { channels: Object.keys(CHANNELS), events: Object.keys(EVENTS) };
}

let bundled: Promise<string> | null = null;

function bundle(): Promise<string> {
  bundled ??=
    typeof ISODESK_BUILT_BRIDGE_CLIENT === 'string'
      ? Promise.resolve(ISODESK_BUILT_BRIDGE_CLIENT)
      : import('esbuild').then(({ build }) => bundleBridgeClient(build, ENTRY));
  return bundled;
}

export async function bridgeScript(secret: string): Promise<string> {
  const [code, { channels, events }] = await Promise.all([bundle(), names()]);
  const args = [secret, channels, events].map((v) => JSON.stringify(v)).join(', ');
  return `(function (ISODESK_BRIDGE_SECRET, ISODESK_CHANNELS, ISODESK_EVENTS) {\n${code}})(${args});\n`;
}
