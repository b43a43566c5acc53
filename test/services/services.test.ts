/**
 * The use cases end to end: the real app core on a fresh data folder per test, over real HTTP to
 * one local HOSTKEY API for the file (its state is shared, so each test uses what it changes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { MemorySecretStore } from '../../main/session/secrets.js';
import { localApi, rejection, startCore, type Core } from './harness.js';

let api: LocalApi;
let open: Core[] = [];

beforeAll(async () => {
  api = await localApi();
});

afterEach(async () => {
  api.faults.reset();
  await Promise.all(open.map((c) => c.app.close()));
  open = [];
});

afterAll(() => api.close());

async function core(opts: Parameters<typeof startCore>[0] = {}): Promise<Core> {
  const started = await startCore(opts);
  open.push(started);
  return started;
}

/** A core signed in as `key`'s account, with its servers read; `serverId` is an active one. */
async function signedIn(key = api.keys.client, opts: Parameters<typeof startCore>[0] = {}) {
  const c = await core(opts);
  await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: key });
  const servers = await c.call('servers/list', { refresh: true });
  const serverId = servers.items.find((s) => s.state === 'active')!.id;
  return { core: c, serverId };
}

/** Signed in, with the catalog of `serverId` cached. */
async function synced(key = api.keys.client) {
  const s = await signedIn(key);
  await s.core.call('catalog/sync', { server_id: s.serverId });
  return s;
}

describe('sign-in', () => {
  it('signs in with a key, learns the role and keeps secrets out of the answer and the cache', async () => {
    const { core: c } = await signedIn();
    const status = await c.call('session/status', {});
    expect(status.active).toBe('p');
    expect(status.profiles[0]).toMatchObject({ name: 'p', role: 'Customer', email: 'client@example.com', auth: 'key', signed_in: true });
    expect(JSON.stringify(status)).not.toContain(api.keys.client);
    // Every file of the data folder, the catalog files in their folder included.
    const files = fs
      .readdirSync(c.dataDir, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(c.dataDir, f))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f).toString('latin1'));
    expect(files.join('')).not.toContain(api.keys.client);
    expect((await c.secrets.get('p'))?.token).toBeTruthy();
  });

  it('says a wrong key is wrong, and that an account without servers has no servers', async () => {
    const c = await core();
    const wrong = await rejection(c.call('session/signIn', { profile: 'x', base_url: api.url, api_key: 'not-a-real-key-123456' }));
    expect(wrong.kind).toBe('auth');
    expect(wrong.hint).toMatch(/API key/);
    const empty = await rejection(c.call('session/signIn', { profile: 'x', base_url: api.url, api_key: api.keys.noServers }));
    expect(empty.kind).toBe('no_servers');
    expect(empty.message).toBe('No appropriate servers found');
    expect(empty.hint).toMatch(/no servers/);
    const unreachable = await rejection(c.call('session/signIn', { profile: 'x', base_url: 'http://127.0.0.1:9', api_key: 'k-123456789' }));
    expect(unreachable.kind).toBe('transient');
    expect(unreachable.message).toMatch(/connection was refused/);
    expect((await c.call('session/status', {})).profiles).toEqual([]);
  });

  it('refuses a base URL over plain http unless it is this machine, before sending the key anywhere', async () => {
    const c = await core();
    for (const base_url of ['http://api.hostkey.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.org']) {
      const err = await rejection(c.call('session/signIn', { profile: 'x', base_url, api_key: api.keys.client }));
      expect(err.kind).toBe('validation');
      expect(err.message).toMatch(/must start with https:\/\//);
      expect(err.hint).toMatch(/only for a local test server/);
    }
    expect((await c.call('session/status', {})).profiles).toEqual([]);
    const local = new URL(api.url);
    const viaLocalhost = await c.call('session/signIn', { profile: 'x', base_url: `http://localhost:${local.port}`, api_key: api.keys.client });
    expect(viaLocalhost.signed_in).toBe(true);
  });
});

