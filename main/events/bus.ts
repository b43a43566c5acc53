/** The app's typed event bus: the task tracker and network monitor publish, IPC and the CLI listen. */
import type { EventName, EventPayload } from '../ipc/contract.js';

export interface AppEvents {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export function createEvents(): AppEvents {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const listener of listeners.get(event) ?? []) {
        // A failing listener (e.g. a closed window) must not stop the others.
        try {
          (listener as (p: EventPayload<E>) => void)(payload);
        } catch {
          /* ignored on purpose */
        }
      }
    },
  };
}
