/**
 * `GET /events`: the app's events (contract.ts EVENTS) as a Server-Sent Events stream, one
 * stream per page. A comment line every few seconds keeps idle connections from being dropped.
 */
import type { ServerResponse } from 'node:http';
import { EVENTS, type EventName } from '../ipc/contract.js';
import type { AppEvents } from '../events/bus.js';

const KEEP_ALIVE_MS = 15_000;

export function streamEvents(res: ServerResponse, events: AppEvents, headers: Readonly<Record<string, string>>): void {
  res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
  // Sends the headers at once, so the bridge knows the stream is open before any event.
  res.write(': open\n\n');
  const unsubscribe = (Object.keys(EVENTS) as EventName[]).map((name) =>
    events.on(name, (payload) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    }),
  );
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  res.on('close', () => {
    clearInterval(keepAlive);
    for (const stop of unsubscribe) stop();
  });
}
