/**
 * Sign-in at the default HOSTKEY host falls back to the other international host once, and only
 * when the default could not be reached at all (refused, TLS). The known-host table is pointed at
 * loopback servers: two local HOSTKEY APIs on their own ports play api.hostkey.com and
 * invapi.hostkey.com, and a closed port or an untrusted https server plays an unreachable host.
 * The product's own table is not touched (and has no setting that could move it).
 */
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import type { KnownHost } from '../../main/domain/diagnostics.js';
import { KNOWN_HOSTS } from '../../main/api/hosts.js';
import { closedPort } from '../support/ports.js';
import { isodeskInProcess } from '../support/cli-in-process.js';
import { localApi, startCore, tempDir, type Core } from './harness.js';
import { makeCertificates } from '../fixtures/tls.js';

let apiHost: LocalApi;
let invapiHost: LocalApi;
let cores: Core[] = [];

beforeAll(async () => {
  [apiHost, invapiHost] = await Promise.all([localApi(), localApi()]);
});
afterAll(async () => {
  await Promise.all([apiHost?.close(), invapiHost?.close()]);
});
afterEach(async () => {
  await Promise.all(cores.map((c) => c.app.close()));
  cores = [];
});

/** The product's table with its addresses replaced: ids, labels and the fallback rule stay. */
function table(api: string, invapi: string, ru = 'http://127.0.0.1:9'): KnownHost[] {
  const urls: Record<string, string> = { api, invapi, 'invapi-ru': ru };
  return KNOWN_HOSTS.map((h) => ({ ...h, url: urls[h.id] ?? h.url }));
}

async function core(hosts: KnownHost[], apiUrl?: string): Promise<Core> {
  const c = await startCore({ knownHosts: hosts, apiUrl, trackTasks: false });
  cores.push(c);
  return c;
}

describe('sign-in at the default host', () => {
  it('falls back to invapi.hostkey.com when api.hostkey.com refuses the connection, says so and keeps it', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const c = await core(table(unreachable, invapiHost.url));
    const before = invapiHost.requestCount('auth', 'login');
    const signed = await c.call('session/signIn', { profile: 'work', base_url: unreachable, api_key: invapiHost.keys.client });
    expect(signed.answered_by).toEqual({
      url: invapiHost.url,
      label: 'HOSTKEY — invapi.hostkey.com',
      fell_back_from: { url: unreachable, label: 'HOSTKEY — api.hostkey.com', problem: expect.stringMatching(/refused/) },
    });
    expect(signed.base_url).toBe(invapiHost.url);
    expect(invapiHost.requestCount('auth', 'login')).toBe(before + 1);
    // Remembered: the profile's next calls go to the host that answered.
    const status = await c.call('session/status', {});
    expect(status.profiles.find((p) => p.name === 'work')?.base_url).toBe(invapiHost.url);
    const lists = invapiHost.requestCount('eq', 'list');
    await c.call('servers/list', { refresh: true });
    expect(invapiHost.requestCount('eq', 'list')).toBe(lists + 1);
  });

  it('falls back when the default host fails the TLS check', async () => {
    const probe = spawnSync('openssl', ['version']);
    if (probe.status !== 0) {
      console.warn('[host-fallback] TLS case skipped: the openssl command is missing (CI installs it).');
      return;
    }
    const certs = makeCertificates(path.join(tempDir('isodesk-tls-'), 'certs'));
    // A certificate from a CA nobody trusts: the handshake fails before anything is sent.
    const server = https.createServer({ key: certs.key, cert: certs.cert }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const untrusted = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      const c = await core(table(untrusted, invapiHost.url));
      const signed = await c.call('session/signIn', { profile: 'work', base_url: untrusted, api_key: invapiHost.keys.client });
      expect(signed.answered_by.url).toBe(invapiHost.url);
      expect(signed.answered_by.fell_back_from?.problem).toMatch(/certificate/i);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(path.dirname(path.dirname(certs.caFile)), { recursive: true, force: true });
    }
  });

  it('never second-guesses an answer: a wrong key at the default host stays a wrong key', async () => {
    const c = await core(table(apiHost.url, invapiHost.url));
    const before = invapiHost.requestCount('auth', 'login');
    await expect(c.call('session/signIn', { profile: 'work', base_url: apiHost.url, api_key: 'hk-not-a-real-key' })).rejects.toMatchObject({
      kind: 'auth',
      message: 'Invalid API key',
    });
    expect(invapiHost.requestCount('auth', 'login')).toBe(before);
  });

  it('never second-guesses an error page either: a 503 from the default host is its answer', async () => {
    const c = await core(table(apiHost.url, invapiHost.url));
    const before = invapiHost.requestCount('auth', 'login');
    apiHost.faults.serverErrorNext(1, 503);
    await expect(c.call('session/signIn', { profile: 'work', base_url: apiHost.url, api_key: apiHost.keys.client })).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/503/),
    });
    expect(invapiHost.requestCount('auth', 'login')).toBe(before);
    apiHost.faults.reset();
  });

  it('says both hosts were tried when neither can be reached', async () => {
    const [a, b] = [`http://127.0.0.1:${await closedPort()}`, `http://127.0.0.1:${await closedPort()}`];
    const c = await core(table(a, b));
    await expect(c.call('session/signIn', { profile: 'work', base_url: a, api_key: apiHost.keys.client })).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/^Neither HOSTKEY — api\.hostkey\.com nor HOSTKEY — invapi\.hostkey\.com could be reached\./),
    });
    expect((await c.call('session/status', {})).profiles).toEqual([]);
  });

  it('does not fall back from a host the user picked other than the default, nor from a pinned address', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const before = invapiHost.requestCount('auth', 'login');
    const picked = await core(table(apiHost.url, unreachable));
    await expect(picked.call('session/signIn', { profile: 'work', base_url: unreachable, api_key: apiHost.keys.client })).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/^Could not reach/),
    });
    const pinned = await core(table(unreachable, invapiHost.url), unreachable);
    await expect(pinned.call('session/signIn', { profile: 'work', base_url: unreachable, api_key: apiHost.keys.client })).rejects.toMatchObject({
      kind: 'transient',
    });
    expect(invapiHost.requestCount('auth', 'login')).toBe(before);
  });

  it('offers the known hosts by name, the default first', async () => {
    const c = await core(table(apiHost.url, invapiHost.url));
    const { hosts } = await c.call('session/status', {});
    expect(hosts.map((h) => h.label)).toEqual(['HOSTKEY — api.hostkey.com', 'HOSTKEY — invapi.hostkey.com', 'HOSTKEY Russia — invapi.hostkey.ru']);
    expect(KNOWN_HOSTS.map((h) => h.url)).toEqual(['https://api.hostkey.com', 'https://invapi.hostkey.com', 'https://invapi.hostkey.ru']);
  });
});

