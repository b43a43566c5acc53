/**
 * Browser code, not Node: the browser harness's `window.isodesk`, the same shape as the preload's
 * (contract.ts `buildApi`: `api.<domain>.<action>(req)` answering a Result, plus `on`), with IPC
 * replaced by loopback HTTP: requests go to `POST /rpc/<channel>`, events arrive on one
 * `GET /events` stream (read with fetch, because EventSource cannot send the secret header).
 * It imports no runtime code from the contract, which would pull zod into the page twice; the
 * server passes the channel and event names instead (see bridge-script.ts).
 */
import type { Channel, EventName, RawApi } from '../ipc/contract.js';
import { EVENTS_PATH, RPC_PREFIX, SECRET_HEADER } from './bridge-protocol.js';

/** Bound by the wrapper bridge-script.ts puts around the bundle; never page globals. */
declare const ISODESK_BRIDGE_SECRET: string;
declare const ISODESK_CHANNELS: readonly Channel[];
declare const ISODESK_EVENTS: readonly EventName[];

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

type Listener = (payload: unknown) => void;

const listeners = new Map<EventName, Set<Listener>>();

function isEventName(name: string): name is EventName {
  return (ISODESK_EVENTS as readonly string[]).includes(name);
}

async function invoke(channel: Channel, request: unknown): Promise<unknown> {
  const res = await fetch(RPC_PREFIX + channel, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: ISODESK_BRIDGE_SECRET },
    body: JSON.stringify(request),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!res.ok) throw new Error(`The ISO Desk harness refused ${channel} (HTTP ${res.status}).`);
  return res.json();
}

function deliver(block: string): void {
  let event = '';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (!isEventName(event) || data.length === 0) return;
  const payload: unknown = JSON.parse(data.join('\n'));
  for (const listener of listeners.get(event) ?? []) {
    // One failing listener must not starve the others, as with IPC.
    try {
      listener(payload);
    } catch (err) {
      console.error(err);
    }
  }
}

/** Reads the event stream until it ends; answers false when the harness refused it for good. */
async function readEvents(): Promise<boolean> {
  const res = await fetch(EVENTS_PATH, { headers: { [SECRET_HEADER]: ISODESK_BRIDGE_SECRET }, cache: 'no-store', credentials: 'omit' });
  if (res.status === 403) return false;
  if (!res.ok || !res.body) return true;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      deliver(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

/** Keeps the stream open for the page's lifetime, reconnecting with backoff when it drops. */
async function followEvents(): Promise<void> {
  let wait = RECONNECT_MIN_MS;
  for (;;) {
    const opened = Date.now();
    let again = true;
    try {
      again = await readEvents();
    } catch {
      // The harness stopped or restarted: try again below.
    }
    if (!again) return;
    wait = Date.now() - opened > RECONNECT_MAX_MS ? RECONNECT_MIN_MS : Math.min(RECONNECT_MAX_MS, wait * 2);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function subscribe(event: EventName, listener: Listener): () => void {
  const set = listeners.get(event) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(event, set);
  return () => {
    set.delete(listener);
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') deepFreeze(inner as object);
  return Object.freeze(value);
}

/** contract.ts `buildApi`, over the names the server passed in. */
function buildRawApi(): RawApi {
  const api: Record<string, Record<string, (req: unknown) => Promise<unknown>>> = {};
  for (const name of ISODESK_CHANNELS) {
    const [domain, action] = name.split('/') as [string, string];
    (api[domain] ??= {})[action] = (req: unknown) => invoke(name, req ?? {});
  }
  return Object.assign(api, { on: subscribe }) as unknown as RawApi;
}

const api = buildRawApi();
// Like contextBridge's object: the page cannot swap the functions out from under the app.
Object.defineProperty(window, 'isodesk', { value: deepFreeze(api), writable: false, configurable: false, enumerable: true });
void followEvents();
