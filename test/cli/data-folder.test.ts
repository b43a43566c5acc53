/**
 * `isodesk` against data folders that are wrong or failing, as real processes: a file or an
 * unreachable path given as the folder, a huge --profile, a cache from a newer version, a damaged
 * cache, a read-only folder (read-only bind mount) and a full disk (small tmpfs). Every answer is
 * a plain message with the right exit code, never a hang or "this is a bug". The mounts need
 * Linux and root, as in CI; elsewhere those tests say why and skip.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION } from '../../main/cache/index.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { bindReadOnly, fillDisk, mountTmpfs, type Mounted } from '../support/mounts.js';
import { bundleIsodesk, type IsodeskBundle, type Run } from './isodesk-process.js';

// Each test runs several CLI processes; on a loaded machine one can take many seconds to start.
vi.setConfig({ testTimeout: 240_000 });

let api: LocalApi;
let cli: IsodeskBundle;
let dataDir: string;
let mounted: Mounted | null = null;

function isodesk(args: string[], opts: { input?: string; dir?: string } = {}): Promise<Run> {
  // The file secret store, whatever keyring the machine running the tests has.
  const env = { ISODESK_DATA_DIR: opts.dir ?? dataDir, ISODESK_API_URL: api.url, ISODESK_NO_KEYRING: '1' };
  return cli.run(args, { env, input: opts.input });
}

/** One message line, an optional hint line, nothing that calls it a bug. */
function expectPlainFailure(run: Run, code: number, message: RegExp): void {
  expect(run.timedOut).toBe(false);
  expect(run.code).toBe(code);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^isodesk: /);
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1]) expect(lines[1]).toMatch(/^hint: /);
  expect(run.stderr).not.toMatch(/bug|at .*\.(ts|js|mjs):\d+/i);
  for (const line of lines) expect(line.length).toBeLessThan(400);
}

beforeAll(async () => {
  [cli, api] = await Promise.all([bundleIsodesk(), startLocalApi({ taskDelayMs: 300, uploadStepMs: 200, quiet: true })]);
});

