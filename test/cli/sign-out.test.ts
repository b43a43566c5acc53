/**
 * `isodesk logout` and `isodesk profiles remove`, as real processes on the file secret store
 * against the local HOSTKEY API: the session ends at HOSTKEY, the key and token leave the secrets
 * file, other profiles stay signed in, cached data stays browsable, and a removed profile is gone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostkeyClient } from '../../main/api/client.js';
import { systemClock } from '../../main/api/clock.js';
import { Transport } from '../../main/api/transport.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { bundleIsodesk, type IsodeskBundle } from './isodesk-process.js';

// Each test runs several CLI processes; on a loaded machine one can take many seconds to start.
vi.setConfig({ testTimeout: 240_000 });

let api: LocalApi;
let cli: IsodeskBundle;
let dataDir: string;

const isodesk = (args: string[], input?: string) =>
  cli.run(args, { env: { ISODESK_DATA_DIR: dataDir, ISODESK_API_URL: api.url, ISODESK_NO_KEYRING: '1' }, input });
const secretsFile = () => (fs.existsSync(path.join(dataDir, 'cli-secrets.json')) ? fs.readFileSync(path.join(dataDir, 'cli-secrets.json'), 'utf8') : '');

function tokenOf(profile: string): string {
  return (JSON.parse(secretsFile()) as Record<string, { token: string }>)[profile]!.token;
}

/** Whether HOSTKEY still accepts a token, asked with the product's own client. */
async function tokenWorks(token: string): Promise<boolean> {
  const client = new HostkeyClient({
    baseUrl: api.url,
    credentials: { token },
    transport: new Transport({ userAgent: 'test', clock: systemClock }),
    clock: systemClock,
  });
  return client.info().then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  [cli, api] = await Promise.all([bundleIsodesk(), startLocalApi({ quiet: true })]);
});

afterAll(async () => {
  await api?.close();
  cli?.remove();
});

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-signout-'));
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('isodesk logout', () => {
  it('ends the session at HOSTKEY, forgets the key and token, and leaves other profiles signed in', async () => {
    expect((await isodesk(['login', '--key', '-', '--profile', 'other'], api.keys.other)).code).toBe(0);
    expect((await isodesk(['login', '--key', '-'], api.keys.client)).code).toBe(0);
    expect((await isodesk(['servers'])).code).toBe(0);
    const token = tokenOf('default');
    expect(await tokenWorks(token)).toBe(true);

    const logout = await isodesk(['logout']);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stdout).toBe('Signed out of profile "default".\n');
    expect(await tokenWorks(token)).toBe(false);
    expect(secretsFile()).not.toContain(api.keys.client);
    expect(secretsFile()).not.toContain(token);
    expect(secretsFile()).toContain(api.keys.other);

    const whoami = await isodesk(['whoami']);
    expect(whoami.stdout).toMatch(/^Signed in:\s+no$/m);
    const servers = await isodesk(['servers']);
    expect(servers.code).toBe(3);
    expect(servers.stderr).toMatch(/^isodesk: Profile "default" is signed out\.$/m);
    // What was cached stays readable offline, and the other profile still works.
    expect((await isodesk(['servers', '--offline'])).code).toBe(0);
    expect((await isodesk(['servers', '--profile', 'other'])).code).toBe(0);
  });

  it('with --offline forgets the credentials without asking HOSTKEY; with nothing signed in it says so', async () => {
    expect((await isodesk(['login', '--key', '-'], api.keys.client)).code).toBe(0);
    const token = tokenOf('default');
    expect((await isodesk(['logout', '--offline'])).code).toBe(0);
    expect(secretsFile()).not.toContain(token);
    // HOSTKEY was not told, as asked: the token itself still works there until it expires.
    expect(await tokenWorks(token)).toBe(true);
    expect((await isodesk(['profiles', 'remove', 'default'])).code).toBe(0);
    const none = await isodesk(['logout']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('Not signed in.\n');
  });
});

describe('isodesk profiles remove', () => {
  it('removes the profile and its credentials, makes another active, and refuses an unknown name', async () => {
    expect((await isodesk(['login', '--key', '-', '--profile', 'keep'], api.keys.other)).code).toBe(0);
    expect((await isodesk(['login', '--key', '-', '--profile', 'drop'], api.keys.client)).code).toBe(0);
    const removed = await isodesk(['profiles', 'remove', 'drop']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('Removed profile "drop" and its credentials.\n');
    expect(secretsFile()).not.toContain(api.keys.client);
    const list = await isodesk(['profiles', '--json']);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((p) => p.name)).toEqual(['keep']);
    expect((await isodesk(['whoami'])).stdout).toMatch(/^Profile:\s+keep \(active\)$/m);
    const unknown = await isodesk(['profiles', 'remove', 'drop']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/^isodesk: There is no profile named "drop"\.$/m);
  });
});
