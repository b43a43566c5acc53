/**
 * The wire, pinned to the seed: for every action, the exact form the client sends — endpoint,
 * field names, `params[…]` nesting, 0/1 flags, and nothing else. The expected forms are spelled
 * here from the seed's parameter tables (shared/seed/000_2573ae30422bd7e4.txt) and
 * shared/docs/hostkey-api.md, never taken from main/api/fields.ts: a renamed field, a lost
 * `params[…]` wrapper or a flipped flag in the client fails this file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HostkeyClient } from '../../main/api/client.js';
import { KEY, TOKEN, cannedClient, type Seen } from './canned-server.js';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

/** Answers each action with a minimal success of its documented shape. */
function answer(req: Seen): unknown {
  switch (req.fields.action) {
    case 'login':
      return { result: 'OK', token: 'tok-from-login-000000000000000', token_expire: Math.floor(Date.now() / 1000) + 3600 };
    case 'info':
      return { result: { role: 'Customer', servers: [7] } };
    case 'list':
      return { result: 'OK', servers: [7] };
    case 'show':
      return { result: 'OK', server_data: { id: 7, Condition_Component: 'rent' }, IP: [], tags: [] };
    case 'list_iso':
      return { result: 'OK', action: 'list_iso', module: 'iso', server_id: 7, iso_images: [] };
    case 'history':
    case 'uploaded':
      return { result: 'OK', action: req.fields.action, module: 'iso', data: [] };
    case 'mount_iso':
    case 'unmount_iso':
      return { result: 'OK', action: req.fields.action, callback: 'abcdefghijklmnopqrstuvwxyz012345' };
    case 'check':
      return { result: 'Not ready', key: req.fields.key };
    default:
      return { result: 'OK', action: req.fields.action, module: 'iso', data: {} };
  }
}

/** Runs `use` against a canned HOSTKEY and returns every request it made. */
async function sent(use: (client: HostkeyClient) => Promise<unknown>): Promise<Seen[]> {
  const { client, server } = await cannedClient((req) => ({ json: answer(req) }));
  closers.push(server.close);
  await use(client);
  for (const req of server.seen) {
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // Exactly the form that was parsed: no field sent twice, nothing outside the form.
    expect(new URLSearchParams(req.raw).toString()).toBe(req.raw);
    expect([...new URLSearchParams(req.raw).keys()]).toHaveLength(Object.keys(req.fields).length);
  }
  return server.seen;
}

/** The one request `use` made: its endpoint and every field, exactly. */
async function form(use: (client: HostkeyClient) => Promise<unknown>): Promise<{ path: string; fields: Record<string, string> }> {
  const requests = await sent(use);
  expect(requests).toHaveLength(1);
  return { path: requests[0]!.path, fields: requests[0]!.fields };
}

