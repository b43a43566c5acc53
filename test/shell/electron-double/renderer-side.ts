/**
 * The renderer half of the Electron double: `contextBridge` and `ipcRenderer` as a sandboxed
 * preload sees them. It runs in two places: inside the shell double (Node, behind a vm sandbox) and
 * in Chromium for the e2e suite's preload mode, so it imports nothing from Node or the DOM.
 *
 * What it keeps from Electron, because the preload and the renderer depend on it:
 * - exposeInMainWorld copies the API into the page (functions proxied, everything else copied),
 *   deep-freezes it and defines it read-only and non-configurable; a second binding of the same key
 *   throws (electron_api_context_bridge.cc, ExposeAPIInMainWorld).
 * - Values crossing the bridge are copied the same way: plain objects and arrays key by key,
 *   promises and functions proxied, errors rebuilt from their message, other values structured-
 *   cloned, and a Proxy (a Svelte `$state` object, for one) refused, as V8's serializer refuses it.
 * - ipcRenderer.invoke structured-clones its arguments, and fails with Electron's own words when main
 *   has no handler for the channel or the handler threw.
 */
import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';

/** The main process as the renderer reaches it. */
export interface MainProcessLink {
  /** Runs main's handler for `channel`; answers Electron's `{ error }` or `{ result }` reply. */
  invoke(channel: string, args: unknown[]): Promise<{ error: string } | { result: unknown }>;
  /** Registers the function through which main's `webContents.send` reaches this renderer. */
  listen(deliver: (channel: string, args: unknown[]) => void): void;
}

/** Electron's members that answer `this`, checked by what they take. */
type Chaining<T, K extends keyof T> = { [P in K]: T[P] extends (...args: infer A) => unknown ? (...args: A) => unknown : never };

type IpcRendererPart = Pick<IpcRenderer, 'invoke'> & Chaining<IpcRenderer, 'on' | 'off' | 'removeListener' | 'removeAllListeners'>;

export interface RendererElectron {
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>;
  ipcRenderer: IpcRendererPart;
}

/**
 * `isProxy` tells a Proxy from a plain object: Node has util.types.isProxy; a page has no such
 * check, so there `browserIsProxy` reads V8's clone error instead.
 */
export interface RendererOptions {
  isProxy(value: object): boolean;
}

const tag = (value: object): string => Object.prototype.toString.call(value);

/**
 * V8's serializer names the first value it cannot clone: a Proxy prints as `#<Object>` (an array
 * behind one as `[object Object]` in Chromium, `[object Array]` in Node), a function as its source,
 * a promise as `#<Promise>`.
 */
export function browserIsProxy(value: object): boolean {
  try {
    structuredClone(value);
    return false;
  } catch (err) {
    return /(#<Object>|\[object (Object|Array)\]) could not be cloned\.$/.test(err instanceof Error ? err.message : String(err));
  }
}

function errorMessage(err: unknown): string {
  if (err !== null && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  return String(err);
}

/** Copies `value` from one world into the other, as contextBridge's PassValueToOtherContext does. */
export function makeBridgeCopy(opts: RendererOptions): (value: unknown) => unknown {
  const pass = (value: unknown, depth: number): unknown => {
    if (depth > 1000) throw new TypeError('Electron contextBridge recursion depth exceeded.  Nested objects deeper than 1000 are not supported.');
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (typeof value === 'function') {
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const inner = args.map((a) => pass(a, 0));
        let result: unknown;
        try {
          result = fn(...inner);
        } catch (err) {
          // Only the message crosses the bridge: the original error lives in the other world.
          // eslint-disable-next-line preserve-caught-error
          throw new Error(errorMessage(err));
        }
        return pass(result, 0);
      };
    }
    const object = value as object;
    if (tag(object) === '[object Promise]') {
      return new Promise((resolve, reject) => {
        (object as Promise<unknown>).then(
          (result) => resolve(pass(result, 0)),
          (err: unknown) => reject(pass(err, 0)),
        );
      });
    }
    if (tag(object) === '[object Error]') return new Error(errorMessage(object));
    if (opts.isProxy(object)) throw new Error('An object could not be cloned.');
    if (Array.isArray(object)) return object.map((item) => pass(item, depth + 1));
    if (tag(object) === '[object Object]') {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(object)) copy[key] = pass((object as Record<string, unknown>)[key], depth + 1);
      return copy;
    }
    return structuredClone(object);
  };
  return (value) => pass(value, 0);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && (typeof value === 'object' || typeof value === 'function') && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

class IpcRendererDouble implements IpcRendererPart {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly link: MainProcessLink) {
    link.listen((channel, args) => {
      const event = { sender: this, ports: [] } as unknown as IpcRendererEvent;
      for (const listener of this.listeners.get(channel) ?? []) listener(event, ...(structuredClone(args) as unknown[]));
    });
  }

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const reply = await this.link.invoke(channel, structuredClone(args));
    if ('error' in reply) throw new Error(`Error invoking remote method '${channel}': ${reply.error}`);
    return reply.result;
  }
  on(channel: string, listener: Listener): this {
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(channel, set);
    return this;
  }
  off(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    return this.off(channel, listener);
  }
  removeAllListeners(channel?: string): this {
    if (channel === undefined) this.listeners.clear();
    else this.listeners.delete(channel);
    return this;
  }
}

/** `mainWorld` is the page's global object (the `window` the renderer reads `isodesk` from). */
export function rendererElectron(link: MainProcessLink, mainWorld: object, opts: RendererOptions): RendererElectron {
  const copy = makeBridgeCopy(opts);
  const contextBridge = {
    exposeInMainWorld(apiKey: string, api: unknown): void {
      if (apiKey in mainWorld) throw new Error('Cannot bind an API on top of an existing property on the window object');
      const exposed = deepFreeze(copy(api));
      Object.defineProperty(mainWorld, apiKey, { value: exposed, enumerable: true, writable: false, configurable: false });
    },
  } satisfies RendererElectron['contextBridge'];
  return { contextBridge, ipcRenderer: new IpcRendererDouble(link) };
}
