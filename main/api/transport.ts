/**
 * One HTTP exchange with HOSTKEY, the way the official clients do it: form-encoded POST, a
 * descriptive User-Agent, a 60 s timeout, a cap on the body, redirects followed only within the
 * same origin, and retries with jittered exponential backoff for reads only.
 */
import { setImmediate as turnOfTheLoop } from 'node:timers/promises';
import type Undici from 'undici';
import type { Dispatcher } from 'undici';
import { AppError } from '../domain/errors.js';
import { STATE_CHANGING, type FormFields } from './fields.js';
import { BadAnswerError, TransientError, decodeRawAnswer, parseRetryAfter, type Body, type RawAnswer } from './envelope.js';
import { redact, redactError } from './redact.js';
import { systemClock, type Clock } from './clock.js';

/**
 * undici, loaded on the first request rather than with this module: a command answered from the
 * cache never parses the HTTP client. Loaded once: an import() per request costs more than a small
 * request. A CommonJS package: its exports are the default export, the one shape Node and the
 * split CLI bundle both give it.
 */
let loading: Promise<typeof Undici> | null = null;
/** Once loaded, taken without awaiting: a turn through a promise per request is measurable on small ones. */
let undici: typeof Undici | null = null;
const loadUndici = (): Promise<typeof Undici> =>
  (loading ??= import('undici').then((m) => {
    undici = m.default;
    return undici;
  }));

export interface TransportOptions {
  userAgent: string;
  timeoutMs?: number;
  /** 64 MiB: a catalog of 100,000 ISOs is about 15 MiB of JSON. */
  maxBodyBytes?: number;
  attempts?: number;
  clock?: Clock;
  /** Debug log sink; every line passes through redact(). */
  log?: ((line: string) => void) | undefined;
  /** Told whether HOSTKEY answered at all: drives the app's online/offline state. */
  onReachability?: ((reachable: boolean, problem: string | null) => void) | undefined;
  /** The connections to use (undici's global ones by default); tests trust a test CA through one. */
  dispatcher?: Dispatcher | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Node's codes for a TLS certificate that failed verification (the handshake ends before any request). */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|ISSUER|LEAF_SIGNATURE/;
const MAX_REDIRECTS = 3;
/** Bodies up to this size are read in one piece (undici's own, fastest for small answers). */
const READ_WHOLE_BYTES = 256 * 1024;
/** A large body lets the event loop turn after each this many bytes read. */
const YIELD_EVERY_BYTES = 1024 * 1024;
/** undici's codes for an answer that did not come, or stopped coming, within the timeout. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** Failures before any byte of the request left this machine: DNS, refused, unreachable, TLS. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function isConnectionCode(code: string): boolean {
  return CONNECTION_CODES.has(code) || CERTIFICATE_CODES.test(code) || /^ERR_(SSL|TLS)_/.test(code);
}

/**
 * Whether `err` says the host was never reached (nothing was sent, nothing answered), as opposed
 * to an answer of any kind — an error page, a refusal, a timeout after sending.
 */
export function neverReached(err: unknown): boolean {
  return err instanceof AppError && err.kind === 'transient' && typeof err.code === 'string' && isConnectionCode(err.code);
}

export class Transport {
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly attempts: number;
  private readonly clock: Clock;

  constructor(private readonly opts: TransportOptions) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024 * 1024;
    this.attempts = opts.attempts ?? 3;
    this.clock = opts.clock ?? systemClock;
  }

  /**
   * POSTs `fields` and decodes the envelope; reads are retried, state changes never are.
   * `pagesAreTransient`: see DecodeContext.
   */
  post(url: string, fields: FormFields, secrets: string[], opts: { pagesAreTransient?: boolean; onRefusal?: (body: Body) => void } = {}): Promise<Body> {
    const context = { action: fields.action ?? '', pagesAreTransient: opts.pagesAreTransient, onRefusal: opts.onRefusal };
    return this.postWith(url, fields, secrets, (answer) => decodeRawAnswer(answer, context));
  }

  /**
   * POSTs `fields` and hands the answer, its body unread, to `decode` (which may pass it to a
   * worker thread); what `decode` throws is retried by the same rules as `post`.
   */
  async postWith<T>(url: string, fields: FormFields, secrets: string[], decode: (answer: RawAnswer) => T | Promise<T>): Promise<T> {
    const action = fields.action ?? '';
    const retryable = !STATE_CHANGING.has(action);
    for (let attempt = 1; ; attempt++) {
      try {
        return await decode(await this.exchange(url, fields, secrets, retryable));
      } catch (err) {
        // A cut-off or non-JSON body is worth asking again for, like a 5xx: the same proxies cause both.
        const worthAgain = err instanceof TransientError || (err instanceof BadAnswerError && err.unreadable);
        if (!worthAgain || !retryable || attempt >= this.attempts) throw redactFailure(this.finalError(err, retryable, action), secrets);
        const backoff = Math.min(8000, 300 * 2 ** (attempt - 1));
        const retryAfter = err instanceof TransientError ? err.retryAfterMs : null;
        const wait = retryAfter !== null ? Math.min(retryAfter, 30_000) : backoff / 2 + this.clock.random() * (backoff / 2);
        this.log(`retry ${action} in ${Math.round(wait)} ms after: ${err.message}`, secrets);
        await this.clock.sleep(wait);
      }
    }
  }

  private finalError(err: unknown, retryable: boolean, action: string): unknown {
    if (err instanceof UncertainError) {
      // A state change that may have reached HOSTKEY: never guess, never retry.
      return retryable ? new AppError('transient', err.message) : new AppError('unknown_outcome', err.message);
    }
    if (err instanceof BadAnswerError && err.unreadable && !retryable) {
      // HOSTKEY ran the request and answered, but nobody can read what it said.
      return new AppError('unknown_outcome', `${err.message} It is not known whether the ${action} happened.`, { code: err.code });
    }
    return err;
  }

