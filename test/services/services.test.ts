import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { localApi, rejection, startCore, type Core } from './harness.js';

let api: LocalApi;
let core: Core;
let serverId: number;

beforeAll(async () => {
  api = await localApi();
  core = await startCore();
  await core.call('session/signIn', { profile: 'client', base_url: api.url, api_key: api.keys.client });
  const servers = await core.call('servers/list', { refresh: true });
  serverId = servers.items.find((s) => s.state === 'active')!.id;
  await core.call('catalog/sync', { server_id: serverId });
});

afterAll(async () => {
  await core.app.close();
  await api.close();
});

describe('sign-in', () => {
  it('signs in with a key, learns the role and keeps secrets out of the answer and the cache', async () => {
    const status = await core.call('session/status', {});
    expect(status.active).toBe('client');
    expect(status.profiles[0]).toMatchObject({ name: 'client', role: 'Customer', email: 'client@example.com', auth: 'key', signed_in: true });
    expect(JSON.stringify(status)).not.toContain(api.keys.client);
    // Every file of the data folder, the catalog files in their folder included.
    const files = fs
      .readdirSync(core.dataDir, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(core.dataDir, f))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f).toString('latin1'));
    expect(files.join('')).not.toContain(api.keys.client);
    expect(core.secrets.get('client')?.token).toBeTruthy();
  });

  it('says a wrong key is wrong, and that an account without servers has no servers', async () => {
    const other = await startCore();
    const wrong = await rejection(other.call('session/signIn', { profile: 'x', base_url: api.url, api_key: 'not-a-real-key-123456' }));
    expect(wrong.kind).toBe('auth');
    expect(wrong.hint).toMatch(/API key/);
    const empty = await rejection(other.call('session/signIn', { profile: 'x', base_url: api.url, api_key: api.keys.noServers }));
    expect(empty.kind).toBe('no_servers');
    expect(empty.message).toBe('No appropriate servers found');
    expect(empty.hint).toMatch(/no servers/);
    const unreachable = await rejection(other.call('session/signIn', { profile: 'x', base_url: 'http://127.0.0.1:9', api_key: 'k-123456789' }));
    expect(unreachable.kind).toBe('transient');
    expect(unreachable.message).toMatch(/connection was refused/);
    expect((await other.call('session/status', {})).profiles).toEqual([]);
    await other.app.close();
  });
});

describe('catalog', () => {
  it('lists servers with hostnames, IPs and states', async () => {
    const { items } = await core.call('servers/list', { refresh: false });
    expect(items.length).toBeGreaterThan(1);
    for (const s of items) expect(s.hostname).toBeTruthy();
    expect(items.some((s) => s.main_ip)).toBe(true);
  });

  it('searches the cached catalog by prefix, sorts and pages', async () => {
    const page = await core.call('catalog/query', { server_id: serverId, search: 'ubu 22', sort: 'size', dir: 'desc' });
    expect(page.total).toBeGreaterThan(0);
    expect(page.rows.every((r) => /22/.test(`${r.iso_name} ${r.description} ${r.name ?? ''}`))).toBe(true);
    const all = await core.call('catalog/query', { server_id: serverId, sort: 'size', dir: 'desc', limit: 500 });
    const sizes = all.rows.map((r) => r.size ?? 0);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(all.synced_at).not.toBeNull();
  });

  it('reads the history of an ISO', async () => {
    const iso = (await core.call('catalog/query', { server_id: serverId, limit: 1 })).rows[0]!;
    const history = await core.call('iso/history', { iso_id: iso.id, refresh: true });
    expect(history.items.length).toBeGreaterThan(0);
    expect(history.offline).toBe(false);
  });

  it('refuses admin actions to a client with the API message', async () => {
    const err = await rejection(core.call('iso/add', { name: 'X', short_name: 'x', iso_name: 'x.iso', private: 'client@example.com' }));
    expect(err.kind).toBe('permission');
    expect(err.message).toMatch(/administrator/);
  });
});

