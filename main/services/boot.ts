/**
 * Boot from ISO, back to disk and power actions as jobs (main/tasks/jobs.ts): the server is named
 * as the cache knows it, so the job's record says which machine it was, and the job is written
 * before anything is sent. What a job will do is planned once (planJob, from what ISO Desk knows
 * of the server): the confirmation lists that plan, and the job is written with it — a plan that
 * changed since the user confirmed it is refused rather than run.
 */
import { AppError } from '../domain/errors.js';
import { stepLabel, type BootMedia, type Job, type JobKind, type JobPlan } from '../domain/jobs.js';
import type { Cache, JobPlanStep } from '../cache/index.js';
import type { JobRunner } from '../tasks/jobs.js';
import { planJob, type PlanFacts } from '../tasks/job-state.js';
import type { SessionService } from './session.js';

export const POWER_KINDS = { on: 'power_on', off: 'power_off', reboot: 'reboot' } as const;

export class BootService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly runner: JobRunner,
  ) {}

  /** What the job would do on this server now: the steps and why they differ from the usual ones. */
  plan(kind: JobKind, serverId: number, isoName?: string): JobPlan {
    const profile = this.session.active().name;
    const { steps, notes } = planJob(kind, isoName ?? null, this.facts(profile, serverId));
    const label = this.labeller(profile, serverId);
    return { kind, server_id: serverId, steps: steps.map((s) => ({ ...s, label: label(s) })), notes };
  }

  /**
   * Writes the job with the plan of this moment. `confirmed`: the step labels the user agreed to;
   * when the plan has changed since (the server went off meanwhile), nothing is sent.
   */
  async start(kind: JobKind, serverId: number, isoName?: string, confirmed?: readonly string[]): Promise<Job> {
    const { profile } = await this.session.requireClient();
    const plan = planJob(kind, isoName ?? null, this.facts(profile.name, serverId));
    if (confirmed) this.checkConfirmed(plan.steps.map(this.labeller(profile.name, serverId)), confirmed);
    const server = this.cache.servers.list(profile.name).items.find((s) => s.id === serverId);
    return this.runner.create({
      kind,
      profile: profile.name,
      server_id: serverId,
      hostname: server?.hostname ?? null,
      main_ip: server?.main_ip ?? null,
      iso_name: isoName ?? null,
      plan: plan.steps,
    });
  }

  bootIso(serverId: number, isoName: string, confirmed?: readonly string[]): Promise<Job> {
    return this.start('boot_iso', serverId, isoName, confirmed);
  }

  backToDisk(serverId: number, confirmed?: readonly string[]): Promise<Job> {
    return this.start('back_to_disk', serverId, undefined, confirmed);
  }

  power(serverId: number, action: keyof typeof POWER_KINDS): Promise<Job> {
    return this.start(POWER_KINDS[action], serverId);
  }

  /** How each step reads in a confirmation: "Unmount" names the ISO the server shows mounted. */
  private labeller(profile: string, serverId: number): (step: JobPlanStep) => string {
    const mounted = this.cache.servers.list(profile).items.find((s) => s.id === serverId)?.mounted_iso ?? null;
    return (step) => (step.action === 'unmount_iso' && mounted ? `Unmount ${mounted}` : stepLabel(step));
  }

  private checkConfirmed(now: readonly string[], confirmed: readonly string[]): void {
    if (now.length === confirmed.length && now.every((label, i) => label === confirmed[i])) return;
    throw new AppError('validation', `What this job would do has changed since you confirmed it: now ${now.join(', then ')}.`, {
      hint: 'Nothing was sent. Look at the steps again and confirm them.',
    });
  }

  /** The power state last read, and the boot devices this server refused before (a failed step the user skipped). */
  private facts(profile: string, serverId: number): PlanFacts {
    const power = this.cache.serverPower.get(profile, serverId);
    const decided = new Map<BootMedia, boolean>();
    // Newest job first: a later success of the same device outweighs an earlier refusal.
    for (const job of this.runner.list(profile)) {
      if (job.server_id !== serverId) continue;
      for (const step of job.steps) {
        if (step.action !== 'boot_dev' || step.media === null || step.attempts === 0 || decided.has(step.media)) continue;
        if (step.state === 'succeeded') decided.set(step.media, false);
        else if (step.state === 'skipped') decided.set(step.media, this.cache.tasks.get(step.task_key ?? '')?.state === 'failed');
      }
    }
    return {
      power: power?.power ? { state: power.power, read_at: power.power_read_at } : undefined,
      refusedMedia: [...decided].filter(([, refused]) => refused).map(([media]) => media),
    };
  }
}
