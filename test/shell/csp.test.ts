/**
 * What the app's security headers (main/shell/csp.ts, on every app:// response) do in Chromium: a
 * probe page served with them tries what an injected script would (inline scripts, eval, network,
 * frames, workers, plugins, a script of the wrong type) and only what the app itself needs gets
 * through. Then the built renderer, served the way the app protocol serves it, starts under the
 * same headers without a single violation.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SessionStatus } from '../../main/ipc/contract.js';
import { securityHeaders } from '../../main/shell/csp.js';
import { readRendererFile } from '../../main/shell/renderer-files.js';
import { launchChromium, openPage } from '../e2e/support/chromium.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../e2e/support/renderer-build.js';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const PROBE_HTML = `<!doctype html>
<html><head>
<script src="/probe.js"></script>
<script>window.inlineScriptRan = true;</script>
<style>#styled { color: rgb(255, 0, 0); }</style>
</head><body>
<div id="styled">styled</div><div id="attr" style="color: rgb(0, 128, 0)">attr</div>
<img id="data" src="data:image/png;base64,${PIXEL}">
<img id="remote" src="OTHER/pixel.png">
<iframe src="/frame.html"></iframe>
<object data="/plugin.bin" type="application/x-shockwave-flash"></object>
</body></html>`;

/** Runs as the page's own script ('self'); reports what worked in window.probe. */
const PROBE_JS = `
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.effectiveDirective));
const probe = (window.probe = {});
try { eval('1'); probe.eval = 'ran'; } catch { probe.eval = 'blocked'; }
try { new Function('return 1')(); probe.newFunction = 'ran'; } catch { probe.newFunction = 'blocked'; }
const outcome = (p) => p.then(() => 'ran', () => 'blocked');
outcome(fetch('/data.json')).then((r) => (probe.fetchSelf = r));
outcome(fetch('OTHER/data.json')).then((r) => (probe.fetchOther = r));
try {
  const worker = new Worker('/worker.js');
  worker.onmessage = () => (probe.worker = 'ran');
  worker.onerror = () => (probe.worker = 'blocked');
} catch { probe.worker = 'blocked'; }
const wrongType = document.createElement('script');
wrongType.src = '/wrong-type.js';
wrongType.onload = () => (probe.wrongType = 'ran');
wrongType.onerror = () => (probe.wrongType = 'blocked');
document.head.append(wrongType);
window.addEventListener('load', () => {
  probe.dataImage = document.getElementById('data').naturalWidth > 0 ? 'ran' : 'blocked';
  probe.remoteImage = document.getElementById('remote').naturalWidth > 0 ? 'ran' : 'blocked';
  probe.styleElement = getComputedStyle(document.getElementById('styled')).color;
  probe.styleAttribute = getComputedStyle(document.getElementById('attr')).color;
  probe.loaded = true;
});
`;

