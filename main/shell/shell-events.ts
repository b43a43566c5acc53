/**
 * Sends app events and shell commands to the window on EVENT_CHANNEL as `{ event, payload }`,
 * the envelope the preload's `on(event, listener)` unpacks.
 */
import type { WebContents } from 'electron';
import { EVENT_CHANNEL, EVENTS, type EventName, type EventPayload } from '../ipc/contract.js';
import type { AppEvents } from '../events/bus.js';
import type { ShellCommand } from '../ipc/contract.js';

function send(contents: WebContents | null, event: string, payload: unknown): void {
  if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, payload });
}

/** Forwards every contract event to the window that `target()` returns; answers an unsubscribe. */
export function forwardAppEvents(events: AppEvents, target: () => WebContents | null): () => void {
  const names = Object.keys(EVENTS) as EventName[];
  const offs = names.map((name) => events.on(name, (payload: EventPayload<typeof name>) => send(target(), name, payload)));
  return () => offs.forEach((off) => off());
}

export function sendShellCommand(contents: WebContents | null, command: ShellCommand): void {
  send(contents, 'shell/command' satisfies EventName, command);
}
