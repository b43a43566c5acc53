/**
 * A window's process (holdForFirstRows) follows tasks only once the window's first catalog page is
 * answered, or after FIRST_ROWS_HOLD_MS when none is asked for; any other process at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FIRST_ROWS_HOLD_MS } from '../../main/app.js';
import { localApi, startCore, tempDir, type Core } from '../services/harness.js';

const open: Core[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.app.close()));
});

async function core(opts: Parameters<typeof startCore>[0]): Promise<Core> {
  const started = await startCore(opts);
  open.push(started);
  return started;
}

describe('following tasks in a window process', () => {
  it('waits for the first catalog page, then follows a mount left in flight to its end', async () => {
    const api = await localApi({ taskDelayMs: 300 });
    try {
      const dataDir = tempDir();
      const first = await core({ dataDir, apiUrl: api.url, trackTasks: false });
      await first.call('session/signIn', { profile: 'work', base_url: api.url, api_key: api.keys.client });
      const serverId = (await first.call('servers/list', { refresh: true })).items[0]!.id;
      const mount = await first.call('iso/mount', { server_id: serverId, iso_name: 'ubuntu-24.04.1-live-server-amd64.iso' });
      await first.app.close();
      open.splice(open.indexOf(first), 1);

      const window = await core({ dataDir, apiUrl: api.url, secrets: first.secrets, holdForFirstRows: true });
      expect(window.app.tracker.following).toBe(false);
      const ended = window.nextEvent((e) => e.task.key === mount.key && e.task.state !== 'running', 15_000);
      await window.app.dispatch('catalog/query', { server_id: serverId });
      expect(window.app.tracker.following).toBe(true);
      expect((await ended).task.state).toBe('succeeded');
    } finally {
      await api.close();
    }
  });

  it(`starts by itself after ${FIRST_ROWS_HOLD_MS} ms when no page is asked for`, async () => {
    const window = await core({ holdForFirstRows: true });
    expect(window.app.tracker.following).toBe(false);
    await expect.poll(() => window.app.tracker.following, { timeout: FIRST_ROWS_HOLD_MS + 5_000 }).toBe(true);
  });

  it('follows at once in a process without a window', async () => {
    const cli = await core({});
    expect(cli.app.tracker.following).toBe(true);
  });
});
