/**
 * The answer bodies of the local API, shaped exactly like HOSTKEY's (shared/docs/hostkey-api.md,
 * "Response envelopes"). Business errors travel as HTTP 200 with an error body, so handlers throw
 * Refusal and the HTTP layer writes its body with status 200.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const INVALID_HASH: JsonObject = { code: -2, message: 'Invalid hash' };

export const NO_APPROPRIATE_SERVERS: JsonObject = {
  result: -1,
  error: 'No appropriate servers found',
  code: 'NO_APPROPRIATE_SERVERS',
};

export const ASYNC_KEY_NOT_FOUND: JsonObject = { code: -1, message: 'AsyncKey not found' };

/** A request HOSTKEY would answer with an error body. */
export class Refusal extends Error {
  constructor(readonly body: JsonObject) {
    super(typeof body.message === 'string' ? body.message : 'refused');
  }
}

/** `{"code":-1,"message":…}` — validation, permission and not-found answers. */
export function refuse(message: string): Refusal {
  return new Refusal({ code: -1, message });
}

export function invalidArgument(name: string, why?: string): Refusal {
  return refuse(why ? `invalid argument ${name}: ${why}` : `invalid argument ${name}`);
}

export const PERMISSION_DENIED = 'Permission denied';

export function ok(module: string, action: string, fields: JsonObject): JsonObject {
  return { result: 'OK', action, module, ...fields };
}
