/**
 * The preload mode itself (support/preload-mode.ts), in Chromium: the page's window.isodesk comes
 * from the built preload through contextBridge's rules, calls reach the harness on the shell's
 * channel names, events come back through the preload, and what contextBridge would refuse (a
 * Proxy such as a Svelte `$state` object, a function inside a request) is refused here too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHANNELS } from '../../main/ipc/contract.js';
import { launchChromium, openPage } from './support/chromium.js';
import { preloadBridgesServed } from './support/preload-mode.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function preloadPage(): Promise<Page> {
  const opened = await openPage(browser, { bridge: 'preload' });
  context = opened.context;
  await opened.page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await opened.page.goto(stack.harness.url);
  await opened.page.waitForFunction(() => 'isodesk' in window);
  expect(preloadBridgesServed(context)).toBe(1);
  return opened.page;
}

describe('the preload in the page', () => {
  it('exposes one frozen, read-only window.isodesk with a function per contract channel and on()', async () => {
    const page = await preloadPage();
    const shape = await page.evaluate(() => {
      const descriptor = Object.getOwnPropertyDescriptor(window, 'isodesk')!;
      const api = window.isodesk as unknown as Record<string, Record<string, unknown>>;
      const names = Object.entries(api).flatMap(([domain, fns]) =>
        typeof fns === 'function' ? [domain] : Object.keys(fns).map((action) => `${domain}/${action}`),
      );
      let redefined = true;
      try {
        Object.defineProperty(window, 'isodesk', { value: {} });
      } catch {
        redefined = false;
      }
      return {
        names: names.sort(),
        writable: descriptor.writable,
        configurable: descriptor.configurable,
        frozen: Object.isFrozen(api) && Object.isFrozen(api.iso),
        redefined,
      };
    });
    expect(shape).toEqual({ names: [...Object.keys(CHANNELS), 'on'].sort(), writable: false, configurable: false, frozen: true, redefined: false });
    // The preload and the renderer start under the page's CSP (no 'unsafe-eval') without a violation.
    await page.getByRole('heading', { name: 'Sign in to ISO Desk' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  });

  it('answers calls with the Result the main process sent, validation included', async () => {
    const page = await preloadPage();
    expect(await page.evaluate(() => window.isodesk!.session.status({}))).toMatchObject({ ok: true, value: { active: null } });
    expect(await page.evaluate(() => window.isodesk!.iso.history({ iso_id: -1 }))).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('refuses what contextBridge cannot copy: a Proxy, or a function inside a request', async () => {
    const page = await preloadPage();
    const outcomes = await page.evaluate(async () => {
      const attempt = async (request: unknown): Promise<string> => {
        try {
          const answer = (await window.isodesk!.session.status(request as Record<string, never>)) as { ok: boolean; error?: { kind: string; message: string } };
          return answer.ok ? 'ok' : `failed: ${answer.error?.kind}: ${answer.error?.message}`;
        } catch (err) {
          return `threw: ${err instanceof Error ? err.message : String(err)}`;
        }
      };
      return {
        plain: await attempt({}),
        proxy: await attempt(new Proxy({}, {})),
        nestedProxy: await attempt({ filter: new Proxy({ a: 1 }, {}) }),
        fn: await attempt({ callback: () => 1 }),
      };
    });
    expect(outcomes.plain).toBe('ok');
    expect(outcomes.proxy).toBe('threw: An object could not be cloned.');
    expect(outcomes.nestedProxy).toBe('threw: An object could not be cloned.');
    // The function crosses contextBridge (proxied) but not IPC, which structured-clones the request:
    // ipcRenderer.invoke rejects, and the preload answers an internal error instead of throwing.
    expect(outcomes.fn).toBe('failed: internal: The main process did not answer session/status.');
  });

  it('delivers main-process events to on() subscribers', async () => {
    const page = await preloadPage();
    await page.evaluate(() => {
      const w = window as unknown as { seen: unknown[]; off: () => void };
      w.seen = [];
      w.off = window.isodesk!.on('tasks/changed', (event) => w.seen.push(event));
    });
    const signIn = await page.evaluate(
      (key) => window.isodesk!.session.signIn({ profile: 'events', base_url: 'https://api.hostkey.com', api_key: key }),
      stack.api.keys.client,
    );
    expect(signIn).toMatchObject({ ok: true });
    const started = await page.evaluate(() => window.isodesk!.uploads.start({ url: 'https://mirror.example/images/preload-events.iso' }));
    expect(started).toMatchObject({ ok: true, value: { kind: 'upload', state: 'running' } });
    await page.waitForFunction(() => (window as unknown as { seen: { type: string }[] }).seen.some((e) => e.type === 'created'), undefined, {
      timeout: 15_000,
    });
  });
});