afterAll(async () => {
  await api?.close();
  cli?.remove();
});

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-datafolder-'));
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('arguments that cannot work', () => {
  it('a --data-dir that is a file, or runs through one, is one plain line and exit 2', async () => {
    const file = path.join(dataDir, 'plain-file');
    fs.writeFileSync(file, 'x');
    const [isFile, throughFile, viaEnv] = await Promise.all([
      isodesk(['tasks', '--offline', '--data-dir', file]),
      isodesk(['tasks', '--offline', '--data-dir', path.join(file, 'sub')]),
      isodesk(['tasks', '--offline'], { dir: file }),
    ]);
    expectPlainFailure(isFile, 2, /cannot use .*plain-file as its data folder: it is a file, not a folder\./);
    expectPlainFailure(throughFile, 2, /part of the path is a file, not a folder\./);
    expectPlainFailure(viaEnv, 2, /it is a file, not a folder\./);
  });

  it('an unreachable or impossible --data-dir ends at once with exit 2, never a hang', async () => {
    // Node's own recursive mkdir loops for ever under /proc; the CLI must not.
    const runs = await Promise.all([
      isodesk(['tasks', '--offline', '--data-dir', '/proc/1/no-such-folder/isodesk']),
      isodesk(['tasks', '--offline', '--data-dir', path.join(dataDir, 'x'.repeat(5_000))]),
      isodesk(['tasks', '--offline', '--data-dir', '']),
    ]);
    if (process.platform === 'linux') expectPlainFailure(runs[0]!, 2, /cannot use \/proc\/1\/no-such-folder\/isodesk as its data folder/);
    expectPlainFailure(runs[1]!, 2, /the path is too long\./);
    expectPlainFailure(runs[2]!, 2, /--data-dir needs a folder/);
  });

  it('a huge or malformed --profile is refused before anything opens, without echoing it', async () => {
    const huge = 'p'.repeat(100_000);
    const [big, slash, json] = await Promise.all([
      isodesk(['servers', '--profile', huge]),
      isodesk(['whoami', '--profile', 'a/b']),
      isodesk(['login', '--key', 'k', '--profile', huge, '--json']),
    ]);
    expectPlainFailure(big, 2, /--profile must be 1 to 64 letters, digits, spaces or \. _ @ -; this one is 100000 characters long\./);
    expectPlainFailure(slash, 2, /this one is "a\/b"\./);
    expect(json.code).toBe(2);
    expect(json.stderr.length).toBeLessThan(400);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { kind: 'usage' } });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('never repeats a password written into an upload URL', async () => {
    const login = await isodesk(['login', '--key', '-'], { input: api.keys.client });
    expect(login.code).toBe(0);
    const run = await isodesk(['upload', 'https://alice:s3cret-pw@127.0.0.1:9/images/a.iso']);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('Checked https://***@127.0.0.1:9/images/a.iso');
    expect(run.stderr).toMatch(/user name or password/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cret-pw');
  });
});

describe('the cache file', () => {
  it('from a newer ISO Desk is refused with exit 2 and left exactly as it was', async () => {
    const file = path.join(dataDir, 'isodesk.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    const run = await isodesk(['tasks', '--offline']);
    expectPlainFailure(run, 2, /written by a newer ISO Desk/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual(['isodesk.db']);
  });

  it('that is damaged is set aside with a note saying where, and the command still answers', async () => {
    fs.writeFileSync(path.join(dataDir, 'isodesk.db'), 'garbage '.repeat(1_000));
    const run = await isodesk(['tasks', '--offline']);
    expect(run.code).toBe(0);
    const kept = fs.readdirSync(dataDir).find((name) => name.startsWith('isodesk.db.damaged-'));
    expect(kept).toBeDefined();
    expect(run.stderr).toContain(`note: The local cache was damaged. ISO Desk kept it as ${path.join(dataDir, kept!)} and started a new one`);
    const json = await isodesk(['tasks', '--offline', '--json']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
  });
});

describe('a read-only data folder', () => {
  it('answers reads and --offline; a sign-in says the folder is read-only (exit 7)', async (ctx) => {
    expect((await isodesk(['login', '--key', '-'], { input: api.keys.client })).code).toBe(0);
    expect((await isodesk(['servers'])).code).toBe(0);
    const bound = bindReadOnly(dataDir);
    if ('skip' in bound) {
      console.warn(`CLI read-only folder: skipped, ${bound.skip}.`);
      return ctx.skip();
    }
    mounted = bound;
    const [servers, whoami, tasks, login] = await Promise.all([
      isodesk(['servers', '--offline']),
      isodesk(['whoami']),
      isodesk(['tasks']),
      isodesk(['login', '--key', '-', '--profile', 'other'], { input: api.keys.client }),
    ]);
    for (const run of [servers, whoami, tasks]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/^note: ISO Desk cannot save to its data folder .*: it is read-only; what is cached can still be read\.$/m);
    }
    expect(servers.stdout).toMatch(/\d{3,}/);
    expect(whoami.stdout).toMatch(/Profile:\s+default \(active\)/);
    expect(login.code).toBe(7);
    expect(login.stderr).toMatch(/^isodesk: ISO Desk cannot save to its data folder .*: it is read-only\.$/m);
    expect(login.stderr).not.toMatch(/bug/i);
  });
});

describe('a full disk', () => {
  it('says "the disk is full; free space and try again" (exit 7) and leaves no temporary file', async (ctx) => {
    const tmpfs = mountTmpfs(dataDir, 4096);
    if ('skip' in tmpfs) {
      console.warn(`CLI full disk: skipped, ${tmpfs.skip}.`);
      return ctx.skip();
    }
    mounted = tmpfs;
    expect((await isodesk(['login', '--key', '-'], { input: api.keys.client })).code).toBe(0);
    fillDisk(dataDir);
    const run = await isodesk(['login', '--key', '-', '--profile', 'second'], { input: api.keys.admin });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/^isodesk: The disk is full; free space and try again\.$/m);
    expect(run.stderr).not.toMatch(/bug|SQLITE/i);
    expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    fs.rmSync(path.join(dataDir, 'filler'));
    fs.rmSync(path.join(dataDir, 'filler-tail'));
    const whoami = await isodesk(['whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/Signed in:\s+yes/);
  });
});
