/**
 * How fast the built `isodesk` command starts, against `node -e 0` (bare Node) measured in the
 * same rounds: printing its help, and reading the cached catalog offline.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SECRETS_FILE } from '../../main/session/shared-secrets.js';
import { startLocalApi } from '../../main/local-api/server.js';
import { FileSecretStore } from '../../main/session/secrets.js';
import { createApp } from '../../main/app.js';
import { builtApp, callApp, tempDir } from './setup.js';
import { median } from './stats.js';
import { defineBench } from './types.js';

const run = promisify(execFile);

/** A data folder as `isodesk login` and `isodesk list` leave it: a profile and a cached catalog. */
async function filledDataDir(): Promise<{ dataDir: string; serverId: number }> {
  const dataDir = tempDir('cli');
  const api = await startLocalApi({ quiet: true });
  const app = await createApp({ dataDir, secrets: new FileSecretStore(path.join(dataDir, SECRETS_FILE)), apiUrl: api.url });
  try {
    await callApp(app, 'session/signIn', { profile: 'bench', base_url: api.url, api_key: api.keys.client });
    const serverId = (await callApp(app, 'servers/list', { refresh: true })).items[0]!.id;
    await callApp(app, 'catalog/sync', { server_id: serverId });
    return { dataDir, serverId };
  } finally {
    await app.close();
    await api.close();
  }
}

export const startupBench = defineBench({
  name: 'cli',
  figures: {
    offline: { label: 'isodesk list --offline (ms, median of the rounds)', baseline: 'node -e 0', target: { ratio: 2 } },
    help: { label: 'isodesk --help (ms, median of the rounds)', baseline: 'node -e 0', target: { ratio: 1.8 } },
  },
  async run({ quick }) {
    const { cli } = await builtApp();
    const { dataDir, serverId } = await filledDataDir();
    const commands = {
      bare: ['-e', '0'],
      help: [cli, '--help'],
      offline: [cli, 'list', '--offline', '--server', String(serverId), '--data-dir', dataDir],
    };
    const listed = await run(process.execPath, commands.offline);
    if (!/\.iso\b/.test(listed.stdout)) throw new Error(`isodesk list --offline printed no ISO:\n${listed.stdout}${listed.stderr}`);
    const times: Record<keyof typeof commands, number[]> = { bare: [], help: [], offline: [] };
    for (let round = 0; round < (quick ? 3 : 15); round++) {
      for (const name of Object.keys(commands) as (keyof typeof commands)[]) {
        const started = performance.now();
        await run(process.execPath, commands[name]);
        times[name].push(performance.now() - started);
      }
    }
    const bare = median(times.bare);
    return { offline: { value: median(times.offline), baseline: bare }, help: { value: median(times.help), baseline: bare } };
  },
});
