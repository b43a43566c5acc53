/**
 * Fault injection for tests and demos: slow answers, server errors, rate limiting, broken bodies,
 * junk answers, dropped connections, expired tokens, failing tasks, and moving time forward. Driven from code
 * (LocalApi.faults) or over HTTP (POST /__control with a JSON ControlRequest), so that a separately
 * started process can drive it too. The /__control endpoint itself is never disrupted.
 */
import * as z from 'zod';

export interface FaultState {
  latencyMs: number;
  serverErrors: number;
  serverErrorStatus: number;
  rateLimits: number;
  retryAfterSeconds: number;
  malformed: number;
  drops: number;
  junk: number;
  junkKind: JunkKind;
  junkStatus: number;
  taskFailurePending: boolean;
  /** Injected per-action faults (issue #9's eq actions, or any other), by action. */
  actionFaults: Record<string, { message: string; stage: 'answer' | 'task' }>;
  /** Actions whose next request is held this long before it runs (ms). */
  holds: Record<string, number>;
}

/**
 * Answers that look like success or come from something in front of HOSTKEY, and are junk:
 * - `no-payload`: `{"result":"OK","action":…,"module":…}` without the list or data (the request runs);
 * - `error-code`: an object `result` beside a non-null error `code`, whose message echoes the
 *   request's form fields (secrets included), as a debugging PHP backend might;
 * - `html`: a proxy's HTML page with the given status (200, 403, 404…), the request never arrives.
 */
export const JUNK_KINDS = ['no-payload', 'error-code', 'html'] as const;
export type JunkKind = (typeof JUNK_KINDS)[number];

export interface FaultControl {
  /** Every API answer waits this long first (0: none). */
  setLatency(ms: number): void;
  /** The next `count` requests answer HTTP `status` (5xx) and do not run. */
  serverErrorNext(count: number, status?: number): void;
  /** The next `count` requests answer 429 with Retry-After and do not run. */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /** The next `count` requests run, then answer HTTP 200 with a truncated JSON body. */
  malformNext(count: number): void;
  /** The next `count` requests run, then the connection is closed without an answer. */
  dropNext(count: number): void;
  /** The next `count` requests get a junk answer of this kind (`status` for `html`; default 200). */
  junkNext(count: number, kind: JunkKind, status?: number): void;
  /** Every token issued so far expires now. */
  expireTokens(): void;
  /** The next mount, unmount or upload fails, with this message where the API shows one. */
  failNextTask(message?: string): void;
  /**
   * The next request for `action` (status, on, off, reboot, boot_dev, novnc, stop_novnc…) is
   * refused with `message` (stage 'answer'), or accepted and its task fails with it ('task').
   */
  failAction(action: string, message?: string, stage?: 'answer' | 'task'): void;
  /** The next request for `action` waits `ms` before it runs and is answered (a slow BMC; lets a test kill a client mid-request). */
  holdAction(action: string, ms: number): void;
  /** Moves the local API's clock forward (token expiry, task readiness, upload progress). */
  advanceTime(ms: number): void;
  /** Clears every pending fault and the latency; time stays where it is. */
  reset(): void;
  state(): FaultState;
}

/** How one request is disrupted, decided when it arrives. */
export type Disruption =
  | { kind: 'serverError'; status: number }
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  | { kind: 'malformed' }
  | { kind: 'drop' }
  | { kind: 'junk'; junk: JunkKind; status: number };

export interface FaultHooks {
  expireTokens(): void;
  failNextTask(message: string | null): void;
  taskFailurePending(): boolean;
  failAction(action: string, fault: { message: string; stage: 'answer' | 'task' } | null): void;
  actionFaults(): Record<string, { message: string; stage: 'answer' | 'task' }>;
  clearActionFaults(): void;
  advanceTime(ms: number): void;
}

const DEFAULT_TASK_FAILURE = 'the BMC did not answer in time';
const count = z.number().int().min(0).max(1_000_000);

/** The JSON body of POST /__control: every field optional, applied in the order listed. */
export const ControlRequest = z.strictObject({
  reset: z.literal(true).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  serverErrors: count.optional(),
  serverErrorStatus: z.number().int().min(500).max(599).optional(),
  rateLimits: count.optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  malformed: count.optional(),
  drops: count.optional(),
  junk: count.optional(),
  junkKind: z.enum(JUNK_KINDS).optional(),
  junkStatus: z.number().int().min(200).max(599).optional(),
  expireTokens: z.literal(true).optional(),
  failNextTask: z.union([z.literal(true), z.string().min(1).max(500)]).optional(),
  failAction: z
    .strictObject({ action: z.string().min(1).max(40), message: z.string().min(1).max(500).optional(), stage: z.enum(['answer', 'task']).optional() })
    .optional(),
  holdAction: z.strictObject({ action: z.string().min(1).max(40), ms: z.number().int().min(0).max(600_000) }).optional(),
  advanceMs: z.number().int().min(0).optional(),
});
export type ControlRequest = z.output<typeof ControlRequest>;

