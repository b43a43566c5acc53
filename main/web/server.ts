/**
 * The browser harness: the built renderer on 127.0.0.1, with the real main-process services
 * behind a loopback bridge. It is how the UI runs, is tested and is demonstrated without Electron:
 * the page gets `window.isodesk` from /bridge.js, whose calls reach the same `dispatch` that
 * Electron's IPC handlers use, so validation and behaviour are the desktop app's own.
 *
 * It listens first and opens the app behind it (app-side.ts) meanwhile: the page's files need
 * none of it, so the browser loads them while the cache opens, and calls wait for the app.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppSide, AppSideOptions } from './app-side.js';
import { BRIDGE_PATH, EVENTS_PATH, RPC_PREFIX } from './bridge-protocol.js';
import { bridgeScript } from './bridge-script.js';
import { newSecret, RequestGuard, type Refusal } from './request-guard.js';
import { readRendererFile } from '../shell/renderer-files.js';
import { answerRpc } from './rpc.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** Where the built renderer is from this module; the build sets it for dist/main/web.js (dist/renderer is beside dist/main). */
declare const ISODESK_RENDERER_FROM_HERE: string | undefined;
export const DEFAULT_RENDERER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  typeof ISODESK_RENDERER_FROM_HERE === 'string' ? ISODESK_RENDERER_FROM_HERE : '../../dist/renderer',
);

export interface WebHarnessOptions extends AppSideOptions {
  /** 0 or absent: any free port. */
  port?: number | undefined;
  rendererDir?: string | undefined;
}

export interface WebHarness {
  url: string;
  /** Settles once the app behind the page is open; rejects with why it could not open (the data folder, say). */
  ready: Promise<void>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType, ...extra });
  res.end(body);
}

function refuse(res: ServerResponse, refusal: Refusal, extra: Record<string, string> = {}): void {
  send(res, refusal.status, 'text/plain; charset=utf-8', refusal.reason, extra);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  refuse(res, { status: 405, reason: 'Method not allowed.' }, { Allow: allow });
}

interface Routes {
  /** The app, once open: calls and events wait for it. */
  appSide: Promise<AppSide>;
  /** `/bridge.js`, carrying this run's secret: served while the app opens, so the page's script runs meanwhile. */
  bridge: Promise<string>;
  guard: RequestGuard;
  rendererDir: string;
}

async function route(req: IncomingMessage, res: ServerResponse, routes: Routes): Promise<void> {
  const source = routes.guard.checkSource(req);
  if (source) return refuse(res, source);
  const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;

  if (pathname.startsWith(RPC_PREFIX)) {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    const secret = routes.guard.checkSecret(req);
    if (secret) return refuse(res, secret);
    const answer = await answerRpc(req, pathname.slice(RPC_PREFIX.length), async (channel, payload) => (await routes.appSide).app.dispatch(channel, payload));
    if ('refusal' in answer) return refuse(res, answer.refusal);
    return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(answer.result));
  }

  if (pathname === EVENTS_PATH) {
    if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
    const secret = routes.guard.checkSecret(req);
    if (secret) return refuse(res, secret);
    return (await routes.appSide).streamEvents(res, SECURITY_HEADERS);
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');

  if (pathname === BRIDGE_PATH) {
    const load = routes.guard.checkScriptLoad(req);
    if (load) return refuse(res, load);
    const bridge = await routes.bridge;
    return send(res, 200, 'text/javascript; charset=utf-8', req.method === 'HEAD' ? '' : bridge);
  }

  const file = await readRendererFile(routes.rendererDir, pathname);
  if (!file) return refuse(res, { status: 404, reason: 'Not found.' });
  send(res, 200, file.contentType, req.method === 'HEAD' ? '' : file.body);
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void => {
      reject(err.code === 'EADDRINUSE' ? new Error(`Port ${port} on 127.0.0.1 is already in use: choose another with --port.`) : err);
    };
    server.once('error', fail);
    // Loopback only: the harness hands out the user's HOSTKEY session to whoever can call it.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startWebHarness(opts: WebHarnessOptions): Promise<WebHarness> {
  const rendererDir = opts.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}. Run "npm run build:renderer" first.`);
  }
  const server = http.createServer();
  const port = await listen(server, opts.port ?? 0);
  const secret = newSecret();
  const bridge = bridgeScript(secret);
  // Answered by the request for /bridge.js (500) if it fails.
  bridge.catch(() => undefined);
  const appSide = import('./app-side.js').then(({ openAppSide }) => openAppSide(opts));
  // Its failure is answered by `ready` and by each call that waited for it; a caller that never
  // looks at `ready` must not have the process end on an unhandled rejection.
  const ready = appSide.then(() => undefined);
  ready.catch(() => undefined);
  const routes: Routes = { appSide, bridge, guard: new RequestGuard(port, secret), rendererDir };
  /** Calls still running in the app; closing lets them end before the cache closes. */
  const inFlight = new Set<Promise<void>>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const handling = route(req, res, routes).catch((err: unknown) => {
      // Only the app failing to open, or file-system and socket failures, get here: dispatch answers every app error as a Result.
      console.error(`ISO Desk harness: ${req.method} ${req.url?.split('?')[0]} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (res.headersSent) res.destroy();
      else refuse(res, { status: 500, reason: 'The harness failed to answer.' });
    });
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });

  return {
    url: `http://127.0.0.1:${port}/`,
    ready,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Event streams never end on their own.
      server.closeAllConnections();
      await closed;
      const side = await appSide.catch(() => null);
      await side?.app.close(() => Promise.all(inFlight));
    },
  };
}
