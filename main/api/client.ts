/**
 * The HOSTKEY API client: every ISO action of the seed, sign-in, servers and task checks, each
 * returning validated, typed data. It owns the session token: renews it shortly before
 * `token_expire` (single-flight), and on an auth failure re-logs in once with the API key and
 * retries the request once.
 */
import * as z from 'zod';
import { AppError } from '../domain/errors.js';
import { HistoryEntry, Id, IsoImage, type DeleteOutcome, type Server } from '../domain/models.js';
import {
  AUTH_FIELDS,
  CONSOLE_URL_FIELD,
  LOGIN_TTL_SECONDS,
  MODULE_PATHS,
  PIN_ACTIONS,
  TASK_KEY_FIELDS,
  callbackFields,
  eqFields,
  isoFields,
  type AddIsoInput,
  type ApiModule,
  type BootMediaValue,
  type PowerAction,
  type FormFields,
  type UpdateIsoInput,
  type UploadIsoInput,
} from './fields.js';
import { BadAnswerError, messageOf, pinProblem, type Body, type RawAnswer } from './envelope.js';
import { decodeCheckResult, type CheckResult } from './check-result.js';
import { decodeIsoList } from './iso-list.js';
import { decodeList, decodePart } from './payload.js';
import { parseServerList, serverFromList, serverFromShow, ServerIds, type ServerListEntry } from './servers.js';
import { systemClock, type Clock } from './clock.js';
import type { Transport } from './transport.js';
import { maskKnown, redact, redactError } from './redact.js';
import { mayMoveToAccountHost } from './hosts.js';
import { inspectAnswer, inspectRefusal, shapeOf, type AnswerObserver } from './answers.js';
import type { Finding } from '../domain/diagnostics.js';

export interface Credentials {
  apiKey?: string | undefined;
  token?: string | undefined;
  /** Unix seconds. */
  tokenExpire?: number | null | undefined;
}

/** What a bulk decoder found unexpected in an answer (main/api/answers.ts), and the answer's shape. */
export type AnswerInspected = (findings: Finding[], shape: string) => void;
/** Reads an answer whose body is still bytes, wherever it likes (a worker thread), telling what it found. */
export type BulkDecoder<T> = (answer: RawAnswer, inspected: AnswerInspected) => Promise<T>;

export interface SessionUpdate {
  token: string;
  token_expire: number | null;
  base_url: string;
}

export interface LoginResult {
  token: string;
  token_expire: number | null;
  servers: number[];
  role: string | null;
  base_url: string;
}

/**
 * A token's expiry in unix seconds. Lenient on purpose: an expiry that cannot be read is treated
 * as unknown (the client then renews when HOSTKEY refuses the token), not as a failed sign-in.
 */
const TokenExpire = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform((v) => Number(v))
  .pipe(z.number().int().positive().safe())
  .nullish()
  .transform((v) => v ?? null)
  .catch(null);

export const AccountInfo = z.object({
  role: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  role_type: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  role_name: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  permissions: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  servers: z
    .array(Id)
    .nullish()
    .transform((v) => v ?? []),
  email: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  customer_id: Id.nullish().transform((v) => v ?? null),
  token_expire: TokenExpire,
});
export type AccountInfo = z.output<typeof AccountInfo>;

/** What eq_callback.php check said of a task. `gone`: the API no longer knows the key. */
export type TaskCheck =
  | { state: 'running'; status: string }
  | { state: 'ok'; message: string; raw: string; result?: CheckResult }
  | { state: 'failed'; message: string; raw: string; result?: CheckResult }
  | { state: 'gone'; message: string };

/** What novnc answered: the console's address at once, or a key to ask eq_callback for it. */
export type ConsoleStart = { url: string } | { key: string };

const RENEW_BEFORE_MS = 120_000;
/** What eq_callback answers as a refusal of the task itself (`result: "Error"` and the like). */
const TASK_REFUSALS = new Set(['validation', 'permission', 'not_found']);
const FAILURE_WORDS = /\b(fail(ed|ure)?|cancel(l)?ed|error|aborted|rejected)\b/i;

export interface ClientOptions {
  baseUrl: string;
  credentials: Credentials;
  transport: Transport;
  clock?: Clock;
  /** Called whenever the token or the account's host changes, so the caller can persist them. */
  onSession?: ((update: SessionUpdate) => void) | undefined;
  /** Told of every answer that differed from what the docs describe (main/api/answers.ts). */
  observe?: AnswerObserver | undefined;
}

