/**
 * The publishers' side of the local demo world: an https file host on 127.0.0.1 standing in for
 * the mirrors HOSTKEY downloads ISOs from, so that ISO Desk's look at a file before an upload (its
 * first bytes, the checksum lists beside it) can be shown and tested without the internet. It
 * serves a folder as a mirror does: GET and HEAD, single byte ranges (206, 416), redirects it is
 * given, and, when told to, ignoring ranges as some servers do. It shares nothing with the local
 * HOSTKEY API but the loopback interface.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FileHostOptions {
  /** The folder served at "/". */
  root: string;
  /** PEM key and certificate; clients must trust the certificate's issuer (never skip the check). */
  tls: { key: string; cert: string };
  host?: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Honour Range headers (default true); false answers every GET with the whole file, like servers without range support. */
  ranges?: boolean;
  /** Paths answered with a 302 to another path or URL, like download redirectors. */
  redirects?: Record<string, string>;
}

/** One request as the host saw it, for tests to check what a client asked for and read. */
export interface ServedRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
  /** Body bytes handed to the connection. */
  bytesSent: number;
  /** The client closed the connection before the body was complete. */
  cutShort: boolean;
}

export interface FileHost {
  /** https://127.0.0.1:PORT */
  url: string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.iso': 'application/x-iso9660-image',
  '.img': 'application/octet-stream',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.sha256': 'text/plain; charset=utf-8',
  '.zip': 'application/zip',
  '.xz': 'application/x-xz',
  '.gz': 'application/gzip',
};
const CHECKSUM_LISTS = new Set(['SHA256SUMS', 'CHECKSUM']);

function contentType(file: string): string {
  if (CHECKSUM_LISTS.has(path.basename(file))) return 'text/plain; charset=utf-8';
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** "bytes=a-b", "bytes=a-" or "bytes=-n" against `size`; undefined for anything else (served whole). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (!match[1] && !match[2])) return undefined;
  if (!match[1]) {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export async function startFileHost(opts: FileHostOptions): Promise<FileHost> {
  const root = path.resolve(opts.root);
  const ranges = opts.ranges ?? true;
  const requests: ServedRequest[] = [];
  const server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    const record: ServedRequest = { method: req.method ?? '', path: req.url ?? '', range: req.headers.range ?? null, status: 0, bytesSent: 0, cutShort: false };
    requests.push(record);
    res.on('close', () => {
      record.cutShort = !res.writableFinished;
    });
    serve(req, res, record);
  });

  function serve(req: IncomingMessage, res: ServerResponse, record: ServedRequest): void {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'https://files.local').pathname);
    const send = (status: number, headers: Record<string, string | number>, body?: (() => fs.ReadStream) | string): void => {
      record.status = status;
      res.writeHead(status, { 'cache-control': 'no-store', ...(ranges ? { 'accept-ranges': 'bytes' } : {}), ...headers });
      if (body === undefined || req.method === 'HEAD') {
        res.end();
        return;
      }
      if (typeof body === 'string') {
        record.bytesSent += Buffer.byteLength(body);
        res.end(body);
        return;
      }
      const stream = body();
      stream.on('data', (chunk) => (record.bytesSent += chunk.length));
      stream.pipe(res);
      res.on('close', () => stream.destroy());
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { allow: 'GET, HEAD' }, '');
    const redirect = opts.redirects?.[pathname];
    if (redirect !== undefined) return send(302, { location: redirect }, '');
    const file = path.join(root, pathname);
    let stat: fs.Stats | null = null;
    if (file.startsWith(root + path.sep)) stat = fs.statSync(file, { throwIfNoEntry: false }) ?? null;
    if (!stat?.isFile()) return send(404, { 'content-type': 'text/html; charset=utf-8' }, '<html><body><h1>404 Not Found</h1></body></html>\n');
    const type = contentType(file);
    const range = ranges ? parseRange(req.headers.range, stat.size) : undefined;
    if (range === 'unsatisfiable') return send(416, { 'content-range': `bytes */${stat.size}` }, '');
    if (range) {
      const length = range.end - range.start + 1;
      return send(206, { 'content-type': type, 'content-length': length, 'content-range': `bytes ${range.start}-${range.end}/${stat.size}` }, () =>
        fs.createReadStream(file, { start: range.start, end: range.end }),
      );
    }
    send(200, { 'content-type': type, 'content-length': stat.size }, () => fs.createReadStream(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `https://${opts.host ?? '127.0.0.1'}:${port}`,
    requests,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
