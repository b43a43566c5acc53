/**
 * The desktop app's side of the shared sign-in tests, as its own process: the app's composition
 * (createApp with the store factory the Electron shell calls) minus Electron, with a memory store
 * standing in for safeStorage. It reads one request per line on stdin, {"channel", "request"},
 * and answers each with the dispatch Result as one JSON line — the same calls the renderer makes.
 *   node app-side.mjs DATA_DIR API_URL
 */
import readline from 'node:readline';
import { createApp } from '../../../main/app.js';
import { MemorySecretStore } from '../../../main/session/secrets.js';
import { openAppSecretStore } from '../../../main/session/shared-secrets.js';

const [dataDir, apiUrl] = process.argv.slice(2);
if (!dataDir || !apiUrl) throw new Error('usage: app-side DATA_DIR API_URL');
const secrets = await openAppSecretStore(dataDir, new MemorySecretStore('Your API key and token are kept in memory only (safeStorage stand-in).'));
const app = await createApp({ dataDir, secrets, apiUrl });
for await (const line of readline.createInterface({ input: process.stdin })) {
  const { channel, request } = JSON.parse(line) as { channel: string; request: unknown };
  process.stdout.write(`${JSON.stringify(await app.dispatch(channel, request))}\n`);
}
await app.close();