export class HostkeyClient {
  private base: URL;
  private token: string | undefined;
  private tokenExpire: number | null;
  private readonly apiKey: string | undefined;
  private readonly clock: Clock;
  private renewing: Promise<string> | null = null;
  /** Actions HOSTKEY has answered with "PIN required" although fields.ts did not expect it. */
  private readonly pinDemanded = new Set<string>();
  /** The key and every token this client has held: none may appear in a message it builds. */
  private readonly secrets = new Set<string>();
  /** The same, as the list the transport masks with: kept rather than copied for every request. */
  private secretList: string[] = [];
  private readonly urls = new Map<ApiModule, string>();

  constructor(private readonly opts: ClientOptions) {
    this.base = parseBaseUrl(opts.baseUrl);
    this.apiKey = opts.credentials.apiKey;
    this.token = opts.credentials.token;
    this.tokenExpire = opts.credentials.tokenExpire ?? null;
    this.clock = opts.clock ?? systemClock;
    for (const secret of [this.apiKey, this.token]) if (secret) this.keepSecret(secret);
  }

  get baseUrl(): string {
    return this.base.href.replace(/\/$/, '');
  }

  get canRenew(): boolean {
    return this.apiKey !== undefined;
  }

  /** auth.php login with the API key. */
  login(): Promise<LoginResult> {
    return this.guarded('login', () => this.signIn());
  }

  info(): Promise<AccountInfo> {
    return this.guarded('info', async () => {
      const body = await this.call('auth', { action: 'info' });
      if (typeof body.result !== 'object' || body.result === null || Array.isArray(body.result)) {
        throw new BadAnswerError('HOSTKEY answered info without the account it describes ("result").');
      }
      return decodePart('info', AccountInfo, body.result, 'result');
    });
  }

  /** Deletes the token server-side. */
  logout(): Promise<void> {
    return this.guarded('logout', async () => {
      if (!this.token) return;
      await this.post('auth', { action: 'logout', token: this.token });
      this.token = undefined;
    });
  }

  updateServers(): Promise<void> {
    return this.guarded('update_servers', async () => {
      await this.call('eq', { action: 'update_servers', ...eqFields.update_servers() });
    });
  }

  /** eq.php list, then show for each server (4 at a time) to learn hostname, IP and state. */
  listServers(): Promise<Server[]> {
    return this.guarded('list', async () => {
      const entries = parseServerList(await this.call('eq', { action: 'list', ...eqFields.list() }));
      const out = new Array<Server>(entries.length);
      let next = 0;
      const worker = async () => {
        while (next < entries.length) {
          const i = next++;
          const entry = entries[i]!;
          try {
            out[i] = serverFromShow(entry, await this.call('eq', { action: 'show', ...eqFields.show({ id: entry.id }) }));
          } catch (err) {
            if (err instanceof AppError && (err.kind === 'transient' || err.kind === 'auth')) throw err;
            out[i] = serverFromList(entry);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(4, entries.length) }, worker));
      return out;
    });
  }

  /** eq.php list alone, for a check that reads one server (listServers adds show for each). */
  serverList(): Promise<ServerListEntry[]> {
    return this.guarded('list', async () => parseServerList(await this.call('eq', { action: 'list', ...eqFields.list() })));
  }

  /** eq.php show for one server of the list. */
  showServer(entry: ServerListEntry): Promise<Server> {
    return this.guarded('show', async () => serverFromShow(entry, await this.call('eq', { action: 'show', ...eqFields.show({ id: entry.id }) })));
  }

  listIso(serverId: number): Promise<IsoImage[]> {
    return this.guarded('list_iso', async () => {
      const body = await this.call('iso', { action: 'list_iso', ...isoFields.list_iso({ server_id: serverId }) });
      return decodeIsoList('list_iso', body);
    });
  }

  /**
   * list_iso for a bulk reader: the answer reaches `decode` with its body unread, so that reading
   * a catalog of any size can happen off the main thread (see main/sync). Retries, re-login and
   * errors are the same as for every call; `decode` tells `inspected` what it found unexpected in
   * the answer (main/api/answers.ts), as every other call's answer is inspected.
   */
  listIsoWith<T>(serverId: number, decode: BulkDecoder<T>): Promise<T> {
    return this.guarded('list_iso', () => this.call('iso', { action: 'list_iso', ...isoFields.list_iso({ server_id: serverId }) }, decode));
  }

