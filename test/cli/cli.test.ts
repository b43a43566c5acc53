/**
 * The `isodesk` CLI end to end: each run is a real child process on a temporary data folder,
 * talking over HTTP to the local HOSTKEY API started here, with a real SQLite cache. The CLI is
 * bundled once with esbuild, as the shipped `bin` is, so each run starts in a fraction of a
 * second instead of compiling TypeScript again.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'main/cli/index.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let api: LocalApi;
let dataDir: string;
let buildDir: string;
let bundle: string;
/** Everything every run printed, to prove that no secret ever appears in it. */
const printed: string[] = [];

const hasScript = spawnSync('script', ['--version']).status === 0;

function isodesk(args: string[], opts: { input?: string } = {}): Promise<Run> {
  return spawnRun(process.execPath, [bundle, ...args], opts.input);
}

function spawnRun(file: string, args: string[], input = ''): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ISODESK_DATA_DIR: dataDir, ISODESK_API_URL: api.url };
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-build-'));
  // The bundle leaves packages external; this link lets it find them (better-sqlite3's binary among them).
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
  bundle = path.join(buildDir, 'isodesk.mjs');
  await build({
    entryPoints: [ENTRY],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  api = await startLocalApi({ taskDelayMs: 300, uploadStepMs: 200, quiet: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-'));
});

afterAll(async () => {
  await api.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(buildDir, { recursive: true, force: true });
});

describe('usage', () => {
  it('shows help for the program and for each command', async () => {
    const [main, mount, login] = await Promise.all([isodesk(['--help']), isodesk(['mount', '--help']), isodesk(['help', 'login'])]);
    expect(main.code).toBe(0);
    for (const command of ['login', 'servers', 'list', 'upload', 'mount', 'unmount', 'add', 'tasks'])
      expect(main.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(mount.code).toBe(0);
    expect(mount.stdout).toContain('Usage: isodesk mount --server ID --iso NAME [--wait]');
    expect(login.stdout).toContain('--key -');
  });

  it('exits 2 with a one-line reason for wrong usage', async () => {
    const [unknown, missing, notNumber, badEmail, unknownOption] = await Promise.all([
      isodesk(['frobnicate']),
      isodesk(['list']),
      isodesk(['mount', '--server', 'abc', '--iso', 'x.iso']),
      isodesk(['add', '--name', 'N', '--short-name', 's', '--iso-name', 'n.iso', '--private', 'not-an-email', '--json']),
      isodesk(['servers', '--frob']),
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
    const run = await isodesk(['servers']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^isodesk: You are not signed in\.\nhint: /);
  });
});

describe('signing in', () => {
  it('refuses a wrong key with the API message (exit 3)', async () => {
    const run = await isodesk(['login', '--key', '-'], { input: 'hk-not-a-real-key\n' });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^isodesk: .*Invalid API key/);
  });

  it('explains a valid key of an account without servers (exit 3)', async () => {
    const run = await isodesk(['login', '--key', '-'], { input: `${api.keys.noServers}\n` });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('No appropriate servers found');
    expect(run.stderr).toMatch(/hint: .*no servers/);
  });

  it('signs in with a key read from stdin and shows who the user is', async () => {
    const login = await isodesk(['login', '--key', '-'], { input: `${api.keys.client}\n` });
    expect(login.stderr).toContain('cli-secrets.json');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Signed in to ${api.url}`);
    expect(fs.statSync(path.join(dataDir, 'cli-secrets.json')).mode & 0o777).toBe(0o600);

    const whoami = await isodesk(['whoami']);
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

describe('servers and ISO lists', () => {
  it('lists servers as a table and as JSON', async () => {
    const table = await isodesk(['servers']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ +ID {2}HOSTNAME +IP +LOCATION +STATE +MOUNTED ISO$/);
    expect(table.stdout).toMatch(/^40211 {2}web-ams-01\.client\.example +185\.70\.104\.21 +NL +active \(rent\) +-$/m);
    const json = await isodesk(['servers', '--json']);
    const answer = JSON.parse(json.stdout) as { items: { id: number }[]; synced_at: number };
    expect(answer.items.map((s) => s.id)).toEqual(expect.arrayContaining([40211, 40212, 40213]));
    expect(answer.items.map((s) => s.id)).not.toContain(50101);
    expect(json.stderr).toBe('');
  });

  it('searches the ISO list of a server', async () => {
    const run = await isodesk(['list', '--server', '40211', '--search', 'ubuntu']);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ +ID {2}ISO FILE +SIZE {2}CREATED +DESCRIPTION$/);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.toLowerCase()).toContain('ubuntu');
    expect(run.stdout).toMatch(/ubuntu-24\.04\.1-live-server-amd64\.iso +2\.6 GiB {2}2024-08-\d\d \d\d:\d\d {2}Ubuntu Server 24\.04\.1 LTS/);

    const json = await isodesk(['list', '--server', '40211', '--search', 'debian', '--sort', 'size', '--desc', '--json']);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { total: number; rows: { iso_name: string; size: number }[] };
    expect(answer.rows.length).toBe(answer.total);
    expect(answer.rows.every((r) => /debian/i.test(r.iso_name))).toBe(true);
    const sizes = answer.rows.map((r) => r.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('refuses an unknown sort column as wrong usage', async () => {
    const run = await isodesk(['list', '--server', '40211', '--sort', 'colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^isodesk: --sort: /);
  });
});

describe('tasks', () => {
  it('mounts an ISO and waits for HOSTKEY to finish', async () => {
    const run = await isodesk(['mount', '--server', '40211', '--iso', 'ubuntu-24.04.1-live-server-amd64.iso', '--wait']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Mounting ubuntu-24.04.1-live-server-amd64.iso on server 40211: running');
    expect(run.stdout).toMatch(/^Mounted ubuntu-24\.04\.1-live-server-amd64\.iso on server 40211/m);
    const servers = await isodesk(['servers', '--offline']);
    expect(servers.stdout).toMatch(/^40211 .* ubuntu-24\.04\.1-live-server-amd64\.iso$/m);
  });

  // util-linux `script` gives the CLI a terminal, which is when the live progress line appears.
  it.skipIf(!hasScript)('shows a live progress line on a terminal while waiting', async () => {
    const command = [process.execPath, bundle, 'unmount', '--server', '40211', '--wait'].map((a) => `'${a}'`).join(' ');
    const run = await spawnRun('script', ['-qec', command, '/dev/null']);
    expect(run.code).toBe(0);
    // Redrawn in place: carriage return, clear line, spinner, what, state, elapsed.
    expect(run.stdout).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Unmounting the ISO from server 40211 · running( \([^)]*\))? · \d+s/);
    expect(run.stdout).toMatch(/Unmounted the ISO from server 40211/);
  });

  it('exits 6 with the API message when a waited mount fails', async () => {
    const run = await isodesk(['mount', '--server', '40212', '--iso', 'broken-rescue-cd.iso', '--wait']);
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/^isodesk: Mount of broken-rescue-cd\.iso on server 40212 failed: .*checksum mismatch/);
  });

  it('uploads by URL, showing the check first, and waits until the image is ready', async () => {
    const refused = await isodesk(['upload', 'http://127.0.0.1:9/x.iso']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toContain('problem: HOSTKEY only downloads ISOs over https');

    const run = await isodesk(['upload', 'https://127.0.0.1:9/images/cli-test-image.iso', '--wait']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Checked https:\/\/127\.0\.0\.1:9\/images\/cli-test-image\.iso: file cli-test-image\.iso$/m);
    expect(run.stdout).toContain('note: ISO Desk could not check the file');
    expect(run.stdout).toMatch(/^Uploaded cli-test-image\.iso/m);

    const uploaded = await isodesk(['uploaded', '--json']);
    const answer = JSON.parse(uploaded.stdout) as { items: { id: number; iso_name: string; status: string }[] };
    const image = answer.items.find((i) => i.iso_name === 'cli-test-image.iso');
    expect(image?.status).toBe('Active');

    const history = await isodesk(['history', String(image!.id), '--type', 'upload']);
    expect(history.code).toBe(0);
    expect(history.stdout.split('\n')[0]).toMatch(/^DATE +TYPE +BY +ISO FILE +MESSAGE$/);
    expect(history.stdout).toMatch(/ upload +.*cli-test-image\.iso/);
  });

  it('watches running tasks until they end', async () => {
    const started = await isodesk(['mount', '--server', '40215', '--iso', 'debian-12.7.0-amd64-netinst.iso']);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('Mounting debian-12.7.0-amd64-netinst.iso on server 40215: started.');
    const run = await isodesk(['tasks', '--watch']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ mount +debian-12\.7\.0-amd64-netinst\.iso on server 40215 +running /);
    expect(run.stdout).toMatch(/^Mounted debian-12\.7\.0-amd64-netinst\.iso on server 40215\.$/m);
  });

  it('lists the tasks with how they ended', async () => {
    const run = await isodesk(['tasks']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ mount +ubuntu-24\.04\.1-live-server-amd64\.iso on server 40211 +succeeded /);
    expect(run.stdout).toMatch(/ mount +broken-rescue-cd\.iso on server 40212 +failed /);
    expect(run.stdout).toMatch(/ upload +cli-test-image\.iso +succeeded +Active /);
    const json = JSON.parse((await isodesk(['tasks', '--json'])).stdout) as unknown[];
    expect(json).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'mount', server_id: 40211, state: 'succeeded' }),
        expect.objectContaining({ kind: 'mount', server_id: 40212, iso_name: 'broken-rescue-cd.iso', state: 'failed' }),
        expect.objectContaining({ kind: 'upload', url: 'https://127.0.0.1:9/images/cli-test-image.iso', state: 'succeeded', status: 'Active' }),
      ]),
    );
  });
});

describe('administration', () => {
  const add = ['add', '--name', 'CLI Test', '--short-name', 'clitest', '--iso-name', 'cli-added.iso', '--private', 'client@example.com'];

  it('refuses add for a client with the API message (exit 4)', async () => {
    const run = await isodesk(add);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^isodesk: .*[Pp]ermission/);
  });

  it('adds as an administrator in a second profile, and switches back', async () => {
    const login = await isodesk(['login', '--key', '-', '--profile', 'admin'], { input: api.keys.admin });
    expect(login.code).toBe(0);
    // --profile acts as another profile for one command without switching the saved one.
    const asClient = await isodesk([...add, '--profile', 'default']);
    expect(asClient.code).toBe(4);
    const missing = await isodesk(['servers', '--profile', 'nobody']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('no profile named "nobody"');

    const run = await isodesk([...add, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ iso_name: 'cli-added.iso', name: 'CLI Test', private: 'client@example.com' });

    const profiles = await isodesk(['profiles']);
    expect(profiles.stdout).toMatch(/^\* +admin +yes +Admin /m);
    expect((await isodesk(['profiles', 'use', 'default'])).code).toBe(0);
    expect((await isodesk(['whoami'])).stdout).toMatch(/^Email: +client@example\.com$/m);
  });
});

describe('offline and secrets', () => {
  it('answers from the cache once HOSTKEY is gone, and says from when', async () => {
    await api.close();
    const run = await isodesk(['list', '--server', '40211', '--search', 'ubuntu', '--offline']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ubuntu-24.04.1-live-server-amd64.iso');
    expect(run.stdout).toMatch(/^Offline: from the cache, synced \d{4}-\d\d-\d\d \d\d:\d\d\.$/m);

    const online = await isodesk(['mount', '--server', '40211', '--iso', 'ubuntu-24.04.1-live-server-amd64.iso']);
    expect(online.code).toBe(5);

    const nothingCached = await isodesk(['list', '--server', '40213', '--offline']);
    expect(nothingCached.code).toBe(5);
    expect(nothingCached.stderr).toContain('Nothing is cached for server 40213 yet.');
  });

  it('never shows or caches an API key or token', async () => {
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'cli-secrets.json'), 'utf8')) as Record<string, { token?: string }>;
    const tokens = Object.values(secrets).flatMap((s) => (s.token ? [s.token] : []));
    expect(tokens.length).toBe(2);
    const forbidden = [api.keys.client, api.keys.admin, api.keys.noServers, 'hk-not-a-real-key', ...tokens];
    const dbFiles = fs.readdirSync(dataDir).filter((f) => /\.db(-wal)?$/.test(f));
    expect(dbFiles).toContain('isodesk.db');
    const stored = dbFiles.map((f) => fs.readFileSync(path.join(dataDir, f)).toString('latin1'));
    for (const secret of forbidden) {
      for (const text of printed) expect(text).not.toContain(secret);
      for (const text of stored) expect(text).not.toContain(secret);
    }
  });
});
