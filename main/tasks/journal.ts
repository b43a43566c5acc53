/**
 * The task journal as the services and the trackers use it, on top of the cache's rules (see
 * main/cache/tasks.ts). It does three things:
 *  - `send`: write-ahead intent. The row is written (durably) before the state-changing request
 *    goes out, claimed by this process while the request is in flight; HOSTKEY's answer fills in
 *    the key. A crash, a full disk or a lost answer leaves an intent that reads "sent at T,
 *    outcome unknown", never nothing; an acceptance that cannot be recorded is reported with its
 *    key so the user can still follow it.
 *  - every write is announced as a typed 'tasks/changed' event;
 *  - `watch`: notices what other processes write to the same file (SQLite's data_version, read a
 *    few times a second: no I/O beyond the shared WAL index, no requests) and announces it too,
 *    so the app follows tasks a CLI started and a CLI's --wait sees an OK the app stored.
 *
 * Jobs of several steps (issue #9) are meant to build on this: each step is a task row of its own,
 * sent with `send` only after the previous step's row holds its key or its outcome, so a resumed
 * job finds every step either accepted (follow it), ended, or an intent of unknown outcome (ask
 * the user before sending it again).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import type { Task, TaskEvent } from '../domain/models.js';
import { TrackedTask, type Cache, type TaskCondition, type TaskPatch } from '../cache/index.js';
import type { AppEvents } from '../events/bus.js';
import type { Clock } from '../api/clock.js';
import { CLAIM_MS, deadOwners } from './claims.js';
import { clause } from '../domain/clause.js';

/** What a new task is about; everything else starts at its defaults. */
export type Intent = Pick<Task, 'kind' | 'profile'> &
  Partial<Pick<Task, 'server_id' | 'iso_name' | 'url' | 'iso_id' | 'email' | 'customer_id' | 'job_key' | 'job_step'>> &
  Partial<Pick<TrackedTask, 'job_attempt'>>;

/**
 * What becomes of the intent when HOSTKEY refuses the request (or it never left): withdrawn, as
 * if never written (the default), or kept as a failed task with the refusal as its message (a job
 * step: the job stops on it and shows why).
 */
export type OnRefusal = (err: unknown) => 'withdraw' | 'fail';

/** What HOSTKEY's answer tells: the key to follow, or what it made (an upload's image). */
export type Acceptance = Partial<Pick<TrackedTask, 'task_key' | 'iso_id' | 'iso_name' | 'status' | 'state' | 'message' | 'finished_at'>> & {
  /** When to ask about it first. */
  first_poll_at: number;
};

const EVENT_OF_STATE: Record<Task['state'], TaskEvent['type']> = {
  running: 'progress',
  succeeded: 'finished',
  failed: 'failed',
  unknown: 'unknown',
};

/** How the journal is watched for other processes' writes. */
export const WATCH_MS = 250;

export class Journal {
  /** The last version of each task this process has seen or written. */
  private readonly seen = new Map<string, TrackedTask>();
  private readonly changeListeners = new Set<() => void>();
  private watcher: NodeJS.Timeout | null = null;
  private dataVersion = -1;

  constructor(
    private readonly cache: Cache,
    private readonly events: AppEvents,
    private readonly clock: Clock,
    /** This process's claim owner id (claims.ts). */
    readonly owner: string,
  ) {}

