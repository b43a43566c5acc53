/** How a job and its steps read in the task centre, in notifications and on the server panel. */
import { JOB_TITLE, stepLabel, type Job, type JobChoice, type JobState, type StepState } from '../../../main/domain/jobs.js';
import { serverIdentity } from './boot-text.js';

/** The job's and the steps' names are main's (main/domain/jobs.ts): the CLI says the same. */
export { JOB_TITLE as JOB_LABEL, stepLabel } from '../../../main/domain/jobs.js';

export const JOB_STATE_LABEL: Record<JobState, string> = {
  running: 'Running',
  paused: 'Paused',
  needs_pin: 'Needs the PIN',
  stopped: 'Stopped',
  succeeded: 'Done',
  cancelled: 'Cancelled',
};

/** The badge colour of the task centre's states. */
export const JOB_STATE_TONE: Record<JobState, 'running' | 'succeeded' | 'failed' | 'unknown'> = {
  running: 'running',
  paused: 'unknown',
  needs_pin: 'unknown',
  stopped: 'failed',
  succeeded: 'succeeded',
  cancelled: 'unknown',
};

export const STEP_STATE_LABEL: Record<StepState, string> = {
  pending: 'Waiting',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  unknown: 'Outcome unknown',
  skipped: 'Skipped',
};

export const CHOICE_LABEL: Record<JobChoice, string> = {
  retry: 'Retry step',
  skip: 'Skip step',
  cancel: 'Cancel',
  resume: 'Resume',
};

/** The server as the job named it when it started: "web-01 (185.70.104.21)". */
export function jobServer(job: Job): string {
  return serverIdentity({ id: job.server_id, hostname: job.hostname, main_ip: job.main_ip });
}

/** "ubuntu.iso on web-01 (185.70.104.21)", or the server alone. */
export function jobTarget(job: Job): string {
  return job.kind === 'boot_iso' && job.iso_name ? `${job.iso_name} on ${jobServer(job)}` : jobServer(job);
}

/** "Step 2 of 3" while it stands at a step; null once it ended or for a job of one step. */
export function jobProgress(job: Job): string | null {
  if (job.current === null || job.steps.length < 2) return null;
  return `Step ${job.current + 1} of ${job.steps.length}`;
}

/** The notification when a job ends or stops for the user; null while it simply runs. */
export function jobNotice(job: Job): { tone: 'success' | 'error' | 'info'; title: string; detail: string | null } | null {
  const what = `${JOB_TITLE[job.kind]}: ${jobTarget(job)}`;
  switch (job.state) {
    case 'succeeded':
      return { tone: 'success', title: `Done — ${what}`, detail: job.message };
    case 'cancelled':
      return { tone: 'info', title: `Cancelled — ${what}`, detail: job.message };
    case 'stopped': {
      const step = job.current === null ? undefined : job.steps[job.current];
      const at = step ? ` at “${stepLabel(step)}”` : '';
      return { tone: 'error', title: `Stopped${at} — ${what}`, detail: job.message ?? step?.message ?? null };
    }
    default:
      return null;
  }
}
