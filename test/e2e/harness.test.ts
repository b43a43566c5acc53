/**
 * The browser harness's own guarantees: it serves the renderer with the app's security headers,
 * answers only on loopback, only to its own page (secret, Host, Origin), hands every call to the
 * app's dispatch, and gives the page a `window.isodesk` with the preload's shape whose events
 * arrive live. Another site in the same browser can neither load the bridge nor call the app.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHANNELS } from '../../main/ipc/contract.js';
import { SECRET_HEADER } from '../../main/web/bridge-protocol.js';
import { startWebHarness } from '../../main/web/server.js';
import { launchChromium, openPage, screenshotEachTest } from './support/chromium.js';
import { bridgeSecret, OWN_PAGE_SCRIPT, rawRequest, type RawResponse } from './support/http.js';
import { RENDERER_DIR } from './support/renderer-build.js';
import { startStack, type Stack } from './support/stack.js';

const EXPECTED_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

const execFileAsync = promisify(execFile);

let stack: Stack;
let secret: string;

function url(path: string): string {
  return new URL(path, stack.harness.url).href;
}

function rpc(channel: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(url(`/rpc/${channel}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret, ...headers },
    body: JSON.stringify(body),
  });
}

function expectSecurityHeaders(res: RawResponse): void {
  const csp = String(res.headers['content-security-policy']);
  for (const directive of EXPECTED_CSP) expect(csp).toContain(directive);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
}

beforeAll(async () => {
  stack = await startStack();
  secret = await bridgeSecret(stack.harness.url);
});

afterAll(async () => {
  await stack?.close();
});

describe('browser harness over HTTP', () => {
  it('serves the renderer and every other answer with the app security headers', async () => {
    const page = await rawRequest(url('/'));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('./bridge.js');
    const answers = [
      page,
      await rawRequest(url('/bridge.js'), { headers: OWN_PAGE_SCRIPT }),
      await rawRequest(url('/missing.js')),
      await rpc('session/status', {}),
      await rpc('session/status', {}, { [SECRET_HEADER]: 'wrong' }),
      await rawRequest(url('/'), { method: 'DELETE' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 200, 403, 405]);
    for (const answer of answers) expectSecurityHeaders(answer);
  });

  it('listens on 127.0.0.1 only', async (ctx) => {
    expect(new URL(stack.harness.url).hostname).toBe('127.0.0.1');
    const port = Number(new URL(stack.harness.url).port);
    const outside = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    // On Linux all of 127.0.0.0/8 reaches this machine: a server bound to 0.0.0.0 (or to the
    // whole loopback range) would answer on 127.0.0.2, so a refusal there proves the binding.
    const probes = [...(process.platform === 'linux' ? ['127.0.0.2'] : []), '::1', ...(outside ? [outside.address] : [])];
    if (process.platform !== 'linux' && !outside) {
      console.warn('harness binding: skipped, no address besides 127.0.0.1 reaches this machine here (not Linux, no external IPv4).');
      ctx.skip();
    }
    for (const host of probes) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host, port }, () => {
          socket.destroy();
          resolve(false);
        });
        socket.on('error', () => resolve(true));
      });
      expect(refused, `reachable on ${host}`).toBe(true);
    }
    // The probe itself works: the same address answers when something listens on it.
    if (process.platform === 'linux') {
      const open = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => open.listen(0, '127.0.0.2', resolve));
      const reached = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: '127.0.0.2', port: (open.address() as AddressInfo).port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      await new Promise((resolve) => open.close(resolve));
      expect(reached).toBe(true);
    }
  });

  it('answers calls only with the run secret', async () => {
    const none = await rawRequest(url('/rpc/session/status'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(403);
    expect((await rpc('session/status', {}, { [SECRET_HEADER]: `${secret.slice(0, -1)}x` })).status).toBe(403);
    expect((await rawRequest(url('/events'))).status).toBe(403);
    const good = await rpc('session/status', {});
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toMatchObject({ ok: true, value: { profiles: [], active: null } });
  });

  it('refuses other host names (DNS rebinding) and other origins', async () => {
    const port = new URL(stack.harness.url).port;
    expect((await rpc('session/status', {}, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await rawRequest(url('/'), { headers: { host: `evil.example:${port}` } })).status).toBe(403);
    expect((await rpc('session/status', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await rpc('session/status', {}, { origin: `http://127.0.0.1:${Number(port) + 1}` })).status).toBe(403);
    expect((await rpc('session/status', {}, { origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await rpc('session/status', {}, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses other methods, oversized bodies and non-JSON bodies', async () => {
    const put = await rawRequest(url('/rpc/session/status'), { method: 'PUT', headers: { [SECRET_HEADER]: secret } });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('POST');
    const preflight = await rawRequest(url('/rpc/session/status'), {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect((await rawRequest(url('/rpc/session/status'), { method: 'GET', headers: { [SECRET_HEADER]: secret } })).status).toBe(405);
    expect((await rpc('uploads/probe', { url: `https://example.com/${'a'.repeat(70_000)}.iso` })).status).toBe(413);
    const text = await rawRequest(url('/rpc/session/status'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', [SECRET_HEADER]: secret },
      body: '{}',
    });
    expect(text.status).toBe(415);
    const broken = await rawRequest(url('/rpc/session/status'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
      body: '{',
    });
    expect(broken.status).toBe(400);
  });

  it('leaves unknown channels and invalid requests to the app dispatch', async () => {
    for (const channel of ['session/nope', 'constructor', '__proto__/x', 'session']) {
      const answer = JSON.parse((await rpc(channel, {})).body);
      expect(answer).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('Unknown request') } });
    }
    const invalid = JSON.parse((await rpc('session/signIn', { profile: 'p', base_url: 'ftp://x', api_key: 'k' })).body);
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('base_url') } });
    const extra = JSON.parse((await rpc('tasks/list', { sneaky: true })).body);
    expect(extra).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('serves no file outside the built renderer', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json', '/%00index.html']) {
      const res = await rawRequest(url(path));
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('"name": "isodesk"');
    }
  });

  it('serves the bridge script to its own page only', async () => {
    const refused: Record<string, string>[] = [
      {},
      { 'sec-fetch-site': 'none' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site', origin: url('/').slice(0, -1) },
    ];
    for (const headers of refused) {
      const res = await rawRequest(url('/bridge.js'), { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body).not.toContain(secret);
    }
    const own = await rawRequest(url('/bridge.js'), { headers: OWN_PAGE_SCRIPT });
    expect(own.status).toBe(200);
    expect(own.body).toContain(secret);
    expect(own.headers['content-type']).toMatch(/^text\/javascript/);
    expect(own.headers['cache-control']).toBe('no-store');
    // A browser without fetch metadata still names the page's origin.
    expect((await rawRequest(url('/bridge.js'), { headers: { origin: url('/').slice(0, -1) } })).status).toBe(200);
  });

  it('gives a plain curl nothing that opens the app', async (ctx) => {
    if (spawnSync('curl', ['--version']).status !== 0) {
      console.warn('harness curl check: skipped, curl is not installed (the raw-request checks above send the same headers).');
      return ctx.skip();
    }
    // Asynchronous: the harness answers from this very process.
    const run = async (args: string[]) => (await execFileAsync('curl', ['-s', '-o', '-', '-w', '\n%{http_code}', ...args], { encoding: 'utf8' })).stdout;
    const bridge = await run([url('/bridge.js')]);
    expect(bridge.endsWith('\n403')).toBe(true);
    expect(bridge).not.toContain(secret);
    expect(await run([url('/')])).not.toContain(secret);
    expect((await run(['-X', 'POST', '-H', 'content-type: application/json', '--data', '{}', url('/rpc/session/status')])).endsWith('\n403')).toBe(true);
  });
});

describe('browser harness start-up', () => {
  it('says plainly when the port is taken or the renderer is not built', async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startWebHarness({ dataDir: stack.dataDir, port, rendererDir: RENDERER_DIR })).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-no-renderer-'));
    await expect(startWebHarness({ dataDir: stack.dataDir, rendererDir: empty })).rejects.toThrow('npm run build:renderer');
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('serves the page and its bridge at once, and when its data folder cannot be opened says so through ready and each call', async () => {
    const notAFolder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-not-a-folder-')), 'file');
    fs.writeFileSync(notAFolder, 'not a folder');
    const harness = await startWebHarness({ dataDir: notAFolder, rendererDir: RENDERER_DIR });
    try {
      // Nothing looks at ready until the end: a harness whose app failed must not end the process meanwhile.
      expect((await rawRequest(harness.url)).status).toBe(200);
      // The bridge script is the page's too: served without the app, so the page can say what failed.
      const own = await bridgeSecret(harness.url);
      const call = await rawRequest(new URL('/rpc/session/status', harness.url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SECRET_HEADER]: own },
        body: '{}',
      });
      expect(call.status).toBe(500);
      await expect(harness.ready).rejects.toThrow(notAFolder);
    } finally {
      await harness.close();
      fs.rmSync(path.dirname(notAFolder), { recursive: true, force: true });
    }
  });
});

describe('browser harness in Chromium', () => {
  let browser: Browser;
  let hostile: http.Server;
  let hostileUrl: string;
  let context: BrowserContext | undefined;
  let shown: Page | undefined;

  /** A fresh page for one test; closed after the test's screenshot. */
  async function open(): Promise<Page> {
    ({ context, page: shown } = await openPage(browser));
    return shown;
  }

  afterEach(async () => {
    await context?.close();
    context = undefined;
    shown = undefined;
  });
  screenshotEachTest('harness', () => shown);

  beforeAll(async () => {
    browser = await launchChromium();
    // Another site open in the same browser, trying to use the harness.
    hostile = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><script src="${url('/bridge.js')}"></script><p>hostile</p>`);
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => hostile?.close(resolve));
  });

  it('gives the page window.isodesk with the preload shape, frozen', async () => {
    const page = await open();
    await page.goto(stack.harness.url);
    const shape = await page.evaluate(() => {
      const api = window.isodesk as unknown as Record<string, Record<string, unknown>>;
      const names = Object.entries(api).flatMap(([domain, fns]) =>
        typeof fns === 'function' ? [domain] : Object.keys(fns).map((action) => `${domain}/${action}`),
      );
      const before = api.session?.status;
      try {
        (api.session as Record<string, unknown>).status = () => 'replaced';
      } catch {
        // Frozen objects throw in strict code; either way nothing may change.
      }
      return { names: names.sort(), unchanged: api.session?.status === before, frozen: Object.isFrozen(api) };
    });
    expect(shape.names).toEqual([...Object.keys(CHANNELS), 'on'].sort());
    expect(shape.unchanged).toBe(true);
    expect(shape.frozen).toBe(true);
    const status = await page.evaluate(() => window.isodesk!.session.status({}));
    expect(status).toMatchObject({ ok: true, value: { profiles: expect.any(Array), version: expect.any(String) } });
    const invalid = await page.evaluate(() => window.isodesk!.iso.history({ iso_id: -1 }));
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('delivers app events to the page as they happen', async () => {
    const signIn = await rpc('session/signIn', { profile: 'events', base_url: stack.api.url, api_key: stack.api.keys.client });
    expect(JSON.parse(signIn.body)).toMatchObject({ ok: true });
    const page = await open();
    // The harness subscribes the stream to the app's events before it sends the response head.
    const streamOpen = page.waitForResponse((r) => r.url() === url('/events') && r.status() === 200);
    await page.goto(stack.harness.url);
    await page.evaluate(() => {
      const seen: unknown[] = [];
      (window as unknown as { seen: unknown[] }).seen = seen;
      window.isodesk!.on('tasks/changed', (event) => seen.push(event));
    });
    await streamOpen;
    const started = JSON.parse((await rpc('uploads/start', { url: 'https://mirror.example/images/events-test.iso' })).body);
    expect(started).toMatchObject({ ok: true, value: { kind: 'upload', state: 'running' } });
    await page.waitForFunction(
      () => {
        const seen = (window as unknown as { seen: { type: string; task: { state: string } }[] }).seen;
        return seen.some((e) => e.type === 'created') && seen.some((e) => e.task.state !== 'running');
      },
      undefined,
      { timeout: 15_000 },
    );
  });

  it('does not let another site load the bridge or call the app', async () => {
    const signIn = await rpc('session/signIn', { profile: 'forgery', base_url: stack.api.url, api_key: stack.api.keys.client });
    expect(JSON.parse(signIn.body)).toMatchObject({ ok: true });
    const page = await open();
    const bridgeLoads: string[] = [];
    page.on('response', (r) => {
      if (r.url() === url('/bridge.js')) bridgeLoads.push(String(r.status()));
    });
    page.on('requestfailed', (r) => {
      if (r.url() === url('/bridge.js')) bridgeLoads.push('failed');
    });
    await page.goto(hostileUrl);
    expect(await page.evaluate(() => typeof window.isodesk)).toBe('undefined');
    expect(bridgeLoads.length).toBeGreaterThan(0);
    expect(bridgeLoads).not.toContain('200');
    const attempts = await page.evaluate(async (target) => {
      const attempt = async (init: RequestInit): Promise<string> => {
        try {
          const res = await fetch(`${target}rpc/session/signOut`, init);
          return res.type === 'opaque' ? 'unreadable' : `answered ${res.status}`;
        } catch {
          return 'blocked';
        }
      };
      return [
        // A "simple" request needs no preflight, so it reaches the server, but it cannot carry the secret.
        await attempt({ method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' }),
        await attempt({ method: 'POST', headers: { 'content-type': 'application/json', 'x-isodesk-bridge': 'guess' }, body: '{}' }),
      ];
    }, stack.harness.url);
    expect(attempts.every((a) => a === 'blocked' || a === 'unreadable')).toBe(true);
    // The forged sign-out did nothing.
    const status = JSON.parse((await rpc('session/status', {})).body);
    expect(status.value.profiles.find((p: { name: string }) => p.name === 'forgery')).toMatchObject({ signed_in: true });
  });
});
