/**
 * Reading a publisher's file host (not HOSTKEY) before an upload: GET over https only, following
 * at most five redirects that stay on https, with no credentials and no cookies, and reading
 * bodies only up to a cap. Failures become RemoteError with a reason for people.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SecureContext } from 'node:tls';
// undici and TLS load when a file host is read, not with the services: a command answered from the cache never parses them.
import type Undici from 'undici';
import type { Agent, Dispatcher } from 'undici';

let undici: Promise<typeof Undici> | null = null;

/** undici, loaded on first use and once (see main/api/transport.ts). */
export const loadUndici = (): Promise<typeof Undici> => (undici ??= import('undici').then((m) => m.default));

const MAX_REDIRECTS = 5;

/** A file host could not be read; the message completes "ISO Desk could not read …: <message>". */
export class RemoteError extends Error {
  override name = 'RemoteError';
}

export interface RemoteOptions {
  signal: AbortSignal;
  userAgent: string;
  dispatcher: Dispatcher;
}

export interface Opened {
  /** Where the answer finally came from, after redirects. */
  url: URL;
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
}

/**
 * A dispatcher of its own for one look at a file host, destroyed afterwards so that no connection
 * outlives it. With `ca` (PEM) it also trusts that authority; without, Node's default trust applies
 * (its bundled roots plus NODE_EXTRA_CA_CERTS). Certificate checks are never turned off.
 */
export async function fileHostAgent(ca?: string): Promise<Agent> {
  const { Agent } = await loadUndici();
  // Two connections carry the sniff and the checksum lists: polite to the mirror, and few TLS handshakes.
  return new Agent({ connections: 2, ...(ca ? { connect: { secureContext: await trusting(ca) } } : {}) });
}

const contexts = new Map<string, SecureContext>();

/** Parsing the roots takes a tenth of a second, so each extra authority's context is built once. */
async function trusting(ca: string): Promise<SecureContext> {
  const tls = await import('node:tls');
  let context = contexts.get(ca);
  // Giving `ca` replaces the default roots, so they are passed along with the extra one.
  if (!context) contexts.set(ca, (context = tls.createSecureContext({ ca: [...tls.rootCertificates, ca] })));
  return context;
}

/** Refuses what must not be sent to a file host; null when the URL is fine. */
export function unsafeUrlReason(url: URL): string | null {
  if (url.protocol !== 'https:') return 'it is not an https address';
  if (url.username || url.password) return 'the address contains a user name or password';
  return null;
}

export async function httpsGet(start: URL, headers: Record<string, string>, opts: RemoteOptions): Promise<Opened> {
  const { request } = await loadUndici();
  let target = start;
  for (let hop = 0; ; hop++) {
    const unsafe = unsafeUrlReason(target);
    if (unsafe) throw new RemoteError(hop === 0 ? unsafe : `the server redirects to an address that is not allowed (${unsafe})`);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(target, {
        method: 'GET',
        headers: { 'user-agent': opts.userAgent, ...headers },
        signal: opts.signal,
        dispatcher: opts.dispatcher,
      });
    } catch (err) {
      throw networkError(err, opts.signal);
    }
    const location = res.headers.location;
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
      await res.body.dump();
      if (hop >= MAX_REDIRECTS) throw new RemoteError(`the server redirected more than ${MAX_REDIRECTS} times`);
      target = new URL(location, target);
      continue;
    }
    return { url: target, status: res.statusCode, headers: res.headers, body: res.body };
  }
}

/** The body's first `max` bytes; stops reading (and closes the connection) once it has them. */
export async function readAtMost(body: Opened['body'], max: number, signal: AbortSignal): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const room = max - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      // Leaving the loop destroys the stream: the rest of the file is never downloaded.
      if (size >= max) return { bytes: Buffer.concat(chunks), complete: false };
    }
  } catch (err) {
    throw networkError(err, signal);
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}

export function headerText(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function networkError(err: unknown, signal: AbortSignal): RemoteError {
  if (err instanceof RemoteError) return err;
  if (signal.aborted) return new RemoteError('the server did not answer in time');
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED') return new RemoteError('the connection was refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new RemoteError('the host name could not be resolved');
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new RemoteError(`the server's certificate is not trusted (${code})`);
  }
  return new RemoteError(err instanceof Error ? err.message : String(err));
}
