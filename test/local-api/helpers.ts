/**
 * Talks to the local API over real HTTP. Endpoints and field names are spelled here, from the seed
 * and the docs, never taken from the client's tables or the local API's: the tests are a third
 * reading, so a wrong name on either side fails.
 */
import { request } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { startLocalApi, type LocalApi, type LocalApiOptions } from '../../main/local-api/server.js';

/** shared/docs/hostkey-api.md, "Transport": one endpoint per module. */
const PATHS = { iso: '/iso.php', auth: '/auth.php', eq: '/eq.php', callback: '/eq_callback.php' } as const;
export type Module = keyof typeof PATHS;

/** Form fields as the tests write them; numbers are sent as their decimal text. */
export type Fields = Record<string, string | number>;

export type Body = Record<string, unknown>;

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: Body;
}

/** A clock tests move by hand: the only thing mocked. */
export function manualClock(start = Date.parse('2025-03-01T12:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export function start(opts: LocalApiOptions = {}): Promise<LocalApi> {
  return startLocalApi({ quiet: true, ...opts });
}

function decode(status: number, headers: IncomingHttpHeaders, text: string): Answer {
  let body: Body = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Body;
  } catch {
    body = {};
  }
  return { status, headers, text, body };
}

export async function post(api: LocalApi, module: Module, fields: Fields): Promise<Answer> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) form.set(name, String(value));
  const res = await request(`${api.url}${PATHS[module]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return decode(res.statusCode, res.headers, await res.body.text());
}

export async function get(api: LocalApi, path: string): Promise<Answer> {
  const res = await request(`${api.url}${path}`);
  return decode(res.statusCode, res.headers, await res.body.text());
}

export async function control(api: LocalApi, json: unknown): Promise<Answer> {
  const res = await request(`${api.url}/__control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  return decode(res.statusCode, res.headers, await res.body.text());
}

/** The token, wherever this account's login answer puts it (top level or under `result`). */
export function tokenOf(body: Body): string {
  const inner = typeof body.result === 'object' && body.result !== null ? (body.result as Body) : body;
  const token = inner.token;
  if (typeof token !== 'string') throw new Error(`no token in ${JSON.stringify(body)}`);
  return token;
}

export async function login(api: LocalApi, key: string): Promise<string> {
  return tokenOf((await post(api, 'auth', { action: 'login', key })).body);
}

/** An authenticated call. */
export function call(api: LocalApi, module: Module, action: string, token: string, fields: Fields = {}): Promise<Answer> {
  return post(api, module, { action, token, ...fields });
}

export function list(body: Body, field: string): Body[] {
  const value = body[field];
  if (!Array.isArray(value)) throw new Error(`${field} is not a list in ${JSON.stringify(body).slice(0, 300)}`);
  return value as Body[];
}
