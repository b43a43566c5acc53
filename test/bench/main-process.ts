/**
 * The main process never freezes: how long one catalog sync blocks the event loop of the process
 * that answers every IPC call (perf_hooks.monitorEventLoopDelay's max, in an app process of its
 * own, against its max over an idle stretch of the same length), with the seed's five fields and
 * with the richer rows of the cache bench; and how much memory the built harness holds after
 * three syncs and searches.
 */
import { fork } from 'node:child_process';
import { HostkeyClient } from '../../main/api/client.js';
import { Transport } from '../../main/api/transport.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { syntheticIsos } from '../cache/fixtures.js';
import { listIsoBody, replayProxy, startHarness, tempDir, type ReplayProxy } from './setup.js';
import type { Sample } from './types.js';
import { defineBench } from './types.js';

const SEARCHES = ['u', 'ub', 'ubuntu', 'ubuntu 22', 'deb', 'debian 12', 'win', 'rocky 9', 'alma 9.4', 'freebsd 14'];

/** list_iso's answer for the client account, as the local API writes it, and the account's server. */
async function seedAnswer(api: LocalApi, proxy: ReplayProxy): Promise<{ body: Buffer; serverId: number }> {
  const client = new HostkeyClient({ baseUrl: proxy.url, credentials: { apiKey: api.keys.client }, transport: new Transport({ userAgent: 'isodesk-bench' }) });
  await client.login();
  const [server] = await client.listServers();
  await client.listIso(server!.id);
  if (!proxy.captured) throw new Error('the proxy saw no list_iso answer');
  return { body: proxy.captured, serverId: server!.id };
}

/** In an app process of its own, the event loop's longest delay during one sync of each body. */
async function loopBlocks(proxy: ReplayProxy, apiKey: string, bodies: Buffer[]): Promise<Sample[]> {
  const child = fork(new URL('./loop-child.ts', import.meta.url), [proxy.url, apiKey], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (): Promise<Record<string, number>> =>
    new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m as Record<string, number>));
      void exited.then(() => reject(new Error('the app process of the event-loop bench ended early')));
    });
  try {
    await next();
    const samples: Sample[] = [];
    for (const body of bodies) {
      proxy.listIso = body;
      child.send('sync');
      const { value, baseline } = await next();
      samples.push({ value: value!, baseline: baseline! });
    }
    return samples;
  } finally {
    child.send('stop');
    await exited;
  }
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
      const seed = await seedAnswer(api, proxy);
      const rich = listIsoBody(seed.serverId, syntheticIsos(count));
      log(`list_iso bodies: seed ${(seed.body.length / 1048576).toFixed(1)} MiB, rich ${(rich.length / 1048576).toFixed(1)} MiB`);
      const [blockSeed, blockRich] = await loopBlocks(proxy, api.keys.client, [seed.body, rich]);

      proxy.listIso = seed.body;
      const harness = await startHarness(tempDir('rss'), proxy.url);
      let rss;
      try {
        await harness.call('session/signIn', { profile: 'bench', base_url: proxy.url, api_key: api.keys.client });
        await harness.call('servers/list', { refresh: true });
        const before = harness.rssMiB();
        for (let i = 0; i < 3; i++) {
          await harness.call('catalog/sync', { server_id: seed.serverId });
          for (const search of SEARCHES) await harness.call('catalog/query', { server_id: seed.serverId, search });
        }
        rss = { value: harness.rssMiB(), baseline: before };
      } finally {
        await harness.stop();
      }
      return { blockSeed: blockSeed!, blockRich: blockRich!, rss };
    } finally {
      await proxy.close();
      await api.close();
    }
  },
});
