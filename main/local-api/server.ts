/**
 * A local stand-in for the HOSTKEY API on 127.0.0.1, for tests and demos: the documented modules
 * (iso.php, auth.php, eq.php, eq_callback.php), form-encoded POST bodies (query strings for GET),
 * JSON answers in HOSTKEY's envelopes with business errors as HTTP 200, and fault injection.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { DEMO_KEYS } from './demo-data.js';
import { Refusal, invalidArgument, type JsonObject } from './envelopes.js';
import { ControlRequest, Faults, type FaultControl } from './faults.js';
import { HANDLERS } from './handlers/index.js';
import type { Handler } from './handlers/request.js';
import { Params } from './params.js';
import { ACTION_FIELD, MODULE_BY_PATH, TOKEN_FIELD, type Module } from './spec.js';
import { World } from './world.js';
import { ANSWER_STYLES, alternativeAnswer, type AnswerStyle } from './alternatives.js';
import type { KeyReport } from './tasks.js';
import { CONSOLE_PATH, consolePage } from './console-page.js';

export { DEMO_KEYS, DEMO_PIN } from './demo-data.js';
export type { FaultControl, FaultState, ControlRequest } from './faults.js';
export type { Module } from './spec.js';
export type { KeyReport } from './tasks.js';
export type { AnswerStyle } from './alternatives.js';

export interface LocalApiOptions {
  /** 0 or absent: any free port. */
  port?: number;
  host?: string;
  /** Extra synthetic ISOs on top of the demo catalog. */
  isoCount?: number;
  /** How long mount/unmount tasks stay "Not ready". Default 3000. */
  taskDelayMs?: number;
  /** How long an upload stays in each of Pending and Downloading. Default 4000. */
  uploadStepMs?: number;
  /** How long a server stays "rebooting" after eq.php reboot. Default 4000. */
  rebootMs?: number;
  /** Token lifetime; overrides the `ttl` the client asks for. */
  tokenTtlSeconds?: number;
  /** The local API's clock (milliseconds); tests inject one. */
  now?: () => number;
  /** Prints nothing, not even the startup line. */
  quiet?: boolean;
  /**
   * documented (default): the shapes the seed and the docs show first. alternatives: every
   * documented alternative shape plus unknown fields and statuses (alternatives.ts).
   */
  answers?: AnswerStyle;
}

export interface LocalApi {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  keys: { client: string; admin: string; noServers: string; staff?: string; other: string; pin?: string };
  faults: FaultControl;
  /** The shapes it answers in. */
  answers: AnswerStyle;
  /** How many requests for `module`'s `action` have arrived (e.g. 'auth', 'login'), answered or not. */
  requestCount(module: Module, action: string): number;
  /** Every task key issued so far and how it was checked (also GET /__control/tasks). */
  taskReport(): KeyReport[];
  close(): Promise<void>;
}

/** Where tests and other processes drive fault injection (JSON ControlRequest). */
export const CONTROL_PATH = '/__control';
/** GET: every task key issued so far and how it was checked (KeyReport[]), for tests in other processes. */
export const TASK_REPORT_PATH = '/__control/tasks';

const MAX_BODY_BYTES = 1024 * 1024;

const Settings = z.object({
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  isoCount: z.number().int().min(0).max(2_000_000).default(0),
  taskDelayMs: z.number().int().min(0).default(3000),
  uploadStepMs: z.number().int().min(0).default(4000),
  rebootMs: z.number().int().min(0).default(4000),
  tokenTtlSeconds: z.number().int().min(1).optional(),
  quiet: z.boolean().default(false),
  answers: z.enum(ANSWER_STYLES).default('documented'),
});

