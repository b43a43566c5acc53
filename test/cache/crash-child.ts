/**
 * Child process of the crash tests; the test SIGKILLs it at a chosen moment.
 *  - `sync <file> <count>`: says "syncing", then replaces a catalog with `count` ISOs.
 *  - `first-sync <file> <count>`: syncs a server with nothing cached the way the app does (a
 *    worker builds the file; its rows are published first), says "rows" once they are, then
 *    "done" when its indexes are.
 *  - `task <file> <key>`: inserts a tracked task, says "inserted", then waits to be killed.
 */
import { openCache } from '../../main/cache/index.js';
import { createEvents } from '../../main/events/bus.js';
import { CatalogSyncs } from '../../main/sync/catalog-sync.js';
import { syntheticIsos, trackedTask } from './fixtures.js';

const [mode, file, arg] = process.argv.slice(2);
if (!file || !arg || (mode !== 'sync' && mode !== 'first-sync' && mode !== 'task')) {
  throw new Error('usage: crash-child.ts sync|first-sync|task <cache file> <count|key>');
}
const cache = openCache(file);
if (mode === 'first-sync') {
  const body = Buffer.from(JSON.stringify({ result: 'OK', iso_images: syntheticIsos(Number(arg), 2) }));
  const events = createEvents();
  events.on('catalog/changed', (e) => {
    if (e.indexing) process.stdout.write('rows\n');
  });
  const syncs = new CatalogSyncs(cache, events);
  await syncs.fromAnswer(
    { status: 200, body: Uint8Array.from(body), retryAfterMs: null, contentType: 'application/json' },
    { profile: 'alice', serverId: 7, syncedAt: 2_000 },
  );
  process.stdout.write('done\n');
  await syncs.close();
  cache.close();
} else if (mode === 'sync') {
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
