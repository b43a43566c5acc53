/**
 * Two app cores on one data folder, each with its own handle on one secrets file — as two ISO Desk
 * processes sharing a store — against the local HOSTKEY API. What one signs in, out or removes,
 * the other sees on its next call, without restarting: signed in is what the store holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { FileSecretStore } from '../../main/session/secrets.js';
import { localApi, startCore, tempDir, type Core } from './harness.js';

let api: LocalApi;
let cores: Core[] = [];
let dataDir: string;

/** A core with its own store object on the folder's shared secrets file. */
async function core(): Promise<Core> {
  const started = await startCore({ dataDir, apiUrl: api.url, trackTasks: false, secrets: new FileSecretStore(path.join(dataDir, 'cli-secrets.json')) });
  cores.push(started);
  return started;
}

const signIn = (c: Core, profile: string, key: string) => c.call('session/signIn', { profile, base_url: 'https://api.hostkey.com', api_key: key });

beforeAll(async () => {
  api = await localApi();
});

afterAll(async () => {
  await api.close();
});

afterEach(async () => {
  for (const c of cores) await c.app.close();
  cores = [];
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('one sign-in shared by two processes', () => {
  it('a sign-in in one is a sign-in in the other; a sign-out in one ends the other’s client at once', async () => {
    dataDir = tempDir();
    const [app, cli] = [await core(), await core()];
    await signIn(app, 'work', api.keys.client);
    expect((await cli.call('session/status', {})).profiles).toMatchObject([{ name: 'work', signed_in: true, auth: 'key' }]);
    expect((await cli.call('servers/list', { refresh: true })).items.length).toBeGreaterThan(0);

    await app.call('session/signOut', { profile: 'work' });
    expect((await cli.call('session/status', {})).profiles).toMatchObject([{ name: 'work', signed_in: false, token_expire: null }]);
    await expect(cli.call('servers/list', { refresh: true })).rejects.toMatchObject({ kind: 'auth', message: 'Profile "work" is signed out.' });
    // Signing out keeps the profile and its cached lists, browsable offline.
    expect((await cli.call('servers/list', { refresh: false })).items.length).toBeGreaterThan(0);
  });

  it('signing out one profile leaves the other profiles signed in', async () => {
    dataDir = tempDir();
    const [app, cli] = [await core(), await core()];
    await signIn(cli, 'mine', api.keys.client);
    await signIn(app, 'theirs', api.keys.admin);
    await app.call('session/signOut', { profile: 'theirs' });
    await cli.call('session/switch', { profile: 'mine' });
    expect((await cli.call('servers/list', { refresh: true })).items.length).toBeGreaterThan(0);
    expect((await cli.call('session/status', {})).profiles.map((p) => [p.name, p.signed_in])).toEqual([
      ['mine', true],
      ['theirs', false],
    ]);
  });

  it('a new sign-in under the same name replaces the other process’s client and its account', async () => {
    dataDir = tempDir();
    const [app, cli] = [await core(), await core()];
    await signIn(app, 'work', api.keys.client);
    const ids = async () => (await cli.call('servers/list', { refresh: true })).items.map((s) => s.id);
    expect((await ids()).every((id) => id >= 40_000 && id < 50_000)).toBe(true);
    // Another account under the same profile name: the other process's next call is made with its key.
    await signIn(app, 'work', api.keys.other);
    expect((await ids()).sort()).toEqual([50101, 50102]);
  });

  it('removing a profile removes its secrets, its cached data and makes another profile active', async () => {
    dataDir = tempDir();
    const [app, cli] = [await core(), await core()];
    await signIn(app, 'keep', api.keys.client);
    await signIn(app, 'drop', api.keys.admin);
    await app.call('servers/list', { refresh: true });
    await cli.call('session/removeProfile', { profile: 'drop' });
    const status = await app.call('session/status', {});
    expect(status.profiles.map((p) => p.name)).toEqual(['keep']);
    expect(status.active).toBe('keep');
    expect(fs.readFileSync(path.join(dataDir, 'cli-secrets.json'), 'utf8')).not.toContain(api.keys.admin);
    await expect(app.call('session/switch', { profile: 'drop' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