export async function startLocalApi(opts: LocalApiOptions = {}): Promise<LocalApi> {
  const { now, ...numbers } = opts;
  const settings = Settings.parse(numbers);
  const world = new World({
    isoCount: settings.isoCount,
    taskDelayMs: settings.taskDelayMs,
    uploadStepMs: settings.uploadStepMs,
    rebootMs: settings.rebootMs,
    tokenTtlSeconds: settings.tokenTtlSeconds ?? null,
    now: now ?? Date.now,
  });
  const faults = new Faults({
    expireTokens: () => world.sessions.expireAll(),
    failNextTask: (message) => world.failNextTask(message),
    taskFailurePending: () => world.taskFailurePending,
    advanceTime: (ms) => world.clock.advance(ms),
    failAction: (action, fault) => world.power.failNext(action, fault),
    actionFaults: () => world.power.pendingFaults(),
    clearActionFaults: () => world.power.clearFaults(),
  });
  const reportBug = settings.quiet ? () => undefined : (err: unknown) => console.error('local HOSTKEY API: internal error:', err);

  const counts = new Map<string, number>();
  const count = (module: Module, action: string) => counts.set(`${module}.${action}`, (counts.get(`${module}.${action}`) ?? 0) + 1);
  const server = createServer((req, res) => {
    serve(req, res, world, faults, count, settings.answers).catch((err: unknown) => {
      reportBug(err);
      if (!res.headersSent) sendJson(res, 500, { code: -1, message: 'Internal server error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
  world.publicUrl = url;
  if (!settings.quiet) console.log(`Local HOSTKEY API listening on ${url}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    keys: { ...DEMO_KEYS },
    faults,
    answers: settings.answers,
    requestCount: (module, action) => counts.get(`${module}.${action}`) ?? 0,
    taskReport: () => world.tasks.report(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  world: World,
  faults: Faults,
  count: (module: Module, action: string) => void,
  style: AnswerStyle,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname === CONTROL_PATH) return control(req, res, faults);
  if (url.pathname === TASK_REPORT_PATH && req.method === 'GET') return sendJson(res, 200, { tasks: world.tasks.report().map((r) => ({ ...r })) });
  if (url.pathname === CONSOLE_PATH && req.method === 'GET') {
    world.settle();
    const page = consolePage(world, url.searchParams.get('password') ?? '');
    return sendText(res, page.status, page.html, { 'referrer-policy': 'no-referrer' });
  }
  const module = Object.hasOwn(MODULE_BY_PATH, url.pathname) ? MODULE_BY_PATH[url.pathname as keyof typeof MODULE_BY_PATH] : undefined;
  if (!module) return sendText(res, 404, page(404));
  if (req.method !== 'GET' && req.method !== 'POST') return sendText(res, 405, page(405), { allow: 'GET, POST' });

  const body = await readBody(req);
  if (body === null) return sendText(res, 413, page(413), { connection: 'close' });
  const fields = new URLSearchParams(url.search);
  if (req.method === 'POST' && isFormEncoded(req)) for (const [name, value] of new URLSearchParams(body)) fields.set(name, value);
  count(module, fields.get(ACTION_FIELD) ?? '');

  if (faults.latency > 0) await new Promise((resolve) => setTimeout(resolve, faults.latency));
  const hold = faults.takeHold(fields.get(ACTION_FIELD) ?? '');
  if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
  const disruption = faults.take();
  if (disruption?.kind === 'serverError') return sendText(res, disruption.status, page(disruption.status));
  if (disruption?.kind === 'rateLimit') return sendText(res, 429, page(429), { 'retry-after': String(disruption.retryAfterSeconds) });
  if (disruption?.kind === 'junk' && disruption.junk === 'html') return sendText(res, disruption.status, page(disruption.status));
  if (disruption?.kind === 'junk' && disruption.junk === 'error-code') {
    return sendJson(res, 200, { result: { status: 'degraded' }, code: -1, message: `Service degraded; request was ${body}` });
  }

  world.settle();
  const documented = run(module, fields, world);
  const answer = style === 'alternatives' ? alternativeAnswer(module, fields.get(ACTION_FIELD) ?? '', documented) : documented;
  if (disruption?.kind === 'junk') return sendJson(res, 200, withoutPayload(answer));
  if (disruption?.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  if (disruption?.kind === 'malformed') {
    const text = JSON.stringify(answer);
    return sendText(res, 200, text.slice(0, Math.ceil(text.length / 2)), { 'content-type': 'application/json; charset=utf-8' });
  }
  sendJson(res, 200, answer);
}

function run(module: Module, fields: URLSearchParams, world: World): JsonObject {
  const handlers: Readonly<Record<string, Handler>> = HANDLERS[module];
  const action = fields.get(ACTION_FIELD) ?? '';
  const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
  try {
    if (!handler) throw invalidArgument(ACTION_FIELD);
    return handler({ params: new Params(fields), world, token: fields.get(TOKEN_FIELD)?.trim() || null });
  } catch (err) {
    if (err instanceof Refusal) return err.body;
    throw err;
  }
}

async function control(req: IncomingMessage, res: ServerResponse, faults: Faults): Promise<void> {
  if (req.method === 'GET') return sendJson(res, 200, { faults: { ...faults.state() } });
  if (req.method !== 'POST') return sendText(res, 405, page(405), { allow: 'GET, POST' });
  const body = await readBody(req);
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return sendJson(res, 400, { error: 'The body must be JSON.' });
  }
  const request = ControlRequest.safeParse(json);
  if (!request.success) return sendJson(res, 400, { error: z.prettifyError(request.error) });
  faults.apply(request.data);
  sendJson(res, 200, { ok: true, faults: { ...faults.state() } });
}

/** A success answer reduced to its envelope: what a broken backend sends with nothing to say. */
function withoutPayload(answer: JsonObject): JsonObject {
  const kept: JsonObject = { result: 'OK' };
  for (const field of ['action', 'module']) if (answer[field] !== undefined) kept[field] = answer[field];
  return kept;
}

/** PHP parses only form-encoded bodies into $_POST; a body of any other type is ignored. */
function isFormEncoded(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type === undefined || type.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** The body as text, or null when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large, so the 413 answer reaches the client.
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

/** The plain HTML error page a reverse proxy answers with. */
function page(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function sendJson(res: ServerResponse, status: number, body: JsonObject): void {
  sendText(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' });
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
