/**
 * Builds `/bridge.js`: bridge-client.ts compiled for the browser (once per process), wrapped in a
 * function whose parameters carry this run's secret and the contract's channel and event names,
 * so none of them is a page global.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CHANNELS, EVENTS } from '../ipc/contract.js';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bridge-client.ts');

let bundled: Promise<string> | null = null;

function bundle(): Promise<string> {
  bundled ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no bridge script');
    return file.text;
  });
  return bundled;
}

export async function bridgeScript(secret: string): Promise<string> {
  const code = await bundle();
  const args = [secret, Object.keys(CHANNELS), Object.keys(EVENTS)].map((v) => JSON.stringify(v)).join(', ');
  return `(function (ISODESK_BRIDGE_SECRET, ISODESK_CHANNELS, ISODESK_EVENTS) {\n${code}})(${args});\n`;
}
