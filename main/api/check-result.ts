/**
 * The eq_callback check result's triple, decoded (shared/docs/hostkey-power-console.md §1.1):
 * `scope` is the message for the user (a string, or an object for some actions), `context` the
 * original request plus extras (its `id` a string in old examples, a number in new ones), `debug`
 * the raw device output (a string, an object or null). Lenient by design: a field that cannot be
 * read is null, never a reason to lose the task's outcome.
 */
import * as z from 'zod';
import { Id } from '../domain/models.js';
import type { PowerState } from '../domain/jobs.js';
import { CHECK_FIELDS, POWER_WORDS } from './fields.js';
import { messageOf, type Body } from './envelope.js';

export interface CheckResult {
  /** `scope` as text: the string itself, or an object's message (else its JSON). */
  scope: string | null;
  context: { action: string | null; id: number | null; location: string | null };
  /** `debug` as text. */
  debug: string | null;
}

const Context = z
  .object({
    action: z.string().nullish().catch(null),
    id: Id.nullish().catch(null),
    location: z.string().nullish().catch(null),
  })
  .catch({ action: null, id: null, location: null });

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) {
    const message = Array.isArray(value) ? null : messageOf(value as Body);
    if (message) return message;
    try {
      return JSON.stringify(value);
    } catch {
      return null;
    }
  }
  return null;
}

export function decodeCheckResult(body: Body): CheckResult {
  const context = Context.parse(body[CHECK_FIELDS.context] ?? {});
  return {
    scope: asText(body[CHECK_FIELDS.scope]),
    context: { action: context.action ?? null, id: context.id ?? null, location: context.location ?? null },
    debug: asText(body[CHECK_FIELDS.debug]),
  };
}

/** The power state a status check's text reports (fields.ts POWER_WORDS); "unknown" when it says neither. */
export function powerStateOf(text: string | null): PowerState {
  if (!text) return 'unknown';
  if (POWER_WORDS.rebooting.test(text)) return 'rebooting';
  if (POWER_WORDS.off.test(text)) return 'off';
  if (POWER_WORDS.on.test(text)) return 'on';
  return 'unknown';
}
