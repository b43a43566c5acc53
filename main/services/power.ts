/**
 * The power state of servers: what ISO Desk last read (with when), and a fresh reading through a
 * status job when asked. A status read is a job of one step like any power action, so it is in
 * the record; it is a read, so a failed or PIN-blocked one is cancelled rather than left waiting.
 *
 * After a power action (or a job that ends with a reboot or power on) the state is followed to
 * its end: HOSTKEY is asked for the status again, with backoff and through the poll budget every
 * process shares, until it says what the action leads to, or a time limit passes — then the record
 * says the state could not be confirmed. One rule for the desktop app (which follows every power
 * job that ends) and the CLI's `--wait` (power, boot, and `tasks retry|skip|resume`).
 */
import { AppError } from '../domain/errors.js';
import type { Job, PowerState, PowerStatus } from '../domain/jobs.js';
import type { Cache } from '../cache/index.js';
import type { Clock } from '../api/clock.js';
import type { JobRunner } from '../tasks/jobs.js';
import type { PinKeeper } from '../session/pin.js';
import type { BootService } from './boot.js';
import type { SessionService } from './session.js';
import { clause } from '../domain/clause.js';

/**
 * How long a refresh waits while HOSTKEY keeps saying its status task is not ready, before
 * answering with what it has (and the job, still followed). A reading that fails, cannot reach
 * HOSTKEY, or whose process stops ends at once, with why.
 */
const REFRESH_WAIT_MS = 90_000;

/** How a power action is followed: first wait, longest wait between readings, and when to give up (ms). */
export interface SettleTiming {
  firstMs: number;
  maxMs: number;
  limitMs: number;
}
/** A reboot takes a minute or a few; bare metal with a slow POST, longer: five minutes, then say so. */
export const SETTLE_TIMING: SettleTiming = { firstMs: 5_000, maxMs: 30_000, limitMs: 5 * 60_000 };

/** What the power steps of a job lead to: on (on, reboot) or off. */
const LEADS_TO: Partial<Record<Job['steps'][number]['action'], Exclude<PowerState, 'rebooting' | 'unknown'>>> = { on: 'on', reboot: 'on', off: 'off' };

/** How following a power action ended. */
export interface Settled {
  status: PowerStatus;
  /** HOSTKEY said the expected state before the time limit. */
  confirmed: boolean;
}