describe('the session token', () => {
  it('several requests meeting "Invalid hash" at once sign in again exactly once', async () => {
    const { core: c, serverId } = await synced();
    const iso = (await c.call('catalog/query', { server_id: serverId, limit: 1 })).rows[0]!;
    const logins = api.requestCount('auth', 'login');
    api.faults.expireTokens();
    const answers = await Promise.all([
      c.call('servers/list', { refresh: true }),
      c.call('catalog/sync', { server_id: serverId }),
      c.call('iso/history', { iso_id: iso.id, refresh: true }),
      c.call('uploads/list', { refresh: true }),
      c.call('uploads/list', { refresh: true }),
    ]);
    expect(answers.every((a) => a.offline === false)).toBe(true);
    expect(api.requestCount('auth', 'login')).toBe(logins + 1);
  });

  it('the renewed token is saved, and used after a restart without signing in again', async () => {
    const secrets = new MemorySecretStore();
    const { core: first } = await signedIn(api.keys.client, { secrets });
    const before = (await secrets.get('p'))!.token;
    api.faults.expireTokens();
    await first.call('uploads/list', { refresh: true });
    const renewed = (await secrets.get('p'))!.token;
    expect(renewed).toBeTruthy();
    expect(renewed).not.toBe(before);
    await first.app.close();
    open = open.filter((c) => c !== first);

    const logins = api.requestCount('auth', 'login');
    const second = await core({ dataDir: first.dataDir, secrets });
    expect((await second.call('uploads/list', { refresh: true })).offline).toBe(false);
    expect((await second.call('servers/list', { refresh: true })).items.length).toBeGreaterThan(0);
    // The saved token worked: no Invalid hash, so no new login.
    expect(api.requestCount('auth', 'login')).toBe(logins);
    expect((await secrets.get('p'))!.token).toBe(renewed);
  });
});

describe('catalog', () => {
  it('lists servers with hostnames, IPs and states', async () => {
    const { core: c } = await signedIn();
    const { items } = await c.call('servers/list', { refresh: false });
    expect(items.length).toBeGreaterThan(1);
    for (const s of items) expect(s.hostname).toBeTruthy();
    expect(items.some((s) => s.main_ip)).toBe(true);
  });

  it('searches the cached catalog by prefix, sorts and pages', async () => {
    const { core: c, serverId } = await synced();
    const page = await c.call('catalog/query', { server_id: serverId, search: 'ubu 22', sort: 'size', dir: 'desc' });
    expect(page.total).toBeGreaterThan(0);
    expect(page.rows.every((r) => /22/.test(`${r.iso_name} ${r.description} ${r.name ?? ''}`))).toBe(true);
    const all = await c.call('catalog/query', { server_id: serverId, sort: 'size', dir: 'desc', limit: 500 });
    const sizes = all.rows.map((r) => r.size ?? 0);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(all.synced_at).not.toBeNull();
  });

  it('reads the history of an ISO', async () => {
    const { core: c, serverId } = await synced();
    const iso = (await c.call('catalog/query', { server_id: serverId, limit: 1 })).rows[0]!;
    const history = await c.call('iso/history', { iso_id: iso.id, refresh: true });
    expect(history.items.length).toBeGreaterThan(0);
    expect(history.offline).toBe(false);
  });

  it('refuses admin actions to a client with the API message', async () => {
    const { core: c } = await signedIn();
    const err = await rejection(c.call('iso/add', { name: 'X', short_name: 'x', iso_name: 'x.iso', private: 'client@example.com' }));
    expect(err.kind).toBe('permission');
    expect(err.message).toMatch(/administrator/);
  });
});