describe('tasks', () => {
  it('mounts an ISO and follows the task to its end, then marks the server', async () => {
    const iso = (await core.call('catalog/query', { server_id: serverId, search: 'debian', limit: 1 })).rows[0]!;
    const done = core.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    const task = await core.call('iso/mount', { server_id: serverId, iso_name: iso.iso_name });
    expect(task.state).toBe('running');
    expect((await core.call('tasks/list', {})).some((t) => t.key === task.key)).toBe(true);
    const end = await done;
    expect(end.type).toBe('finished');
    expect(end.task.message).toBeTruthy();
    const server = (await core.call('servers/list', {})).items.find((s) => s.id === serverId)!;
    expect(server.mounted_iso).toBe(iso.iso_name);

    const unmounted = core.nextEvent((e) => e.task.kind === 'unmount' && e.task.state !== 'running');
    await core.call('iso/unmount', { server_id: serverId });
    expect((await unmounted).task.state).toBe('succeeded');
    expect((await core.call('servers/list', {})).items.find((s) => s.id === serverId)!.mounted_iso).toBeNull();
  });

  it('reports a failed mount with the API message', async () => {
    api.faults.failNextTask('Virtual media controller rejected the image');
    const iso = (await core.call('catalog/query', { server_id: serverId, limit: 1 })).rows[0]!;
    const failed = core.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    await core.call('iso/mount', { server_id: serverId, iso_name: iso.iso_name });
    const end = await failed;
    expect(end.type).toBe('failed');
    expect(end.task.message).toMatch(/Virtual media controller rejected the image/);
  });

  it('uploads by URL and follows the status until it ends', async () => {
    const done = core.nextEvent((e) => e.task.kind === 'upload' && e.task.state !== 'running');
    const task = await core.call('uploads/start', { url: 'https://mirror.example.org/isos/alpine-virt-3.20.iso' });
    expect(task.kind).toBe('upload');
    const end = await done;
    expect(end.task.state).toBe('succeeded');
    const uploads = await core.call('uploads/list', { refresh: false });
    expect(uploads.items.some((i) => i.iso_name === 'alpine-virt-3.20.iso')).toBe(true);
  });

  it('refuses a non-https upload before calling HOSTKEY', async () => {
    const err = await rejection(core.call('uploads/start', { url: 'http://mirror.example.org/a.iso' }));
    expect(err.kind).toBe('validation');
    expect(err.message).toMatch(/https/);
  });

  it('clears finished tasks', async () => {
    const { cleared } = await core.call('tasks/clear', {});
    expect(cleared).toBeGreaterThan(0);
    expect((await core.call('tasks/list', {})).filter((t) => t.state !== 'running')).toEqual([]);
  });
});

describe('admin', () => {
  it('lets an admin add, update and delete, and the catalog follows', async () => {
    const admin = await startCore();
    await admin.call('session/signIn', { profile: 'admin', base_url: api.url, api_key: api.keys.admin });
    const profile = (await admin.call('session/status', {})).profiles[0]!;
    expect(profile.capabilities).toMatchObject({ add: true, delete: true, uploadNeedsCustomer: true });
    const sid = (await admin.call('servers/list', { refresh: true })).items[0]!.id;
    await admin.call('catalog/sync', { server_id: sid });
    const added = await admin.call('iso/add', {
      name: 'NixOS 24.11',
      short_name: 'nixos2411',
      iso_name: 'nixos-24.11.iso',
      private: 'client@example.com',
      status: 'Active',
    });
    expect(added?.iso_name).toBe('nixos-24.11.iso');
    await admin.call('iso/update', { id: added!.id, description: 'NixOS minimal installer' });
    const history = await admin.call('iso/history', { iso_id: added!.id, refresh: true });
    expect(history.items.map((h) => h.type)).toEqual(expect.arrayContaining(['add', 'update']));
    await admin.call('iso/del', { id: added!.id, pending: true });
    const err = await rejection(admin.call('iso/delete', { id: 999_999 }));
    expect(err.kind).toBe('not_found');
    await admin.app.close();
  });
});

describe('offline', () => {
  it('answers from the cache, marked offline, when HOSTKEY cannot be reached', async () => {
    const solo = await localApi();
    const c = await startCore();
    await c.call('session/signIn', { profile: 'p', base_url: solo.url, api_key: solo.keys.client });
    const before = await c.call('servers/list', { refresh: true });
    const sid = before.items[0]!.id;
    await c.call('catalog/sync', { server_id: sid });
    await solo.close();
    const after = await c.call('servers/list', { refresh: true });
    expect(after.offline).toBe(true);
    expect(after.items).toEqual(before.items);
    expect((await c.call('catalog/sync', { server_id: sid })).offline).toBe(true);
    expect((await c.call('catalog/query', { server_id: sid, search: 'debian' })).total).toBeGreaterThan(0);
    const net = (await c.call('session/status', {})).net;
    expect(net.online).toBe(false);
    expect(net.last_error).toMatch(/refused/);
    const mount = await rejection(c.call('iso/mount', { server_id: sid, iso_name: 'x.iso' }));
    expect(mount.kind).toBe('transient');
    await c.app.close();
  });
});

describe('dispatch', () => {
  it('rejects unknown channels and malformed payloads as data', async () => {
    expect(await core.app.dispatch('shell/exec', { cmd: 'rm' })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await core.app.dispatch('iso/mount', { server_id: -1, iso_name: '' })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await core.app.dispatch('iso/mount', { server_id: 1, iso_name: 'a.iso', extra: true })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await core.app.dispatch('__proto__', {})).toMatchObject({ ok: false });
    expect(await core.app.dispatch('catalog/query', 'not an object')).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });
});
