/**
 * Every entry point `npm run build:main` produces starts: the CLI answers --help from its entry
 * chunk alone (no zod, undici or SQLite parsed) and runs a command from the chunks it imports then, the browser
 * harness listens before it loads any of them, serves the app and its bridge, syncs a catalog through the
 * worker beside it and stops on SIGTERM, the catalog worker builds a catalog,
 * and the Electron main bundle's whole module graph resolves under plain Node with Electron itself
 * (which only its runtime provides) the one import left open. A bundle that breaks at load time (a bundled dependency reaching for
 * __filename, a chunk or package that is not there) fails here, not on a user's machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, RENDERER_DIR } from '../e2e/support/renderer-build.js';
import { bridgeSecret, rawRequest } from '../e2e/support/http.js';
import { startLocalApi } from '../../main/local-api/server.js';
import { RPC_PREFIX, SECRET_HEADER } from '../../main/web/bridge-protocol.js';
import { CHANNELS, EVENTS } from '../../main/ipc/contract.js';

const root = path.resolve(import.meta.dirname, '../..');
// Inside dist/ like the real output, so node_modules and "type": "module" apply to the bundles.
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
const out = fs.mkdtempSync(path.join(root, 'dist', '.entry-test-'));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-entry-'));

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(root, 'main/build/build.mjs'), '--out', out], { cwd: root, stdio: 'pipe' });
  // `npm run build` puts the renderer beside main/; this output gets the one the e2e tests use.
  await ensureRendererBuilt();
  fs.symlinkSync(RENDERER_DIR, path.join(out, 'renderer'), 'dir');
}, 180_000);
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `node <file> <args>` until it prints a line matching `ready`; resolves with the match. */
function startUntil(file: string, args: string[], ready: RegExp): Promise<{ match: RegExpExecArray; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [file, ...args], { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let printed = '';
  return new Promise((resolve, reject) => {
    const check = (chunk: Buffer): void => {
      printed += chunk.toString();
      const match = ready.exec(printed);
      if (match) resolve({ match, stop: () => (child.kill('SIGTERM'), exited) });
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then((code) => reject(new Error(`${path.basename(file)} exited (${code}) before it was ready:\n${printed}`)));
  });
}

/** The files Node loads for the built `entry` before any dynamic import, which are left open. */
async function staticGraph(entry: string): Promise<string[]> {
  const graph = await build({
    entryPoints: [path.join(out, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'static-imports-only',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' || isBuiltin(args.path) ? { path: args.path, external: true } : undefined));
        },
      },
    ],
  });
  const loaded = Object.keys(graph.metafile.inputs);
  expect(loaded.some((file) => file.endsWith(entry))).toBe(true);
  // Every static import was found, so none is left to fail at run time.
  const open = Object.values(graph.metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => i.external && i.kind !== 'dynamic-import').map((i) => i.path),
  );
  expect(open.filter((p) => !isBuiltin(p))).toEqual([]);
  return loaded;
}

function bytes(files: string[]): number {
  return files.reduce((sum, file) => sum + fs.statSync(path.resolve(root, file)).size, 0);
}

function chunksOf(folder: string): string[] {
  return fs
    .readdirSync(path.join(out, 'main', folder))
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(out, 'main', folder, f));
}