  /**
   * Writes the intent, sends the request, records the answer. A request HOSTKEY refused (or that
   * never left) withdraws its intent: nothing happened. One whose fate is unknown stays as unknown.
   */
  async send<T>(intent: Intent, request: () => Promise<T>, accept: (answer: T) => Acceptance, onRefusal?: OnRefusal): Promise<Task> {
    const now = this.clock.now();
    const row: TrackedTask = {
      server_id: null,
      iso_name: null,
      url: null,
      iso_id: null,
      email: null,
      customer_id: null,
      job_key: null,
      job_step: null,
      job_attempt: null,
      ...intent,
      key: randomUUID(),
      task_key: null,
      state: 'running',
      status: null,
      message: null,
      created_at: now,
      accepted_at: null,
      updated_at: now,
      finished_at: null,
      polls: 0,
      next_poll_at: now,
      ok_result: null,
      failures: 0,
      claim_owner: this.owner,
      claim_until: now + CLAIM_MS,
      rev: 0,
    };
    try {
      this.cache.tasks.insert(row);
    } catch (err) {
      throw new AppError('internal', `ISO Desk could not write its task journal (${reasonOf(err)}), so it did not send the ${intent.kind} request.`, {
        hint: 'Nothing was sent to HOSTKEY. Free disk space (or fix the data folder) and try again.',
        cause: err,
      });
    }
    this.announce(row);

    let answer: T;
    try {
      answer = await request();
    } catch (err) {
      this.afterRefusal(row, err, onRefusal?.(err) ?? 'withdraw');
      throw err;
    }

    const accepted = accept(answer);
    const { first_poll_at, ...fields } = accepted;
    const at = this.clock.now();
    const patch: TaskPatch = {
      ...fields,
      accepted_at: at,
      next_poll_at: first_poll_at,
      finished_at: fields.state !== undefined && fields.state !== 'running' ? at : null,
      claim_owner: null,
      claim_until: null,
      updated_at: at,
    };
    try {
      const stored = this.write(row.key, patch, { intent: true, owner: this.owner });
      if (stored) return toTask(stored);
      // This process outlived its claim (a suspended laptop) and the intent was concluded
      // meanwhile: the acceptance becomes a task of its own rather than being lost.
      const late = TrackedTask.parse({ ...row, ...patch, key: randomUUID(), rev: 0 });
      this.cache.tasks.insert(late);
      this.announce(late);
      return toTask(late);
    } catch (err) {
      throw acceptedButNotRecorded(row, accepted, err);
    }
  }

  /** Applies a conditional write (see TaskRepository.advance) and announces it. */
  write(key: string, patch: TaskPatch, cond: TaskCondition = {}): TrackedTask | null {
    const stored = this.cache.tasks.advance(key, { updated_at: this.clock.now(), ...patch }, cond);
    if (stored) this.announce(stored);
    return stored;
  }

  get(key: string): TrackedTask | null {
    return this.cache.tasks.get(key);
  }

  /** Every task, newest first, with intents whose sender is gone concluded first. */
  list(): Task[] {
    this.concludeAbandoned();
    return this.cache.tasks.list().map(toTask);
  }

  /**
   * Intents whose sender died or outlived its claim: their answer was never recorded, so their
   * outcome is unknown. Best effort: a journal that cannot be written (read-only folder) is
   * still listed, the intents still running until a process that can write concludes them.
   */
  concludeAbandoned(): void {
    const now = this.clock.now();
    let intents: TrackedTask[];
    try {
      intents = this.cache.tasks.abandonedIntents(now, deadOwners(this.cache.tasks.claimOwners(now)));
      for (const intent of intents) {
        this.write(
          intent.key,
          { state: 'unknown', message: abandonedMessage(intent), finished_at: now, claim_owner: null, claim_until: null },
          { intent: true },
        );
      }
    } catch {
      /* reading goes on without the conclusions */
    }
  }

  clearFinished(): number {
    const cleared = this.cache.tasks.list().filter((t) => t.state !== 'running');
    const count = this.cache.tasks.clearFinished();
    for (const task of cleared) {
      // Steps of jobs that go on stay (TaskRepository.clearFinished).
      if (this.cache.tasks.get(task.key)) continue;
      this.seen.delete(task.key);
      this.events.emit('tasks/changed', { type: 'cleared', task: toTask(task) });
    }
    return count;
  }

  /** Called whenever another process changed the journal. */
  onExternalChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Starts noticing other processes' writes (idempotent). */
  watch(intervalMs = WATCH_MS): void {
    if (this.watcher) return;
    this.dataVersion = this.cache.tasks.dataVersion();
    for (const task of this.cache.tasks.list()) this.seen.set(task.key, task);
    this.watcher = setInterval(() => this.checkForChanges(), intervalMs);
    this.watcher.unref?.();
  }

  unwatch(): void {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = null;
  }

