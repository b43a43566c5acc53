/**
 * Boot from ISO, back to disk and power actions as jobs (main/tasks/jobs.ts): the server is named
 * as the cache knows it, so the job's record says which machine it was, and the job is written
 * before anything is sent.
 */
import type { Job, JobKind } from '../domain/jobs.js';
import type { Cache } from '../cache/index.js';
import type { JobRunner } from '../tasks/jobs.js';
import type { SessionService } from './session.js';

export class BootService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly runner: JobRunner,
  ) {}

  async start(kind: JobKind, serverId: number, isoName?: string): Promise<Job> {
    const { profile } = await this.session.requireClient();
    const server = this.cache.servers.list(profile.name).items.find((s) => s.id === serverId);
    return this.runner.create({
      kind,
      profile: profile.name,
      server_id: serverId,
      hostname: server?.hostname ?? null,
      main_ip: server?.main_ip ?? null,
      iso_name: isoName ?? null,
    });
  }

  bootIso(serverId: number, isoName: string): Promise<Job> {
    return this.start('boot_iso', serverId, isoName);
  }

  backToDisk(serverId: number): Promise<Job> {
    return this.start('back_to_disk', serverId);
  }

  power(serverId: number, action: 'on' | 'off' | 'reboot'): Promise<Job> {
    const kinds = { on: 'power_on', off: 'power_off', reboot: 'reboot' } as const;
    return this.start(kinds[action], serverId);
  }
}
