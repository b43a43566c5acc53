/**
 * One sign-in for the app and the command line, on a real keyring: each test starts its own
 * session bus with GNOME Keyring (test/support/session-bus.ts), the built desktop shell (on the
 * Electron double, test/shell/support) and `isodesk` processes, all on one data folder and the
 * local HOSTKEY API. Signing in or out in either is seen by the other; nothing secret is written to
 * the data folder. Then the fallbacks: no keyring, and a locked keyring that cannot prompt, each
 * said in the store's note.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../main/ipc/contract.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { keyringService } from '../../main/session/shared-secrets.js';
import { bundleIsodesk, envWith, ROOT, type EnvChanges, type IsodeskBundle } from '../cli/isodesk-process.js';
import { eachTestStartsItsOwnApp, launchShell, stopAll, type ShellProcess } from '../shell/support/shell-process.js';
import { sessionBusUnavailable, startSessionBus, type SessionBus } from '../support/session-bus.js';

// Several processes start per test; on a loaded machine each may take seconds.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const unavailable = sessionBusUnavailable();
if (unavailable) console.warn(`shared sign-in on a real keyring: skipped, ${unavailable}.`);

interface SessionStatusValue {
  profiles: { name: string; signed_in: boolean; auth: string }[];
  active: string | null;
  secrets: { mode: string; note: string | null };
}

/** The desktop app, driven through its window's `window.isodesk`. */
class AppSide {
  private constructor(private readonly shell: ShellProcess) {}

  static async start(dataDir: string, apiUrl: string, env: EnvChanges): Promise<AppSide> {
    // The shell's launcher takes strings only: "" turns ISODESK_NO_KEYRING off, as unset does.
    const strings = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value ?? '']));
    const shell = launchShell({ dataDir, apiUrl, env: strings });
    await shell.ready();
    return new AppSide(shell);
  }

  call(channel: string, request: unknown = {}): Promise<Result<unknown>> {
    const [domain, action] = channel.split('/') as [string, string];
    return this.shell.renderer(domain, action, request) as Promise<Result<unknown>>;
  }

  status(): Promise<SessionStatusValue> {
    return this.shell.value<SessionStatusValue>('session', 'status', {});
  }
}

let api: LocalApi;
let cli: IsodeskBundle;
let dataDir: string;
let bus: SessionBus | null = null;

function isodesk(args: string[], env: EnvChanges, input?: string) {
  return cli.run(args, { env: { ...env, ISODESK_DATA_DIR: dataDir, ISODESK_API_URL: api.url }, input });
}

/** Every file of the data folder (the app's Chromium keeps its own files there too), as text. */
function folderText(): string {
  return fs
    .readdirSync(dataDir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dataDir, name))
    .filter((file) => fs.lstatSync(file).isFile())
    .map((file) => fs.readFileSync(file).toString('latin1'))
    .join('\n');
}

/** What the session's keyring holds for a profile of this data folder, read by a process of its own. */
function keyringEntry(env: EnvChanges, profile: string): string | null {
  const script = `const { Entry } = require('@napi-rs/keyring');
    const value = new Entry(process.argv[1], process.argv[2], { linux: { store: 'secret-service' } }).getPassword();
    process.stdout.write(JSON.stringify(value));`;
  const read = spawnSync(process.execPath, ['-e', script, keyringService(dataDir), profile], { cwd: ROOT, env: envWith(env), encoding: 'utf8' });
  if (read.status !== 0) throw new Error(`reading the keyring failed: ${read.stderr}`);
  return JSON.parse(read.stdout) as string | null;
}

/** A session whose bus is not there (as over ssh, or on a server without a desktop): no keyring answers. */
function noBusEnv(): EnvChanges {
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-nobus-'));
  return { XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: `unix:path=${runtime}/bus`, ISODESK_NO_KEYRING: undefined };
}

eachTestStartsItsOwnApp();
beforeAll(async () => {
  if (unavailable) return;
  [cli, api] = await Promise.all([bundleIsodesk(), startLocalApi({ quiet: true })]);
});

afterAll(async () => {
  await api?.close();
  cli?.remove();
});

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-shared-'));
});

