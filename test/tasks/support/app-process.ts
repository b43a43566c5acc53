/**
 * A stand-in for the desktop app in a process of its own, for the multi-process tests: the real
 * app core (createApp) on a shared data folder, signed in through the CLI's secrets file, tracking
 * tasks. It prints one JSON line per task event ({"key","state"}), and "ready" once it tracks.
 *
 *   node --import tsx app-process.ts <data dir> <api url> follow
 *   node --import tsx app-process.ts <data dir> <api url> mount <seconds> <in parallel>
 *
 * `mount` also keeps <in parallel> mounts being sent for <seconds> (servers and ISOs in turn, a
 * third of them an ISO the local API fails), and prints {"mounted": key} or {"refused": message}
 * for each.
 * SIGTERM closes the app cleanly and exits.
 */
import path from 'node:path';
import { createApp } from '../../../main/app.js';
import { FileSecretStore } from '../../../main/session/secrets.js';
import { SECRETS_FILE } from '../../../main/session/shared-secrets.js';
import { AppError } from '../../../main/domain/errors.js';
import type { Response } from '../../../main/ipc/contract.js';
import { ISOS, SERVERS } from './mounts.js';

const [dataDir, apiUrl, mode, seconds, parallel] = process.argv.slice(2);
if (!dataDir || !apiUrl || (mode !== 'follow' && mode !== 'mount'))
  throw new Error('usage: app-process.ts <data dir> <api url> follow | mount <seconds> <in parallel>');

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

const app = await createApp({
  dataDir,
  secrets: new FileSecretStore(path.join(dataDir, SECRETS_FILE)),
  apiUrl,
  trackTasks: true,
  taskPoll: { min: 200, max: 1_000 },
  watchMs: 100,
});
app.events.on('tasks/changed', ({ task }) => print({ key: task.key, task_key: task.task_key, state: task.state }));

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  void app.close().then(() => process.exit(0));
});
print('ready');

if (mode === 'mount') {
  const until = Date.now() + Number(seconds) * 1000;
  let next = 0;
  const sender = async () => {
    while (Date.now() < until && !stopping) {
      const i = next++;
      const result = await app.dispatch('iso/mount', { server_id: SERVERS[i % SERVERS.length], iso_name: ISOS[i % ISOS.length] });
      if (result.ok) print({ mounted: (result.value as Response<'iso/mount'>).key });
      else print({ refused: AppError.fromInfo(result.error).message });
    }
  };
  await Promise.all(Array.from({ length: Number(parallel) }, sender));
  print('done mounting');
}
// The tracker's timers do not hold a process open (the desktop app must be able to quit); this does.
setInterval(() => undefined, 60_000);
