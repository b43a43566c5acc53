/**
 * Starts the built shell (package.json `main`, dist/main/shell.js) in a child process on the
 * Electron double, and drives it: a test gets typed commands (../electron-double/commands.ts), the
 * state the double recorded, and the exit with the final state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ensureAppBuilt } from '../../e2e/support/renderer-build.js';
import type { CommandName, Commands, FromChild, Snapshot, ToChild } from '../electron-double/commands.js';
import { CONFIG_ENV, type DoubleConfigInput } from '../electron-double/config.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DOUBLE_DIR = fileURLToPath(new URL('../electron-double/', import.meta.url));
const ELECTRON_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

export interface LaunchOptions {
  dataDir: string;
  /** ISODESK_API_URL; undefined leaves it unset. */
  apiUrl?: string | undefined;
  double?: Partial<DoubleConfigInput>;
  env?: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the double had recorded when the app exited (null when it died without saying). */
  state: Snapshot | null;
}

/** A key the "OS keyring" keeps for safeStorage; pass the same one to a relaunch to read earlier secrets. */
export function newKeyringKey(): string {
  return crypto.randomBytes(32).toString('hex');
}

let entry: string | null = null;

/**
 * Builds what a launch needs: the app (renderer, main bundles, preload) and the double, bundled
 * once per test process so the child runs plain `node` (through tsx a launch costs seconds more).
 */
export async function prepareShell(): Promise<void> {
  await ensureAppBuilt();
  if (entry) return;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-electron-double-'));
  process.once('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
  await build({
    entryPoints: ['electron-main.ts', 'main-process.ts', 'driver.ts', 'resolve-electron.mjs'].map((f) => path.join(DOUBLE_DIR, f)),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  entry = path.join(outdir, 'electron-main.mjs');
}

export class ShellProcess {
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly replies = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private finalState: Snapshot | null = null;
  private output = '';

  constructor(opts: LaunchOptions) {
    const double: DoubleConfigInput = {
      appPath: ROOT,
      userData: path.join(os.tmpdir(), 'isodesk-electron-default-userdata'),
      electronVersion: ELECTRON_VERSION,
      ...opts.double,
    };
    const { ISODESK_API_URL: _api, ISODESK_DATA_DIR: _data, ...env } = process.env;
    if (!entry) throw new Error('call prepareShell() before launching the shell');
    this.child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: {
        ...env,
        ISODESK_DATA_DIR: opts.dataDir,
        ...(opts.apiUrl ? { ISODESK_API_URL: opts.apiUrl } : {}),
        [CONFIG_ENV]: JSON.stringify(double),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) stream?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.child.on('message', (message: FromChild) => {
      if (message.type === 'exit') {
        this.finalState = message.state;
        return;
      }
      const waiting = this.replies.get(message.id);
      this.replies.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error));
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        for (const waiting of this.replies.values()) waiting.reject(new Error(`the shell exited (${code ?? signal}) before answering\n${this.output}`));
        this.replies.clear();
        resolve({ code, signal, state: this.finalState });
      });
    });
  }

  /** Everything the child wrote to stdout and stderr so far. */
  get log(): string {
    return this.output;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error(`the shell is not running\n${this.output}`));
      this.replies.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command, args } satisfies ToChild);
    });
  }

  state(): Promise<Snapshot> {
    return this.call('state', {});
  }

  /** Waits until the state passes `check` (polling; fails at once if the app exits), answering that state. */
  async until(check: (state: Snapshot) => boolean, what: string, timeout = 15_000): Promise<Snapshot> {
    const deadline = Date.now() + timeout;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`the shell exited while waiting for: ${what}\n--- shell output ---\n${this.output}`);
      const state = await this.state();
      if (check(state)) return state;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for: ${what}\n--- shell output ---\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The app window has loaded its page and is shown. */
  ready(timeout = 30_000): Promise<Snapshot> {
    return this.until((s) => s.windows.some((w) => w.loaded && w.visible), 'the app window loads its page and shows', timeout);
  }

  /** Calls `window.isodesk.<domain>.<action>(request)` through the preload; answers its Result. */
  renderer<T = unknown>(
    domain: string,
    action: string,
    request?: unknown,
  ): Promise<{ ok: true; value: T } | { ok: false; error: { kind: string; message: string } }> {
    return this.call('renderer', { domain, action, request }) as Promise<{ ok: true; value: T } | { ok: false; error: { kind: string; message: string } }>;
  }

  /** Like renderer(), for calls that must succeed. */
  async value<T>(domain: string, action: string, request?: unknown): Promise<T> {
    const answer = await this.renderer<T>(domain, action, request);
    if (!answer.ok) throw new Error(`${domain}.${action} failed: ${answer.error.message}`);
    return answer.value;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Processes started by the calling test file; `stopAll` in afterEach/afterAll ends any left running. */
const running = new Set<ShellProcess>();

export function launchShell(opts: LaunchOptions): ShellProcess {
  const shell = new ShellProcess(opts);
  running.add(shell);
  void shell.exited.then(() => running.delete(shell));
  return shell;
}

export async function stopAll(): Promise<void> {
  const left = [...running];
  left.forEach((shell) => shell.kill());
  await Promise.all(left.map((shell) => shell.exited));
}

/** Signs in through the page and picks a server and an ISO from its catalog (the steps before a mount). */
export async function signInAndPick(shell: ShellProcess, apiKey: string, profile = 'work'): Promise<{ serverId: number; isoName: string }> {
  await shell.value('session', 'signIn', { profile, base_url: 'https://api.hostkey.com', api_key: apiKey });
  const servers = await shell.value<{ items: { id: number }[] }>('servers', 'list', { refresh: true });
  const serverId = servers.items[0]!.id;
  await shell.value('catalog', 'sync', { server_id: serverId });
  const catalog = await shell.value<{ rows: { iso_name: string }[] }>('catalog', 'query', { server_id: serverId });
  const iso = catalog.rows.find((row) => !row.iso_name.includes('broken'));
  if (!iso) throw new Error('the catalog has no ISO to mount');
  return { serverId, isoName: iso.iso_name };
}

/** A fresh data folder for one test; removed by `removeDataDirs`. */
const dataDirs: string[] = [];
export function newDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-shell-'));
  dataDirs.push(dir);
  return dir;
}
export function removeDataDirs(): void {
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The SQLite files closed cleanly: the last connection's close checkpoints and removes the WAL and its index. */
export function cacheClosedCleanly(dataDir: string): boolean {
  return (
    fs.existsSync(path.join(dataDir, 'isodesk.db')) &&
    !fs.existsSync(path.join(dataDir, 'isodesk.db-wal')) &&
    !fs.existsSync(path.join(dataDir, 'isodesk.db-shm'))
  );
}

/** The hooks of a file whose tests each start their own app: built first, every app and data folder gone after each test. */
export function eachTestStartsItsOwnApp(): void {
  beforeAll(() => prepareShell(), 120_000);
  afterEach(async () => {
    await stopAll();
    removeDataDirs();
  });
  afterAll(() => stopAll());
}