describe('built entry points', () => {
  it('the CLI answers --help', () => {
    const help = execFileSync(process.execPath, [path.join(out, 'main/cli.js'), '--help'], { encoding: 'utf8' });
    expect(help).toContain('Usage: isodesk <command> [options]');
    expect(help).toMatch(/^\s+list\s+List the ISO images/m);
  });

  it('the CLI entry loads none of zod, undici or SQLite: they are chunks it imports when a command runs', async () => {
    const loaded = await staticGraph('main/cli.js');
    expect(loaded.filter((file) => /node_modules|cli-chunks\/(undici|run-command)/.test(file))).toEqual([]);
    // What it does load is small next to what a command loads.
    expect(bytes(loaded)).toBeLessThan(bytes(chunksOf('cli-chunks')) / 10);
  });

  it('the harness entry listens before it loads zod, undici or SQLite: the app behind it is a chunk', async () => {
    const loaded = await staticGraph('main/web.js');
    expect(loaded.filter((file) => /node_modules|web-chunks\/(app-side|undici)/.test(file))).toEqual([]);
    expect(bytes(loaded)).toBeLessThan(bytes(chunksOf('web-chunks')) / 10);
  });

  it('the CLI runs a command from the chunks it imports then: profiles of a new data folder', () => {
    const folder = fs.mkdtempSync(path.join(dataDir, 'cli-'));
    const listed = execFileSync(process.execPath, [path.join(out, 'main/cli.js'), 'profiles', '--json', '--data-dir', folder], { encoding: 'utf8' });
    expect(JSON.parse(listed)).toEqual([]);
    // It opened the cache on the way: SQLite from node_modules, the app from its chunks.
    expect(fs.existsSync(path.join(folder, 'isodesk.db'))).toBe(true);
  });

  it('the browser harness serves the app and its bridge, syncs a catalog through its worker, and stops on SIGTERM', async () => {
    const api = await startLocalApi({ isoCount: 300, quiet: true });
    const harness = await startUntil(
      path.join(out, 'main/web.js'),
      ['--data-dir', fs.mkdtempSync(path.join(dataDir, 'web-')), '--api-url', api.url, '--port', '0'],
      /running at (http:\/\/127\.0\.0\.1:\d+\/)/,
    );
    try {
      const url = harness.match[1]!;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app"');
      // The harness gives its bridge only to its own page, which names its origin.
      const bridge = await fetch(new URL('/bridge.js', url), { headers: { origin: url.slice(0, -1) } });
      expect(bridge.status).toBe(200);
      const script = await bridge.text();
      expect(script).toContain('ISODESK_BRIDGE_SECRET');
      // The contract's names were read at build time (the entry loads no contract): every one of them.
      const [channels, events] = (/\}\)\("(?:[^"\\]|\\.)+", (\[.*\]), (\[.*\])\);\s*$/.exec(script) ?? [])
        .slice(1)
        .map((list) => JSON.parse(list!) as string[]);
      expect(channels).toEqual(Object.keys(CHANNELS));
      expect(events).toEqual(Object.keys(EVENTS));
      // A sync with HOSTKEY runs on the catalog worker, which the app's chunk finds beside the entry.
      const secret = await bridgeSecret(url);
      const call = async (channel: string, request: object): Promise<unknown> => {
        const answer = await rawRequest(new URL(RPC_PREFIX + channel, url).href, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
          body: JSON.stringify(request),
        });
        return JSON.parse(answer.body);
      };
      expect(await call('session/signIn', { profile: 'entry', base_url: api.url, api_key: api.keys.client })).toMatchObject({ ok: true });
      const servers = (await call('servers/list', { refresh: true })) as { ok: true; value: { items: { id: number }[] } };
      const serverId = servers.value.items[0]!.id;
      expect(await call('catalog/sync', { server_id: serverId })).toMatchObject({ ok: true, value: { count: expect.any(Number), offline: false } });
      expect(await call('catalog/query', { server_id: serverId, limit: 1 })).toMatchObject({ ok: true, value: { total: expect.any(Number) } });
    } finally {
      expect(await harness.stop()).toBe(0);
      await api.close();
    }
  });

  it('the catalog worker builds a catalog from an answer, then ends by itself when told to', async () => {
    const worker = new Worker(path.join(out, 'main/catalog-worker.js'), { workerData: { stop: new SharedArrayBuffer(4) } });
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    try {
      const answer = Buffer.from(
        JSON.stringify({
          result: 'OK',
          iso_images: [
            { id: 1, iso_name: 'a.iso' },
            { id: '2', iso_name: 'b.iso' },
          ],
        }),
      );
      const job = {
        kind: 'build',
        status: 200,
        body: Uint8Array.from(answer),
        retryAfterMs: null,
        contentType: 'application/json',
        directory: dataDir,
        shareRows: false,
        previous: null,
      };
      // Every message up to the last: what the answer held unexpectedly, rows, then indexed (or failed).
      const messages = new Promise<{ type: string }[]>((resolve, reject) => {
        const seen: { type: string }[] = [];
        worker.on('message', (m: { type: string }) => {
          seen.push(m);
          if (m.type === 'indexed' || m.type === 'failed') resolve(seen);
        });
        worker.once('error', reject);
      });
      worker.postMessage({ id: 1, job });
      const seen = await messages;
      expect(seen.at(-1)).toMatchObject({ id: 1, type: 'indexed', built: { row_count: 2 } });
      // The text id "2" is what the docs do not describe: the worker says so, as the client does.
      expect(seen.find((m) => m.type === 'inspected')).toMatchObject({
        id: 1,
        findings: expect.arrayContaining([expect.objectContaining({ kind: 'fallback', point: 'iso_images[].id as text, not a number' })]),
      });
      worker.postMessage({ type: 'end' });
      // Exit code 0: it left its event loop; a terminated worker exits with 1.
      expect(await exited).toBe(0);
    } finally {
      await worker.terminate();
    }
  });

  it("the Electron main bundle's module graph resolves without Electron", async () => {
    // esbuild follows every import of the built file (static and dynamic) with Node's resolution
    // and fails on any it cannot find; Electron is the one module left to the runtime.
    const graph = await build({
      entryPoints: [path.join(out, 'main/shell.js')],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      external: ['electron', 'better-sqlite3', '@napi-rs/keyring'],
      logLevel: 'silent',
    });
    const open = Object.values(graph.metafile.inputs)
      .flatMap((input) => input.imports)
      .filter((i) => i.external && !i.path.startsWith('node:') && !isBuiltin(i.path))
      .map((i) => i.path);
    expect([...new Set(open)].sort()).toEqual(['@napi-rs/keyring', 'better-sqlite3', 'electron']);
    // The native modules come from node_modules at run time: they must be found from the bundle's folder.
    for (const native of ['better-sqlite3', '@napi-rs/keyring']) {
      expect(() => createRequire(path.join(out, 'main/shell.js')).resolve(native), native).not.toThrow();
    }
  });
});