describe('iso.php: the seed’s parameter tables', () => {
  it('add: params[name], params[short_name], params[iso_name], params[private], params[description], params[admin_only] 0/1, params[status]', async () => {
    const full = await form((c) =>
      c.add({
        name: 'Ubuntu 22.04',
        short_name: 'ubuntu22',
        iso_name: 'ubuntu-22.04.iso',
        private: 'client@example.com',
        description: 'Ubuntu Server 22.04 LTS',
        admin_only: true,
        status: 'Active',
      }),
    );
    expect(full).toEqual({
      path: '/iso.php',
      fields: {
        action: 'add',
        token: TOKEN,
        'params[name]': 'Ubuntu 22.04',
        'params[short_name]': 'ubuntu22',
        'params[iso_name]': 'ubuntu-22.04.iso',
        'params[private]': 'client@example.com',
        'params[description]': 'Ubuntu Server 22.04 LTS',
        'params[admin_only]': '1',
        'params[status]': 'Active',
      },
    });
    const required = await form((c) => c.add({ name: 'N', short_name: 'n', iso_name: 'n.iso', private: 'a@b.c', admin_only: false }));
    expect(required.fields).toEqual({
      action: 'add',
      token: TOKEN,
      'params[name]': 'N',
      'params[short_name]': 'n',
      'params[iso_name]': 'n.iso',
      'params[private]': 'a@b.c',
      'params[admin_only]': '0',
    });
  });

  it('del: params[id] and params[pending] as 1 or 0, left out when not chosen', async () => {
    expect(await form((c) => c.del(123, true))).toEqual({
      path: '/iso.php',
      fields: { action: 'del', token: TOKEN, 'params[id]': '123', 'params[pending]': '1' },
    });
    expect((await form((c) => c.del(123, false))).fields).toEqual({ action: 'del', token: TOKEN, 'params[id]': '123', 'params[pending]': '0' });
    expect((await form((c) => c.del(123))).fields).toEqual({ action: 'del', token: TOKEN, 'params[id]': '123' });
  });

  it('delete: a top-level id', async () => {
    expect(await form((c) => c.delete(123))).toEqual({ path: '/iso.php', fields: { action: 'delete', token: TOKEN, id: '123' } });
  });

  it('history: a top-level id', async () => {
    expect(await form((c) => c.history(123))).toEqual({ path: '/iso.php', fields: { action: 'history', token: TOKEN, id: '123' } });
  });

  it('list_iso: the server as a top-level id', async () => {
    expect(await form((c) => c.listIso(456))).toEqual({ path: '/iso.php', fields: { action: 'list_iso', token: TOKEN, id: '456' } });
  });

  it('mount_iso: the server as a top-level id, and iso', async () => {
    expect(await form((c) => c.mountIso(456, 'ubuntu-22.04.iso'))).toEqual({
      path: '/iso.php',
      fields: { action: 'mount_iso', token: TOKEN, id: '456', iso: 'ubuntu-22.04.iso' },
    });
  });

  it('unmount_iso: the server as a top-level id', async () => {
    expect(await form((c) => c.unmountIso(456))).toEqual({ path: '/iso.php', fields: { action: 'unmount_iso', token: TOKEN, id: '456' } });
  });

  it('update: params[id], params[description], params[iso_name]', async () => {
    expect(await form((c) => c.update({ id: 123, description: 'New', iso_name: 'new.iso' }))).toEqual({
      path: '/iso.php',
      fields: { action: 'update', token: TOKEN, 'params[id]': '123', 'params[description]': 'New', 'params[iso_name]': 'new.iso' },
    });
    expect((await form((c) => c.update({ id: 123, description: 'Only this' }))).fields).toEqual({
      action: 'update',
      token: TOKEN,
      'params[id]': '123',
      'params[description]': 'Only this',
    });
  });

  it('upload: params[url], and for staff params[email] and params[customer_id]', async () => {
    expect(await form((c) => c.upload({ url: 'https://mirror.example.org/a.iso' }))).toEqual({
      path: '/iso.php',
      fields: { action: 'upload', token: TOKEN, 'params[url]': 'https://mirror.example.org/a.iso' },
    });
    expect((await form((c) => c.upload({ url: 'https://mirror.example.org/a.iso', email: 'client@example.com', customer_id: 1001 }))).fields).toEqual({
      action: 'upload',
      token: TOKEN,
      'params[url]': 'https://mirror.example.org/a.iso',
      'params[email]': 'client@example.com',
      'params[customer_id]': '1001',
    });
  });

  it('uploaded: nothing but the token, or params[email] for an employee', async () => {
    expect(await form((c) => c.uploaded())).toEqual({ path: '/iso.php', fields: { action: 'uploaded', token: TOKEN } });
    expect((await form((c) => c.uploaded('client@example.com'))).fields).toEqual({ action: 'uploaded', token: TOKEN, 'params[email]': 'client@example.com' });
  });
});

describe('auth.php, eq.php and eq_callback.php: the docs', () => {
  it('login: key, ttl 3600 and fix_ip 0, and no token', async () => {
    expect(await form((c) => c.login())).toEqual({ path: '/auth.php', fields: { action: 'login', key: KEY, ttl: '3600', fix_ip: '0' } });
  });

  it('info and logout: the token', async () => {
    expect(await form((c) => c.info())).toEqual({ path: '/auth.php', fields: { action: 'info', token: TOKEN } });
    expect(await form((c) => c.logout())).toEqual({ path: '/auth.php', fields: { action: 'logout', token: TOKEN } });
  });

  it('update_servers, list, and show with a top-level id', async () => {
    expect(await form((c) => c.updateServers())).toEqual({ path: '/eq.php', fields: { action: 'update_servers', token: TOKEN } });
    const requests = await sent((c) => c.listServers());
    expect(requests.map((r) => ({ path: r.path, fields: r.fields }))).toEqual([
      { path: '/eq.php', fields: { action: 'list', token: TOKEN } },
      { path: '/eq.php', fields: { action: 'show', token: TOKEN, id: '7' } },
    ]);
  });

  it('check: the task key, sent with the token by POST', async () => {
    expect(await form((c) => c.checkTask('abcdefghijklmnopqrstuvwxyz012345'))).toEqual({
      path: '/eq_callback.php',
      fields: { action: 'check', token: TOKEN, key: 'abcdefghijklmnopqrstuvwxyz012345' },
    });
  });
});
