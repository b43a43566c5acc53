/**
 * The main process never freezes: how long one catalog sync blocks the event loop of the process
 * that answers every IPC call (perf_hooks.monitorEventLoopDelay's max, against its max over an
 * idle stretch of the same length), with the seed's five fields and with the richer rows of the
 * cache bench; and how much memory the harness holds after three syncs and searches.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalApi } from '../../main/local-api/server.js';
import { syntheticIsos } from '../cache/fixtures.js';
import { listIsoBody, replayProxy, signedInApp, startHarness, tempDir } from './setup.js';
import { defineBench } from './types.js';

const SEARCHES = ['u', 'ub', 'ubuntu', 'ubuntu 22', 'deb', 'debian 12', 'win', 'rocky 9', 'alma 9.4', 'freebsd 14'];

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

export const mainProcessBench = defineBench({
  name: 'main',
  figures: {
    blockSeed: {
      label: "event loop blocked by one 100k-ISO sync, seed's 5 fields (ms, max delay)",
      baseline: 'max delay over an idle stretch as long as the sync',
      target: { value: 50 },
    },
    blockRich: {
      label: 'event loop blocked by one 100k-ISO sync, richer rows (ms, max delay)',
      baseline: 'max delay over an idle stretch as long as the sync',
      target: { value: 50 },
    },
    rss: {
      label: 'harness RSS after three 100k syncs and searches (MiB)',
      baseline: 'the same harness signed in, before any catalog sync',
      target: { value: 250 },
    },
  },
  async run({ quick, log }) {
    const count = quick ? 2_000 : 100_000;
    const api = await startLocalApi({ isoCount: count, quiet: true });
    const proxy = await replayProxy(api.url);
    try {
      const { app, serverId, call } = await signedInApp(tempDir('main'), proxy.url, api.keys.client);
      let seed;
      let rich;
      try {
        // The first sync fills the cache and captures the local API's answer for replay.
        await call(app, 'catalog/sync', { server_id: serverId });
        if (!proxy.captured) throw new Error('the proxy saw no list_iso answer');
        const bodies = { seed: proxy.captured, rich: listIsoBody(serverId, syntheticIsos(count)) };
        log(`list_iso bodies: seed ${(bodies.seed.length / 1048576).toFixed(1)} MiB, rich ${(bodies.rich.length / 1048576).toFixed(1)} MiB`);
        const blocked = async (body: Buffer) => {
          proxy.listIso = body;
          const sync = await loopBlock(() => call(app, 'catalog/sync', { server_id: serverId }));
          // At least a few samples of the monitor, however short the sync.
          const idle = await loopBlock(() => sleep(Math.max(100, sync.ms)));
          return { value: sync.maxMs, baseline: idle.maxMs };
        };
        seed = await blocked(bodies.seed);
        rich = await blocked(bodies.rich);
      } finally {
        await app.close();
      }

      proxy.listIso = proxy.captured;
      const harness = await startHarness(tempDir('rss'), proxy.url);
      let rss;
      try {
        await harness.call('session/signIn', { profile: 'bench', base_url: proxy.url, api_key: api.keys.client });
        await harness.call('servers/list', { refresh: true });
        const before = harness.rssMiB();
        for (let i = 0; i < 3; i++) {
          await harness.call('catalog/sync', { server_id: serverId });
          for (const search of SEARCHES) await harness.call('catalog/query', { server_id: serverId, search });
        }
        rss = { value: harness.rssMiB(), baseline: before };
      } finally {
        await harness.stop();
      }
      return { blockSeed: seed, blockRich: rich, rss };
    } finally {
      await proxy.close();
      await api.close();
    }
  },
});
