/**
 * The app in a process of its own, for the event-loop figures of main-process.ts: nothing else
 * runs on its main thread (the local API, the proxy and the bench's own data live in the parent),
 * so the delays it records are the app's. Started with the proxy's URL and an API key; answers
 * each "sync" message with the event loop's longest delay during one catalog sync and during an
 * idle stretch as long.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { signedInApp, tempDir } from './setup.js';

const [apiUrl, apiKey] = process.argv.slice(2);
if (!apiUrl || !apiKey || !process.send) throw new Error('usage: fork(loop-child.ts, [apiUrl, apiKey])');
const send = process.send.bind(process);

/** The event loop's longest delay while `work` runs, and how long it ran. */
async function loopBlock(work: () => Promise<unknown>): Promise<{ maxMs: number; ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  histogram.disable();
  return { maxMs: histogram.max / 1e6, ms };
}

const { app, serverId, call } = await signedInApp(tempDir('loop'), apiUrl, apiKey);
// The first sync fills the cache (and starts the worker machinery); the measured ones replace it.
await call(app, 'catalog/sync', { server_id: serverId });
process.on('message', (message: unknown) => {
  if (message === 'stop') {
    void app.close().then(() => process.exit(0));
    return;
  }
  void (async () => {
    const sync = await loopBlock(() => call(app, 'catalog/sync', { server_id: serverId }));
    // At least a few samples of the monitor, however short the sync.
    const idle = await loopBlock(() => sleep(Math.max(100, sync.ms)));
    send({ value: sync.maxMs, baseline: idle.maxMs });
  })();
});
send({ ready: serverId });
