/**
 * The `isodesk` CLI end to end: each run is a real child process, talking over HTTP to the local
 * HOSTKEY API started here, with a real SQLite cache. Each test (or each group of read-only tests)
 * works in a data folder of its own, signed in by `isodesk login` itself.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { cliBundle, isodesk as runIsodesk, signedInFolder, spawnRun, tempFolder, type Run } from './helpers.js';

// Each run is a process start; on a machine shared with other jobs a test of several runs takes a while.
vi.setConfig({ testTimeout: 120_000 });

let api: LocalApi;
const folders: string[] = [];

/** util-linux `script` gives the CLI a terminal, which is when the live progress line appears. */
const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.warn('cli.test.ts: skipping the terminal progress test: util-linux `script` is not installed.');

beforeAll(async () => {
  await cliBundle();
  api = await startLocalApi({ taskDelayMs: 300, uploadStepMs: 200, quiet: true });
});

afterAll(async () => {
  await api.close();
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

function folder(dir: string): string {
  folders.push(dir);
  return dir;
}

const emptyFolder = () => folder(tempFolder());
const signedIn = async (key = api.keys.client, profile?: string) => folder(await signedInFolder(api.url, key, profile));

/** One run; nothing it prints may contain an API key. */
async function isodesk(dataDir: string, args: string[], opts: { input?: string; apiUrl?: string } = {}): Promise<Run> {
  const run = await runIsodesk(args, { dataDir, apiUrl: opts.apiUrl ?? api.url, input: opts.input });
  for (const key of Object.values(api.keys)) {
    expect(run.stdout).not.toContain(key);
    expect(run.stderr).not.toContain(key);
  }
  return run;
}

describe('usage', () => {
  it('shows help for the program and for each command', async () => {
    const dir = emptyFolder();
    const [main, mount, login] = await Promise.all([isodesk(dir, ['--help']), isodesk(dir, ['mount', '--help']), isodesk(dir, ['help', 'login'])]);
    expect(main.code).toBe(0);
    for (const command of ['login', 'servers', 'list', 'upload', 'mount', 'unmount', 'add', 'tasks'])
      expect(main.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(mount.code).toBe(0);
    expect(mount.stdout).toContain('Usage: isodesk mount --server ID --iso NAME [--wait]');
    expect(login.stdout).toContain('--key -');
  });

  it('exits 2 with a one-line reason for wrong usage', async () => {
    const dir = emptyFolder();
    const [unknown, missing, notNumber, badEmail, unknownOption] = await Promise.all([
      isodesk(dir, ['frobnicate']),
      isodesk(dir, ['list']),
      isodesk(dir, ['mount', '--server', 'abc', '--iso', 'x.iso']),
      isodesk(dir, ['add', '--name', 'N', '--short-name', 's', '--iso-name', 'n.iso', '--private', 'not-an-email', '--json']),
      isodesk(dir, ['servers', '--frob']),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('isodesk: Unknown command "frobnicate".\nhint: Run "isodesk --help" to see the commands.\n');

    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^isodesk: Missing --server ID\. Usage: isodesk list --server ID/);

    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('isodesk: --server must be a whole number, not "abc".');

    expect(badEmail.code).toBe(2);
    expect(badEmail.stdout).toBe('');
    expect(JSON.parse(badEmail.stderr)).toEqual({ error: expect.objectContaining({ kind: 'usage', message: expect.stringMatching(/^--private: /) }) });

    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/Unknown option '--frob'/);
  });

  it('asks to sign in before anything else (exit 3)', async () => {
    const run = await isodesk(emptyFolder(), ['servers']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^isodesk: You are not signed in\.\nhint: /);
  });
});

describe('signing in', () => {
  it('refuses a wrong key with the API message (exit 3)', async () => {
    const run = await isodesk(emptyFolder(), ['login', '--key', '-'], { input: 'hk-not-a-real-key\n' });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^isodesk: .*Invalid API key/);
    expect(run.stderr).not.toContain('hk-not-a-real-key');
  });

  it('explains a valid key of an account without servers (exit 3)', async () => {
    const run = await isodesk(emptyFolder(), ['login', '--key', '-'], { input: `${api.keys.noServers}\n` });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('No appropriate servers found');
    expect(run.stderr).toMatch(/hint: .*no servers/);
  });

  it('signs in with a key read from stdin and shows who the user is', async () => {
    const dir = emptyFolder();
    const login = await isodesk(dir, ['login', '--key', '-'], { input: `${api.keys.client}\n` });
    expect(login.stderr).toContain('cli-secrets.json');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Signed in to ${api.url}`);
    expect(fs.statSync(path.join(dir, 'cli-secrets.json')).mode & 0o777).toBe(0o600);

    const whoami = await isodesk(dir, ['whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/^Profile: +default \(active\)$/m);
    expect(whoami.stdout).toMatch(/^Role: +Customer$/m);
    expect(whoami.stdout).toMatch(/^Email: +client@example\.com$/m);
    expect(whoami.stdout).toMatch(/^Customer ID: +1001$/m);
    expect(whoami.stdout).toMatch(new RegExp(`^API: +${api.url}$`, 'm'));
    expect(whoami.stdout).toMatch(/^Token expires: +\d{4}-\d\d-\d\d \d\d:\d\d \(in /m);
    expect(whoami.stdout).toMatch(/^Secrets: +file .*cli-secrets\.json/m);
  });
});

// Read-only commands: they share one signed-in folder and change nothing in it.
describe('servers and ISO lists', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await signedIn();
  });

  it('lists servers as a table and as JSON', async () => {
    const table = await isodesk(dir, ['servers']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ +ID {2}HOSTNAME +IP +LOCATION +STATE +MOUNTED ISO$/);
    // The app's plain words, not HOSTKEY's billing codes (rent, power_off).
    expect(table.stdout).toMatch(/^40211 {2}web-ams-01\.client\.example +185\.70\.104\.21 +NL +Active +-$/m);
    expect(table.stdout).toMatch(/^40213 {2}build-nyc-01\.client\.example +\S+ +US +Suspended — powered off by billing +-$/m);
    const json = await isodesk(dir, ['servers', '--json']);
    const answer = JSON.parse(json.stdout) as { items: { id: number }[]; synced_at: number };
    expect(answer.items.map((s) => s.id)).toEqual(expect.arrayContaining([40211, 40212, 40213]));
    expect(answer.items.map((s) => s.id)).not.toContain(50101);
    expect(json.stderr).toBe('');
  });

  it('searches the ISO list of a server', async () => {
    const run = await isodesk(dir, ['list', '--server', '40211', '--search', 'ubuntu']);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ +ID {2}ISO FILE +SIZE {2}CREATED +DESCRIPTION$/);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.toLowerCase()).toContain('ubuntu');
    expect(run.stdout).toMatch(/ubuntu-24\.04\.1-live-server-amd64\.iso +2\.6 GiB {2}2024-08-\d\d \d\d:\d\d {2}Ubuntu Server 24\.04\.1 LTS/);

    const json = await isodesk(dir, ['list', '--server', '40211', '--search', 'debian', '--sort', 'size', '--desc', '--json']);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { total: number; rows: { iso_name: string; size: number }[] };
    expect(answer.rows.length).toBe(answer.total);
    expect(answer.rows.every((r) => /debian/i.test(r.iso_name))).toBe(true);
    const sizes = answer.rows.map((r) => r.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('refuses an unknown sort column as wrong usage', async () => {
    const run = await isodesk(dir, ['list', '--server', '40211', '--sort', 'colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^isodesk: --sort: /);
  });
});

interface ListedTask {
  key: string;
  kind: string;
  server_id: number | null;
  iso_name: string | null;
  url: string | null;
  state: string;
  status: string | null;
  message: string | null;
}

async function listedTasks(dir: string): Promise<ListedTask[]> {
  return JSON.parse((await isodesk(dir, ['tasks', '--json'])).stdout) as ListedTask[];
}

describe('tasks', () => {
  it('mounts an ISO, waits for HOSTKEY to finish, and lists the task as done', async () => {
    const dir = await signedIn();
    expect((await isodesk(dir, ['servers'])).stdout).toMatch(/^40211 .* -$/m);
    const run = await isodesk(dir, ['mount', '--server', '40211', '--iso', 'ubuntu-24.04.1-live-server-amd64.iso', '--wait']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Mounting ubuntu-24.04.1-live-server-amd64.iso on server 40211: running');
    expect(run.stdout).toMatch(/^Mounted ubuntu-24\.04\.1-live-server-amd64\.iso on server 40211/m);
    const servers = await isodesk(dir, ['servers', '--offline']);
    expect(servers.stdout).toMatch(/^40211 .* ubuntu-24\.04\.1-live-server-amd64\.iso$/m);
    const table = await isodesk(dir, ['tasks']);
    expect(table.stdout).toMatch(/ mount +ubuntu-24\.04\.1-live-server-amd64\.iso on server 40211 +succeeded /);
    expect(await listedTasks(dir)).toEqual([expect.objectContaining({ kind: 'mount', server_id: 40211, state: 'succeeded', task_key: expect.any(String) })]);
  });

  it.skipIf(!hasScript)('shows a live progress line on a terminal while waiting', async () => {
    const dir = await signedIn();
    const command = [process.execPath, await cliBundle(), 'unmount', '--server', '40211', '--wait'].map((a) => `'${a}'`).join(' ');
    const run = await spawnRun('script', ['-qec', command, '/dev/null'], { dataDir: dir, apiUrl: api.url });
    expect(run.code).toBe(0);
    // Redrawn in place: carriage return, clear line, spinner, what, state, elapsed.
    expect(run.stdout).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Unmounting the ISO from server 40211 · running( \([^)]*\))? · \d+s/);
    expect(run.stdout).toMatch(/Unmounted the ISO from server 40211/);
  });

  it('exits 6 with the API message when a waited mount fails, in one JSON line on stderr with --json', async () => {
    const dir = await signedIn();
    const run = await isodesk(dir, ['mount', '--server', '40212', '--iso', 'broken-rescue-cd.iso', '--wait']);
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/^isodesk: Mount of broken-rescue-cd\.iso on server 40212 failed: .*checksum mismatch/);

    const json = await isodesk(dir, ['mount', '--server', '40212', '--iso', 'broken-rescue-cd.iso', '--wait', '--json']);
    expect(json.code).toBe(6);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'mount', state: 'failed', message: expect.stringMatching(/checksum mismatch/) });
    const lines = json.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      error: {
        kind: 'task_failed',
        message: expect.stringMatching(/^Mount of broken-rescue-cd\.iso on server 40212 failed: .*checksum mismatch/),
        hint: null,
        code: null,
      },
    });
    expect((await listedTasks(dir)).map((t) => t.state)).toEqual(['failed', 'failed']);
  });

  it('uploads by URL, showing the check first, and waits until the image is ready', async () => {
    const dir = await signedIn();
    const refused = await isodesk(dir, ['upload', 'http://127.0.0.1:9/x.iso']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toContain('problem: HOSTKEY only downloads ISOs over https');

    const run = await isodesk(dir, ['upload', 'https://127.0.0.1:9/images/cli-test-image.iso', '--wait']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Checked https:\/\/127\.0\.0\.1:9\/images\/cli-test-image\.iso: file cli-test-image\.iso$/m);
    expect(run.stdout).toContain('note: ISO Desk could not check the file');
    expect(run.stdout).toMatch(/^Uploaded cli-test-image\.iso/m);

    const uploaded = await isodesk(dir, ['uploaded', '--json']);
    const answer = JSON.parse(uploaded.stdout) as { items: { id: number; iso_name: string; status: string }[] };
    const image = answer.items.find((i) => i.iso_name === 'cli-test-image.iso');
    expect(image?.status).toBe('Active');

    const history = await isodesk(dir, ['history', String(image!.id), '--type', 'upload']);
    expect(history.code).toBe(0);
    expect(history.stdout.split('\n')[0]).toMatch(/^DATE +TYPE +BY +ISO FILE +MESSAGE$/);
    expect(history.stdout).toMatch(/ upload +.*cli-test-image\.iso/);
    expect((await isodesk(dir, ['tasks'])).stdout).toMatch(/ upload +cli-test-image\.iso +succeeded +Active /);
  });

  it("says why an upload failed, in HOSTKEY's words", async () => {
    const dir = await signedIn();
    const run = await isodesk(dir, ['upload', 'https://127.0.0.1:9/fail/gone.iso', '--wait']);
    expect(run.code).toBe(6);
    expect(run.stderr).toBe('isodesk: Upload of gone.iso failed: Download failed: The remote server answered 404 Not Found\n');
  });

  it("uploads for a customer as staff and follows it to the end with the customer's email", async () => {
    const dir = await signedIn(api.keys.staff!);
    const missing = await isodesk(dir, ['upload', 'https://127.0.0.1:9/images/for-client.iso']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/Staff uploads must name the customer/);
    const run = await isodesk(dir, ['upload', 'https://127.0.0.1:9/images/for-client.iso', '--email', 'client@example.com', '--customer-id', '1001', '--wait']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Uploaded for-client\.iso\.$/m);
    expect(await listedTasks(dir)).toEqual([
      expect.objectContaining({ kind: 'upload', state: 'succeeded', status: 'Active', email: 'client@example.com', customer_id: 1001 }),
    ]);
  });

  it('watches running tasks until they end', async () => {
    const dir = await signedIn();
    const started = await isodesk(dir, ['mount', '--server', '40215', '--iso', 'debian-12.7.0-amd64-netinst.iso']);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('Mounting debian-12.7.0-amd64-netinst.iso on server 40215: started.');
    const run = await isodesk(dir, ['tasks', '--watch']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ mount +debian-12\.7\.0-amd64-netinst\.iso on server 40215 +running /);
    expect(run.stdout).toMatch(/^Mounted debian-12\.7\.0-amd64-netinst\.iso on server 40215\.$/m);
  });
});

describe('administration', () => {
  const add = ['add', '--name', 'CLI Test', '--short-name', 'clitest', '--iso-name', 'cli-added.iso', '--private', 'client@example.com'];

  it('refuses add for a client with the API message (exit 4)', async () => {
    const run = await isodesk(await signedIn(), add);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^isodesk: .*[Pp]ermission/);
  });

  it('adds as an administrator in a second profile, and switches back', async () => {
    const dir = await signedIn();
    const login = await isodesk(dir, ['login', '--key', '-', '--profile', 'admin'], { input: api.keys.admin });
    expect(login.code).toBe(0);
    // --profile acts as another profile for one command without switching the saved one.
    const asClient = await isodesk(dir, [...add, '--profile', 'default']);
    expect(asClient.code).toBe(4);
    const missing = await isodesk(dir, ['servers', '--profile', 'nobody']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('no profile named "nobody"');

    const run = await isodesk(dir, [...add, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ iso_name: 'cli-added.iso', name: 'CLI Test', private: 'client@example.com' });

    const profiles = await isodesk(dir, ['profiles']);
    expect(profiles.stdout).toMatch(/^\* +admin +yes +Admin /m);
    expect((await isodesk(dir, ['profiles', 'use', 'default'])).code).toBe(0);
    expect((await isodesk(dir, ['whoami'])).stdout).toMatch(/^Email: +client@example\.com$/m);
  });
});

describe('offline and secrets', () => {
  it('answers from the cache once HOSTKEY is gone, and says from when', async () => {
    const own = await startLocalApi({ quiet: true });
    const dir = folder(await signedInFolder(own.url, own.keys.client));
    expect((await isodesk(dir, ['list', '--server', '40211'], { apiUrl: own.url })).code).toBe(0);
    await own.close();
    const run = await isodesk(dir, ['list', '--server', '40211', '--search', 'ubuntu', '--offline'], { apiUrl: own.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ubuntu-24.04.1-live-server-amd64.iso');
    expect(run.stdout).toMatch(/^Offline: from the cache, synced \d{4}-\d\d-\d\d \d\d:\d\d\.$/m);

    const online = await isodesk(dir, ['mount', '--server', '40211', '--iso', 'ubuntu-24.04.1-live-server-amd64.iso'], { apiUrl: own.url });
    expect(online.code).toBe(5);

    const nothingCached = await isodesk(dir, ['list', '--server', '40213', '--offline'], { apiUrl: own.url });
    expect(nothingCached.code).toBe(5);
    expect(nothingCached.stderr).toContain('Nothing is cached for server 40213 yet.');
  });

  it('never shows or caches an API key or token', async () => {
    const dir = await signedIn();
    expect((await isodesk(dir, ['login', '--key', '-', '--profile', 'admin'], { input: api.keys.admin })).code).toBe(0);
    const runs = await Promise.all([
      isodesk(dir, ['servers', '--verbose']),
      isodesk(dir, ['whoami']),
      isodesk(dir, ['mount', '--server', '40211', '--iso', 'ubuntu-24.04.1-live-server-amd64.iso', '--wait', '--verbose']),
    ]);
    const secrets = JSON.parse(fs.readFileSync(path.join(dir, 'cli-secrets.json'), 'utf8')) as Record<string, { token?: string }>;
    const tokens = Object.values(secrets).flatMap((s) => (s.token ? [s.token] : []));
    expect(tokens.length).toBe(2);
    const forbidden = [...Object.values(api.keys), ...tokens];
    const dbFiles = fs.readdirSync(dir).filter((f) => /\.db(-wal)?$/.test(f));
    expect(dbFiles).toContain('isodesk.db');
    const stored = dbFiles.map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'));
    for (const secret of forbidden) {
      for (const run of runs) expect(run.stdout + run.stderr).not.toContain(secret);
      for (const text of stored) expect(text).not.toContain(secret);
    }
  });
});
