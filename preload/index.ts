/**
 * The preload bridge: exposes `window.isodesk` (RawApi) to the renderer. It holds only named
 * functions built from the IPC contract, one per channel, plus `on(event, listener)`; the renderer
 * never gets `ipcRenderer` or any way to pick a channel name itself. Runs sandboxed, so it is
 * bundled into one CommonJS file with zod inside.
 */
// First: the contract's schemas must be built without zod's eval probe (see the module).
import './zod-without-eval.js';
import { contextBridge, ipcRenderer } from 'electron';
import * as z from 'zod';
import { buildApi, EVENT_CHANNEL, INVOKE_PREFIX, ResultEnvelope, type Channel, type RawApi, type Result } from '../main/ipc/contract.js';

const EventEnvelope = z.object({ event: z.string(), payload: z.unknown() });

function bridgeFailure(message: string): Result<never> {
  return { ok: false, error: { kind: 'internal', message, hint: 'Restart ISO Desk. If it happens again, please report it.', code: null } };
}

async function invoke(channel: Channel, request: unknown): Promise<Result<unknown>> {
  let answer: unknown;
  try {
    answer = await ipcRenderer.invoke(INVOKE_PREFIX + channel, request);
  } catch {
    return bridgeFailure(`The main process did not answer ${channel}.`);
  }
  const parsed = ResultEnvelope.safeParse(answer);
  return parsed.success ? parsed.data : bridgeFailure(`The main process sent a malformed answer to ${channel}.`);
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => {
  const parsed = EventEnvelope.safeParse(message);
  if (!parsed.success) return;
  for (const listener of listeners.get(parsed.data.event) ?? []) {
    try {
      listener(parsed.data.payload);
    } catch (err) {
      // One failing listener must not starve the others.
      console.error(err);
    }
  }
});

function subscribe(event: string, listener: (payload: unknown) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('on(event, listener) needs a listener function');
  const set = listeners.get(event) ?? new Set();
  set.add(listener);
  listeners.set(event, set);
  return () => {
    set.delete(listener);
  };
}

contextBridge.exposeInMainWorld('isodesk', buildApi<RawApi>(invoke, subscribe));