  /** Compares the journal with what this process last saw; announces every difference. */
  checkForChanges(): void {
    let version: number;
    try {
      version = this.cache.tasks.dataVersion();
    } catch {
      return; // closed under us
    }
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    const revisions = this.cache.tasks.revisions();
    for (const [key, rev] of revisions) {
      if (this.seen.get(key)?.rev === rev) continue;
      const task = this.cache.tasks.get(key);
      if (task) this.announce(task);
    }
    for (const [key, task] of this.seen) {
      if (revisions.has(key)) continue;
      this.seen.delete(key);
      this.events.emit('tasks/changed', { type: 'cleared', task: toTask(task) });
    }
    // Even a change that no event shows (a claim taken or dropped) may change what is due.
    for (const listener of this.changeListeners) listener();
  }

  private announce(task: TrackedTask): void {
    const before = this.seen.get(task.key);
    this.seen.set(task.key, task);
    const type = before === undefined && task.state === 'running' ? 'created' : EVENT_OF_STATE[task.state];
    this.events.emit('tasks/changed', { type, task: toTask(task) });
  }

  /** The request did not go through: a refusal withdraws the intent, an unknown fate is recorded. */
  private afterRefusal(row: TrackedTask, err: unknown, then: 'withdraw' | 'fail'): void {
    try {
      if (then === 'fail' && !(err instanceof AppError && err.kind === 'unknown_outcome')) {
        const message = err instanceof AppError ? err.message : String(err);
        const at = this.clock.now();
        this.write(
          row.key,
          { state: 'failed', status: 'Refused', message, finished_at: at, claim_owner: null, claim_until: null },
          { intent: true, owner: this.owner },
        );
      } else if (err instanceof AppError && err.kind === 'unknown_outcome') {
        this.write(
          row.key,
          {
            state: 'unknown',
            message: `${err.message}. The request may or may not have reached HOSTKEY: check the server before trying again.`,
            finished_at: this.clock.now(),
            claim_owner: null,
            claim_until: null,
          },
          { intent: true, owner: this.owner },
        );
      } else if (this.cache.tasks.withdraw(row.key, this.owner)) {
        this.seen.delete(row.key);
        this.events.emit('tasks/changed', { type: 'cleared', task: toTask(row) });
      }
    } catch {
      // The journal cannot be written: the intent stays and will read as "outcome unknown".
    }
  }
}

export function toTask(t: TrackedTask): Task {
  const { next_poll_at: _n, ok_result: _o, failures: _f, claim_owner: _c, claim_until: _u, rev: _r, job_attempt: _a, ...task } = t;
  return task;
}

function reasonOf(err: unknown): string {
  return clause(err instanceof Error ? err.message : String(err));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2024-05-01 14:03:07", local time. */
function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function abandonedMessage(intent: Pick<TrackedTask, 'created_at'>): string {
  return `Sent at ${localTime(intent.created_at)}, outcome unknown: HOSTKEY's answer was never recorded (ISO Desk stopped, or could not write its journal). Check the server before trying again.`;
}

function what(task: Pick<TrackedTask, 'kind' | 'server_id' | 'iso_name' | 'url'>): string {
  switch (task.kind) {
    case 'mount':
      return `mount of ${task.iso_name ?? 'the ISO'} on server ${task.server_id ?? '?'}`;
    case 'unmount':
      return `unmount on server ${task.server_id ?? '?'}`;
    case 'upload':
      return `upload of ${task.url ?? task.iso_name ?? 'the ISO'}`;
    default:
      return `${task.kind.replace('_', ' ')} on server ${task.server_id ?? '?'}`;
  }
}

function acceptedButNotRecorded(row: TrackedTask, accepted: Acceptance, err: unknown): AppError {
  const handle = accepted.task_key ? ` (task key ${accepted.task_key})` : accepted.iso_id ? ` (ISO id ${accepted.iso_id})` : '';
  return new AppError('internal', `HOSTKEY accepted the ${what(row)}${handle}, but ISO Desk could not record it in its task journal: ${reasonOf(err)}.`, {
    hint: `It goes on at HOSTKEY. Keep the ${accepted.task_key ? 'task key' : 'details'} above, free disk space, and check the result in the HOSTKEY control panel.`,
    cause: err,
  });
}
