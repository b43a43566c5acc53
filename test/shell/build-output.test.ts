/**
 * What `npm run build:main` produces, built into a temp folder by the real build script: the
 * Electron main bundle keeps native modules external, the CLI is an executable ESM file whose chunks
 * alone load the native modules, and the
 * preload is one CommonJS file whose only require() is 'electron'. The preload is then run the way
 * a sandboxed renderer runs it; Electron's binary is not available here, so a stand-in records what
 * the bridge exposes and sends (the Electron smoke test covers the real thing where it can run).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EVENT_CHANNEL, INVOKE_PREFIX } from '../../main/ipc/contract.js';

type Listener = (event: unknown, message: unknown) => void;
type Fn = (...args: unknown[]) => Promise<unknown>;

const root = path.resolve(import.meta.dirname, '../..');
// Inside dist/ like the real output, so node_modules and "type": "module" apply to the bundles.
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
const out = fs.mkdtempSync(path.join(root, 'dist', '.build-test-'));
let bundle = '';

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'main/build/build.mjs'), '--out', out], { cwd: root, stdio: 'pipe' });
  bundle = fs.readFileSync(path.join(out, 'preload/index.cjs'), 'utf8');
}, 60_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** The packages (not Node built-ins) a bundle loads at run time, by import or require. */
function externalPackages(code: string): string[] {
  const found = new Set<string>();
  // At a line's start, or after a `;` where the code is minified (the CLI's chunks).
  for (const m of code.matchAll(/(?:^|;)import(?:\s|\{)[^'"]*?from\s*["']([^"']+)["']|(?:^|;)import\s*["']([^"']+)["']/gm)) found.add((m[1] ?? m[2])!);
  for (const m of code.matchAll(/(?:\b|__)require\(["']([^"']+)["']\)/g)) found.add(m[1]!);
  // Dynamic imports of packages (relative ones are only in bundled JSDoc types).
  for (const m of code.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g)) found.add(m[1]!);
  return [...found].filter((name) => !name.startsWith('.') && !name.startsWith('node:') && !builtinModules.includes(name)).sort();
}

describe('build:main output', () => {
  it('bundles the Electron main process with only Electron, the native modules and Node built-ins left outside', () => {
    const shell = fs.readFileSync(path.join(out, 'main/shell.js'), 'utf8');
    expect(externalPackages(shell)).toEqual(['@napi-rs/keyring', 'better-sqlite3', 'electron']);
  });

  it('makes the CLI an executable script that runs', () => {
    const cli = path.join(out, 'main/cli.js');
    const text = fs.readFileSync(cli, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(text.indexOf('#!', 1)).toBe(-1);
    expect(fs.statSync(cli).mode & 0o111).toBe(0o111);
    // The entry (all that --help loads) loads no package; the chunks a command imports, only the keyring:
    // SQLite's JavaScript is bundled into them and loads its binary by the path the CLI names.
    expect(externalPackages(text)).toEqual([]);
    const chunkDir = path.join(out, 'main/cli-chunks');
    const chunks = fs
      .readdirSync(chunkDir)
      .filter((file) => file.endsWith('.js'))
      .map((file) => fs.readFileSync(path.join(chunkDir, file), 'utf8'));
    expect(externalPackages(chunks.join('\n'))).toEqual(['@napi-rs/keyring']);
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(cli, ['--version'], { encoding: 'utf8' })).toContain(version);
  });

  it('copies the window and tray icons the shell loads', () => {
    expect(fs.readdirSync(path.join(out, 'icons')).sort()).toEqual(
      ['icon.png', 'tray-linux.png', 'tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png'].sort(),
    );
  });
});

/** Loads the preload against an Electron stand-in; `answer` plays the main process. */
function loadPreload(answer: (channel: string, request: unknown) => unknown) {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; request: unknown }[] = [];
  const eventListeners = new Map<string, Listener[]>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, request: unknown) => {
        invoked.push({ channel, request });
        return answer(channel, request);
      },
      on: (channel: string, listener: Listener) => eventListeners.set(channel, [...(eventListeners.get(channel) ?? []), listener]),
    },
  };
  const module = { exports: {} };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  vm.runInNewContext(bundle, { require: sandboxRequire, module, exports: module.exports, console });
  const emit = (message: unknown) => eventListeners.get(EVENT_CHANNEL)?.forEach((l) => l({}, message));
  return { exposed, invoked, required, emit, eventChannels: [...eventListeners.keys()] };
}

const call = (api: unknown, domain: string, action: string): Fn => (api as Record<string, Record<string, Fn>>)[domain]![action]!;

describe('preload bridge', () => {
  it('is one CommonJS file that needs nothing but electron', () => {
    const { required } = loadPreload(() => null);
    expect(required).toEqual(['electron']);
    expect(externalPackages(bundle)).toEqual(['electron']);
  });

  it('exposes window.isodesk with exactly one function per contract channel, plus on()', () => {
    const { exposed, eventChannels } = loadPreload(() => null);
    expect([...exposed.keys()]).toEqual(['isodesk']);
    const api = exposed.get('isodesk') as Record<string, unknown>;
    const names: string[] = [];
    for (const [domain, group] of Object.entries(api)) {
      if (domain === 'on') continue;
      for (const [action, fn] of Object.entries(group as Record<string, unknown>)) {
        expect(typeof fn).toBe('function');
        names.push(`${domain}/${action}`);
      }
    }
    expect(names.sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(typeof api.on).toBe('function');
    expect(Object.keys(api)).not.toContain('ipcRenderer');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/invoke|send/);
    expect(eventChannels).toEqual([EVENT_CHANNEL]);
  });

  it('sends each call on its own channel and hands back the main process Result', async () => {
    const profile = { ok: true, value: { name: 'work' } };
    const { exposed, invoked } = loadPreload(() => profile);
    const api = exposed.get('isodesk');
    await expect(call(api, 'iso', 'mount')({ server_id: 42, iso_name: 'debian-12.iso' })).resolves.toEqual(profile);
    await call(api, 'session', 'status')();
    expect(invoked).toEqual([
      { channel: `${INVOKE_PREFIX}iso/mount`, request: { server_id: 42, iso_name: 'debian-12.iso' } },
      { channel: `${INVOKE_PREFIX}session/status`, request: {} },
    ]);
  });

  it('turns a malformed or missing answer into an internal error Result instead of throwing', async () => {
    const malformed = loadPreload(() => ({ token: 'leaked?' }));
    const answer = (await call(malformed.exposed.get('isodesk'), 'tasks', 'list')({})) as { ok: boolean; error: { kind: string; message: string } };
    expect(answer.ok).toBe(false);
    expect(answer.error.kind).toBe('internal');
    expect(answer.error.message).toMatch(/malformed answer to tasks\/list/);
    expect(JSON.stringify(answer)).not.toContain('leaked');

    const gone = loadPreload(() => {
      throw new Error('No handler registered');
    });
    const none = (await call(gone.exposed.get('isodesk'), 'tasks', 'list')({})) as { ok: boolean; error: { message: string } };
    expect(none).toMatchObject({ ok: false, error: { message: 'The main process did not answer tasks/list.' } });
  });

  it('delivers events by name, ignores malformed envelopes and stops after unsubscribe', () => {
    const { exposed, emit } = loadPreload(() => null);
    const on = (exposed.get('isodesk') as { on: (e: string, l: (p: unknown) => void) => () => void }).on;
    const tasks: unknown[] = [];
    const net: unknown[] = [];
    const off = on('tasks/changed', (p) => tasks.push(p));
    on('net/changed', (p) => net.push(p));
    emit({ event: 'tasks/changed', payload: { type: 'created' } });
    emit({ event: 'net/changed', payload: { online: false } });
    emit('not an envelope');
    emit({ payload: 'no event name' });
    off();
    emit({ event: 'tasks/changed', payload: { type: 'finished' } });
    expect(tasks).toEqual([{ type: 'created' }]);
    expect(net).toEqual([{ online: false }]);
    expect(() => on('tasks/changed', 'not a function' as unknown as () => void)).toThrow(/listener function/);
  });
});
