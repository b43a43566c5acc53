/**
 * Where the built shell keeps the API key and token, on the Electron double's safeStorage: the OS
 * keyring when one answers (encrypted secrets.bin, readable after a restart with the same key), in
 * memory when none does or when Linux would store plain text (basic_text), saying so on the
 * session. Each test starts its own app on its own data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import type { DoubleConfigInput } from './electron-double/config.js';
import { eachTestStartsItsOwnApp, launchShell, newDataDir, newKeyringKey, type ShellProcess } from './support/shell-process.js';

/** Where the shell keeps encrypted secrets, spelled here rather than imported (secret-store.ts loads electron). */
const SECRETS_FILE = 'secrets.bin';

let api: LocalApi;

eachTestStartsItsOwnApp();
beforeAll(async () => {
  api = await startLocalApi({ quiet: true });
});
afterAll(() => api?.close());

interface Status {
  profiles: { name: string; signed_in: boolean }[];
  secrets: { mode: string; note: string | null };
}

async function start(dataDir: string, safeStorage: NonNullable<DoubleConfigInput['safeStorage']>): Promise<ShellProcess> {
  const shell = launchShell({ dataDir, apiUrl: api.url, double: { safeStorage } });
  await shell.ready();
  return shell;
}

async function signIn(shell: ShellProcess): Promise<void> {
  await shell.value('session', 'signIn', { profile: 'work', base_url: 'https://api.hostkey.com', api_key: api.keys.client });
}

async function quit(shell: ShellProcess): Promise<void> {
  await shell.call('quit', {});
  expect((await shell.exited).code).toBe(0);
}

/** Whether the saved session still works: the server list needs the stored key or token. */
async function serversAnswer(shell: ShellProcess): Promise<boolean> {
  return (await shell.renderer('servers', 'list', { refresh: true })).ok;
}

describe('with a keyring', () => {
  it('encrypts the secrets with safeStorage and reads them back after a restart', async () => {
    const dataDir = newDataDir();
    const keyring = { available: true, backend: 'gnome_libsecret' as const, key: newKeyringKey() };
    const first = await start(dataDir, keyring);
    await signIn(first);
    // The shared system keyring is off in tests (test/keyring-guard.ts): this is its safeStorage fallback.
    expect((await first.value<Status>('session', 'status', {})).secrets).toEqual({
      mode: 'encrypted',
      note: 'The system keyring is not used (ISODESK_NO_KEYRING is set); the isodesk command line cannot use this sign-in.',
    });
    await quit(first);

    const file = path.join(dataDir, SECRETS_FILE);
    const stored = fs.readFileSync(file);
    expect(stored.subarray(0, 3).toString()).toBe('v11');
    expect(stored.includes(api.keys.client)).toBe(false);
    expect(stored.includes('token')).toBe(false);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    // Nothing else in the data folder holds the key in plain text either.
    for (const name of fs.readdirSync(dataDir).filter((f) => fs.statSync(path.join(dataDir, f)).isFile())) {
      expect(fs.readFileSync(path.join(dataDir, name)).includes(api.keys.client), name).toBe(false);
    }

    const again = await start(dataDir, keyring);
    expect((await again.value<Status>('session', 'status', {})).profiles).toEqual([expect.objectContaining({ name: 'work', signed_in: true })]);
    expect(await serversAnswer(again)).toBe(true);
  });

  it('starts signed out, without failing, when the keyring no longer has the key', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir, { available: true, backend: 'gnome_libsecret', key: newKeyringKey() });
    await signIn(first);
    await quit(first);

    const again = await start(dataDir, { available: true, backend: 'gnome_libsecret', key: newKeyringKey() });
    expect(await serversAnswer(again)).toBe(false);
    await signIn(again);
    expect(await serversAnswer(again)).toBe(true);
  });
});

describe('without a keyring', () => {
  it.each([
    ['no encryption service', { available: false, backend: 'unknown' as const }, /encryption service is not available/],
    ['only plain-text storage (basic_text)', { available: true, backend: 'basic_text' as const }, /no keyring \(GNOME Keyring or KWallet\)/],
  ])('keeps the secrets in memory and says why: %s', async (_name, backend, note) => {
    const dataDir = newDataDir();
    const first = await start(dataDir, { ...backend, key: newKeyringKey() });
    await signIn(first);
    const status = await first.value<Status>('session', 'status', {});
    expect(status.secrets.mode).toBe('memory');
    expect(status.secrets.note).toMatch(note);
    expect(status.secrets.note).toMatch(/sign in again after ISO Desk restarts/);
    expect(await serversAnswer(first)).toBe(true);
    await quit(first);
    expect(fs.existsSync(path.join(dataDir, SECRETS_FILE))).toBe(false);

    const again = await start(dataDir, { ...backend, key: newKeyringKey() });
    expect(await serversAnswer(again)).toBe(false);
  });
});
