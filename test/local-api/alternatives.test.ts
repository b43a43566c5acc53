/**
 * The local API's "alternatives" answer style: the same world, in the other shapes the docs say
 * HOSTKEY may answer with, plus fields and statuses no document lists. Spelled from the docs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { call, list, login, post, start, type Body } from './helpers.js';

let plain: LocalApi;
let alt: LocalApi;
beforeAll(async () => {
  // The demo's upload in progress stays in its first state for the whole file.
  [plain, alt] = await Promise.all([start(), start({ answers: 'alternatives', uploadStepMs: 3_600_000 })]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), alt?.close()]);
});

describe('the alternatives answer style', () => {
  it('answers login nested, with server ids and the expiry as digit strings, and an unknown field', async () => {
    const { body } = await post(alt, 'auth', { action: 'login', key: alt.keys.client, ttl: 3600, fix_ip: 0 });
    expect(body.request_id).toBeDefined();
    const inner = body.result as Body;
    expect(typeof inner.token).toBe('string');
    expect((inner.servers as unknown[]).every((id) => typeof id === 'string' && /^\d+$/.test(id))).toBe(true);
    expect(inner.token_expire).toMatch(/^\d+$/);
  });

  it('lists servers as bare ids and hides the hostname in server_name with no main IP', async () => {
    const token = await login(alt, alt.keys.client);
    const servers = (await call(alt, 'eq', 'list', token)).body.servers as unknown[];
    expect(servers.every((s) => typeof s === 'string')).toBe(true);
    const show = (await call(alt, 'eq', 'show', token, { id: servers[0] as string })).body;
    expect(list(show, 'tags').map((t) => t.tag)).toContain('server_name');
    expect(list(show, 'tags').map((t) => t.tag)).not.toContain('hostname');
    expect(list(show, 'IP').every((ip) => ip.main_ip === 0)).toBe(true);
  });

  it('puts uploads under iso_images with statuses nobody listed, and the mount key in "key"', async () => {
    const token = await login(alt, alt.keys.client);
    const uploaded = (await call(alt, 'iso', 'uploaded', token)).body;
    expect(uploaded.data).toBeUndefined();
    const statuses = list(uploaded, 'iso_images').map((i) => i.status);
    expect(statuses).toContain('Waiting');
    expect(statuses).not.toContain('Pending');
    const server = ((await call(alt, 'eq', 'list', token)).body.servers as string[])[0]!;
    const iso = list((await call(alt, 'iso', 'list_iso', token, { id: server })).body, 'iso_images')[0]!;
    expect(typeof iso.id).toBe('string');
    expect(iso).toHaveProperty('checksum_md5');
    const mount = (await call(alt, 'iso', 'mount_iso', token, { id: server, iso: iso.iso_name as string })).body;
    expect(mount.callback).toBeUndefined();
    expect(mount.key).toMatch(/^[a-z0-9]{32}$/);
  });

  it('leaves refusals as HOSTKEY writes them, and the documented style untouched', async () => {
    expect((await post(alt, 'auth', { action: 'login', key: 'nope' })).body).toEqual({ code: -1, message: 'Invalid API key' });
    const { body } = await post(plain, 'auth', { action: 'login', key: plain.keys.client });
    expect(body.result).toBe('OK');
    expect(body.request_id).toBeUndefined();
  });
});
