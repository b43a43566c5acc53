/**
 * The renderer's side of the IPC contract: wraps the raw bridge (`window.isodesk`, set by the
 * Electron preload or by the browser harness's bridge.js) into the throwing IsoDeskApi. The
 * renderer is a process boundary too, so every answer and event is validated against the
 * contract before the UI sees it.
 */
import { AppError } from '../../../main/domain/errors.js';
import {
  buildApi,
  CHANNELS,
  EVENTS,
  rawFunction,
  ResultEnvelope,
  type Channel,
  type EventName,
  type IsoDeskApi,
  type RawApi,
} from '../../../main/ipc/contract.js';
import type { Link } from './link.svelte.js';

declare global {
  interface Window {
    isodesk?: RawApi;
  }
}

const NO_ANSWER_HINT = "ISO Desk's background process did not answer. Restart the app; your tasks are kept.";

function unexpected(channel: string): AppError {
  return new AppError('internal', `The app answered ${channel} in an unexpected shape.`);
}

/** `link` hears whether each call reached the background process at all. */
export function connectApi(raw: RawApi, link: Pick<Link, 'report'>): IsoDeskApi {
  const invoke = async (channel: Channel, request: unknown): Promise<unknown> => {
    let answer: unknown;
    try {
      answer = await rawFunction(raw, channel)(request);
    } catch (err) {
      link.report(false);
      throw new AppError('internal', err instanceof Error ? err.message : String(err), { hint: NO_ANSWER_HINT, cause: err });
    }
    link.report(true);
    const envelope = ResultEnvelope.safeParse(answer);
    if (!envelope.success) throw unexpected(channel);
    if (!envelope.data.ok) throw AppError.fromInfo(envelope.data.error);
    const value = CHANNELS[channel].response.safeParse(envelope.data.value);
    if (!value.success) throw unexpected(channel);
    return value.data;
  };

  const subscribe = (event: EventName, listener: (payload: unknown) => void): (() => void) =>
    raw.on(event, (payload: unknown) => {
      const parsed = EVENTS[event].safeParse(payload);
      if (parsed.success) listener(parsed.data);
      else console.warn(`Ignored a malformed ${event} event`);
    });

  return buildApi<IsoDeskApi>(invoke, subscribe);
}

/** The bridge the page was given, or null when neither the preload nor the harness provided one. */
export function findBridge(): RawApi | null {
  return window.isodesk ?? null;
}