export class Faults implements FaultControl {
  private latencyMs = 0;
  private serverErrors = 0;
  private serverErrorStatus = 503;
  private rateLimits = 0;
  private retryAfterSeconds = 1;
  private malformed = 0;
  private drops = 0;
  private junk = 0;
  private junkKind: JunkKind = 'no-payload';
  private junkStatus = 200;
  private readonly holds = new Map<string, number>();

  constructor(private readonly hooks: FaultHooks) {}

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  serverErrorNext(n: number, status = 503): void {
    this.serverErrors = n;
    this.serverErrorStatus = status;
  }

  rateLimitNext(n: number, retryAfterSeconds = 1): void {
    this.rateLimits = n;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  malformNext(n: number): void {
    this.malformed = n;
  }

  dropNext(n: number): void {
    this.drops = n;
  }

  junkNext(n: number, kind: JunkKind, status = 200): void {
    this.junk = n;
    this.junkKind = kind;
    this.junkStatus = status;
  }

  expireTokens(): void {
    this.hooks.expireTokens();
  }

  failNextTask(message = DEFAULT_TASK_FAILURE): void {
    this.hooks.failNextTask(message);
  }

  failAction(action: string, message = DEFAULT_TASK_FAILURE, stage: 'answer' | 'task' = 'task'): void {
    this.hooks.failAction(action, { message, stage });
  }

  holdAction(action: string, ms: number): void {
    this.holds.set(action, ms);
  }

  /** How long the request for `action` that just arrived is held (0: not at all); a hold is used once. */
  takeHold(action: string): number {
    const ms = this.holds.get(action) ?? 0;
    this.holds.delete(action);
    return ms;
  }

  advanceTime(ms: number): void {
    this.hooks.advanceTime(ms);
  }

  reset(): void {
    this.latencyMs = 0;
    this.serverErrors = 0;
    this.rateLimits = 0;
    this.malformed = 0;
    this.drops = 0;
    this.junk = 0;
    this.holds.clear();
    this.hooks.failNextTask(null);
    this.hooks.clearActionFaults();
  }

  state(): FaultState {
    return {
      latencyMs: this.latencyMs,
      serverErrors: this.serverErrors,
      serverErrorStatus: this.serverErrorStatus,
      rateLimits: this.rateLimits,
      retryAfterSeconds: this.retryAfterSeconds,
      malformed: this.malformed,
      drops: this.drops,
      junk: this.junk,
      junkKind: this.junkKind,
      junkStatus: this.junkStatus,
      taskFailurePending: this.hooks.taskFailurePending(),
      actionFaults: this.hooks.actionFaults(),
      holds: Object.fromEntries(this.holds),
    };
  }

  get latency(): number {
    return this.latencyMs;
  }

  /** Takes at most one pending disruption for the request that just arrived. */
  take(): Disruption | null {
    if (this.drops > 0) {
      this.drops--;
      return { kind: 'drop' };
    }
    if (this.serverErrors > 0) {
      this.serverErrors--;
      return { kind: 'serverError', status: this.serverErrorStatus };
    }
    if (this.rateLimits > 0) {
      this.rateLimits--;
      return { kind: 'rateLimit', retryAfterSeconds: this.retryAfterSeconds };
    }
    if (this.malformed > 0) {
      this.malformed--;
      return { kind: 'malformed' };
    }
    if (this.junk > 0) {
      this.junk--;
      return { kind: 'junk', junk: this.junkKind, status: this.junkStatus };
    }
    return null;
  }

  apply(request: ControlRequest): void {
    if (request.reset) this.reset();
    if (request.latencyMs !== undefined) this.setLatency(request.latencyMs);
    if (request.serverErrors !== undefined) this.serverErrorNext(request.serverErrors, request.serverErrorStatus);
    if (request.rateLimits !== undefined) this.rateLimitNext(request.rateLimits, request.retryAfterSeconds);
    if (request.malformed !== undefined) this.malformNext(request.malformed);
    if (request.drops !== undefined) this.dropNext(request.drops);
    if (request.junk !== undefined) this.junkNext(request.junk, request.junkKind ?? 'no-payload', request.junkStatus);
    if (request.expireTokens) this.expireTokens();
    if (request.failNextTask !== undefined) this.failNextTask(request.failNextTask === true ? undefined : request.failNextTask);
    if (request.failAction !== undefined) this.failAction(request.failAction.action, request.failAction.message, request.failAction.stage);
    if (request.holdAction !== undefined) this.holdAction(request.holdAction.action, request.holdAction.ms);
    if (request.advanceMs !== undefined) this.advanceTime(request.advanceMs);
  }
}