let browser: Browser;
const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let probeOrigin: string;
let otherOrigin: string;
let appOrigin: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchChromium();
  // Another origin: the network a page must not reach, and a site that tries to frame the app.
  otherOrigin = await serve((req, res) => {
    if (req.url === '/pixel.png')
      return res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(Buffer.from(PIXEL, 'base64'));
    if (req.url === '/framer.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${probeOrigin}/probe.html"></iframe>`);
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{}');
  });
  probeOrigin = await serve((req, res) => {
    const files: Record<string, [string, string]> = {
      '/probe.html': ['text/html; charset=utf-8', PROBE_HTML.replaceAll('OTHER', otherOrigin)],
      '/probe.js': ['text/javascript; charset=utf-8', PROBE_JS.replaceAll('OTHER', otherOrigin)],
      '/wrong-type.js': ['text/plain; charset=utf-8', 'window.probe.wrongTypeRan = true;'],
      '/frame.html': ['text/html; charset=utf-8', '<p>frame</p>'],
      '/worker.js': ['text/javascript; charset=utf-8', "postMessage('ran');"],
      '/data.json': ['application/json', '{}'],
    };
    const [type, body] = files[req.url ?? ''] ?? ['text/plain', 'not found'];
    res.writeHead(files[req.url ?? ''] ? 200 : 404, securityHeaders(type)).end(body);
  });
  // The built renderer, answered as protocol.ts answers app:// requests.
  appOrigin = await serve((req, res) => {
    void readRendererFile(RENDERER_DIR, new URL(req.url ?? '/', 'http://x').pathname).then((found) => {
      if (!found) return res.writeHead(404).end('Not found');
      res.writeHead(200, securityHeaders(found.contentType)).end(found.body);
    });
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

let probed: Promise<{ page: Page; probe: Record<string, unknown>; violations: string[] }> | null = null;

/** The probe page's findings (loaded once; each test reads its part). */
function probePage(): Promise<{ page: Page; probe: Record<string, unknown>; violations: string[] }> {
  probed ??= loadProbe();
  return probed;
}

async function loadProbe(): Promise<{ page: Page; probe: Record<string, unknown>; violations: string[] }> {
  const { page } = await openPage(browser, { bridge: 'harness' });
  await page.goto(`${probeOrigin}/probe.html`);
  await page.waitForFunction(() => {
    const p = (window as unknown as { probe?: Record<string, unknown> }).probe;
    return p?.loaded && p.fetchSelf && p.fetchOther && p.wrongType && p.worker;
  });
  return page
    .evaluate(() => {
      const w = window as unknown as { probe: Record<string, unknown>; violations: string[]; inlineScriptRan?: boolean };
      return { probe: { ...w.probe, inlineScript: w.inlineScriptRan ? 'ran' : 'blocked' }, violations: [...new Set(w.violations)].sort() };
    })
    .then((r) => ({ page, ...r }));
}

describe('the app security headers in Chromium', () => {
  it('run only the app’s own script files: no inline script, no eval, no script served as another type', async () => {
    const { probe, violations } = await probePage();
    expect(probe).toMatchObject({ inlineScript: 'blocked', eval: 'blocked', newFunction: 'blocked', wrongType: 'blocked' });
    expect(probe.wrongTypeRan).toBeUndefined();
    expect(violations).toEqual(expect.arrayContaining(['script-src', 'script-src-elem']));
  });

  it('give the page no network at all, not even its own origin, and no frames, workers or plugins', async () => {
    const { probe, violations } = await probePage();
    expect(probe).toMatchObject({ fetchSelf: 'blocked', fetchOther: 'blocked', remoteImage: 'blocked', worker: 'blocked' });
    expect(violations).toEqual(expect.arrayContaining(['connect-src', 'img-src', 'frame-src', 'worker-src', 'object-src']));
  });

  it('allow what the renderer needs: data: images and inline styles (Svelte transitions)', async () => {
    const { probe } = await probePage();
    expect(probe).toMatchObject({ dataImage: 'ran', styleElement: 'rgb(255, 0, 0)', styleAttribute: 'rgb(0, 128, 0)' });
  });

  it('keep other sites from framing the app', async () => {
    const { page } = await openPage(browser, { bridge: 'harness' });
    await page.goto(`${otherOrigin}/framer.html`);
    const framed = await (await page.waitForSelector('iframe')).contentFrame();
    if (!framed) throw new Error('the framing page has no frame');
    // Chromium replaces a frame refused by frame-ancestors with its error page.
    await expect.poll(() => framed.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    expect(await framed.evaluate(() => document.getElementById('styled')).catch(() => null)).toBeNull();
  });
});

describe('the built renderer under the app headers', () => {
  it('starts and shows the sign-in screen without a single violation', async () => {
    const { page } = await openPage(browser, { bridge: 'harness' });
    // A signed-out main process, as the preload would expose it (the page has no network to reach one);
    // typed by the contract, so a new status field cannot leave this stand-in behind.
    const status: SessionStatus = {
      profiles: [],
      active: null,
      secrets: { mode: 'memory', note: null },
      notices: [],
      net: { online: true, last_ok_at: null, last_error: null },
      version: 'test',
      api_url: null,
      hosts: [],
    };
    await page.addInitScript((status) => {
      const w = window as unknown as { violations: string[]; isodesk: unknown };
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
      const answer = (value: unknown) => Promise.resolve({ ok: true, value });
      const api = new Proxy({} as Record<string, unknown>, {
        get: (_t, domain: string) =>
          domain === 'on'
            ? () => () => undefined
            : new Proxy(
                {},
                {
                  get: (_u, action: string) => () =>
                    domain === 'session' && action === 'status' ? answer(status) : domain === 'net' ? answer(status.net) : answer(null),
                },
              ),
      });
      Object.defineProperty(window, 'isodesk', { value: api });
    }, status);
    await page.goto(`${appOrigin}/index.html`);
    await page.getByRole('heading', { name: 'Sign in to ISO Desk' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  });
});
