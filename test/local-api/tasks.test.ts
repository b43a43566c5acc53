import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { call, list, login, manualClock, post, start, type Body } from './helpers.js';

const DELAY = 3000;
const UBUNTU = 'ubuntu-24.04.1-live-server-amd64.iso';
let clock: ReturnType<typeof manualClock>;
let api: LocalApi;
let client: string;

beforeEach(async () => {
  clock = manualClock();
  api = await start({ now: clock.now, taskDelayMs: DELAY });
  client = await login(api, api.keys.client);
});
afterEach(() => api.close());

async function mount(token: string, serverId: number, iso: string): Promise<Body> {
  return (await call(api, 'iso', 'mount_iso', token, { id: serverId, iso })).body;
}

async function check(token: string, key: string): Promise<Body> {
  return (await call(api, 'callback', 'check', token, { key })).body;
}

function keyOf(body: Body): string {
  if (typeof body.callback !== 'string') throw new Error(`no task key in ${JSON.stringify(body)}`);
  return body.callback;
}

describe('mount_iso and eq_callback.php check', () => {
  it('answers with a 32-character task key', async () => {
    const body = await mount(client, 40211, UBUNTU);
    expect(body).toEqual({ result: 'OK', action: 'mount_iso', module: 'iso', callback: expect.stringMatching(/^[a-z0-9]{32}$/) });
  });

  it('is Not ready until the delay, then OK exactly once, then AsyncKey not found', async () => {
    const key = keyOf(await mount(client, 40211, UBUNTU));
    expect(await check(client, key)).toEqual({ result: 'Not ready', key });
    clock.advance(DELAY - 1);
    expect(await check(client, key)).toEqual({ result: 'Not ready', key });
    clock.advance(1);
    expect(await check(client, key)).toEqual({
      result: 'OK',
      action: 'check',
      scope: `ISO ${UBUNTU} mounted on server 40211`,
      context: { action: 'mount_iso', id: 40211, location: 'NL', iso: UBUNTU },
      debug: expect.stringContaining('virtual media inserted'),
      key,
    });
    expect(await check(client, key)).toEqual({ code: -1, message: 'AsyncKey not found' });
  });

  it("mounts by the image's name as well as its file name", async () => {
    expect(keyOf(await mount(client, 40211, 'Debian 12'))).toMatch(/^[a-z0-9]{32}$/);
  });

  it('fails the task for an ISO whose name contains "broken"', async () => {
    const key = keyOf(await mount(client, 40212, 'broken-rescue-cd.iso'));
    clock.advance(DELAY);
    const outcome = await check(client, key);
    expect(outcome).toMatchObject({ result: 'Error', action: 'check', context: { action: 'mount_iso', id: 40212 }, key });
    expect(outcome.scope).toMatch(/^Mount failed: .*broken-rescue-cd\.iso/);
    expect(await check(client, key)).toEqual({ code: -1, message: 'AsyncKey not found' });
  });

  it("unmounts what was mounted and records both in the ISO's history", async () => {
    const mounted = keyOf(await mount(client, 40215, UBUNTU));
    clock.advance(DELAY);
    expect((await check(client, mounted)).result).toBe('OK');
    const { body } = await call(api, 'iso', 'unmount_iso', client, { id: 40215 });
    expect(body).toEqual({ result: 'OK', action: 'unmount_iso', module: 'iso', callback: expect.stringMatching(/^[a-z0-9]{32}$/) });
    clock.advance(DELAY);
    expect(await check(client, keyOf(body))).toMatchObject({
      result: 'OK',
      scope: 'ISO unmounted from server 40215',
      context: { action: 'unmount_iso', id: 40215, iso: UBUNTU },
    });
    const history = list((await call(api, 'iso', 'history', client, { id: 101 })).body, 'data');
    expect(history.slice(-2).map((e) => [e.type, e.message])).toEqual([
      ['mount', 'Mount on server 40215'],
      ['unmount', 'Unmount from server 40215'],
    ]);
  });

  it('refuses unknown, hidden and unfinished images as a validation error', async () => {
    const invalid = (name: string) => ({ code: -1, message: `invalid argument iso: no ISO image named "${name}" is available` });
    expect(await mount(client, 40211, 'nope.iso')).toEqual(invalid('nope.iso'));
    expect(await mount(client, 40211, 'windows-server-2025-internal.iso')).toEqual(invalid('windows-server-2025-internal.iso'));
    expect(await mount(client, 40211, 'metal-amd64.iso')).toEqual(invalid('metal-amd64.iso'));
    expect((await call(api, 'iso', 'mount_iso', client, { id: '40211' })).body).toEqual({ code: -1, message: 'invalid argument iso' });
  });

  it('refuses servers the caller does not have', async () => {
    expect(await mount(client, 50101, UBUNTU)).toEqual({ code: -1, message: 'Server not found' });
    expect((await call(api, 'iso', 'unmount_iso', client, { id: 50101 })).body).toEqual({
      code: -1,
      message: 'Server not found',
    });
  });

  it('fails the next task on request, and only that one', async () => {
    api.faults.failNextTask('the BMC is busy');
    const failing = keyOf(await mount(client, 40211, UBUNTU));
    const fine = keyOf(await mount(client, 40211, UBUNTU));
    clock.advance(DELAY);
    expect(await check(client, failing)).toMatchObject({ result: 'Error', scope: 'Mount failed: the BMC is busy' });
    expect((await check(client, fine)).result).toBe('OK');
  });

  it("checks with or without a token, but never another customer's task", async () => {
    const key = keyOf(await mount(client, 40211, UBUNTU));
    const other = await login(api, api.keys.other);
    expect(await check(other, key)).toEqual({ code: -1, message: 'AsyncKey not found' });
    expect(await check('0'.repeat(32), key)).toEqual({ code: -2, message: 'Invalid hash' });
    expect((await post(api, 'callback', { action: 'check', ...{ key } })).body).toEqual({ result: 'Not ready', key });
    expect(await check(client, 'x'.repeat(32))).toEqual({ code: -1, message: 'AsyncKey not found' });
    expect((await call(api, 'callback', 'check', client, {})).body).toEqual({ code: -1, message: 'invalid argument key' });
  });
});
