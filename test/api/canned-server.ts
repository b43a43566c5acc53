/** A loopback HTTP server that answers from a script, for envelope and transport edge cases. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { HostkeyClient } from '../../main/api/client.js';
import { Transport } from '../../main/api/transport.js';
import { AppError } from '../../main/domain/errors.js';

export const KEY = 'k3y-abcdefghijklmnopqrstuvwxyz';
export const TOKEN = 'tok-0123456789abcdef0123456789';

export interface Seen {
  method: string;
  path: string;
  /** The body as sent. */
  raw: string;
  fields: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

export type Reply = { status?: number; headers?: Record<string, string>; body?: string; json?: unknown; hang?: boolean; drop?: boolean; delayMs?: number };

export async function cannedServer(reply: (req: Seen, n: number) => Reply) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const entry: Seen = {
        method: req.method ?? '',
        path: req.url ?? '',
        raw: data,
        fields: Object.fromEntries(new URLSearchParams(data)),
        headers: req.headers,
      };
      seen.push(entry);
      const r = reply(entry, seen.length);
      if (r.hang) return;
      if (r.drop) {
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
        res.end(r.json !== undefined ? JSON.stringify(r.json) : (r.body ?? ''));
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Real time for everything but the backoff waits, which are recorded and skipped. */
export function recordingClock(start = Date.now()) {
  const sleeps: number[] = [];
  let now = start;
  return {
    sleeps,
    advance: (ms: number) => (now += ms),
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    },
  };
}

export interface CannedOptions {
  timeoutMs?: number;
  maxBodyBytes?: number;
  /** Unix seconds; default an hour from now, null for unknown. */
  tokenExpire?: number | null;
}

/** A canned server and a client of it holding KEY and TOKEN; `close` stops the server. */
export async function cannedClient(reply: (req: Seen, n: number) => Reply, opts: CannedOptions = {}) {
  const server = await cannedServer(reply);
  const time = recordingClock();
  const lines: string[] = [];
  const transport = new Transport({
    userAgent: 'ISO-Desk/test',
    clock: time.clock,
    timeoutMs: opts.timeoutMs,
    maxBodyBytes: opts.maxBodyBytes,
    log: (l) => lines.push(l),
  });
  const client = new HostkeyClient({
    baseUrl: server.url,
    credentials: { apiKey: KEY, token: TOKEN, tokenExpire: opts.tokenExpire === undefined ? Math.floor(Date.now() / 1000) + 3600 : opts.tokenExpire },
    transport,
    clock: time.clock,
  });
  return { server, client, time, lines };
}

/** The AppError a call ends with (any other outcome fails the test). */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a failure');
}
