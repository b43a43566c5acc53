/**
 * The app's own HOSTKEY client against the local API: the shapes the local API varies on purpose
 * (login envelopes, server list forms, hostname tags) must all decode, and its faults must look
 * to the client like the real thing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostkeyClient } from '../../main/api/client.js';
import { Transport } from '../../main/api/transport.js';
import type { Clock } from '../../main/api/clock.js';
import { AppError } from '../../main/domain/errors.js';
import type { LocalApi } from '../../main/local-api/server.js';
import { start } from './helpers.js';

const DELAY = 2000;
let api: LocalApi;

/** The client's backoff sleeps return at once: retries are what is tested, not waiting. */
const instantClock: Clock = { now: () => Date.now(), sleep: async () => undefined, random: () => 0.5 };

function clientFor(apiKey: string): HostkeyClient {
  const transport = new Transport({ userAgent: 'ISO Desk local-api test', clock: instantClock, timeoutMs: 10_000 });
  return new HostkeyClient({ baseUrl: api.url, credentials: { apiKey }, transport, clock: instantClock });
}

beforeEach(async () => {
  api = await start({ taskDelayMs: DELAY });
});
afterEach(() => api.close());

describe('HostkeyClient against the local API', () => {
  it('signs in with both login shapes', async () => {
    const customer = await clientFor(api.keys.client).login();
    expect(customer.servers).toEqual([40211, 40212, 40213, 40214, 40215]);
    expect(customer.role).toBe('Customer');
    const admin = clientFor(api.keys.admin);
    expect((await admin.login()).role).toBe('Admin');
    expect(await admin.info()).toMatchObject({ role: 'Admin', role_type: 'Staff' });
  });

  it('reports an account without servers as no_servers', async () => {
    const err = await clientFor(api.keys.noServers)
      .login()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('no_servers');
  });

  it('normalises every server form to hostname, main IP and state', async () => {
    const servers = await clientFor(api.keys.client).listServers();
    expect(servers.map((s) => [s.id, s.hostname, s.main_ip, s.state])).toEqual([
      [40211, 'web-ams-01.client.example', '185.70.104.21', 'active'],
      [40212, 'db-fra-01', '94.232.45.12', 'active'],
      [40213, 'build-nyc-01.client.example', '107.182.130.40', 'suspended'],
      [40214, 'edge-hel-01', '45.145.226.7', 'pending'],
      [40215, 'gpu-ams-02.client.example', '185.70.104.88', 'active'],
    ]);
  });

  it('mounts and follows the task to its single OK', async () => {
    const client = clientFor(api.keys.client);
    const isos = await client.listIso(40211);
    expect(isos.find((i) => i.id === 101)?.size).toBe(2773874688);
    const key = await client.mountIso(40211, 'ubuntu-24.04.1-live-server-amd64.iso');
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    expect(await client.checkTask(key ?? '')).toMatchObject({ state: 'running' });
    api.faults.advanceTime(DELAY);
    expect(await client.checkTask(key ?? '')).toMatchObject({ state: 'ok' });
    expect(await client.checkTask(key ?? '')).toMatchObject({ state: 'gone' });
  });

  it("sees a broken ISO's mount fail", async () => {
    const client = clientFor(api.keys.client);
    const key = await client.mountIso(40211, 'broken-rescue-cd.iso');
    api.faults.advanceTime(DELAY);
    expect(await client.checkTask(key ?? '')).toMatchObject({ state: 'failed', message: expect.stringContaining('Mount failed') });
  });

  it('retries a read through 5xx and 429, and signs in again after the tokens expire', async () => {
    const client = clientFor(api.keys.client);
    await client.login();
    api.faults.serverErrorNext(1);
    expect((await client.listIso(40211)).length).toBeGreaterThan(10);
    api.faults.rateLimitNext(1, 0);
    expect((await client.listIso(40211)).length).toBeGreaterThan(10);
    api.faults.expireTokens();
    expect((await client.info()).email).toBe('client@example.com');
  });

  it('does not retry a state change whose answer was lost', async () => {
    const client = clientFor(api.keys.client);
    await client.login();
    api.faults.dropNext(1);
    const err = await client.upload({ url: 'https://example.org/isos/once.iso' }).catch((e: unknown) => e);
    expect((err as AppError).kind).toBe('unknown_outcome');
    expect((await client.uploaded()).filter((i) => i.iso_name === 'once.iso')).toHaveLength(1);
  });
});
