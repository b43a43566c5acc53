/**
 * The crash-safe task journal's follower. Mount/unmount task keys and uploads are written to the
 * cache (by `record`) the moment the API returns them; this polls them with backoff until they
 * end, survives restarts (state lives only in the cache), makes no requests while nothing is
 * tracked, and asks about at most `maxPerTick` tasks per wake-up so many tracked tasks cannot
 * flood HOSTKEY. Every change is announced as a typed 'tasks/changed' event.
 */
import { AppError } from '../domain/errors.js';
import type { Task, TaskEvent } from '../domain/models.js';
import type { Cache, TrackedTask } from '../cache/index.js';
import type { HostkeyClient } from '../api/client.js';
import type { AppEvents } from '../events/bus.js';
import { systemClock, type Clock } from '../api/clock.js';
import { TASK_POLL, UPLOAD_POLL, nextPollDelay, type PollBounds } from './schedule.js';
import { matchUpload, uploadState } from './upload-status.js';

export interface TrackerOptions {
  cache: Cache;
  events: AppEvents;
  /** The API client of a profile, or null when it is signed out. */
  clientFor: (profile: string) => Promise<HostkeyClient | null>;
  clock?: Clock;
  taskPoll?: PollBounds;
  uploadPoll?: PollBounds;
  maxPerTick?: number;
}

export type NewTask = Omit<Task, 'created_at' | 'updated_at' | 'finished_at' | 'polls' | 'state' | 'status' | 'message'> &
  Partial<Pick<Task, 'state' | 'status' | 'message'>>;

const FINAL_EVENT: Record<Task['state'], TaskEvent['type']> = {
  running: 'progress',
  succeeded: 'finished',
  failed: 'failed',
  unknown: 'unknown',
};