  uploaded(email?: string): Promise<IsoImage[]> {
    return this.guarded('uploaded', async () => {
      const body = await this.call('iso', { action: 'uploaded', ...isoFields.uploaded({ email }) });
      return decodeIsoList('uploaded', body);
    });
  }

  history(isoId: number): Promise<HistoryEntry[]> {
    return this.guarded('history', async () => {
      const body = await this.call('iso', { action: 'history', ...isoFields.history({ id: isoId }) });
      return decodeList('history', body, HistoryEntry);
    });
  }

  add(input: AddIsoInput): Promise<IsoImage | null> {
    return this.guarded('add', async () => {
      const body = await this.call('iso', { action: 'add', ...isoFields.add(input) });
      const parsed = IsoImage.safeParse(body.data);
      return parsed.success ? parsed.data : null;
    });
  }

  update(input: UpdateIsoInput): Promise<void> {
    return this.guarded('update', async () => {
      await this.call('iso', { action: 'update', ...isoFields.update(input) });
    });
  }

  del(id: number, pending?: boolean): Promise<DeleteOutcome> {
    return this.guarded('del', async () => deleteOutcome(await this.call('iso', { action: 'del', ...isoFields.del({ id, pending }) })));
  }

  delete(id: number): Promise<DeleteOutcome> {
    return this.guarded('delete', async () => deleteOutcome(await this.call('iso', { action: 'delete', ...isoFields.delete({ id }) })));
  }

  /** Returns the created image when the API describes it (undocumented), else null. */
  upload(input: UploadIsoInput): Promise<IsoImage | null> {
    return this.guarded('upload', async () => {
      const body = await this.call('iso', { action: 'upload', ...isoFields.upload(input) });
      const parsed = IsoImage.safeParse(body.data);
      return parsed.success ? parsed.data : null;
    });
  }

  /** Returns the task key, or null when HOSTKEY accepted the request without one. */
  mountIso(serverId: number, iso: string): Promise<string | null> {
    return this.guarded('mount_iso', async () =>
      taskKeyOf(await this.call('iso', { action: 'mount_iso', ...isoFields.mount_iso({ server_id: serverId, iso }) })),
    );
  }

  unmountIso(serverId: number): Promise<string | null> {
    return this.guarded('unmount_iso', async () =>
      taskKeyOf(await this.call('iso', { action: 'unmount_iso', ...isoFields.unmount_iso({ server_id: serverId }) })),
    );
  }

  /**
   * eq.php status, on, off or reboot: the callback key, or null when HOSTKEY accepted without
   * one. on, off and reboot change state: the transport never retries them, and a timeout is
   * 'unknown_outcome'. `pin` is sent when the action is one that takes it (fields.ts PIN_ACTIONS).
   */
  power(serverId: number, action: PowerAction, pin?: string): Promise<string | null> {
    return this.guarded(action, async () => taskKeyOf(await this.callWithPin(action, (p) => eqFields[action]({ id: serverId, pin: p }), pin)));
  }

  /** eq.php boot_dev: the callback key (null when HOSTKEY gave none). Never retried. */
  bootDevice(serverId: number, media: BootMediaValue, pin?: string): Promise<string | null> {
    return this.guarded('boot_dev', async () => taskKeyOf(await this.callWithPin('boot_dev', (p) => eqFields.boot_dev({ id: serverId, media, pin: p }), pin)));
  }

  /**
   * eq.php novnc. The console's address holds a one-time password (`password=`), which every
   * message this client builds masks (redact.ts), like any field named as a secret.
   */
  openConsole(serverId: number, pin?: string): Promise<ConsoleStart> {
    return this.guarded('novnc', async () => {
      const body = await this.callWithPin('novnc', (p) => eqFields.novnc({ id: serverId, pin: p }), pin);
      const url = consoleUrlOf(body);
      if (url) return { url };
      const key = taskKeyOf(body);
      if (key) return { key };
      throw new BadAnswerError('HOSTKEY answered novnc with neither a console address nor a task key.');
    });
  }

