/** Every boot, back-to-disk and power job, kept in step with main's 'jobs/changed' events. */
import { SvelteMap } from 'svelte/reactivity';
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import type { Job, JobEvent } from '../../../main/domain/jobs.js';
import { followedByPeople } from '../../../main/domain/job-labels.js';

/** A job that has not ended: it runs, waits for the user, or stopped at a step. */
export function jobOpen(job: Job): boolean {
  return job.state !== 'succeeded' && job.state !== 'cancelled';
}

export class Jobs {
  private readonly byKey = new SvelteMap<string, Job>();
  /** Newest first, the jobs people follow. */
  list = $derived([...this.byKey.values()].filter(followedByPeople).sort((a, b) => b.created_at - a.created_at));
  open = $derived(this.list.filter(jobOpen).length);
  ended = $derived(this.list.length - this.open);

  constructor(private readonly api: IsoDeskApi) {}

  async load(): Promise<void> {
    const jobs = await this.api.jobs.list({});
    const listed = new Set(jobs.map((j) => j.key));
    for (const key of [...this.byKey.keys()]) if (!listed.has(key)) this.byKey.delete(key);
    for (const job of jobs) this.keep(job);
  }

  /** Applies a main-process event; answers the job as it now stands, or null when it was cleared. */
  apply(event: JobEvent): Job | null {
    if (event.type === 'cleared') {
      this.byKey.delete(event.job.key);
      return null;
    }
    return this.keep(event.job);
  }

  /** Shows a job main just answered with, unless newer news about it already came. */
  keep(job: Job): Job {
    const known = this.byKey.get(job.key);
    if (known && known.updated_at > job.updated_at) return known;
    this.byKey.set(job.key, job);
    return job;
  }

  get(key: string): Job | undefined {
    return this.byKey.get(key);
  }

  /** The job that has not ended on a server, if any (ISO Desk runs one at a time per server). */
  openOn(serverId: number): Job | undefined {
    return this.list.find((j) => j.server_id === serverId && jobOpen(j));
  }

  /** Main cleared the ended jobs with the finished tasks (tasks/clear): drop them here too. */
  dropEnded(): void {
    for (const job of [...this.byKey.values()]) if (!jobOpen(job)) this.byKey.delete(job.key);
  }

  reset(): void {
    this.byKey.clear();
  }
}
