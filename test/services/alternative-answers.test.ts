/**
 * The app against the local API's "alternatives" answer style (nested login, string ids, bare
 * server ids, the upload list under iso_images, unknown statuses, the task key in "key", unknown
 * fields): everything still works, and each surprise lands in the answer log, where the
 * connection check finds it — a mount's task key in another field included, which no read-only
 * check can see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { localApi, startCore, type Core } from './harness.js';

let api: LocalApi;
let c: Core;

beforeAll(async () => {
  // Each upload state lasts long enough for the poller to see it under any load.
  api = await localApi({ answers: 'alternatives', uploadStepMs: 1500 });
  c = await startCore({ apiUrl: api.url });
  await c.call('session/signIn', { profile: 'work', base_url: api.url, api_key: api.keys.client });
});
afterAll(async () => {
  await c?.app.close();
  await api?.close();
});

describe('alternative answers', () => {
  it('signs in, lists servers with their hostnames, and reads the catalog', async () => {
    const servers = (await c.call('servers/list', { refresh: true })).items;
    expect(servers.length).toBeGreaterThan(1);
    expect(servers.every((s) => s.hostname !== null && s.main_ip !== null && s.state !== 'unknown')).toBe(true);
    const synced = await c.call('catalog/sync', { server_id: servers[0]!.id });
    expect(synced.count).toBeGreaterThan(5);
  });

  it('mounts with the task key in "key", follows an upload through unknown statuses, and logs both', async () => {
    const serverId = (await c.call('servers/list', {})).items[0]!.id;
    await c.call('catalog/sync', { server_id: serverId });
    const iso = (await c.call('catalog/query', { server_id: serverId, search: 'debian', limit: 1 })).rows[0]!;
    const mounted = c.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    await c.call('iso/mount', { server_id: serverId, iso_name: iso.iso_name });
    expect((await mounted).task.state).toBe('succeeded');

    const uploaded = c.nextEvent((e) => e.task.kind === 'upload' && e.task.state !== 'running', 20_000);
    await c.call('uploads/start', { url: 'https://mirror.example.org/isos/alpine-virt-3.20.iso' });
    expect((await uploaded).task.state).toBe('succeeded');

    const { decisions } = await c.call('doctor/run', {});
    const taskKey = decisions.find((d) => d.id === 'task-key');
    expect(taskKey).toMatchObject({
      state: 'fell_back',
      evidence: [expect.stringMatching(/Answer log, mount_iso at .*the task key is in "key", not "callback"/)],
    });
    const statuses = decisions.find((d) => d.id === 'upload-statuses');
    expect(statuses?.state).toBe('unexpected');
  });
});
