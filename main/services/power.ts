/**
 * The power state of servers: what ISO Desk last read (with when), and a fresh reading through a
 * status job when asked. A status read is a job of one step like any power action, so it is in
 * the record; it is a read, so a failed or PIN-blocked one is cancelled rather than left waiting.
 */
import { AppError } from '../domain/errors.js';
import type { PowerStatus } from '../domain/jobs.js';
import type { Cache } from '../cache/index.js';
import type { JobRunner } from '../tasks/jobs.js';
import type { PinKeeper } from '../session/pin.js';
import type { BootService } from './boot.js';
import type { SessionService } from './session.js';

/** How long a refresh waits for HOSTKEY's status answer before answering with what it has. */
const REFRESH_WAIT_MS = 90_000;

export class PowerService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly runner: JobRunner,
    private readonly boot: BootService,
    private readonly pins: PinKeeper,
  ) {}

  /** What is known; with `refresh`, after asking HOSTKEY. */
  async status(serverId: number, refresh: boolean): Promise<PowerStatus> {
    if (!refresh) return this.known(this.session.active().name, serverId, null);
    const started = await this.boot.start('power_status', serverId);
    const signal = AbortSignal.timeout(REFRESH_WAIT_MS);
    const job = await this.runner.waitFor(started.key, { signal }).catch(() => this.runner.get(started.key));
    if (job.state === 'stopped' || job.state === 'needs_pin' || job.state === 'paused') {
      const failed = job.steps[0];
      this.runner.cancel(job.key);
      if (job.state === 'needs_pin') {
        const locked = this.pins.status(job.profile).locked;
        throw new AppError(locked ? 'pin_locked' : 'pin_required', job.message ?? 'HOSTKEY asks for the account PIN.');
      }
      throw new AppError('task_failed', `HOSTKEY could not read the power state: ${failed?.message ?? job.message ?? 'no reason given'}.`, {
        hint: 'Try again in a moment; the HOSTKEY control panel shows the server too.',
      });
    }
    return this.known(job.profile, serverId, job.state === 'running' ? job.key : null);
  }

  list(): PowerStatus[] {
    const profile = this.session.active().name;
    return this.cache.serverPower.list(profile).map((row) => this.known(profile, row.server_id, null));
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
    };
  }
}