export class TaskTracker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<void> | null = null;
  /** Set by stop(): a poll in flight finishes its current request and asks no more. */
  private stopping = false;
  private readonly clock: Clock;
  private readonly taskPoll: PollBounds;
  private readonly uploadPoll: PollBounds;
  private readonly maxPerTick: number;

  constructor(private readonly opts: TrackerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.taskPoll = opts.taskPoll ?? TASK_POLL;
    this.uploadPoll = opts.uploadPoll ?? UPLOAD_POLL;
    this.maxPerTick = opts.maxPerTick ?? 8;
  }

  /** Writes a new task to the journal first, then announces it and makes sure it is followed. */
  record(input: NewTask): Task {
    const now = this.clock.now();
    const state = input.state ?? 'running';
    const tracked: TrackedTask = {
      ...input,
      state,
      status: input.status ?? null,
      message: input.message ?? null,
      created_at: now,
      updated_at: now,
      finished_at: state === 'running' ? null : now,
      polls: 0,
      next_poll_at: now + (input.kind === 'upload' ? this.uploadPoll.min : this.taskPoll.min),
      ok_result: null,
      failures: 0,
    };
    this.opts.cache.tasks.insert(tracked);
    const task = toTask(tracked);
    this.emit('created', task);
    this.schedule();
    return task;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.schedule();
  }

  /** Stops polling; resolves once a poll in flight has finished, so the cache can close after it. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** Polls everything that is due now; exposed so the CLI's --wait and tests can drive it. */
  tick(): Promise<void> {
    this.ticking ??= this.pollDue().finally(() => {
      this.ticking = null;
      this.schedule();
    });
    return this.ticking;
  }

  private async pollDue(): Promise<void> {
    const due = this.opts.cache.tasks.due(this.clock.now(), this.maxPerTick);
    const uploadsByProfile = new Map<string, TrackedTask[]>();
    for (const task of due) {
      if (this.stopping) return;
      if (task.kind === 'upload') {
        const list = uploadsByProfile.get(task.profile) ?? [];
        list.push(task);
        uploadsByProfile.set(task.profile, list);
      } else {
        await this.pollTask(task);
      }
    }
    // One `uploaded` read answers for every upload of a profile.
    for (const [profile, tasks] of uploadsByProfile) {
      if (this.stopping) return;
      await this.pollUploads(profile, tasks);
    }
  }

  private schedule(): void {
    if (!this.running || this.ticking) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.opts.cache.tasks.nextDueAt();
    // Nothing tracked: no timer, no requests.
    if (next === null) return;
    const delay = Math.max(0, next - this.clock.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delay);
    this.timer.unref?.();
  }

  private async pollTask(task: TrackedTask): Promise<void> {
    const client = await this.clientOrWait(task);
    if (!client) return;
    let check;
    try {
      check = await client.checkTask(task.key);
    } catch (err) {
      this.transportFailure(task, err, this.taskPoll);
      return;
    }
    const now = this.clock.now();
    switch (check.state) {
      case 'running':
        this.update(task, {
          status: check.status,
          polls: task.polls + 1,
          failures: 0,
          next_poll_at: now + nextPollDelay(this.taskPoll, task.polls + 1, 0, this.clock.random()),
        });
        return;
      case 'ok':
        // HOSTKEY deletes the key after this answer: store it before anything else.
        this.update(task, { ok_result: check.raw, state: 'succeeded', status: 'OK', message: check.message, polls: task.polls + 1, finished_at: now });
        this.markServer(task);
        return;
      case 'failed':
        this.update(task, { state: 'failed', status: 'Error', message: check.message, polls: task.polls + 1, finished_at: now });
        return;
      case 'gone':
        if (task.ok_result !== null) {
          this.update(task, { state: 'succeeded', status: 'OK', finished_at: now });
          this.markServer(task);
        } else {
          this.update(task, {
            state: 'unknown',
            status: null,
            message: `HOSTKEY no longer knows this task (${check.message}) and ISO Desk never saw its result. Check the server to see whether the ${task.kind} happened.`,
            finished_at: now,
          });
        }
        return;
    }
  }

  private async pollUploads(profile: string, tasks: TrackedTask[]): Promise<void> {
    const client = await this.clientOrWait(tasks[0]!);
    if (!client) return;
    let items;
    try {
      items = await client.uploaded();
    } catch (err) {
      for (const task of tasks) this.transportFailure(task, err, this.uploadPoll);
      return;
    }
    const now = this.clock.now();
    this.opts.cache.uploads.replace(profile, null, items, now);
    for (const task of tasks) {
      const image = matchUpload(items, task);
      if (!image) {
        this.update(task, {
          status: task.status ?? 'Sent',
          polls: task.polls + 1,
          failures: 0,
          next_poll_at: now + nextPollDelay(this.uploadPoll, task.polls + 1, 0, this.clock.random()),
        });
        continue;
      }
      const state = uploadState(image.status);
      const status = image.status ?? null;
      if (state === 'running') {
        this.update(task, {
          status,
          iso_id: image.id,
          polls: task.polls + 1,
          failures: 0,
          next_poll_at: now + nextPollDelay(this.uploadPoll, task.polls + 1, 0, this.clock.random()),
        });
      } else {
        const message = state === 'succeeded' ? `${image.iso_name || image.name || 'The ISO'} is ready.` : `HOSTKEY reports the upload as "${status}".`;
        this.update(task, { state, status, iso_id: image.id, message, polls: task.polls + 1, finished_at: now });
      }
    }
  }

  /** Signed-out profiles keep their tasks in the journal; they are asked about again later. */
  private async clientOrWait(task: TrackedTask): Promise<HostkeyClient | null> {
    const client = await this.opts.clientFor(task.profile).catch(() => null);
    if (!client) {
      this.opts.cache.tasks.update(task.key, { next_poll_at: this.clock.now() + (task.kind === 'upload' ? this.uploadPoll.max : this.taskPoll.max) });
    }
    return client;
  }

  private transportFailure(task: TrackedTask, err: unknown, bounds: PollBounds): void {
    const failures = task.failures + 1;
    const problem = err instanceof AppError ? err.message : String(err);
    const next = this.clock.now() + nextPollDelay(bounds, task.polls, failures, this.clock.random());
    this.opts.cache.tasks.update(task.key, { failures, next_poll_at: next, message: `Still waiting: ${problem}`, updated_at: this.clock.now() });
  }

  private markServer(task: TrackedTask): void {
    if (task.server_id === null) return;
    this.opts.cache.servers.setMounted(task.profile, task.server_id, task.kind === 'mount' ? task.iso_name : null);
  }

  private update(task: TrackedTask, patch: Partial<TrackedTask>): void {
    const updated = this.opts.cache.tasks.update(task.key, { ...patch, updated_at: this.clock.now() });
    if (updated) this.emit(FINAL_EVENT[updated.state], toTask(updated));
  }

  private emit(type: TaskEvent['type'], task: Task): void {
    this.opts.events.emit('tasks/changed', { type, task });
  }
}

export function toTask(t: TrackedTask): Task {
  const { next_poll_at: _n, ok_result: _o, failures: _f, ...task } = t;
  return task;
}
