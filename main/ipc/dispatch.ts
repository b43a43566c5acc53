/**
 * Turns an untrusted (channel, payload) pair into a service call: unknown channels are refused,
 * payloads are validated against the contract, and every outcome comes back as a Result so that
 * errors cross the process boundary as data. Electron's handlers and the browser harness's
 * bridge both use this one function.
 */
import { type z } from 'zod';
import { AppError } from '../domain/errors.js';
import { toErrorInfo } from '../domain/error-info.js';
import { CHANNELS, isChannel, type Channel, type Result } from './contract.js';
import type { Services } from '../services/types.js';

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function createDispatch(services: Services): Dispatch {
  return async (channel, payload) => {
    if (!isChannel(channel)) {
      return { ok: false, error: new AppError('validation', `Unknown request "${String(channel).slice(0, 80)}".`, { hint: null }).toInfo() };
    }
    const parsed = CHANNELS[channel].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return { ok: false, error: new AppError('validation', `Invalid request for ${channel}: ${describeIssues(parsed.error)}.`).toInfo() };
    }
    try {
      const handler = services[channel] as (req: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  };
}

export type { Channel };