/** `isodesk ARGS` in this process, with the known hosts pointed at loopback servers. */
function cli(args: string[], hosts: KnownHost[], dataDir: string, input = '') {
  return isodeskInProcess(args, { dataDir, input, knownHosts: hosts });
}

describe('isodesk login', () => {
  it('signs in at the default host, falls back once, says which host answered, and remembers it', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const hosts = table(unreachable, invapiHost.url);
    const dataDir = tempDir();
    const login = await cli(['login', '--key', '-'], hosts, dataDir, `${invapiHost.keys.client}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toMatch(/HOSTKEY — api\.hostkey\.com could not be reached \(.*refused.*\) HOSTKEY — invapi\.hostkey\.com answered instead/);
    expect(login.stdout).toContain(`Signed in to ${invapiHost.url} (HOSTKEY — invapi.hostkey.com)`);
    const who = await cli(['whoami', '--json'], hosts, dataDir);
    expect(JSON.parse(who.stdout)).toMatchObject({ profile: { base_url: invapiHost.url } });
  });

  it('takes a known host by name with --host, and refuses an unknown name or --host with --api-url', async () => {
    const hosts = table(apiHost.url, invapiHost.url);
    const dataDir = tempDir();
    const before = invapiHost.requestCount('auth', 'login');
    const login = await cli(['login', '--host', 'invapi', '--key', '-', '--json'], hosts, dataDir, `${invapiHost.keys.client}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ base_url: invapiHost.url, answered_by: { label: 'HOSTKEY — invapi.hostkey.com', fell_back_from: null } });
    expect(invapiHost.requestCount('auth', 'login')).toBe(before + 1);
    const unknown = await cli(['login', '--host', 'mars', '--key', 'x'], hosts, dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown host "mars": use api, invapi, invapi-ru/);
    const both = await cli(['login', '--host', 'api', '--api-url', apiHost.url, '--key', 'x'], hosts, dataDir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --host or --api-url/);
  });
});
