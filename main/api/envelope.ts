/**
 * Decodes every envelope the HOSTKEY API answers with, in one place (see
 * shared/docs/hostkey-api.md, "Response envelopes"). Business errors arrive with HTTP 200 and an
 * error body; this turns them, and HTTP-level failures, into AppError with the API's own message.
 */
import { AppError } from '../domain/errors.js';
import type { ErrorKind } from '../domain/models.js';

export type Body = Record<string, unknown>;

const AUTH_WORDS =
  /invalid token|invalid hash|token expired|expired token|unauthori[sz]ed|not authori[sz]ed|authentication failed|invalid api key|invalid key|session expired/i;
const PERMISSION_WORDS = /permission|not allowed|forbidden|access denied|denied|administrator|admin only|privileges|not permitted/i;
const NOT_FOUND_WORDS = /not found|no such|does not exist|unknown (iso|server|image)/i;

/** The API's own words for a failure, wherever this envelope variant put them. */
export function messageOf(body: Body): string | null {
  for (const field of ['message', 'error', 'scope', 'description']) {
    const v = body[field];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  if (typeof body.result === 'object' && body.result !== null) {
    const inner = body.result as Body;
    if (typeof inner.message === 'string' && inner.message.trim()) return inner.message.trim();
  }
  return null;
}

function codeOf(body: Body): string | number | null {
  const c = body.code;
  return typeof c === 'number' || typeof c === 'string' ? c : null;
}

/** Success shapes: result "OK"/"success"/"Not ready", or result holding an object (auth info). */
function isSuccess(body: Body): boolean {
  const r = body.result;
  if (typeof r === 'string') return /^(ok|success|not ready)$/i.test(r.trim());
  if (typeof r === 'object' && r !== null && !Array.isArray(r)) return true;
  if (r === undefined) return codeOf(body) === null && body.error === undefined && (body.token !== undefined || body.servers !== undefined);
  return false;
}

export function classifyFailure(code: string | number | null, message: string): ErrorKind {
  if (code === 'NO_APPROPRIATE_SERVERS') return 'no_servers';
  if (code === -2 || code === '-2' || AUTH_WORDS.test(message)) return 'auth';
  if (PERMISSION_WORDS.test(message)) return 'permission';
  if (NOT_FOUND_WORDS.test(message)) return 'not_found';
  return 'validation';
}

export function failureFromBody(body: Body): AppError {
  const code = codeOf(body);
  const message = messageOf(body) ?? 'HOSTKEY refused the request without saying why.';
  const kind = classifyFailure(code, message);
  const hint =
    kind === 'no_servers' ? 'The API key is valid, but this HOSTKEY account has no servers. Order or activate a server, then sign in again.' : undefined;
  return new AppError(kind, message, { code, hint });
}

export interface HttpAnswer {
  status: number;
  text: string;
  retryAfterMs: number | null;
}

/** HTTP status first, then the body. Returns the decoded success body or throws AppError. */
export function decodeAnswer(answer: HttpAnswer): Body {
  const { status, text } = answer;
  if (status === 401) throw new AppError('auth', 'HOSTKEY did not accept the session (HTTP 401).', { code: 401 });
  if (status === 429) throw new TransientError('HOSTKEY is limiting requests (HTTP 429).', answer.retryAfterMs, 429);
  if (status >= 500) throw new TransientError(`HOSTKEY answered with a server error (HTTP ${status}).`, answer.retryAfterMs, status);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (status === 403) throw new AppError('permission', 'HOSTKEY refused access (HTTP 403).', { code: 403 });
    if (status === 404) throw new AppError('not_found', 'HOSTKEY does not know this endpoint (HTTP 404). Check the API base URL.', { code: 404 });
    throw new TransientError('HOSTKEY answered with something that is not JSON; it may be under maintenance.', null, status);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TransientError('HOSTKEY answered with an unexpected body.', null, status);
  }
  const body = parsed as Body;
  if (status >= 400 || !isSuccess(body)) {
    const err = failureFromBody(body);
    if (status === 403 && err.kind === 'validation') throw new AppError('permission', err.message, { code: err.code ?? 403 });
    throw err;
  }
  return body;
}

/** A failure worth retrying (reads only); carries the server's Retry-After when it sent one. */
export class TransientError extends AppError {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
    code: number | null,
  ) {
    super('transient', message, { code });
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
