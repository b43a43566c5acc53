/**
 * Who may talk to the harness: only pages served by this harness, on this loopback address.
 * The Host check defeats DNS rebinding (a hostile name resolving to 127.0.0.1 still sends its own
 * Host), the Origin check refuses other sites, and the per-run secret, which only the page's
 * bridge.js knows, guards the calls that reach the app.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SECRET_HEADER } from './bridge-protocol.js';

export interface Refusal {
  status: number;
  reason: string;
}

export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value).digest();
}

/** Compares in constant time (hashing first makes the lengths equal). */
export function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  return crypto.timingSafeEqual(digest(given), digest(secret));
}

export class RequestGuard {
  private readonly hosts: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;

  constructor(
    port: number,
    private readonly secret: string,
  ) {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  /** Checks every request: a known Host and, when the browser names one, our own Origin. */
  checkSource(req: IncomingMessage): Refusal | null {
    if (!this.hosts.has(req.headers.host ?? '')) return { status: 403, reason: 'Unknown host.' };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin)) return { status: 403, reason: 'Cross-origin requests are not allowed.' };
    return null;
  }

  /** Checks calls into the app (/rpc, /events): they must carry the run's secret. */
  checkSecret(req: IncomingMessage): Refusal | null {
    return secretMatches(req.headers[SECRET_HEADER], this.secret) ? null : { status: 403, reason: 'Missing or wrong bridge secret.' };
  }

  /**
   * bridge.js holds the secret, so it goes only to this page's own <script>: the browser says so
   * with Sec-Fetch-Site: same-origin (or, where it sends no fetch metadata, with our Origin, which
   * checkSource has already matched). Anything else is refused, including a plain `curl` and
   * the URL typed into the address bar (Sec-Fetch-Site: none).
   */
  checkScriptLoad(req: IncomingMessage): Refusal | null {
    const site = req.headers['sec-fetch-site'];
    const ownPage = site === undefined ? req.headers.origin !== undefined : site === 'same-origin';
    return ownPage ? null : { status: 403, reason: 'The bridge is served only to the ISO Desk page loaded from this address.' };
  }
}
