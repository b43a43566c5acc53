/** A loopback HTTP server that answers from a script, for envelope and transport edge cases. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  path: string;
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
      const entry: Seen = { path: req.url ?? '', fields: Object.fromEntries(new URLSearchParams(data)), headers: req.headers };
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