  private async exchange(url: string, fields: FormFields, secrets: string[], retryable: boolean): Promise<RawAnswer> {
    let target = new URL(url);
    const origin = target.origin;
    const body = new URLSearchParams(fields).toString();
    const { request } = undici ?? (await loadUndici());
    for (let hop = 0; ; hop++) {
      const started = this.clock.now();
      let sent = false;
      try {
        // undici's own timers (no answer, then no byte of the body, for timeoutMs): an
        // AbortController and a timer per request cost a small request a sixth of its time.
        const res = await request(target, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
            'user-agent': this.opts.userAgent,
          },
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
          dispatcher: this.opts.dispatcher,
        });
        sent = true;
        if (REDIRECTS.has(res.statusCode)) {
          await res.body.dump();
          const location = res.headers.location;
          const next = typeof location === 'string' ? new URL(location, target) : null;
          if (!next || next.origin !== origin || hop >= MAX_REDIRECTS) {
            throw new AppError(
              'validation',
              `HOSTKEY redirected the request to ${next ? next.origin : 'nowhere'}; ISO Desk only follows redirects within ${origin}.`,
              {
                hint: 'Check the API base URL in the profile.',
              },
            );
          }
          target = next;
          continue;
        }
        const contentLength = Number(res.headers['content-length']);
        const bytes = await this.readCapped(res.body, Number.isSafeInteger(contentLength) ? contentLength : null);
        this.opts.onReachability?.(true, null);
        const retryHeader = res.headers['retry-after'];
        if (this.opts.log) this.log(`${fields.action} ${target.pathname} → ${res.statusCode} in ${this.clock.now() - started} ms`, secrets);
        const contentType = res.headers['content-type'];
        return {
          status: res.statusCode,
          body: bytes,
          contentType: Array.isArray(contentType) ? contentType[0] : contentType,
          retryAfterMs: parseRetryAfter(Array.isArray(retryHeader) ? retryHeader[0] : retryHeader, this.clock.now()),
        };
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw this.networkError(err, target, sent || !retryable, secrets, TIMEOUT_CODES.has(String((err as { code?: unknown })?.code)));
      }
    }
  }

  private networkError(err: unknown, target: URL, uncertain: boolean, secrets: string[], timedOut: boolean): Error {
    const code = (err as { code?: unknown })?.code;
    const badCertificate = typeof code === 'string' && CERTIFICATE_CODES.test(code);
    const reason = timedOut
      ? `no answer within ${Math.round(this.timeoutMs / 1000)} s`
      : code === 'ECONNREFUSED'
        ? 'the connection was refused'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'the host name could not be resolved'
          : badCertificate
            ? `its certificate could not be verified (${code}); something on the network may be intercepting the connection`
            : redact(err instanceof Error ? err.message : String(err), secrets);
    const message = `Could not reach ${target.host}: ${reason}.`;
    this.opts.onReachability?.(false, message);
    // Connection refused, DNS and certificate failures mean nothing was sent: plain transient,
    // carrying Node's code so that sign-in can tell "never reached" from "answered" (hosts.ts).
    if (typeof code === 'string' && isConnectionCode(code)) return new TransientError(message, null, code);
    if (uncertain) return new UncertainError(message);
    return new TransientError(message, null, null);
  }

  /**
   * The body, read once into one buffer of its own (which can move to a worker thread). Of the
   * announced length when there is one (undici reads exactly that many bytes): a small one in one
   * piece, a large one copied chunk by chunk as it arrives, never in one long copy at the end
   * (tens of ms for a catalog of 100,000 ISOs, on the thread that answers every call). Without a
   * length, joined at the end, stopping at the cap.
   */
  private async readCapped(body: Dispatcher.ResponseData['body'], announced: number | null): Promise<Uint8Array> {
    const tooLarge = (): AppError => {
      body.destroy();
      return new AppError('transient', `HOSTKEY's answer was larger than ${Math.round(this.maxBodyBytes / 1048576)} MiB; ISO Desk stopped reading it.`);
    };
    if (announced !== null && announced > this.maxBodyBytes) throw tooLarge();
    if (announced !== null && announced <= READ_WHOLE_BYTES) return body.bytes();
    const into = announced === null ? null : new Uint8Array(new ArrayBuffer(announced));
    const chunks: Uint8Array[] = [];
    let size = 0;
    let sinceYield = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size + chunk.length > this.maxBodyBytes) throw tooLarge();
      if (into) into.set(chunk, size);
      else chunks.push(chunk);
      size += chunk.length;
      // Chunks that arrived meanwhile are handed over as microtasks, without a turn of the event
      // loop in between: a busy machine can pile up megabytes of them. Other calls go first now and then.
      sinceYield += chunk.length;
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await turnOfTheLoop();
      }
    }
    if (into) return size === into.length ? into : into.subarray(0, size);
    return Buffer.concat(chunks, size);
  }

  private log(line: string, secrets: string[]): void {
    this.opts.log?.(redact(line, secrets));
  }
}

/** The API's own message may echo what it was sent; it must not echo secrets back to the user. */
function redactFailure(err: unknown, secrets: string[]): unknown {
  return err instanceof AppError ? redactError(err, secrets) : err;
}

/** A state-changing request whose fate is unknown (timeout or dropped connection after sending). */
class UncertainError extends TransientError {
  constructor(message: string) {
    super(message, null, null);
  }
}