  /** The console's address from a finished novnc check, or null when the result holds none. */
  consoleUrlFrom(result: CheckResult | undefined): string | null {
    return result?.scope ? consoleUrlOf({ [CONSOLE_URL_FIELD]: result.scope }) : null;
  }

  /** eq.php stop_novnc: HOSTKEY's message and key, when it gave them. */
  stopConsole(serverId: number, pin?: string): Promise<{ key: string | null; message: string | null }> {
    return this.guarded('stop_novnc', async () => {
      const body = await this.callWithPin('stop_novnc', (p) => eqFields.stop_novnc({ id: serverId, pin: p }), pin);
      return { key: taskKeyOf(body), message: messageOf(body) };
    });
  }

  /**
   * eq_callback.php check. The API forgets the key after its first OK: callers store it at once.
   * Only HOSTKEY's own word ends a task: a proxy's page or an answer that cannot be read is
   * thrown, so the caller asks again later.
   */
  checkTask(key: string): Promise<TaskCheck> {
    return this.guarded('check', async () => {
      let body: Body;
      try {
        body = await this.call('callback', { action: 'check', ...callbackFields.check({ key }) }, { pagesAreTransient: true });
      } catch (err) {
        if (err instanceof AppError && /asynckey not found|key not found/i.test(err.message)) return { state: 'gone', message: this.scrub(err.message) };
        // `result: "Error"` is a task that failed, not a request that did.
        if (err instanceof AppError && TASK_REFUSALS.has(err.kind)) return { state: 'failed', message: this.scrub(err.message), raw: '' };
        throw err;
      }
      if (typeof body.result !== 'string') throw new BadAnswerError('HOSTKEY answered check without saying how the task stands ("result").');
      const result = body.result.trim();
      if (/^not ready$/i.test(result)) return { state: 'running', status: result };
      const raw = this.scrub(jsonText(body));
      const message = this.scrub(describeOutcome(body));
      const words = [body.scope, body.context, body.debug].map((v) => (typeof v === 'string' ? v : jsonText(v ?? ''))).join(' ');
      const decoded = this.masked(decodeCheckResult(body));
      if (!/^(ok|success)$/i.test(result) || FAILURE_WORDS.test(words)) return { state: 'failed', message, raw, result: decoded };
      return { state: 'ok', message, raw, result: decoded };
    });
  }