export class PowerService {
  /** Servers whose state this process follows now (profile/server → the state awaited, and that following). */
  private readonly following = new Map<string, { expected: 'on' | 'off'; settling: Promise<Settled> }>();

  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly runner: JobRunner,
    private readonly boot: BootService,
    private readonly pins: PinKeeper,
    private readonly clock: Clock,
    private readonly timing: SettleTiming = SETTLE_TIMING,
    private readonly stopping?: AbortSignal,
    /** Told when following a server's power begins, reads it on the way, and ends ('power/changed'). */
    private readonly changed?: (status: PowerStatus) => void,
  ) {}

  /** What is known; with `refresh`, after asking HOSTKEY. */
  async status(serverId: number, refresh: boolean): Promise<PowerStatus> {
    if (!refresh) return this.known(this.session.active().name, serverId, null);
    const job = await this.read(serverId);
    return this.known(job.profile, serverId, job.state === 'running' ? job.key : null);
  }

  list(): PowerStatus[] {
    const profile = this.session.active().name;
    return this.cache.serverPower.list(profile).map((row) => this.known(profile, row.server_id, null));
  }

  /** The state a job's last successful power step leads to (on, off), or null when it has none. */
  static expectedAfter(job: Job): Exclude<PowerState, 'rebooting' | 'unknown'> | null {
    if (job.state !== 'succeeded') return null;
    const last = [...job.steps].reverse().find((s) => LEADS_TO[s.action] !== undefined);
    return last?.state === 'succeeded' ? (LEADS_TO[last.action] ?? null) : null;
  }

  /**
   * Follows the server's power after an action until HOSTKEY says `expected`, or the time limit
   * passes (then the record says it could not be confirmed). Readings another process makes
   * meanwhile count: a status job already running for the server is waited for, not doubled.
   */
  settle(serverId: number, expected: 'on' | 'off', signal?: AbortSignal): Promise<Settled> {
    const profile = this.session.active().name;
    const mark = `${profile}/${serverId}`;
    const current = this.following.get(mark);
    // The app and a CLI in this process may both follow the same action: one following.
    if (current?.expected === expected) return current.settling;
    const entry = { expected, settling: Promise.resolve<Settled>({ status: this.known(profile, serverId, null), confirmed: false }) };
    // A newer action replaces an older one's following, which then ends without writing anything.
    const superseded = () => this.following.get(mark) !== entry;
    const done = () => {
      if (superseded()) return;
      this.following.delete(mark);
      this.tell(profile, serverId);
    };
    entry.settling = this.follow(profile, serverId, expected, superseded, signal).then(
      (confirmed) => {
        done();
        return { status: this.known(profile, serverId, null), confirmed };
      },
      (err: unknown) => {
        done();
        throw err;
      },
    );
    this.following.set(mark, entry);
    this.tell(profile, serverId);
    return entry.settling;
  }

  private async follow(profile: string, serverId: number, expected: 'on' | 'off', superseded: () => boolean, signal?: AbortSignal): Promise<boolean> {
    const deadline = this.clock.now() + this.timing.limitMs;
    const abort = AbortSignal.any([signal, this.stopping].filter((s): s is AbortSignal => s !== undefined));
    let delay = this.timing.firstMs;
    // What the last reading said in HOSTKEY's words, or why it failed (an error's own sentence).
    let said: string | null = null;
    let failed = null as string | null;
    for (;;) {
      await this.clock.sleep(Math.min(delay, Math.max(0, deadline - this.clock.now())), abort);
      if (abort.aborted || superseded()) return false;
      delay = Math.min(this.timing.maxMs, delay * 1.5);
      const reading = await this.budgetedRead(profile, serverId, abort).catch((err: unknown) => {
        failed = err instanceof AppError ? err.message : String(err);
        return null;
      });
      if (superseded()) return false;
      const row = this.cache.serverPower.get(profile, serverId);
      if (reading && row?.power === expected) return true;
      if (reading) {
        said = row?.power_text ?? null;
        failed = null;
        // Each reading on the way is news too: the panel and `--wait` show where the server is.
        this.tell(profile, serverId);
      }
      if (this.clock.now() >= deadline) {
        const limit = this.timing.limitMs;
        const within = limit >= 60_000 ? `${Math.round(limit / 60_000)} min` : `${Math.round(limit / 1000)} s`;
        const last = failed ? ` The last reading failed: ${clause(failed)}.` : said ? ` HOSTKEY last said: ${clause(said)}.` : '';
        this.cache.serverPower.setPower(
          profile,
          serverId,
          'unknown',
          `Not confirmed: HOSTKEY did not say the server is ${expected} within ${within}.${last}`,
          this.clock.now(),
        );
        return false;
      }
    }
  }

  /** A status reading once the shared poll budget allows it; a reading already under way is joined. */
  private async budgetedRead(profile: string, serverId: number, signal: AbortSignal): Promise<Job> {
    const running = this.runner.list(profile).find((j) => j.server_id === serverId && j.kind === 'power_status' && j.state === 'running');
    if (running) return this.runner.waitFor(running.key, { signal });
    for (;;) {
      const waitMs = this.cache.tasks.takeToken(this.clock.now());
      if (waitMs === 0) break;
      await this.clock.sleep(waitMs, signal);
      if (signal.aborted) throw new AppError('usage', 'Stopped following the power state.', { hint: null });
    }
    return this.read(serverId);
  }

  /** A status job, waited for; a failed or PIN-blocked one is cancelled and thrown. */
  private async read(serverId: number): Promise<Job> {
    const started = await this.boot.start('power_status', serverId);
    const signal = AbortSignal.timeout(REFRESH_WAIT_MS);
    const job = await this.runner.waitFor(started.key, { signal }).catch((err: unknown) => {
      // Only HOSTKEY's "not ready" outlasting the wait answers with the job still running.
      if (signal.aborted) return this.runner.get(started.key);
      if (this.stopping?.aborted || (err instanceof AppError && err.kind === 'usage')) {
        throw new AppError('usage', 'ISO Desk stopped before HOSTKEY answered with the power state.', {
          hint: 'Once ISO Desk runs again, read it again (the server panel, or "isodesk power status").',
        });
      }
      throw err;
    });
    if (job.state === 'stopped' || job.state === 'needs_pin' || job.state === 'paused') {
      const failed = job.steps[0];
      this.runner.cancel(job.key);
      if (job.state === 'needs_pin') {
        const locked = this.pins.status(job.profile).locked;
        throw new AppError(locked ? 'pin_locked' : 'pin_required', job.message ?? 'HOSTKEY asks for the account PIN.');
      }
      if ((await this.session.clientFor(job.profile)) === null) {
        throw new AppError('auth', 'The profile was signed out before HOSTKEY answered with the power state.', {
          hint: 'Sign in again, then read it again.',
        });
      }
      throw new AppError('task_failed', `HOSTKEY could not read the power state: ${clause(failed?.message ?? job.message ?? 'no reason given')}.`, {
        hint: 'Try again in a moment; the HOSTKEY control panel shows the server too.',
      });
    }
    return job;
  }

  private tell(profile: string, serverId: number): void {
    try {
      this.changed?.(this.known(profile, serverId, null));
    } catch {
      // The cache is closing: nobody is left to tell.
    }
  }

  private known(profile: string, serverId: number, jobKey: string | null): PowerStatus {
    const row = this.cache.serverPower.get(profile, serverId);
    const mountedIso = row?.mounted_at != null ? row.mounted_iso : (this.cache.servers.list(profile).items.find((s) => s.id === serverId)?.mounted_iso ?? null);
    return {
      server_id: serverId,
      power: row?.power ?? 'unknown',
      text: row?.power_text ?? null,
      read_at: row?.power_read_at ?? null,
      boot_media: row?.boot_media ?? null,
      boot_media_at: row?.boot_media_at ?? null,
      mounted_iso: mountedIso,
      mounted_at: mountedIso === null ? null : (row?.mounted_at ?? null),
      job_key: jobKey,
      following: this.following.get(`${profile}/${serverId}`)?.expected ?? null,
    };
  }
}
