/**
 * eq.php power, boot device and console on the local API, read over HTTP with the field names
 * spelled here from shared/docs/hostkey-power-console.md: flat `id`, `media`, `pin`; every action
 * answers `{"result":"OK","action":…,"callback":…}` and reports through eq_callback.php check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { DEMO_PIN } from '../../main/local-api/server.js';
import { call, control, get, login, manualClock, start, type Body } from './helpers.js';

let api: LocalApi;
const clock = manualClock();
beforeEach(async () => {
  api = await start({ now: clock.now, taskDelayMs: 1000, rebootMs: 5000 });
});
afterEach(() => api.close());

/** Sends the action, moves time past the task delay, and answers the check result. */
async function outcome(token: string, action: string, fields: Record<string, string | number>): Promise<Body> {
  const started = await call(api, 'eq', action, token, fields);
  expect(started.body, JSON.stringify(started.body)).toMatchObject({ result: 'OK', action, callback: expect.stringMatching(/^[a-z0-9]{32}$/) });
  const key = started.body.callback as string;
  expect((await call(api, 'callback', 'check', token, { key })).body).toEqual({ result: 'Not ready', key });
  clock.advance(1000);
  return (await call(api, 'callback', 'check', token, { key })).body;
}

describe('power', () => {
  it('status answers IPMI words for bare metal and oVirt words for a VM, context id as text', async () => {
    const client = await login(api, api.keys.client);
    expect(await outcome(client, 'status', { id: 40211 })).toEqual({
      result: 'OK',
      action: 'check',
      scope: 'Chassis Power is on',
      context: { action: 'status', id: '40211', location: 'NL' },
      debug: 'Chassis Power is on',
      key: expect.any(String),
    });
    expect(await outcome(client, 'status', { id: 40213 })).toMatchObject({ scope: 'Chassis Power is off' });
    const pin = await login(api, api.keys.pin!);
    expect(await outcome(pin, 'status', { id: 60302 })).toMatchObject({ scope: 'VM is up now', debug: null });
  });

  it('reboot leaves the server rebooting for a few seconds; off and on switch it', async () => {
    const client = await login(api, api.keys.client);
    expect(await outcome(client, 'reboot', { id: 40211 })).toMatchObject({ result: 'OK', debug: 'Chassis Power Control: Reset' });
    expect(await outcome(client, 'status', { id: 40211 })).toMatchObject({ scope: 'Chassis Power is on, the server is rebooting' });
    clock.advance(5000);
    expect(await outcome(client, 'status', { id: 40211 })).toMatchObject({ scope: 'Chassis Power is on' });
    expect(await outcome(client, 'off', { id: 40211 })).toMatchObject({ result: 'OK', debug: 'Chassis Power Control: Down/Off' });
    expect(await outcome(client, 'status', { id: 40211 })).toMatchObject({ scope: 'Chassis Power is off' });
    expect(await outcome(client, 'reboot', { id: 40211 })).toMatchObject({ result: 'Error', scope: expect.stringMatching(/powered off/) });
    expect(await outcome(client, 'on', { id: 40211 })).toMatchObject({ result: 'OK', debug: 'Chassis Power Control: Up/On' });
  });

  it('refuses servers of another customer', async () => {
    const client = await login(api, api.keys.client);
    expect((await call(api, 'eq', 'reboot', client, { id: 50101 })).body).toEqual({ code: -1, message: 'Server not found' });
  });
});

describe('boot device', () => {
  it('takes media = cd | disk | pxe; a VM refuses cd; a reboot boots from what was set', async () => {
    const client = await login(api, api.keys.client);
    expect((await call(api, 'eq', 'boot_dev', client, { id: 40211, media: 'usb' })).body).toEqual({
      code: -1,
      message: 'invalid argument media: must be one of cd, disk, pxe',
    });
    expect((await call(api, 'eq', 'boot_dev', client, { id: 40211 })).body).toEqual({ code: -1, message: 'invalid argument media' });
    const mounted = await call(api, 'iso', 'mount_iso', client, { id: 40211, iso: 'ubuntu-24.04.1-live-server-amd64.iso' });
    clock.advance(1000);
    await call(api, 'callback', 'check', client, { key: mounted.body.callback as string });
    expect(await outcome(client, 'boot_dev', { id: 40211, media: 'cd' })).toMatchObject({ scope: 'Boot device set to cd', debug: 'Set Boot Device to cdrom' });
    expect(await outcome(client, 'reboot', { id: 40211 })).toMatchObject({
      scope: 'Server rebooted; booting from the ISO ubuntu-24.04.1-live-server-amd64.iso',
    });

    const pin = await login(api, api.keys.pin!);
    expect((await call(api, 'eq', 'boot_dev', pin, { id: 60302, media: 'cd', pin: DEMO_PIN })).body).toEqual({
      code: -1,
      message: 'boot_dev media=cd is not supported for virtual servers: a VM boots from an attached ISO by itself',
    });
    expect(await outcome(pin, 'boot_dev', { id: 60302, media: 'disk', pin: DEMO_PIN })).toMatchObject({ result: 'OK' });
  });
});

