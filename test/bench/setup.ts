/**
 * What the benches share: the app built from the current sources (the real bundles, measured as
 * users run them), a harness started from it as a child process, an in-process app signed in to a
 * local API, and a replaying proxy that answers list_iso with bytes prepared before the
 * measurement, so that producing a large answer never counts against the app that reads it.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostkeyClient } from '../../main/api/client.js';
import type { Transport } from '../../main/api/transport.js';
import { createApp, type App } from '../../main/app.js';
import type { Channel, Request, Response, Result } from '../../main/ipc/contract.js';
import { FileSecretStore } from '../../main/session/secrets.js';
import { RPC_PREFIX, SECRET_HEADER } from '../../main/web/bridge-protocol.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../e2e/support/renderer-build.js';
import { bridgeSecret, rawRequest } from '../e2e/support/http.js';
import { bundleEntry } from '../cli/isodesk-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const cleanups: Array<() => void> = [];
process.once('exit', () => cleanups.forEach((clean) => clean()));

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `isodesk-bench-${prefix}-`));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let built: Promise<{ cli: string; web: string }> | null = null;

/** dist/ built from the current sources into a temp folder, once per bench process. */
export function builtApp(): Promise<{ cli: string; web: string }> {
  built ??= (async () => {
    fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
    // Inside dist/ like the real output, so node_modules and "type": "module" apply.
    const out = fs.mkdtempSync(path.join(ROOT, 'dist', '.bench-'));
    cleanups.push(() => fs.rmSync(out, { recursive: true, force: true }));
    execFileSync(process.execPath, [path.join(ROOT, 'main/build/build.mjs'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
    await ensureRendererBuilt();
    fs.symlinkSync(RENDERER_DIR, path.join(out, 'renderer'), 'dir');
    return { cli: path.join(out, 'main/cli.js'), web: path.join(out, 'main/web.js') };
  })();
  return built;
}

/** The HOSTKEY client's module as the app bundles it (see builtClient). */
export interface ClientModule {
  HostkeyClient: typeof HostkeyClient;
  Transport: typeof Transport;
}

let client: Promise<ClientModule> | null = null;

/**
 * The HOSTKEY client bundled by esbuild as main/build/build.mjs bundles the main process (no kept
 * names), once per bench process. tsx, which runs the bench's own sources, wraps every function
 * the client creates per call in a naming helper the app never runs, about 10 µs of a 150 µs read.
 */
export function builtClient(): Promise<ClientModule> {
  client ??= (async () => {
    const bundle = await bundleEntry('test/bench/client-entry.ts');
    cleanups.push(() => bundle.remove());
    return (await import(pathToFileURL(bundle.file).href)) as ClientModule;
  })();
  return client;
}

export interface HarnessProcess {
  url: string;
  pid: number;
  /** When the process was spawned (performance.timeOrigin-based ms, comparable to the page's clock). */
  spawnedAt: number;
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>>;
  rssMiB(): number;
  stop(): Promise<void>;
}

/** Starts the built harness (`node web.js`) and talks to it the way its page does. */
/** `port` 0: any free one; the same port again keeps the page's origin, and with it what the page stored. */
export async function startHarness(dataDir: string, apiUrl: string, port = 0): Promise<HarnessProcess> {
  const { web } = await builtApp();
  const spawnedAt = performance.timeOrigin + performance.now();
  const child = spawn(process.execPath, [web, '--data-dir', dataDir, '--api-url', apiUrl, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let printed = '';
    const check = (chunk: Buffer): void => {
      printed += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(printed);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then(() => reject(new Error(`the harness exited before it was ready:\n${printed}`)));
  });
  // Read at the first call, not here: a page opened at once must not wait behind it (the browser bench).
  let secret: Promise<string> | null = null;
  return {
    url,
    pid: child.pid!,
    spawnedAt,
    async call(channel, request) {
      const answer = await rawRequest(new URL(RPC_PREFIX + channel, url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SECRET_HEADER]: await (secret ??= bridgeSecret(url)) },
        body: JSON.stringify(request),
      });
      return unwrap(channel, JSON.parse(answer.body) as Result<Response<typeof channel>>);
    },
    rssMiB: () => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)], { encoding: 'utf8' }).trim()) / 1024,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A port free on 127.0.0.1 now. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function unwrap<T>(channel: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

/** The app in this process (as the harness and the desktop shell run it), signed in to `apiUrl`. */
export async function signedInApp(dataDir: string, apiUrl: string, apiKey: string): Promise<{ app: App; serverId: number; call: typeof callApp }> {
  const app = await createApp({ dataDir, secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')), apiUrl });
  await callApp(app, 'session/signIn', { profile: 'bench', base_url: apiUrl, api_key: apiKey });
  const servers = await callApp(app, 'servers/list', { refresh: true });
  const serverId = servers.items[0]?.id;
  if (serverId === undefined) throw new Error('the bench account has no servers');
  return { app, serverId, call: callApp };
}

export async function callApp<C extends Channel>(app: App, channel: C, request: Request<C>): Promise<Response<C>> {
  return unwrap(channel, (await app.dispatch(channel, request)) as Result<Response<C>>);
}

export interface ReplayProxy {
  url: string;
  /** What list_iso answers with; null: the upstream's answer, which is kept in `captured`. */
  listIso: Buffer | null;
  captured: Buffer | null;
  close(): Promise<void>;
}

/** Forwards every request to `upstream` but list_iso, which it answers from `listIso` when set. */
export async function replayProxy(upstream: string): Promise<ReplayProxy> {
  const proxy: ReplayProxy = { url: '', listIso: null, captured: null, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const listIso = new URLSearchParams(body.toString()).get('action') === 'list_iso';
      if (listIso && proxy.listIso) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': proxy.listIso.length });
        res.end(proxy.listIso);
        return;
      }
      const forward = http.request(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, (answer) => {
        const back: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => back.push(chunk));
        answer.on('end', () => {
          const bytes = Buffer.concat(back);
          if (listIso) proxy.captured = bytes;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(bytes);
        });
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** A list_iso answer carrying `isos`, as HOSTKEY's envelope wraps it. */
export function listIsoBody(serverId: number, isos: readonly object[]): Buffer {
  return Buffer.from(JSON.stringify({ result: 'OK', action: 'list_iso', module: 'iso', server_id: serverId, iso_images: isos }));
}
