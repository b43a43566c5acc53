/**
 * Child process of the crash tests; the test SIGKILLs it at a chosen moment.
 *  - `sync <file> <count>`: says "syncing", then replaces a catalog with `count` ISOs.
 *  - `task <file> <key>`: inserts a tracked task, says "inserted", then waits to be killed.
 */
import { openCache } from '../../main/cache/index.js';
import { syntheticIsos } from './fixtures.js';

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
  cache.tasks.insert({
    key: arg,
    kind: 'mount',
    profile: 'alice',
    server_id: 7,
    iso_name: 'ubuntu.iso',
    url: null,
    iso_id: null,
    email: null,
    customer_id: null,
    task_key: null,
    state: 'running',
    status: null,
    message: null,
    created_at: now,
    accepted_at: now,
    updated_at: now,
    finished_at: null,
    polls: 0,
    next_poll_at: now + 2_000,
    ok_result: null,
    failures: 0,
    claim_owner: null,
    claim_until: null,
    rev: 0,
  });
  process.stdout.write('inserted\n');
  setInterval(() => undefined, 1_000);
}