afterEach(async () => {
  await stopAll();
  await bus?.close();
  bus = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)('one sign-in on the system keyring', () => {
  it('the app and the command line share sign-in and sign-out, and nothing secret reaches the data folder', async () => {
    bus = await startSessionBus('unlocked');
    const appSide = await AppSide.start(dataDir, api.url, bus.env);

    // Signed in in the app: the command line uses it at once.
    expect(await appSide.call('session/signIn', { profile: 'web', base_url: 'https://api.hostkey.com', api_key: api.keys.client })).toMatchObject({ ok: true });
    const appStatus = await appSide.status();
    expect(appStatus.secrets).toEqual({
      mode: 'encrypted',
      note: expect.stringMatching(/^Kept in the Secret Service keyring .*, shared with the isodesk command line\.$/),
    });
    const whoami = await isodesk(['whoami', '--profile', 'web'], bus.env);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toMatch(/^Signed in:\s+yes, with an API key/m);
    expect(whoami.stdout).toMatch(/^Secrets:\s+Kept in the Secret Service keyring .*, shared with the ISO Desk app\.$/m);
    const servers = await isodesk(['servers', '--profile', 'web'], bus.env);
    expect(servers.code, servers.stderr).toBe(0);

    // The command line signs in a profile of its own; the app sees it.
    const login = await isodesk(['login', '--key', '-', '--profile', 'cli'], bus.env, api.keys.admin);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toMatch(/shared with the ISO Desk app/);
    expect((await appSide.status()).profiles.map((p) => [p.name, p.signed_in])).toEqual([
      ['cli', true],
      ['web', true],
    ]);

    // Signing out in the app signs out there only for that profile: the CLI's own still works.
    expect(await appSide.call('session/signOut', { profile: 'web' })).toMatchObject({ ok: true });
    const afterAppSignOut = await isodesk(['servers', '--profile', 'web'], bus.env);
    expect(afterAppSignOut.code).toBe(3);
    expect(afterAppSignOut.stderr).toMatch(/Profile "web" is signed out/);
    expect((await isodesk(['servers', '--profile', 'cli'], bus.env)).code).toBe(0);

    // `isodesk logout` signs the app out of that profile too.
    expect(await appSide.call('session/switch', { profile: 'cli' })).toMatchObject({ ok: true, value: { signed_in: true } });
    expect(await appSide.call('servers/list', { refresh: true })).toMatchObject({ ok: true });
    expect((await isodesk(['logout', '--profile', 'cli'], bus.env)).code).toBe(0);
    expect((await appSide.status()).profiles.map((p) => [p.name, p.signed_in])).toEqual([
      ['cli', false],
      ['web', false],
    ]);
    expect(await appSide.call('servers/list', { refresh: true })).toMatchObject({
      ok: false,
      error: { kind: 'auth', message: 'Profile "cli" is signed out.' },
    });
    expect(keyringEntry(bus.env, 'web')).toBeNull();
    expect(keyringEntry(bus.env, 'cli')).toBeNull();

    const text = folderText();
    for (const secret of [api.keys.client, api.keys.admin]) expect(text).not.toContain(secret);
    expect(fs.readdirSync(dataDir).filter((name) => /secrets/.test(name))).toEqual([]);
  });

  it('removing a profile in the command line removes its key from the keyring', async () => {
    bus = await startSessionBus('unlocked');
    expect((await isodesk(['login', '--key', '-', '--profile', 'gone'], bus.env, api.keys.client)).code).toBe(0);
    expect((await isodesk(['login', '--key', '-', '--profile', 'kept'], bus.env, api.keys.client)).code).toBe(0);
    expect(keyringEntry(bus.env, 'gone')).toContain(api.keys.client);
    expect((await isodesk(['profiles', 'remove', 'gone'], bus.env)).code).toBe(0);
    expect(keyringEntry(bus.env, 'gone')).toBeNull();
    expect(keyringEntry(bus.env, 'kept')).toContain(api.keys.client);
    const appSide = await AppSide.start(dataDir, api.url, bus.env);
    expect((await appSide.status()).profiles.map((p) => [p.name, p.signed_in])).toEqual([['kept', true]]);
  });
});

describe.skipIf(unavailable !== null)('where no keyring answers', () => {
  it('without a session bus the command line keeps the key in its 0600 file and says the app cannot use it', async () => {
    const env = noBusEnv();
    const login = await isodesk(['login', '--key', '-'], env, api.keys.client);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toMatch(
      /^Credentials are kept in .*cli-secrets\.json \(readable only by you\)\. The system keyring is not used \(there is no desktop session \(D-Bus\) to reach it\); the desktop app cannot use this sign-in\.$/m,
    );
    expect(fs.statSync(path.join(dataDir, 'cli-secrets.json')).mode & 0o777).toBe(0o600);
    expect((await isodesk(['servers'], env)).code).toBe(0);

    // The app falls back to its own store, safeStorage, and says so; it does not see the CLI's sign-in.
    const appSide = await AppSide.start(dataDir, api.url, env);
    const status = await appSide.status();
    expect(status.secrets).toEqual({
      mode: 'encrypted',
      note: 'The system keyring is not used (there is no desktop session (D-Bus) to reach it); the isodesk command line cannot use this sign-in.',
    });
    expect(status.profiles).toMatchObject([{ name: 'default', signed_in: false }]);
  });

  it('a locked keyring that cannot ask for its password leaves the key in the file, and says why', async () => {
    bus = await startSessionBus('locked');
    const login = await isodesk(['login', '--key', '-'], bus.env, api.keys.client);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toMatch(/The system keyring is not used \(the keyring is locked or not set up, and cannot ask for its password here\)/);
    expect(fs.existsSync(path.join(dataDir, 'cli-secrets.json'))).toBe(true);
    const servers = await isodesk(['servers'], bus.env);
    expect(servers.code, servers.stderr).toBe(0);
  });

  it('a sign-in made without the keyring moves into it once the keyring answers', async () => {
    expect((await isodesk(['login', '--key', '-'], noBusEnv(), api.keys.client)).code).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'cli-secrets.json'), 'utf8')).toContain(api.keys.client);
    bus = await startSessionBus('unlocked');
    const servers = await isodesk(['servers'], bus.env);
    expect(servers.code, servers.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'cli-secrets.json'), 'utf8')).not.toContain(api.keys.client);
    // Now in the keyring, so the app side is signed in too.
    const appSide = await AppSide.start(dataDir, api.url, bus.env);
    expect((await appSide.status()).profiles).toMatchObject([{ name: 'default', signed_in: true }]);
  });
});
