/**
 * The Electron double's renderer half (contextBridge, ipcRenderer) keeps the Electron rules the
 * shell tests and the e2e preload mode rely on: what crosses the bridge is copied (functions and
 * promises proxied, errors rebuilt, proxies refused), the exposed API is frozen and fixed, and IPC
 * structured-clones its arguments and answers Electron's words for a missing handler.
 */
import { types } from 'node:util';
import { describe, expect, it } from 'vitest';
import { browserIsProxy, makeBridgeCopy, rendererElectron, type MainProcessLink } from './electron-double/renderer-side.js';

const nodeRules = { isProxy: (value: object) => types.isProxy(value) };

function world(handlers: Record<string, (...args: unknown[]) => unknown> = {}) {
  const sent: { channel: string; args: unknown[] }[] = [];
  let deliver: (channel: string, args: unknown[]) => void = () => undefined;
  const link: MainProcessLink = {
    invoke: async (channel, args) => {
      sent.push({ channel, args });
      const handler = handlers[channel];
      return handler ? { result: await handler(...args) } : { error: `Error: No handler registered for '${channel}'` };
    },
    listen: (fn) => {
      deliver = fn;
    },
  };
  const page: Record<string, unknown> = {};
  const electron = rendererElectron(link, page, nodeRules);
  return { page, electron, sent, deliver: (channel: string, args: unknown[]) => deliver(channel, args) };
}

describe('contextBridge.exposeInMainWorld', () => {
  it('defines a frozen, read-only, non-configurable copy, and refuses a second binding', () => {
    const { page, electron } = world();
    const api = { version: { major: 1 }, ping: () => 'pong' };
    electron.contextBridge.exposeInMainWorld('isodesk', api);
    const exposed = page.isodesk as typeof api;
    expect(exposed).not.toBe(api);
    expect(exposed.ping()).toBe('pong');
    expect(Object.isFrozen(exposed) && Object.isFrozen(exposed.version)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(page, 'isodesk')).toMatchObject({ writable: false, configurable: false });
    expect(() => electron.contextBridge.exposeInMainWorld('isodesk', {})).toThrow('Cannot bind an API on top of an existing property on the window object');
  });

  it('copies arguments and answers, proxies promises, rebuilds errors and refuses proxies', async () => {
    const copy = makeBridgeCopy(nodeRules);
    const received: unknown[] = [];
    const fn = copy((arg: { list: number[] }) => {
      received.push(arg);
      arg.list.push(99);
      return Promise.resolve({ answer: arg.list.length });
    }) as (arg: unknown) => Promise<{ answer: number }>;
    const request = { list: [1, 2] };
    await expect(fn(request)).resolves.toEqual({ answer: 3 });
    expect(request.list).toEqual([1, 2]);
    expect(received[0]).not.toBe(request);

    const failing = copy(() => {
      throw new TypeError('bad input');
    }) as () => void;
    expect(failing).toThrow(new Error('bad input'));
    expect(() => fn(new Proxy({ list: [] }, {}))).toThrow('An object could not be cloned.');
    expect(() => fn({ nested: new Proxy({}, {}) })).toThrow('An object could not be cloned.');
    expect(copy(new Date(0))).toEqual(new Date(0));
  });

  it('tells proxies from plain objects in a page as well, by what V8 fails to clone', () => {
    expect(browserIsProxy(new Proxy({}, {}))).toBe(true);
    expect(browserIsProxy(new Proxy([1], {}))).toBe(true);
    expect(browserIsProxy({ a: 1, b: [1, { c: 2 }] })).toBe(false);
    expect(browserIsProxy({ callback: () => 1 })).toBe(false);
  });
});

describe('ipcRenderer', () => {
  it('structured-clones what it sends and answers the handler result', async () => {
    const { electron, sent } = world({ 'isodesk:echo': (req) => req });
    const request = { when: new Date(5), tags: ['a'] };
    await expect(electron.ipcRenderer.invoke('isodesk:echo', request)).resolves.toEqual(request);
    expect(sent[0]!.args[0]).not.toBe(request);
    await expect(electron.ipcRenderer.invoke('isodesk:echo', { fn: () => 1 })).rejects.toThrow(/could not be cloned/);
  });

  it("fails with Electron's words when main has no handler", async () => {
    const { electron } = world();
    await expect(electron.ipcRenderer.invoke('isodesk:nope', {})).rejects.toThrow(
      "Error invoking remote method 'isodesk:nope': Error: No handler registered for 'isodesk:nope'",
    );
  });

  it('delivers messages from main to listeners until they are removed', () => {
    const { electron, deliver } = world();
    const seen: unknown[] = [];
    const listener = (_event: unknown, message: unknown) => seen.push(message);
    electron.ipcRenderer.on('isodesk:event', listener);
    deliver('isodesk:event', [{ event: 'net/changed', payload: { online: true } }]);
    deliver('other', ['ignored']);
    electron.ipcRenderer.removeListener('isodesk:event', listener);
    deliver('isodesk:event', ['after removal']);
    expect(seen).toEqual([{ event: 'net/changed', payload: { online: true } }]);
  });
});