  /**
   * Every public call runs through here: whatever went wrong reaches the caller as AppError, with
   * the key and tokens masked. Errors other than AppError can only come from reading an answer
   * (a zod issue, a RangeError on absurd nesting), so they are HOSTKEY's answer being unusable.
   */
  private async guarded<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof AppError) throw redactError(err, this.secrets);
      throw new BadAnswerError(`HOSTKEY's answer to ${action} could not be read.`, { cause: err });
    }
  }

  /** A decoded check result with this client's key and tokens masked; the console address in `scope` stays whole. */
  private masked(result: CheckResult): CheckResult {
    const mask = (text: string | null) => (text === null ? null : maskKnown(text, this.secrets));
    return { ...result, scope: mask(result.scope), debug: mask(result.debug) };
  }

  private keepSecret(secret: string): void {
    if (this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.secretList = [...this.secrets];
  }

  /** Text built from an answer, with every secret this client knows masked. */
  private scrub(text: string): string {
    return redact(text, this.secrets);
  }

  private async signIn(): Promise<LoginResult> {
    if (!this.apiKey) throw new AppError('auth', 'This profile has a token but no API key, so it cannot sign in again by itself.');
    const body = await this.post('auth', {
      action: 'login',
      [AUTH_FIELDS.key]: this.apiKey,
      [AUTH_FIELDS.ttl]: String(LOGIN_TTL_SECONDS),
      [AUTH_FIELDS.fixIp]: '0',
    });
    const inner = typeof body.result === 'object' && body.result !== null ? (body.result as Body) : {};
    const token = pick(inner.token, body.token);
    if (typeof token !== 'string' || !token.trim()) {
      // HOSTKEY's words, when it gave any, are a refusal of the key: show them (scrubbed by guarded()).
      const message = messageOf(body);
      throw message ? new AppError('auth', message) : new BadAnswerError('HOSTKEY answered login without a token.');
    }
    const expire = TokenExpire.parse(pick(inner.token_expire, body.token_expire));
    const servers = ServerIds.catch([]).parse(pick(inner.servers, body.servers) ?? []);
    const role = pick(inner.role, body.role);
    this.switchToAccountHost(pick(inner.invapi, body.invapi));
    this.setToken(token, expire);
    return { token, token_expire: expire, servers, role: typeof role === 'string' ? role : null, base_url: this.baseUrl };
  }

  /**
   * An eq.php call that may want the account PIN: sent with it when fields.ts lists the action,
   * or when HOSTKEY has asked for it on this action before. When HOSTKEY asks for a PIN this call
   * did not send, the action is remembered, and the 'pin_required' error reaches the caller, who
   * asks the user (nothing happened at HOSTKEY, so sending again with the PIN is safe).
   */
  private async callWithPin(action: string, fields: (pin: string | undefined) => FormFields, pin: string | undefined): Promise<Body> {
    const sent = pin !== undefined && (PIN_ACTIONS.has(action) || this.pinDemanded.has(action)) ? pin : undefined;
    if (sent) this.keepSecret(sent);
    try {
      return await this.call('eq', { action, ...fields(sent) });
    } catch (err) {
      if (err instanceof AppError && err.kind === 'pin_required' && sent === undefined && pinProblem(err.message) === 'required') {
        this.pinDemanded.add(action);
      }
      throw err;
    }
  }

  /**
   * An authenticated call: fresh token first; on an auth failure, one re-login and one retry.
   * `read` decodes the answer when the caller does not want the envelope decoded here.
   */
  private call(module: ApiModule, fields: FormFields, opts?: { pagesAreTransient?: boolean }): Promise<Body>;
  private call<T>(module: ApiModule, fields: FormFields, read: BulkDecoder<T>): Promise<T>;
  private async call<T>(module: ApiModule, fields: FormFields, how: { pagesAreTransient?: boolean } | BulkDecoder<T> = {}): Promise<Body | T> {
    const send = (token: string): Promise<Body | T> =>
      typeof how === 'function' ? this.postWith(module, { ...fields, token }, how) : this.post(module, { ...fields, token }, how);
    // A fresh token is taken without a turn through a promise: most calls have one.
    const token = this.freshToken() ?? (await this.currentToken());
    try {
      return await send(token);
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== 'auth' || !this.apiKey) throw withAuthHint(err, this.apiKey !== undefined);
      // HOSTKEY refused the token, so the request did not run: re-login and retry once is safe.
      const renewed = await this.renew(token);
      try {
        return await send(renewed);
      } catch (retryErr) {
        throw withAuthHint(retryErr, true);
      }
    }
  }

  /** The token, unless it is missing or about to expire. */
  private freshToken(): string | null {
    const expiresSoon = this.tokenExpire !== null && this.clock.now() >= this.tokenExpire * 1000 - RENEW_BEFORE_MS;
    return this.token && !expiresSoon ? this.token : null;
  }

  private async currentToken(): Promise<string> {
    const fresh = this.freshToken();
    if (fresh !== null) return fresh;
    if (!this.apiKey) {
      if (this.token && this.tokenExpire !== null && this.clock.now() < this.tokenExpire * 1000) return this.token;
      throw new AppError('auth', 'The session token has expired and this profile has no API key to renew it.', {
        hint: 'Sign in again with an API key from the HOSTKEY control panel, so ISO Desk can renew the session by itself.',
      });
    }
    return this.renew();
  }

  /**
   * Single-flight: concurrent callers share one login. `refused` is the token HOSTKEY turned
   * down; when another request has renewed it since, the renewed token is the answer.
   */
  private renew(refused?: string): Promise<string> {
    if (this.renewing) return this.renewing;
    if (refused !== undefined && this.token !== undefined && this.token !== refused) return Promise.resolve(this.token);
    this.renewing = this.signIn()
      .then(() => this.token!)
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }

  private setToken(token: string, expire: number | null): void {
    this.token = token;
    this.tokenExpire = expire;
    this.keepSecret(token);
    this.opts.onSession?.({ token, token_expire: expire, base_url: this.baseUrl });
  }

  /** Follow the login's `invapi` host only to hostkey.com / hostkey.ru (or a subdomain), never to http. */
  private switchToAccountHost(invapi: unknown): void {
    if (typeof invapi !== 'string' || !invapi.trim()) return;
    let next: URL;
    try {
      next = new URL(/^https?:\/\//i.test(invapi) ? invapi : `https://${invapi}`);
    } catch {
      return;
    }
    if (!mayMoveToAccountHost(this.base, next)) return;
    this.base = new URL(`https://${next.host}`);
    this.urls.clear();
  }

  private async post(module: ApiModule, fields: FormFields, opts: { pagesAreTransient?: boolean } = {}): Promise<Body> {
    const host = this.base.host;
    const action = fields.action ?? '';
    const onRefusal = (refusal: Body) => this.inspect(action, host, refusal, inspectRefusal);
    const body = await this.opts.transport.post(this.urlOf(module), fields, this.secretList, { ...opts, onRefusal });
    this.inspect(action, host, body, inspectAnswer);
    return body;
  }

  private inspect(action: string, host: string, body: Body, inspectWith: (action: string, body: Body) => Finding[]): void {
    if (this.opts.observe) this.report(action, host, inspectWith(action, body), () => shapeOf(body));
  }

  /** Reports an answer that differed from the docs; a failing observer never fails the call. */
  private report(action: string, host: string, findings: Finding[], shape: () => string): void {
    const observe = this.opts.observe;
    if (!observe || !findings.length) return;
    try {
      observe({ action, host, findings, shape });
    } catch {
      // The log is a diagnostic: losing one entry must not lose the user's answer.
    }
  }

  private postWith<T>(module: ApiModule, fields: FormFields, read: BulkDecoder<T>): Promise<T> {
    const host = this.base.host;
    const action = fields.action ?? '';
    const inspected: AnswerInspected = (findings, shape) => this.report(action, host, findings, () => shape);
    return this.opts.transport.postWith(this.urlOf(module), fields, this.secretList, (answer) => read(answer, inspected));
  }

  /** Each module's address, built once per base URL: two URL parses per request cost more than they seem. */
  private urlOf(module: ApiModule): string {
    let url = this.urls.get(module);
    if (url === undefined) {
      url = new URL(MODULE_PATHS[module].slice(1), this.base.href.endsWith('/') ? this.base : new URL(`${this.base.href}/`)).href;
      this.urls.set(module, url);
    }
    return url;
  }
}

