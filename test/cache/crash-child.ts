/**
 * Child process of the crash tests; the test SIGKILLs it at a chosen moment.
 *  - `sync <file> <count>`: says "syncing", then replaces a catalog with `count` ISOs.
 *  - `task <file> <key>`: inserts a tracked task, says "inserted", then waits to be killed.
 */
import { openCache } from '../../main/cache/index.js';
import { syntheticIsos, trackedTask } from './fixtures.js';

const [mode, file, arg] = process.argv.slice(2);
if (!file || !arg || (mode !== 'sync' && mode !== 'task')) throw new Error('usage: crash-child.ts sync|task <cache file> <count|key>');
const cache = openCache(file);
if (mode === 'sync') {
  const isos = syntheticIsos(Number(arg), 2);
  process.stdout.write('syncing\n');
  cache.catalog.replace('alice', 7, isos, 2_000);
  process.stdout.write('done\n');
  cache.close();
} else {
  const now = Date.now();
  cache.tasks.insert(trackedTask(arg, { created_at: now, accepted_at: now, updated_at: now, next_poll_at: now + 2_000 }));
  process.stdout.write('inserted\n');
  setInterval(() => undefined, 1_000);
}
