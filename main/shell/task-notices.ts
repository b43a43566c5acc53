/**
 * What the desktop tells the user about tasks outside the window: a notification when a mount,
 * unmount or upload ends (however it ends), when a job ends or stops for the user, when an ISO
 * stays attached too long, and the number still running for the tray.
 */
import type { Task, TaskEvent } from '../domain/models.js';
import { JOB_TITLE, type DueReminder, type JobEvent, type JobState } from '../domain/jobs.js';

export interface Notice {
  title: string;
  body: string;
  taskKey: string;
}

function subject(task: Task): string {
  switch (task.kind) {
    case 'mount':
      return `Mounting ${task.iso_name ?? 'the ISO'} on server ${task.server_id ?? '?'}`;
    case 'unmount':
      return `Unmounting the ISO from server ${task.server_id ?? '?'}`;
    case 'upload':
      return `Uploading ${task.iso_name ?? task.url ?? 'the ISO'}`;
    case 'boot_dev':
      return `Setting the boot device of server ${task.server_id ?? '?'}`;
    case 'power_on':
      return `Powering on server ${task.server_id ?? '?'}`;
    case 'power_off':
      return `Powering off server ${task.server_id ?? '?'}`;
    case 'reboot':
      return `Rebooting server ${task.server_id ?? '?'}`;
    case 'power_status':
      return `Reading the power state of server ${task.server_id ?? '?'}`;
  }
}

/** The notification for an event, or null for events that do not end a task. */
export function noticeFor(event: TaskEvent): Notice | null {
  const { task } = event;
  // A job's steps are told as the job (JobNotices), not one by one.
  if (task.job_key) return null;
  const detail = task.message ?? task.status;
  switch (event.type) {
    case 'finished':
      return { title: `${subject(task)}: done`, body: detail ?? 'Finished.', taskKey: task.key };
    case 'failed':
      return { title: `${subject(task)}: failed`, body: detail ?? 'HOSTKEY reported a failure.', taskKey: task.key };
    case 'unknown':
      return {
        title: `${subject(task)}: outcome unknown`,
        body: detail ?? 'HOSTKEY no longer knows this task. Check the server before trying again.',
        taskKey: task.key,
      };
    default:
      return null;
  }
}

/** The set of running tasks, kept current from task events. */
export class RunningTasks {
  private readonly running = new Set<string>();

  constructor(tasks: readonly Task[]) {
    for (const task of tasks) if (task.state === 'running') this.running.add(task.key);
  }

  /** Applies an event; true when the count changed. */
  apply(event: TaskEvent): boolean {
    const before = this.running.size;
    if (event.type !== 'cleared' && event.task.state === 'running') this.running.add(event.task.key);
    else this.running.delete(event.task.key);
    return this.running.size !== before;
  }

  get count(): number {
    return this.running.size;
  }
}

export function trayTooltip(running: number): string {
  if (running === 0) return 'ISO Desk: no tasks running';
  return `ISO Desk: ${running} task${running === 1 ? '' : 's'} running`;
}

/** The job states worth a notification: it ended, or it waits for the user. */
const JOB_NOTICE: Partial<Record<JobState, string>> = {
  succeeded: 'done',
  cancelled: 'cancelled',
  stopped: 'stopped',
  needs_pin: 'needs the account PIN',
};

/**
 * A notification when a job (issue #9) ends or stops for the user, once per state it reaches;
 * `taskKey` is then the job's key (the renderer's "openTask" looks it up among jobs too).
 */
export class JobNotices {
  private readonly last = new Map<string, JobState>();

  noticeFor(event: JobEvent): Notice | null {
    const { job } = event;
    const before = this.last.get(job.key);
    this.last.set(job.key, job.state);
    if (event.type === 'cleared') {
      this.last.delete(job.key);
      return null;
    }
    const what = JOB_NOTICE[job.state];
    // A power reading is the server panel's business: the desktop stays quiet about it.
    if (!what || before === job.state || job.kind === 'power_status') return null;
    // Named as every confirmation names it: hostname and IP.
    const server = [job.hostname ?? `server ${job.server_id}`, job.main_ip ? `(${job.main_ip})` : null].filter(Boolean).join(' ');
    const step = job.current === null ? '' : ` at step ${job.current + 1} of ${job.steps.length}`;
    return {
      title: `${JOB_TITLE[job.kind]}${job.iso_name ? ` ${job.iso_name}` : ''} on ${server}: ${what}${job.state === 'stopped' ? step : ''}`,
      body: job.message ?? '',
      taskKey: job.key,
    };
  }
}

/**
 * The detach reminders (main/services/reminders.ts decides which are due) the desktop has not
 * shown yet: one notification per mount — `announced` remembers them.
 */
export function newReminders(due: readonly DueReminder[], announced: Set<string>): DueReminder[] {
  return due.filter((reminder) => {
    const mark = `${reminder.server_id}/${reminder.mounted_at}`;
    if (announced.has(mark)) return false;
    announced.add(mark);
    return true;
  });
}
