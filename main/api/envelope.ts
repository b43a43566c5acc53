/**
 * Decodes every envelope the HOSTKEY API answers with, in one place (see
 * shared/docs/hostkey-api.md, "Response envelopes"). Business errors arrive with HTTP 200 and an
 * error body; this turns them, and HTTP-level failures, into AppError with the API's own message.
 */
import { AppError } from '../domain/errors.js';
import type { ErrorKind } from '../domain/models.js';
import { PIN_LOCKED_WORDS, PIN_REQUIRED_WORDS, PIN_WRONG_WORDS } from './fields.js';

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

/**
 * Whether a body says the request failed, whatever else it holds: a non-zero `code` or an `error`
 * text is a failure even beside `"result":"OK"` or an object `result`. `code: 0` is the usual
 * "no error" of PHP APIs, so it does not count.
 */
export function signalsFailure(body: Body): boolean {
  const code = codeOf(body);
  if (code !== null && code !== 0 && String(code).trim() !== '0') return true;
  return typeof body.error === 'string' && body.error.trim() !== '';
}

/** Success shapes: result "OK"/"success"/"Not ready", or result holding an object (auth info). */
function isSuccess(body: Body): boolean {
  if (signalsFailure(body)) return false;
  const r = body.result;
  if (typeof r === 'string') return /^(ok|success|not ready)$/i.test(r.trim());
  if (typeof r === 'object' && r !== null && !Array.isArray(r)) return true;
  if (r === undefined) return body.token !== undefined || body.servers !== undefined;
  return false;
}

/** What HOSTKEY said about the account PIN, if this message is about it. */
export function pinProblem(message: string): 'required' | 'wrong' | 'locked' | null {
  if (PIN_LOCKED_WORDS.test(message)) return 'locked';
  if (PIN_WRONG_WORDS.test(message)) return 'wrong';
  if (PIN_REQUIRED_WORDS.test(message)) return 'required';
  return null;
}

export function classifyFailure(code: string | number | null, message: string): ErrorKind {
  if (code === 'NO_APPROPRIATE_SERVERS') return 'no_servers';
  if (code === -2 || code === '-2' || AUTH_WORDS.test(message)) return 'auth';
  const pin = pinProblem(message);
  if (pin) return pin === 'locked' ? 'pin_locked' : 'pin_required';
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
  /** The answer's content type, to say what came back instead of JSON. */
  contentType?: string | undefined;
}

export interface DecodeContext {
  /** The action asked for, named in messages about its answer. */
  action: string;
  /**
   * A 4xx page that is not JSON comes from a proxy, not from the module: for eq_callback it
   * means "ask again later", never that the task failed (HOSTKEY may still be running it).
   */
  pagesAreTransient?: boolean | undefined;
  /** Shown every refusal HOSTKEY wrote as JSON, before it becomes an error (the answer log). */
  onRefusal?: ((body: Body) => void) | undefined;
}

/** An answer as it came off the wire, its body not yet read as text. */
export interface RawAnswer extends Omit<HttpAnswer, 'text'> {
  body: Uint8Array;
}

/** decodeAnswer of an answer whose body is still bytes (read as UTF-8, as HOSTKEY sends it). */
export function decodeRawAnswer(answer: RawAnswer, context: DecodeContext): Body {
  const { body, status, retryAfterMs, contentType } = answer;
  return decodeAnswer({ status, retryAfterMs, contentType, text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') }, context);
}

/** HTTP status first, then the body. Returns the decoded success body or throws AppError. */
export function decodeAnswer(answer: HttpAnswer, context: DecodeContext): Body {
  const { status, text } = answer;
  if (status === 401) throw new AppError('auth', 'HOSTKEY did not accept the session (HTTP 401).', { code: 401 });
  if (status === 429) throw new TransientError('HOSTKEY is limiting requests (HTTP 429).', answer.retryAfterMs, 429);
  if (status >= 500) throw new TransientError(`HOSTKEY answered with a server error (HTTP ${status}).`, answer.retryAfterMs, status);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw notJson(answer, context);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadAnswerError(`HOSTKEY answered ${context.action} with JSON that is not an object.`, { status, unreadable: true });
  }
  const body = parsed as Body;
  if (status >= 400 || !isSuccess(body)) {
    context.onRefusal?.(body);
    const err = failureFromBody(body);
    if (status === 403 && err.kind === 'validation') throw new AppError('permission', err.message, { code: err.code ?? 403 });
    throw err;
  }
  return body;
}

/** A body that is not JSON at all: an HTML page from a proxy, a maintenance page, a cut-off answer. */
function notJson(answer: HttpAnswer, context: DecodeContext): AppError {
  const { status } = answer;
  const what = /html/i.test(answer.contentType ?? '') || /^\s*</.test(answer.text) ? 'a web page' : 'something that is not JSON';
  if (status >= 400 && context.pagesAreTransient) {
    return new TransientError(
      `HOSTKEY answered ${context.action} with ${what} (HTTP ${status}), probably from a proxy; ISO Desk will ask again.`,
      null,
      status,
    );
  }
  if (status === 403) return new AppError('permission', 'HOSTKEY refused access (HTTP 403).', { code: 403 });
  if (status === 404) return new AppError('not_found', 'HOSTKEY does not know this endpoint (HTTP 404). Check the API base URL.', { code: 404 });
  return new BadAnswerError(
    `HOSTKEY answered ${context.action} with ${what} (HTTP ${status}) instead of JSON; a proxy or maintenance page may be in the way.`,
    {
      status,
      unreadable: true,
    },
  );
}

/**
 * HOSTKEY answered, but not with what the docs promise: no JSON, a success without its payload,
 * an entry that cannot be read. Never a success, never a reason to replace data the app holds.
 * `unreadable`: the body could not be read at all (worth one more try for a read; for a state
 * change it means the request ran with an outcome nobody saw).
 */
export class BadAnswerError extends AppError {
  readonly unreadable: boolean;

  constructor(message: string, opts: { status?: number | null; unreadable?: boolean; cause?: unknown } = {}) {
    super('bad_answer', message, { code: opts.status ?? null, cause: opts.cause });
    this.unreadable = opts.unreadable ?? false;
  }
}

/** A failure worth retrying (reads only); carries the server's Retry-After when it sent one. */
export class TransientError extends AppError {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
    /** The HTTP status, or Node's code for a connection that never opened (transport.ts). */
    code: number | string | null,
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
