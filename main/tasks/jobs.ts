/**
 * Runs jobs (issue #9): sends each step through the journal (journal.ts `send`: its intent is
 * written, durably, before the request leaves, and HOSTKEY's key right after), lets the tracker
 * follow it to its end, and only then sends the next step. Power and boot actions are never sent
 * again by themselves: a failed step, or one whose outcome is unknown, stops the job until the
 * user retries, skips or cancels it.
 *
 * One process drives a job at a time: it holds the job's claim (claims.ts) while it sends and
 * waits, and renews it. When that process dies, the job's next step is "paused" (job-state.ts):
 * the desktop app resumes it by itself if the job moved recently (RESUME_WINDOW_MS), anyone can
 * resume it by hand, and a step that was in flight reads "outcome unknown" and is never re-sent
 * without the user's word. Every process announces the jobs it sees change ('jobs/changed').
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import { JOB_TITLE, stepLabel, type Job, type JobEvent, type JobKind } from '../domain/jobs.js';
import type { Task } from '../domain/models.js';
import type { Cache, JobPlanStep, JobRow } from '../cache/index.js';
import type { AppEvents } from '../events/bus.js';
import type { HostkeyClient } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import { CLAIM_MS, deadOwners } from './claims.js';
import type { Journal } from './journal.js';
import type { TaskTracker } from './tracker.js';
import { STEP_KIND, planOf, readJob, type JobView } from './job-state.js';

/** The account PIN as the session keeps it (main/session/pin.ts); jobs never store it. */
export interface PinSource {
  get(profile: string): string | undefined;
  /** HOSTKEY refused the PIN (or asked for one): what to tell the user. */
  refused(profile: string, err: AppError): string;
  /** HOSTKEY took a request sent with the PIN. */
  accepted(profile: string): void;
}

export interface JobRunnerOptions {
  cache: Cache;
  journal: Journal;
  tracker: TaskTracker;
  events: AppEvents;
  clock: Clock;
  clientFor: (profile: string) => Promise<HostkeyClient | null>;
  pins: PinSource;
}

export interface NewJob {
  kind: JobKind;
  profile: string;
  server_id: number;
  hostname: string | null;
  main_ip: string | null;
  iso_name?: string | null | undefined;
  /** The steps, as the service planned them for this server (planJob); the usual ones without. */
  plan?: JobPlanStep[] | undefined;
}

/**
 * A job whose next step was not sent because its process stopped is resumed by the desktop app
 * only if it moved this recently: an hour-old "reboot" sent by surprise is worse than a question.
 */
export const RESUME_WINDOW_MS = 10 * 60_000;
/** How often a driving process renews its claims, and the app looks for jobs to resume. */
const RENEW_MS = 30_000;
const NO_KEY = 'HOSTKEY accepted the request but returned no task key, so ISO Desk cannot tell how it ended. Check the server.';

export class JobRunner {
  /** Jobs this process drives. */
  private readonly driving = new Set<string>();
  /** Per job: the pass running now, and whether another was asked for meanwhile. */
  private readonly passes = new Map<string, { running: Promise<void>; again: boolean }>();
  private readonly lastState = new Map<string, Job['state']>();
  private jobRevisions = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private autoResume = false;
  private readonly unsubscribe: Array<() => void> = [];
  private closed = false;
  /** Aborted by stop(): a call waiting for a job ends, so closing never waits on HOSTKEY. */
  private readonly closing = new AbortController();

  constructor(private readonly opts: JobRunnerOptions) {
    this.unsubscribe.push(
      opts.events.on('tasks/changed', (event) => this.onTask(event.task, event.type)),
      opts.journal.onExternalChange(() => this.onExternalChange()),
    );
  }

  private get owner(): string {
    return this.opts.journal.owner;
  }

