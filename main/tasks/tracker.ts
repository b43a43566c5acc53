/**
 * Follows the journal's running tasks to their end, as one of possibly several processes doing
 * so on the same data folder. Each request starts with a claim (one process asks about a task at
 * a time) and a token from the budget all processes share (≤ 2 requests/s, bursts of 4 by
 * default), taken longest-waiting task first so none starves. Results are written under
 * conditions (journal.ts), so a process with a stale view can never overwrite a result. No
 * timers and no requests while nothing runs; it wakes when another process writes a task.
 */
import { AppError } from '../domain/errors.js';
import type { HistoryEntry, IsoImage } from '../domain/models.js';
import type { Cache, TrackedTask } from '../cache/index.js';
import type { HostkeyClient } from '../api/client.js';
import { systemClock, type Clock } from '../api/clock.js';
import { CLAIM_MS, deadOwners } from './claims.js';
import type { Journal } from './journal.js';
import { TASK_POLL, UPLOAD_POLL, nextPollDelay, type PollBounds } from './schedule.js';
import { matchUpload, uploadState } from './upload-status.js';
import { recordServerState } from './server-state.js';

export interface TrackerOptions {
  cache: Cache;
  journal: Journal;
  /** The API client of a profile, or null when it is signed out. */
  clientFor: (profile: string) => Promise<HostkeyClient | null>;
  clock?: Clock;
  taskPoll?: PollBounds;
  uploadPoll?: PollBounds;
  /** How often the journal is checked for other processes' writes while tracking (ms). */
  watchMs?: number;
}

/** While another live process holds claims, look again this often whether it still lives. */
const LIVENESS_RECHECK_MS = 5_000;
/** Requests per pump before it yields to the event loop (and to tick()'s caller). */
const MAX_PER_PUMP = 32;
/** Refusals that will not change by asking again. */
const REFUSALS = new Set(['validation', 'permission', 'not_found']);
/**
 * Tasks that only read: nothing at HOSTKEY waits on them, and a reading that comes late is stale,
 * so one whose answer cannot be fetched ends there (the user reads again) instead of being asked
 * about, with backoff, for as long as HOSTKEY stays out of reach.
 */
const READS = new Set<TrackedTask['kind']>(['power_status']);

