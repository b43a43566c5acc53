/** What every action handler receives, and the session check most of them start with. */
import { INVALID_HASH, Refusal, type JsonObject } from '../envelopes.js';
import type { Params } from '../params.js';
import type { Session } from '../sessions.js';
import type { World } from '../world.js';

export interface ApiRequest {
  params: Params;
  world: World;
  /** The `token` field, when sent. */
  token: string | null;
}

export type Handler = (request: ApiRequest) => JsonObject;

/** Unknown, logged-out and expired tokens all get HOSTKEY's `Invalid hash`. */
export function requireSession(request: ApiRequest): Session {
  const session = request.token === null ? null : request.world.sessions.find(request.token);
  if (!session) throw new Refusal(INVALID_HASH);
  return session;
}
