/** How a job and its steps read in the task centre, in notifications and on the server panel. */
import type { Job, JobChoice, JobKind, JobState, JobStep, StepState } from '../../../main/domain/jobs.js';
import { serverIdentity } from './boot-text.js';

export const JOB_LABEL: Record<JobKind, string> = {
  boot_iso: 'Boot from ISO',
  back_to_disk: 'Back to disk',
  power_on: 'Power on',
  power_off: 'Power off',
  reboot: 'Reboot',
  power_status: 'Power status',
};

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

/** Worded as the command line words them (main/tasks/job-state.ts), so both read the same. */
const MEDIA_LABEL = { cd: 'CD (the ISO)', disk: 'disk', pxe: 'the network (PXE)' } as const;

export function stepLabel(step: JobStep): string {
  switch (step.action) {
    case 'mount_iso':
      return `Mount ${step.iso_name ?? 'the ISO'}`;
    case 'unmount_iso':
      return 'Unmount the ISO';
    case 'boot_dev':
      return `Set the boot device to ${MEDIA_LABEL[step.media ?? 'disk']}`;
    case 'on':
      return 'Power on';
    case 'off':
      return 'Power off';
    case 'reboot':
      return 'Reboot';
    case 'status':
      return 'Read the power state';
  }
}

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
  const what = `${JOB_LABEL[job.kind]}: ${jobTarget(job)}`;
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