export class TaskTracker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private pumping: Promise<void> | null = null;
  /** A wake-up that came while pumping: pump once more afterwards. */
  private again = false;
  /** Set by stop(): a poll in flight finishes its current request and asks no more. */
  private stopping = false;
  private readonly abort = new AbortController();
  private stopWatching: (() => void) | null = null;
  private readonly clock: Clock;
  private readonly taskPoll: PollBounds;
  private readonly uploadPoll: PollBounds;

  constructor(private readonly opts: TrackerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.taskPoll = opts.taskPoll ?? TASK_POLL;
    this.uploadPoll = opts.uploadPoll ?? UPLOAD_POLL;
  }

  get journal(): Journal {
    return this.opts.journal;
  }

  /** The first poll of a newly accepted task. */
  firstPollAt(kind: TrackedTask['kind']): number {
    return this.clock.now() + (kind === 'upload' ? this.uploadPoll.min : this.taskPoll.min);
  }

  /** Whether it follows the journal's tasks now (start() was called, stop() was not). */
  get following(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.opts.journal.watch(this.opts.watchMs);
    this.stopWatching = this.opts.journal.onExternalChange(() => this.wake());
    this.wake();
  }

  /** Stops polling; resolves once a poll in flight has finished, so the cache can close after it. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopWatching?.();
    this.stopWatching = null;
    this.opts.journal.unwatch();
    await this.pumping;
    try {
      this.opts.cache.tasks.release(this.opts.journal.owner);
    } catch {
      // Claims also run out by themselves.
    }
  }

  /** Something may be due now: a task was accepted, or another process wrote the journal. */
  wake(): void {
    if (!this.running) return;
    void this.tick();
  }

  /** Polls everything that is due now, as far as the shared budget allows; the CLI and tests drive it. */
  tick(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = this.pump()
      .catch(() => this.clock.now() + this.taskPoll.max)
      .then((wakeAt) => {
        this.pumping = null;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.schedule(wakeAt);
        }
      });
    return this.pumping;
  }

  /** Polls until nothing is due or the budget says wait; answers when to look again (null: never). */
  private async pump(): Promise<number | null> {
    const { cache, journal } = this.opts;
    for (let polled = 0; !this.stopping; polled++) {
      if (polled === MAX_PER_PUMP) return this.clock.now();
      journal.concludeAbandoned();
      const now = this.clock.now();
      const owners = cache.tasks.claimOwners(now);
      const dead = deadOwners(owners);
      const answer = cache.tasks.claimNext({ owner: journal.owner, now, claimMs: CLAIM_MS, dead });
      if (answer.kind === 'wait') return now + answer.waitMs;
      if (answer.kind === 'idle') {
        const othersAlive = owners.some((o) => o !== journal.owner && !dead.includes(o));
        return othersAlive ? Math.min(answer.nextAt ?? Infinity, now + LIVENESS_RECHECK_MS) : answer.nextAt;
      }
      const [first] = answer.tasks;
      if (!first) continue;
      if (first.kind === 'upload') await this.pollUploads(answer.tasks);
      else await this.pollTask(first);
    }
    return null;
  }

  private schedule(wakeAt: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Nothing running: no timer, no requests (the journal watch wakes it when that changes).
    if (!this.running || wakeAt === null) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.tick();
      },
      Math.max(0, wakeAt - this.clock.now()),
    );
    this.timer.unref?.();
  }

  private async pollTask(task: TrackedTask): Promise<void> {
    const { journal } = this.opts;
    const client = await this.clientOrWait(task);
    if (!client) return;
    if (task.task_key === null) {
      this.keyGone(task, 'no task key was recorded', this.clock.now());
      return;
    }
    let check;
    try {
      check = await client.checkTask(task.task_key);
    } catch (err) {
      if (READS.has(task.kind)) this.readFailed(task, err);
      else this.transportFailure(task, err, this.taskPoll);
      return;
    }
    const now = this.clock.now();
    const ended = { polls: task.polls + 1, finished_at: now, claim_owner: null, claim_until: null };
    switch (check.state) {
      case 'running':
        journal.write(task.key, { status: check.status, ...this.nextPoll(task, this.taskPoll, now) }, { owner: journal.owner });
        return;
      case 'ok':
        // HOSTKEY deletes the key after this answer: store it (durably) before anything else.
        if (journal.write(task.key, { ...ended, ok_result: check.raw, state: 'succeeded', status: 'OK', message: check.message })) {
          this.markServer(task, check.message, now);
        }
        return;
      case 'failed':
        journal.write(task.key, { ...ended, state: 'failed', status: 'Error', message: check.message });
        return;
      case 'gone':
        this.keyGone(task, check.message, now);
        return;
    }
  }

  /**
   * "AsyncKey not found": HOSTKEY has forgotten the key. Another process may have stored the OK
   * meanwhile, so the row as it is now decides, not this process's copy of it.
   */
  private keyGone(task: TrackedTask, problem: string, now: number): void {
    const { journal } = this.opts;
    const current = journal.get(task.key);
    if (!current || current.state !== 'running') return;
    const ended = { finished_at: now, claim_owner: null, claim_until: null };
    if (current.ok_result !== null) {
      if (journal.write(task.key, { ...ended, state: 'succeeded', status: 'OK' })) this.markServer(task, current.message, now);
      return;
    }
    journal.write(
      task.key,
      {
        ...ended,
        state: 'unknown',
        status: null,
        message: `HOSTKEY no longer knows this task (${problem}) and ISO Desk never saw its result. Check the server to see whether the ${task.kind} happened.`,
      },
      { owner: journal.owner },
    );
  }

  /** One `uploaded` read answers for every claimed upload (one profile, one customer). */
  private async pollUploads(tasks: TrackedTask[]): Promise<void> {
    const { cache, journal } = this.opts;
    const { profile, email } = tasks[0]!;
    const client = await this.clientOrWait(tasks[0]!, tasks);
    if (!client) return;
    let items: IsoImage[];
    try {
      items = await client.uploaded(email ?? undefined);
    } catch (err) {
      if (err instanceof AppError && REFUSALS.has(err.kind)) {
        for (const task of tasks) this.refused(task, err);
      } else {
        for (const task of tasks) this.transportFailure(task, err, this.uploadPoll);
      }
      return;
    }
    const now = this.clock.now();
    cache.uploads.replace(profile, email, items, now);
    // An image another task already follows (an earlier upload of the same URL) is not this one.
    const held = new Set(cache.tasks.list(profile).flatMap((t) => (t.iso_id === null ? [] : [t.iso_id])));
    for (const task of tasks) {
      const image = matchUpload(items, task, held);
      if (!image) {
        journal.write(task.key, { status: task.status ?? 'Sent', ...this.nextPoll(task, this.uploadPoll, now) }, { owner: journal.owner });
        continue;
      }
      held.add(image.id);
      const state = uploadState(image.status);
      const status = image.status ?? null;
      const found = { status, iso_id: image.id, iso_name: task.iso_name ?? (image.iso_name || null) };
      if (state === 'running') {
        journal.write(task.key, { ...found, ...this.nextPoll(task, this.uploadPoll, now) }, { owner: journal.owner });
        continue;
      }
      const message = state === 'succeeded' ? `${image.iso_name || image.name || 'The ISO'} is ready.` : await this.failureReason(client, task, image);
      journal.write(task.key, { ...found, state, message, polls: task.polls + 1, finished_at: this.clock.now(), claim_owner: null, claim_until: null });
    }
  }

  /** HOSTKEY's own words for a failed upload: the image's latest history entry. */
  private async failureReason(client: HostkeyClient, task: TrackedTask, image: IsoImage): Promise<string> {
    const fallback = `HOSTKEY reports the upload as "${image.status ?? 'failed'}".`;
    if (!(await this.waitForToken())) return fallback;
    try {
      const entries = await client.history(image.id);
      this.opts.cache.history.replace(task.profile, image.id, entries, this.clock.now());
      const latest = newestEntry(entries);
      const reason = latest && [latest.description, latest.message].filter(Boolean).join(': ');
      return reason || fallback;
    } catch {
      return fallback;
    }
  }

  /** Waits for one request of the shared budget; false when stopping. */
  private async waitForToken(): Promise<boolean> {
    while (!this.stopping) {
      const waitMs = this.opts.cache.tasks.takeToken(this.clock.now());
      if (waitMs === 0) return true;
      await this.clock.sleep(waitMs, this.abort.signal);
    }
    return false;
  }

  private nextPoll(task: TrackedTask, bounds: PollBounds, now: number) {
    return {
      polls: task.polls + 1,
      failures: 0,
      next_poll_at: now + nextPollDelay(bounds, task.polls + 1, 0, this.clock.random()),
      claim_owner: null,
      claim_until: null,
    };
  }

  /** Signed-out profiles keep their tasks in the journal; they are asked about again later. */
  private async clientOrWait(task: TrackedTask, group: TrackedTask[] = [task]): Promise<HostkeyClient | null> {
    const client = await this.opts.clientFor(task.profile).catch(() => null);
    if (!client && READS.has(task.kind)) {
      // A reading is wanted now, by someone waiting for it: it ends rather than waits for a sign-in.
      const signedOut = new AppError('auth', 'The profile was signed out before HOSTKEY answered.');
      for (const t of group) this.readFailed(t, signedOut);
      return null;
    }
    if (!client) {
      const later = this.clock.now() + (task.kind === 'upload' ? this.uploadPoll.max : this.taskPoll.max);
      for (const t of group)
        this.opts.cache.tasks.advance(t.key, { next_poll_at: later, claim_owner: null, claim_until: null }, { owner: this.opts.journal.owner });
    }
    return client;
  }

  private transportFailure(task: TrackedTask, err: unknown, bounds: PollBounds): void {
    const failures = task.failures + 1;
    const problem = err instanceof AppError ? err.message : String(err);
    const next = this.clock.now() + nextPollDelay(bounds, task.polls, failures, this.clock.random());
    this.opts.journal.write(
      task.key,
      { failures, next_poll_at: next, message: `Still waiting: ${problem}`, claim_owner: null, claim_until: null },
      { owner: this.opts.journal.owner },
    );
  }

  /** A reading whose answer could not be fetched ends with why (the transport already asked again). */
  private readFailed(task: TrackedTask, err: unknown): void {
    const problem = err instanceof AppError ? err.message : String(err);
    this.opts.journal.write(
      task.key,
      { state: 'failed', status: null, message: problem, polls: task.polls + 1, finished_at: this.clock.now(), claim_owner: null, claim_until: null },
      { owner: this.opts.journal.owner },
    );
  }

  /** HOSTKEY will not list this upload (e.g. a role that may not): asking again would not change that. */
  private refused(task: TrackedTask, err: AppError): void {
    this.opts.journal.write(task.key, {
      state: 'unknown',
      message: `HOSTKEY refuses to list this upload (${err.message}), so ISO Desk cannot follow it. Check "My uploads" in the HOSTKEY control panel.`,
      finished_at: this.clock.now(),
      claim_owner: null,
      claim_until: null,
    });
  }

  private markServer(task: TrackedTask, message: string | null, at: number): void {
    try {
      recordServerState(this.opts.cache, task, message, at);
    } catch {
      // What the server looks like is a convenience; the task's outcome is already stored.
    }
  }
}

/** The latest entry: by date (HOSTKEY's "YYYY-MM-DD HH:MM:SS" sorts as text), then id. */
function newestEntry(entries: HistoryEntry[]): HistoryEntry | undefined {
  return [...entries].sort((a, b) => (a.date === b.date ? b.id - a.id : a.date < b.date ? 1 : -1))[0];
}