describe('tasks', () => {
  it('mounts an ISO and follows the task to its end, then marks the server', async () => {
    const { core: c, serverId } = await synced();
    const iso = (await c.call('catalog/query', { server_id: serverId, search: 'debian', limit: 1 })).rows[0]!;
    const done = c.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    const task = await c.call('iso/mount', { server_id: serverId, iso_name: iso.iso_name });
    expect(task.state).toBe('running');
    expect((await c.call('tasks/list', {})).some((t) => t.key === task.key)).toBe(true);
    const end = await done;
    expect(end.type).toBe('finished');
    expect(end.task.message).toBeTruthy();
    const server = (await c.call('servers/list', {})).items.find((s) => s.id === serverId)!;
    expect(server.mounted_iso).toBe(iso.iso_name);

    const unmounted = c.nextEvent((e) => e.task.kind === 'unmount' && e.task.state !== 'running');
    await c.call('iso/unmount', { server_id: serverId });
    expect((await unmounted).task.state).toBe('succeeded');
    expect((await c.call('servers/list', {})).items.find((s) => s.id === serverId)!.mounted_iso).toBeNull();
  });

  it('reports a failed mount with the API message', async () => {
    const { core: c, serverId } = await synced();
    api.faults.failNextTask('Virtual media controller rejected the image');
    const iso = (await c.call('catalog/query', { server_id: serverId, limit: 1 })).rows[0]!;
    const failed = c.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    await c.call('iso/mount', { server_id: serverId, iso_name: iso.iso_name });
    const end = await failed;
    expect(end.type).toBe('failed');
    expect(end.task.message).toMatch(/Virtual media controller rejected the image/);
  });

  it('uploads by URL and follows the status until it ends', async () => {
    const { core: c } = await signedIn();
    const done = c.nextEvent((e) => e.task.kind === 'upload' && e.task.state !== 'running');
    const task = await c.call('uploads/start', { url: 'https://mirror.example.org/isos/alpine-virt-3.20.iso' });
    expect(task.kind).toBe('upload');
    const end = await done;
    expect(end.task.state).toBe('succeeded');
    const uploads = await c.call('uploads/list', { refresh: false });
    expect(uploads.items.some((i) => i.iso_name === 'alpine-virt-3.20.iso')).toBe(true);
  });

  it('refuses a non-https upload before calling HOSTKEY', async () => {
    const { core: c } = await signedIn();
    const uploads = api.requestCount('iso', 'upload');
    const err = await rejection(c.call('uploads/start', { url: 'http://mirror.example.org/a.iso' }));
    expect(err.kind).toBe('validation');
    expect(err.message).toMatch(/https/);
    expect(api.requestCount('iso', 'upload')).toBe(uploads);
  });

  it('clears finished tasks and keeps running ones', async () => {
    const { core: c, serverId } = await synced();
    const iso = (await c.call('catalog/query', { server_id: serverId, limit: 1 })).rows[0]!;
    const done = c.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    await c.call('iso/mount', { server_id: serverId, iso_name: iso.iso_name });
    await done;
    // No more polling: the upload below stays running for as long as the test needs.
    await c.app.tracker.stop();
    const running = await c.call('uploads/start', { url: 'https://mirror.example.org/isos/still-running.iso' });
    const { cleared } = await c.call('tasks/clear', {});
    expect(cleared).toBe(1);
    expect((await c.call('tasks/list', {})).map((t) => t.key)).toEqual([running.key]);
  });
});

describe('admin', () => {
  it('lets an admin add, update and delete, and the cached catalog follows each change', async () => {
    const { core: admin, serverId } = await synced(api.keys.admin);
    const profile = (await admin.call('session/status', {})).profiles[0]!;
    expect(profile.capabilities).toMatchObject({ add: true, delete: true, uploadNeedsCustomer: true });
    const find = async () =>
      (await admin.call('catalog/query', { server_id: serverId, search: 'nixos', limit: 500 })).rows.find((r) => r.iso_name === 'nixos-24.11.iso');
    expect(await find()).toBeUndefined();

    const added = await admin.call('iso/add', {
      name: 'NixOS 24.11',
      short_name: 'nixos2411',
      iso_name: 'nixos-24.11.iso',
      private: 'client@example.com',
      status: 'Active',
    });
    expect(added?.iso_name).toBe('nixos-24.11.iso');
    expect(await find()).toMatchObject({ id: added!.id, iso_name: 'nixos-24.11.iso' });

    await admin.call('iso/update', { id: added!.id, description: 'NixOS minimal installer' });
    expect((await find())?.description).toBe('NixOS minimal installer');

    await admin.call('iso/del', { id: added!.id, pending: true });
    expect(await find()).toBeUndefined();
    const history = await admin.call('iso/history', { iso_id: added!.id, refresh: true });
    expect(history.items.map((h) => h.type).sort()).toEqual(['add', 'delete', 'update']);
    // `pending`: the seed's "delete the record immediately (without queuing)".
    expect(history.items.find((h) => h.type === 'delete')?.message).toBe('Deleted at once');

    const err = await rejection(admin.call('iso/delete', { id: 999_999 }));
    expect(err.kind).toBe('not_found');
  });
});