describe('the PIN', () => {
  it('is required on sensitive actions of an account that set one, and locks after three wrong tries', async () => {
    const pin = await login(api, api.keys.pin!);
    expect((await call(api, 'eq', 'reboot', pin, { id: 60301 })).body).toEqual({ code: -1, message: 'PIN code required for this operation' });
    expect((await call(api, 'eq', 'status', pin, { id: 60301 })).body).toMatchObject({ result: 'OK' });
    expect((await call(api, 'eq', 'reboot', pin, { id: 60301, pin: '1111' })).body).toEqual({ code: -1, message: 'Invalid PIN code, 2 attempts left' });
    // A right PIN resets the count.
    expect((await call(api, 'eq', 'reboot', pin, { id: 60301, pin: DEMO_PIN })).body).toMatchObject({ result: 'OK' });
    expect((await call(api, 'eq', 'off', pin, { id: 60301, pin: '1111' })).body).toMatchObject({ message: 'Invalid PIN code, 2 attempts left' });
    expect((await call(api, 'eq', 'off', pin, { id: 60301, pin: '2222' })).body).toMatchObject({ message: 'Invalid PIN code, 1 attempt left' });
    expect((await call(api, 'eq', 'off', pin, { id: 60301, pin: '3333' })).body).toMatchObject({
      message: expect.stringMatching(/locked after 3 wrong attempts/),
    });
    expect((await call(api, 'eq', 'off', pin, { id: 60301, pin: DEMO_PIN })).body).toEqual({
      code: -1,
      message: 'PIN code is locked after 3 wrong attempts. Contact support to reset it.',
    });
    // Accounts without a PIN ignore the field.
    const client = await login(api, api.keys.client);
    expect((await call(api, 'eq', 'on', client, { id: 40211, pin: 'not_set' })).body).toMatchObject({ result: 'OK' });
  });
});

describe('console', () => {
  it('answers a noVNC address with a one-time password that opens a page until stop_novnc', async () => {
    const client = await login(api, api.keys.client);
    const result = await outcome(client, 'novnc', { id: 40211 });
    expect(result).toMatchObject({ result: 'OK', context: { action: 'novnc', id: '40211', location: 'NL' }, debug: 'debug' });
    const url = new URL(result.scope as string);
    expect(url.pathname).toBe('/vnc.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      host: '185.70.104.21',
      port: String(api.port),
      autoconnect: 'true',
      password: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
    const page = await get(api, `${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Console of server 40211 — web-ams-01.client.example');
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await get(api, '/vnc.html?password=guess')).status).toBe(403);
    expect(await outcome(client, 'stop_novnc', { id: 40211 })).toMatchObject({ scope: 'NoVNC console stopped' });
    expect((await get(api, `${url.pathname}${url.search}`)).status).toBe(403);
  });
});

describe('fault injection', () => {
  it('refuses or fails the next request of any action, and holds one', async () => {
    const client = await login(api, api.keys.client);
    expect((await control(api, { failAction: { action: 'reboot', message: 'BMC busy', stage: 'answer' } })).body).toMatchObject({
      faults: { actionFaults: { reboot: { message: 'BMC busy', stage: 'answer' } } },
    });
    expect((await call(api, 'eq', 'reboot', client, { id: 40211 })).body).toEqual({ code: -1, message: 'BMC busy' });
    await control(api, { failAction: { action: 'boot_dev', message: 'IPMI timeout' } });
    expect(await outcome(client, 'boot_dev', { id: 40211, media: 'cd' })).toMatchObject({ result: 'Error', scope: 'boot_dev failed: IPMI timeout' });
    // The device refused: the boot device did not change.
    expect(await outcome(client, 'reboot', { id: 40211 })).toMatchObject({ scope: 'Server rebooted; booting from disk' });
    await control(api, { holdAction: { action: 'status', ms: 300 } });
    const began = performance.now();
    await call(api, 'eq', 'status', client, { id: 40211 });
    expect(performance.now() - began).toBeGreaterThanOrEqual(250);
  });
});
