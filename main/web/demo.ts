/**
 * `npm run demo:web`: the local HOSTKEY API with its demo data plus the browser harness pointed at
 * it, so anyone can try ISO Desk in a browser without an account. Prints the address to open and
 * the demo API keys (they open only the local API).
 *   npm run demo:web -- [--port N] [--isos N] [--data-dir DIR]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalApi } from '../local-api/server.js';
import { port, usageError, wholeNumber } from './args.js';
import { startWebHarness } from './server.js';
import { stopOnSignal } from './stop-on-signal.js';

const USAGE = 'Usage: npm run demo:web -- [--port N] [--isos N] [--data-dir DIR]';

async function main(): Promise<void> {
  let flags: { port: number; isos: number; 'data-dir': string | undefined };
  try {
    const { values } = parseArgs({
      options: { port: { type: 'string' }, isos: { type: 'string' }, 'data-dir': { type: 'string' } },
      strict: true,
    });
    flags = { port: port(values.port, 5190), isos: wholeNumber('isos', values.isos, 0), 'data-dir': values['data-dir'] || undefined };
  } catch (err) {
    console.error(usageError(err, USAGE));
    process.exit(2);
  }
  // A fresh folder per demo unless one is given, so every demo starts signed out.
  const dataDir = flags['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-demo-'));
  const api = await startLocalApi({ isoCount: flags.isos, quiet: true });
  const harness = await startWebHarness({ apiUrl: api.url, port: flags.port, dataDir }).catch(async (err: unknown) => {
    await api.close();
    throw err;
  });
  await harness.ready.catch(async (err: unknown) => {
    await harness.close();
    await api.close();
    throw err;
  });
  console.log(
    [
      `ISO Desk demo: open ${harness.url}`,
      '',
      `Sign in with any profile name and one of these API keys (the base URL is replaced by the local API at ${api.url}):`,
      `  customer          ${api.keys.client}`,
      `  administrator     ${api.keys.admin}`,
      ...(api.keys.staff ? [`  support engineer  ${api.keys.staff}`] : []),
      `  no servers        ${api.keys.noServers}`,
      '',
      `Data folder: ${dataDir}`,
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  stopOnSignal(async () => {
    await harness.close();
    await api.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
