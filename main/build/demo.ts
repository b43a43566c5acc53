/**
 * `npm run demo`: the local HOSTKEY API with its demo data, and the desktop app pointed at it
 * (ISODESK_API_URL), with its own data folder so the demo's profiles stay apart from real ones.
 * Prints the demo API keys to sign in with; stops the API when the app quits.
 *   npm run demo -- [--data-dir DIR] [--isos N]
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { startLocalApi } from '../local-api/server.js';
import { NativeBuildError } from './electron-native.js';
import { LaunchError, prepareElectron, runElectron } from './launch.js';

const USAGE = 'Usage: npm run demo -- [--data-dir DIR] [--isos N]';
const Flags = z.object({
  'data-dir': z.string().min(1).default(path.join(os.tmpdir(), 'isodesk-demo')),
  isos: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).default(0),
});

let flags: z.output<typeof Flags>;
try {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, isos: { type: 'string' } }, strict: true });
  flags = Flags.parse(values);
} catch (err) {
  console.error(`${err instanceof z.ZodError ? err.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('; ') : String(err)}\n${USAGE}`);
  process.exit(2);
}

let binary: string;
try {
  binary = await prepareElectron();
} catch (err) {
  if (!(err instanceof LaunchError || err instanceof NativeBuildError)) throw err;
  console.error(`${err.message}\nThe browser version of the demo needs no Electron: npm run demo:web`);
  process.exit(1);
}

const api = await startLocalApi({ isoCount: flags.isos, quiet: true });
const dataDir = path.resolve(flags['data-dir']);
console.log(`Local HOSTKEY API: ${api.url}`);
console.log(`Sign in with the demo API key ${api.keys.client} (customer) or ${api.keys.admin} (administrator).`);
console.log(`Demo data folder: ${dataDir}`);
const code = await runElectron(binary, [], { ...process.env, ISODESK_API_URL: api.url, ISODESK_DATA_DIR: dataDir });
await api.close();
process.exit(code);
