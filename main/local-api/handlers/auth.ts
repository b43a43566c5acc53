/** auth.php: login with an API key, info about the token's account, logout. */
import { NO_APPROPRIATE_SERVERS, Refusal, refuse, type Json, type JsonObject } from '../envelopes.js';
import { PARAMS, type ActionIn } from '../spec.js';
import type { Session } from '../sessions.js';
import { requireSession, type Handler } from './request.js';

/** HOSTKEY's documented token lifetimes are 2 h and 3 h; login's `ttl` is kept within them. */
const DEFAULT_TTL_SECONDS = 7200;
const MAX_TTL_SECONDS = 10_800;
const MIN_TTL_SECONDS = 60;

/** Login and info list server ids as numbers and numeric strings, mixed, as HOSTKEY does. */
function mixedIds(ids: number[]): Json[] {
  return ids.map((id, i) => (i % 2 === 0 ? id : String(id)));
}

function loginFields(session: Session): JsonObject {
  return {
    token: session.token,
    servers: mixedIds(session.servers),
    role: session.account.role,
    token_expire: session.expire,
  };
}

export const authHandlers = {
  login: ({ params, world }) => {
    const key = params.requiredText(PARAMS.login.key);
    const account = world.accounts.get(key);
    if (!account) throw refuse('Invalid API key');
    if (!account.hasServers) throw new Refusal(NO_APPROPRIATE_SERVERS);
    const requested = params.int(PARAMS.login.ttl) ?? DEFAULT_TTL_SECONDS;
    const ttl = world.settings.tokenTtlSeconds ?? Math.min(MAX_TTL_SECONDS, Math.max(MIN_TTL_SECONDS, requested));
    const session = world.sessions.open(account, world.serverIdsOf(account), ttl);
    return account.loginShape === 'nested' ? { result: loginFields(session) } : { result: 'OK', ...loginFields(session) };
  },
  info: (request) => {
    const session = requireSession(request);
    const { account } = session;
    return {
      result: {
        token: session.token,
        role: account.role,
        role_type: account.role_type,
        role_name: account.role_name,
        permissions: account.permissions,
        servers: mixedIds(session.servers),
        email: account.email,
        customer_id: account.customer_id,
        token_expire: session.expire,
      },
    };
  },
  logout: (request) => {
    const session = requireSession(request);
    request.world.sessions.close(session.token);
    return { result: 'OK' };
  },
} satisfies Record<ActionIn<'auth'>, Handler>;