/** Plain http only to this machine (a local API for tests and demos): tokens never cross a network in the clear. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new AppError('validation', `"${redact(value)}" is not a valid API base URL.`, { hint: 'Use an address such as https://api.hostkey.com.' });
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new AppError('validation', `The API base URL must start with https:// (got ${url.protocol}//${url.host}).`, {
      hint: 'Use an address such as https://api.hostkey.com. Plain http is allowed only for a local test server (127.0.0.1 or localhost).',
    });
  }
  url.search = '';
  url.hash = '';
  return url;
}

function pick(...values: unknown[]): unknown {
  return values.find((v) => v !== undefined && v !== null);
}

/** The seed documents no answer for a deletion: keep whatever status and message HOSTKEY gave. */
function deleteOutcome(body: Body): DeleteOutcome {
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Body) : {};
  const status = typeof data.status === 'string' && data.status.trim() ? data.status.trim() : null;
  return { status, message: messageOf(body) };
}

function taskKeyOf(body: Body): string | null {
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Body) : {};
  for (const field of TASK_KEY_FIELDS) {
    for (const v of [body[field], data[field]]) if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

/** An http(s) address in the console field: what noVNC's "vnc.html?…&password=…" link looks like. */
function consoleUrlOf(body: Body): string | null {
  const value = body[CONSOLE_URL_FIELD];
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function describeOutcome(body: Body): string {
  const scope = body.scope;
  if (typeof scope === 'string' && scope.trim()) return scope.trim();
  if (typeof scope === 'object' && scope !== null) {
    const m = messageOf(scope as Body);
    if (m) return m;
  }
  return messageOf(body) ?? (typeof body.result === 'string' ? body.result : 'Done');
}

function withAuthHint(err: unknown, hadKey: boolean): unknown {
  if (!(err instanceof AppError) || err.kind !== 'auth') return err;
  const hint = hadKey
    ? 'HOSTKEY refused the API key. Check it in the control panel (it may be expired, limited to another IP or bound to one server), then sign in again.'
    : 'Sign in again: a pasted token cannot be renewed.';
  return new AppError('auth', err.message, { hint, code: err.code });
}

/** An answer as JSON text; absurdly nested values (which JSON.stringify cannot walk) are summarised. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '[an answer too deeply nested to show]';
  }
}