  /**
   * Starts watching for jobs to drive: renews this process's claims, and with `autoResume` (the
   * desktop app) resumes recent paused jobs, now and whenever the journal changes.
   */
  start(opts: { autoResume?: boolean } = {}): void {
    this.autoResume = this.autoResume || opts.autoResume === true;
    this.jobRevisions = this.opts.cache.jobs.revisions();
    if (!this.timer) {
      this.timer = setInterval(() => this.housekeeping(), RENEW_MS);
      this.timer.unref?.();
    }
    this.housekeeping();
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe) off();
    await Promise.all([...this.passes.values()].map((p) => p.running));
    try {
      this.opts.cache.jobs.releaseAll(this.owner);
    } catch {
      // Claims also run out by themselves.
    }
  }

  list(profile?: string): Job[] {
    this.opts.journal.concludeAbandoned();
    return this.opts.cache.jobs.list(profile).map((row) => this.view(row).job);
  }

  get(key: string): Job {
    const row = this.opts.cache.jobs.get(key);
    if (!row) throw new AppError('not_found', 'There is no such job.', { hint: 'Clearing finished jobs removes them; list them again.' });
    return this.view(row).job;
  }

  /** Writes the job (durably, claimed by this process) and starts sending its first step. */
  create(spec: NewJob): Job {
    const now = this.opts.clock.now();
    const busy = this.opts.cache.jobs
      .list(spec.profile)
      .filter((r) => r.server_id === spec.server_id && r.ended === null && r.kind !== 'power_status' && spec.kind !== 'power_status')
      .map((r) => this.view(r).job)
      .find((j) => j.state !== 'succeeded' && j.state !== 'cancelled');
    if (busy) {
      throw new AppError('validation', `Server ${spec.server_id} already has a job that has not ended: ${JOB_TITLE[busy.kind]} (${busy.state}).`, {
        hint: 'Let it finish, or cancel it first (isodesk tasks, or the task centre), so two jobs never reboot the same server.',
      });
    }
    const row: JobRow = {
      key: randomUUID(),
      profile: spec.profile,
      kind: spec.kind,
      server_id: spec.server_id,
      hostname: spec.hostname,
      main_ip: spec.main_ip,
      iso_name: spec.iso_name ?? null,
      plan: spec.plan ?? planOf(spec.kind, spec.iso_name ?? null),
      created_at: now,
      updated_at: now,
      ended: null,
      finished_at: null,
      waiting_pin: false,
      note: null,
      claim_owner: this.owner,
      claim_until: now + CLAIM_MS,
      rev: 0,
    };
    try {
      this.opts.cache.jobs.insert(row);
    } catch (err) {
      throw new AppError(
        'storage',
        `ISO Desk could not write the job to its journal (${err instanceof Error ? err.message : String(err)}), so it sent nothing.`,
        {
          cause: err,
        },
      );
    }
    const job = this.announce(row);
    this.drive(row.key);
    return job;
  }

  /** Sends the stopped step again (the user's word: after a failure, or once they checked an unknown outcome). */
  retry(key: string): Job {
    const view = this.require(key);
    const { job, attempt } = view;
    if (job.state === 'needs_pin' || job.state === 'paused') return this.takeOver(key, job);
    if (job.state !== 'stopped' || job.current === null) throw notNow(job, 'retried');
    this.opts.cache.jobs.decide({ job_key: key, step: job.current, attempt: attempt?.job_attempt ?? 0, decision: 'retry', at: this.opts.clock.now() });
    return this.takeOver(key, job);
  }

  /** Goes on without the current step (e.g. a server that refuses boot_dev). */
  skip(key: string): Job {
    const { job, attempt } = this.require(key);
    if (!['stopped', 'paused', 'needs_pin'].includes(job.state) || job.current === null) throw notNow(job, 'skipped');
    this.opts.cache.jobs.decide({ job_key: key, step: job.current, attempt: attempt?.job_attempt ?? 0, decision: 'skip', at: this.opts.clock.now() });
    return this.takeOver(key, job);
  }

  /** Sends no more steps; a step already sent goes on at HOSTKEY and is still followed. */
  cancel(key: string): Job {
    const { job } = this.require(key);
    if (job.state === 'succeeded' || job.state === 'cancelled') throw notNow(job, 'cancelled');
    const running = job.steps.find((s) => s.state === 'running');
    const at = job.current === null ? '' : ` at step ${job.current + 1} of ${job.steps.length}`;
    const note = running
      ? `Cancelled${at}. "${stepLabel(running)}" had already been sent: HOSTKEY goes on with it, and ISO Desk still follows it.`
      : `Cancelled${at}; no further step was sent.`;
    this.opts.cache.jobs.end(key, 'cancelled', note, this.opts.clock.now());
    this.driving.delete(key);
    return this.emitFor(key);
  }

  /** Sends the next step of a paused job. */
  resume(key: string): Job {
    const { job, attempt } = this.require(key);
    if (job.state !== 'paused' && job.state !== 'needs_pin') throw notNow(job, 'resumed');
    if (job.current !== null) {
      this.opts.cache.jobs.decide({ job_key: key, step: job.current, attempt: attempt?.job_attempt ?? 0, decision: 'resume', at: this.opts.clock.now() });
    }
    return this.takeOver(key, job);
  }

  /** The PIN was given: every job of the profile that waited for it goes on. How many. */
  pinGiven(profile: string): number {
    let resumed = 0;
    for (const row of this.opts.cache.jobs.list(profile)) {
      if (row.ended !== null || !row.waiting_pin) continue;
      this.opts.cache.jobs.setWaitingPin(row.key, false, null, this.opts.clock.now());
      if (this.claim(row.key)) {
        this.drive(row.key);
        resumed++;
      }
    }
    return resumed;
  }

  /** Clears ended jobs and their steps. */
  clearEnded(): number {
    const ended = this.opts.cache.jobs.list().filter((r) => r.ended !== null);
    const count = this.opts.cache.jobs.clearEnded();
    for (const row of ended) {
      if (this.opts.cache.jobs.get(row.key)) continue;
      this.lastState.delete(row.key);
      this.opts.events.emit('jobs/changed', { type: 'cleared', job: readJob(row, [], [], false).job });
    }
    return count;
  }

  /**
   * Resolves once the job no longer runs, or (`untilSent`) once its last step has been accepted
   * by HOSTKEY. The data folder decides, whichever process writes it.
   */
  waitFor(key: string, opts: { untilSent?: boolean; signal?: AbortSignal } = {}): Promise<Job> {
    return new Promise<Job>((resolve, reject) => {
      const check = () => {
        let job: Job;
        try {
          job = this.get(key);
        } catch (err) {
          finish();
          reject(err);
          return;
        }
        const last = job.steps.at(-1);
        const handedOver = opts.untilSent && job.current === job.steps.length - 1 && last?.state === 'running' && this.lastAccepted(key);
        if (job.state === 'running' && !handedOver) return;
        finish();
        resolve(job);
      };
      const recheck = setInterval(check, 1000);
      const off = this.opts.events.on('jobs/changed', ({ job }) => {
        if (job.key === key) check();
      });
      const closing = this.closing.signal;
      const onAbort = () => {
        finish();
        reject(new AppError('usage', 'Stopped waiting.', { hint: null }));
      };
      opts.signal?.addEventListener('abort', onAbort);
      closing.addEventListener('abort', onAbort);
      function finish(): void {
        clearInterval(recheck);
        off();
        opts.signal?.removeEventListener('abort', onAbort);
        closing.removeEventListener('abort', onAbort);
      }
      this.opts.tracker.start();
      check();
    });
  }

  private lastAccepted(key: string): boolean {
    const last = this.opts.cache.tasks.forJob(key).at(-1);
    return last !== undefined && last.accepted_at !== null;
  }

  private require(key: string): JobView {
    const row = this.opts.cache.jobs.get(key);
    if (!row) throw new AppError('not_found', 'There is no such job.', { hint: 'List jobs again: it may have been cleared.' });
    return this.view(row);
  }

  /** Claims the job for this process (the user's decision was made here) and drives it. */
  private takeOver(key: string, before: Job): Job {
    if (!this.claim(key)) {
      throw new AppError('validation', `Another ISO Desk process is driving this ${JOB_TITLE[before.kind]} job right now.`, {
        hint: 'Let that one go on (the app, or an isodesk command still running).',
      });
    }
    // A new decision replaces whatever the job waited for (the PIN, a sign-in).
    this.opts.cache.jobs.setWaitingPin(key, false, null, this.opts.clock.now());
    const job = this.emitFor(key);
    this.drive(key);
    return job;
  }

  private claim(key: string): boolean {
    const now = this.opts.clock.now();
    const dead = deadOwners(this.opts.cache.jobs.claimOwners(now));
    return this.opts.cache.jobs.claim(key, this.owner, now, now + CLAIM_MS, dead);
  }

  private drive(key: string): void {
    if (this.closed) return;
    this.driving.add(key);
    this.kick(key);
  }

  /** One pass over the job at a time; a kick during a pass asks for one more. */
  private kick(key: string): void {
    const current = this.passes.get(key);
    if (current) {
      current.again = true;
      return;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      do {
        entry.again = false;
        try {
          await this.pass(key);
        } catch {
          // A pass that failed (journal unwritable, signed out) leaves the job as the data folder says.
        }
      } while (entry.again && !this.closed);
      this.passes.delete(key);
    })();
    this.passes.set(key, entry);
  }

  private async pass(key: string): Promise<void> {
    const row = this.opts.cache.jobs.get(key);
    if (!row || row.ended !== null || !this.driving.has(key)) {
      this.driving.delete(key);
      return;
    }
    const view = this.view(row);
    switch (view.move.kind) {
      case 'done':
        this.finish(row);
        this.driving.delete(key);
        return;
      case 'wait':
        return;
      case 'send':
        if (!this.claim(key)) {
          this.driving.delete(key);
          this.emitFor(key);
          return;
        }
        await this.send(row, view.move.step, view.move.attempt);
        this.kick(key);
        return;
      default:
        // Stopped, waiting for the PIN, or ended: the user decides; let others take it over.
        this.driving.delete(key);
        this.opts.cache.jobs.release(key, this.owner);
        this.emitFor(key);
    }
  }

  /** Sends one step: intent first, HOSTKEY's key next, the tracker follows it. */
  private async send(row: JobRow, index: number, attempt: number): Promise<void> {
    const plan = row.plan[index]!;
    const client = await this.opts.clientFor(row.profile);
    if (!client) return this.pause(row.key, `Profile "${row.profile}" is signed out: sign in again, then resume the job.`);
    const pin = this.opts.pins.get(row.profile);
    try {
      await this.opts.journal.send(
        {
          kind: STEP_KIND[plan.action],
          profile: row.profile,
          server_id: row.server_id,
          iso_name: plan.iso_name,
          job_key: row.key,
          job_step: index,
          job_attempt: attempt,
        },
        () => request(client, row.server_id, plan, pin),
        (taskKey) => {
          const first_poll_at = this.opts.tracker.firstPollAt(STEP_KIND[plan.action]);
          return taskKey ? { task_key: taskKey, first_poll_at } : { state: 'unknown', message: NO_KEY, first_poll_at };
        },
        // A PIN problem sent nothing: the step waits for the PIN. Any other refusal stops the job on it.
        (err) => (isPinProblem(err) ? 'withdraw' : 'fail'),
      );
      if (pin !== undefined) this.opts.pins.accepted(row.profile);
      this.opts.tracker.wake();
    } catch (err) {
      if (isPinProblem(err)) {
        const note = this.opts.pins.refused(row.profile, err);
        this.opts.cache.jobs.setWaitingPin(row.key, true, note, this.opts.clock.now());
        return;
      }
      // A refusal or an unknown outcome is in the journal, read by the next pass. An intent that
      // could not even be written sent nothing: the job pauses with the reason, never loops.
      const recorded = this.opts.cache.tasks.forJob(row.key).some((t) => t.job_step === index && t.job_attempt === attempt);
      if (!recorded) this.pause(row.key, err instanceof AppError ? err.message : String(err));
    }
  }

  /** Stops driving a job whose next step could not be sent, saying why (shown while it is paused). */
  private pause(key: string, why: string): void {
    this.driving.delete(key);
    this.opts.cache.jobs.setWaitingPin(key, false, why, this.opts.clock.now());
    this.opts.cache.jobs.release(key, this.owner);
    this.emitFor(key);
  }

  private finish(row: JobRow): void {
    const ended = this.opts.cache.jobs.end(row.key, 'succeeded', null, this.opts.clock.now());
    if (ended) this.announce(ended);
  }

  /** The job as it stands, its claim alive or not. */
  private view(row: JobRow): JobView {
    const now = this.opts.clock.now();
    const driven =
      row.claim_owner !== null &&
      row.claim_until !== null &&
      row.claim_until > now &&
      (row.claim_owner === this.owner ? this.driving.has(row.key) || this.passes.has(row.key) : deadOwners([row.claim_owner]).length === 0);
    return readJob(row, this.opts.cache.tasks.forJob(row.key), this.opts.cache.jobs.decisions(row.key), driven);
  }

  private emitFor(key: string): Job {
    const row = this.opts.cache.jobs.get(key);
    if (!row) throw new AppError('not_found', 'There is no such job.');
    return this.announce(row);
  }

  private announce(row: JobRow): Job {
    const { job } = this.view(row);
    const before = this.lastState.get(job.key);
    this.lastState.set(job.key, job.state);
    const ended = job.state === 'succeeded' || job.state === 'cancelled';
    const type: JobEvent['type'] = before === undefined && !ended ? 'created' : ended && before !== job.state ? 'ended' : 'changed';
    this.opts.events.emit('jobs/changed', { type, job });
    return job;
  }

  /** A task changed (here or in another process): record what it tells of the server, and move its job on. */
  private onTask(task: Task, type: string): void {
    if (this.closed) return;
    try {
      if (!task.job_key || type === 'cleared') return;
      const row = this.opts.cache.jobs.get(task.job_key);
      if (!row) return;
      const view = this.view(row);
      if (view.move.kind === 'done') this.finish(row);
      else this.announce(row);
      if (this.driving.has(row.key)) this.kick(row.key);
      else if (this.autoResume) this.maybeResume(row, view.job);
    } catch {
      // The cache is closing, or cannot be read: the next change tries again.
    }
  }

  /** Another process wrote the data folder: announce the jobs whose rows changed, resume what is ours to. */
  private onExternalChange(): void {
    if (this.closed) return;
    try {
      const revisions = this.opts.cache.jobs.revisions();
      for (const [key, rev] of revisions) {
        if (this.jobRevisions.get(key) === rev) continue;
        const row = this.opts.cache.jobs.get(key);
        if (row) this.announce(row);
      }
      for (const key of this.jobRevisions.keys()) {
        if (revisions.has(key)) continue;
        this.lastState.delete(key);
      }
      this.jobRevisions = revisions;
      if (this.autoResume) this.resumeRecent();
    } catch {
      // The cache is closing.
    }
  }

  private housekeeping(): void {
    if (this.closed) return;
    try {
      const now = this.opts.clock.now();
      for (const key of this.driving) if (!this.opts.cache.jobs.claim(key, this.owner, now, now + CLAIM_MS, [])) this.driving.delete(key);
      if (this.autoResume) this.resumeRecent();
    } catch {
      // Retried at the next round.
    }
  }

  /** Paused jobs that moved within RESUME_WINDOW_MS go on; older ones wait for the user. */
  private resumeRecent(): void {
    for (const row of this.opts.cache.jobs.list()) {
      if (row.ended !== null || row.waiting_pin || this.driving.has(row.key)) continue;
      this.maybeResume(row, this.view(row).job);
    }
  }

  private maybeResume(row: JobRow, job: Job): void {
    if (job.state !== 'paused' || row.note !== null || this.opts.clock.now() - job.updated_at > RESUME_WINDOW_MS) return;
    if (this.claim(row.key)) this.drive(row.key);
  }
}

function isPinProblem(err: unknown): err is AppError {
  return err instanceof AppError && (err.kind === 'pin_required' || err.kind === 'pin_locked');
}

function notNow(job: Job, what: string): AppError {
  return new AppError('validation', `This ${JOB_TITLE[job.kind]} job cannot be ${what} now: it is ${job.state.replace('_', ' ')}.`, {
    hint: job.choices.length ? `It can be: ${job.choices.join(', ')}.` : 'It has ended.',
  });
}

/** The HOSTKEY request of one step; resolves to its task key (null when HOSTKEY gave none). */
function request(client: HostkeyClient, serverId: number, plan: JobPlanStep, pin: string | undefined): Promise<string | null> {
  switch (plan.action) {
    case 'mount_iso':
      return client.mountIso(serverId, plan.iso_name ?? '');
    case 'unmount_iso':
      return client.unmountIso(serverId);
    case 'boot_dev':
      return client.bootDevice(serverId, plan.media ?? 'disk', pin);
    case 'on':
    case 'off':
    case 'reboot':
    case 'status':
      return client.power(serverId, plan.action, pin);
  }
}
