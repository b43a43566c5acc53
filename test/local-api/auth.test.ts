import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { LocalApi } from '../../main/local-api/server.js';
import { call, get, login, manualClock, post, start, tokenOf } from './helpers.js';

const clock = manualClock();
let api: LocalApi;

beforeAll(async () => {
  api = await start({ now: clock.now, tokenTtlSeconds: 600 });
});
afterAll(() => api.close());

describe('auth.php login', () => {
  it('answers the client key with a top-level token, mixed server ids, role and token_expire', async () => {
    const { status, body } = await post(api, 'auth', {
      action: 'login',
      key: api.keys.client,
      ttl: '3600',
      fix_ip: '0',
    });
    expect(status).toBe(200);
    expect(body.result).toBe('OK');
    expect(body.token).toMatch(/^[0-9a-f]{32}$/);
    expect(body.role).toBe('Customer');
    expect(body.token_expire).toBe(Math.floor(clock.now() / 1000) + 600);
    expect(body.servers).toEqual([40211, '40212', 40213, '40214', 40215]);
  });

  it('answers the admin key with the token inside a `result` object', async () => {
    const { body } = await post(api, 'auth', { action: 'login', key: api.keys.admin });
    expect(body).not.toHaveProperty('token');
    expect(body.result).toMatchObject({ token: expect.stringMatching(/^[0-9a-f]{32}$/), role: 'Admin' });
    expect((body.result as { servers: unknown[] }).servers.map(Number)).toEqual([40211, 40212, 40213, 40214, 40215, 50101, 50102, 60301, 60302]);
  });

  it('refuses a wrong key with code -1 and a missing key as an invalid argument', async () => {
    expect((await post(api, 'auth', { action: 'login', key: 'not-a-key' })).body).toEqual({ code: -1, message: 'Invalid API key' });
    expect((await post(api, 'auth', { action: 'login' })).body).toEqual({ code: -1, message: 'invalid argument key' });
  });

  it('refuses an account without servers with NO_APPROPRIATE_SERVERS', async () => {
    const { status, body } = await post(api, 'auth', { action: 'login', key: api.keys.noServers });
    expect(status).toBe(200);
    expect(body).toEqual({ result: -1, error: 'No appropriate servers found', code: 'NO_APPROPRIATE_SERVERS' });
  });

  it('issues a different token on every login', async () => {
    expect(await login(api, api.keys.client)).not.toBe(await login(api, api.keys.client));
  });
});

describe('auth.php info and logout', () => {
  it('describes the account behind the token', async () => {
    const token = await login(api, api.keys.client);
    const { body } = await call(api, 'auth', 'info', token);
    expect(body.result).toEqual({
      token,
      role: 'Customer',
      role_type: 'Customer',
      role_name: 'Customer',
      permissions: expect.arrayContaining(['iso.list_iso', 'iso.mount_iso']),
      servers: [40211, '40212', 40213, '40214', 40215],
      email: 'client@example.com',
      customer_id: 1001,
      token_expire: Math.floor(clock.now() / 1000) + 600,
    });
    expect((body.result as { permissions: string[] }).permissions).not.toContain('iso.add');
  });

  it('tells staff roles apart', async () => {
    const admin = (await call(api, 'auth', 'info', await login(api, api.keys.admin))).body.result;
    const staff = (await call(api, 'auth', 'info', await login(api, api.keys.staff ?? ''))).body.result;
    expect(admin).toMatchObject({ role: 'Admin', role_type: 'Staff', permissions: expect.arrayContaining(['iso.add']) });
    expect(staff).toMatchObject({ role: 'Employee', role_type: 'Staff' });
  });

  it('accepts the token in a GET query string', async () => {
    const token = await login(api, api.keys.client);
    const { body } = await get(api, `/auth.php?action=info&token=${token}`);
    expect(body.result).toMatchObject({ email: 'client@example.com' });
  });

  it('logout deletes the token', async () => {
    const token = await login(api, api.keys.client);
    expect((await call(api, 'auth', 'logout', token)).body).toEqual({ result: 'OK' });
    expect((await call(api, 'auth', 'info', token)).body).toEqual({ code: -2, message: 'Invalid hash' });
  });

  it('answers Invalid hash for unknown, missing and expired tokens', async () => {
    expect((await call(api, 'auth', 'info', 'f'.repeat(32))).body).toEqual({ code: -2, message: 'Invalid hash' });
    expect((await post(api, 'eq', { action: 'list' })).body).toEqual({ code: -2, message: 'Invalid hash' });
    const token = tokenOf((await post(api, 'auth', { action: 'login', key: api.keys.client })).body);
    clock.advance(599_000);
    expect((await call(api, 'auth', 'info', token)).body.result).toMatchObject({ token });
    clock.advance(1_000);
    expect((await call(api, 'auth', 'info', token)).body).toEqual({ code: -2, message: 'Invalid hash' });
  });
});

describe('token lifetime without an override', () => {
  it('follows the ttl the client asks for, within 60 s and 3 h, 2 h by default', async () => {
    const plain = await start({ now: clock.now });
    try {
      const expireFor = async (ttl?: string) => {
        const fields = { action: 'login', key: plain.keys.client, ...(ttl ? { ttl: ttl } : {}) };
        return Number((await post(plain, 'auth', fields)).body.token_expire) - Math.floor(clock.now() / 1000);
      };
      expect(await expireFor('3600')).toBe(3600);
      expect(await expireFor()).toBe(7200);
      expect(await expireFor('999999')).toBe(10_800);
      expect(await expireFor('1')).toBe(60);
    } finally {
      await plain.close();
    }
  });
});

describe('requests HOSTKEY would not understand', () => {
  it('ignores a body that is not form-encoded, as PHP does', async () => {
    const res = await request(`${api.url}/auth.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'login', key: api.keys.client }),
    });
    expect(await res.body.json()).toEqual({ code: -1, message: 'invalid argument action' });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await request(`${api.url}/auth.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `action=login&key=${'k'.repeat(1024 * 1024)}`,
    });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
  });

  it('answers an unknown action as an invalid argument and an unknown path with 404', async () => {
    expect((await post(api, 'auth', { action: 'dance' })).body).toEqual({ code: -1, message: 'invalid argument action' });
    expect((await get(api, '/nothing.php')).status).toBe(404);
  });
});