describe('offline', () => {
  /** A core with every read cached, against its own local API that the test can take away. */
  async function cachedThenGone() {
    const solo = await localApi();
    const c = await core();
    await c.call('session/signIn', { profile: 'p', base_url: solo.url, api_key: solo.keys.client });
    const servers = await c.call('servers/list', { refresh: true });
    const sid = servers.items[0]!.id;
    await c.call('catalog/sync', { server_id: sid });
    const iso = (await c.call('catalog/query', { server_id: sid, search: 'debian', limit: 1 })).rows[0]!;
    const mounted = c.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    await c.call('iso/mount', { server_id: sid, iso_name: iso.iso_name });
    await mounted;
    const cached = {
      servers: await c.call('servers/list', { refresh: false }),
      history: await c.call('iso/history', { iso_id: iso.id, refresh: true }),
      uploads: await c.call('uploads/list', { refresh: true }),
    };
    const tasks = await c.call('tasks/list', {});
    await solo.close();
    return { c, sid, iso, cached, tasks };
  }

  it('answers every read from the cache, marked offline, when HOSTKEY cannot be reached', async () => {
    const { c, sid, iso, cached, tasks } = await cachedThenGone();
    const servers = await c.call('servers/list', { refresh: true });
    expect(servers).toEqual({ ...cached.servers, offline: true });
    expect(await c.call('catalog/sync', { server_id: sid })).toMatchObject({ offline: true, count: expect.any(Number) });
    expect((await c.call('catalog/query', { server_id: sid, search: 'debian' })).total).toBeGreaterThan(0);
    expect(await c.call('iso/history', { iso_id: iso.id, refresh: true })).toEqual({ ...cached.history, offline: true });
    expect(await c.call('uploads/list', { refresh: true })).toEqual({ ...cached.uploads, offline: true });
    expect(await c.call('tasks/list', {})).toEqual(tasks);
    const net = await c.call('net/check', {});
    expect(net.online).toBe(false);
    expect(net.last_error).toMatch(/refused/);
    expect((await c.call('session/status', {})).net).toEqual(net);
    const mount = await rejection(c.call('iso/mount', { server_id: sid, iso_name: iso.iso_name }));
    expect(mount.kind).toBe('transient');
  });

  it('in offline mode, answers every read from the cache without touching the network', async () => {
    const { c, sid, iso, cached, tasks } = await cachedThenGone();
    await c.app.close();
    open = open.filter((o) => o !== c);
    const offline = await core({ dataDir: c.dataDir, secrets: c.secrets, offline: true });
    expect(await offline.call('servers/list', { refresh: false })).toEqual({ ...cached.servers, offline: false });
    expect((await offline.call('servers/list', { refresh: true })).offline).toBe(true);
    expect((await offline.call('catalog/query', { server_id: sid, search: 'debian' })).total).toBeGreaterThan(0);
    expect((await offline.call('iso/history', { iso_id: iso.id, refresh: true })).items).toEqual(cached.history.items);
    expect((await offline.call('uploads/list', { refresh: true })).items).toEqual(cached.uploads.items);
    expect(await offline.call('tasks/list', {})).toEqual(tasks);
    expect(await offline.call('net/check', {})).toMatchObject({ online: false, last_error: expect.stringMatching(/Offline mode/) });
    expect((await rejection(offline.call('iso/unmount', { server_id: sid }))).kind).toBe('offline');
  });
});

describe('dispatch', () => {
  it('rejects unknown channels and malformed payloads as data', async () => {
    const c = await core();
    expect(await c.app.dispatch('shell/exec', { cmd: 'rm' })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await c.app.dispatch('iso/mount', { server_id: -1, iso_name: '' })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await c.app.dispatch('iso/mount', { server_id: 1, iso_name: 'a.iso', extra: true })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await c.app.dispatch('__proto__', {})).toMatchObject({ ok: false });
    expect(await c.app.dispatch('catalog/query', 'not an object')).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });
});
