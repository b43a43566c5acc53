/**
 * What the desktop tells the user about tasks outside the window: a notification when a mount,
 * unmount or upload ends (however it ends), when a job (Boot from ISO, Back to disk, a power
 * action) ends or stops for the user, when an ISO stays attached too long, and the number still
 * running for the tray.
 */
import type { Server, Task, TaskEvent } from '../domain/models.js';
import { JOB_TITLE, type Job, type JobEvent, type PowerStatus } from '../domain/jobs.js';

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
  // A step of a job: the job's own notice tells how it went (jobNoticeFor).
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

function jobSubject(job: Job): string {
  const server = [job.hostname ?? `server ${job.server_id}`, job.main_ip ? `(${job.main_ip})` : null].filter(Boolean).join(' ');
  return `${JOB_TITLE[job.kind]}${job.kind === 'boot_iso' && job.iso_name ? ` ${job.iso_name}` : ''} on ${server}`;
}

/**
 * The notification for a job event: when it ends, stops at a step (it waits for Retry, Skip or
 * Cancel) or waits for the PIN; null otherwise. A power-status reading is never announced.
 */
export function jobNoticeFor(event: JobEvent): Notice | null {
  const { job } = event;
  if (job.kind === 'power_status' || event.type === 'created' || event.type === 'cleared') return null;
  const step = job.current === null ? undefined : job.steps[job.current];
  const taskKey = job.key;
  switch (job.state) {
    case 'succeeded':
      return { title: `${jobSubject(job)}: done`, body: job.message ?? 'Every step ended.', taskKey };
    case 'cancelled':
      return { title: `${jobSubject(job)}: cancelled`, body: job.message ?? 'No more steps were sent.', taskKey };
    case 'stopped':
      return {
        title: `${jobSubject(job)}: stopped at step ${(job.current ?? 0) + 1} of ${job.steps.length}`,
        body: job.message ?? step?.message ?? 'Open ISO Desk to retry, skip or cancel the step.',
        taskKey,
      };
    case 'needs_pin':
      return { title: `${jobSubject(job)}: PIN needed`, body: 'HOSTKEY asks for the account PIN before the next step. Open ISO Desk to enter it.', taskKey };
    default:
      return null;
  }
}

/** A detach reminder for the desktop: the server to show when it is clicked. */
export interface ReminderNotice {
  title: string;
  body: string;
  serverId: number;
}

function attachedFor(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The reminders due now (issue #9): one per ISO that ISO Desk mounted and that has stayed attached
 * longer than `minutes` (0: never), each announced once per mount — `announced` remembers them.
 */
export function dueReminders(
  records: readonly PowerStatus[],
  servers: readonly Pick<Server, 'id' | 'hostname' | 'main_ip'>[],
  minutes: number,
  now: number,
  announced: Set<string>,
): ReminderNotice[] {
  if (minutes <= 0) return [];
  const due: ReminderNotice[] = [];
  for (const record of records) {
    if (!record.mounted_iso || record.mounted_at === null || now - record.mounted_at < minutes * 60_000) continue;
    const mark = `${record.server_id}/${record.mounted_at}`;
    if (announced.has(mark)) continue;
    announced.add(mark);
    const server = servers.find((s) => s.id === record.server_id);
    const name = [server?.hostname ?? `server ${record.server_id}`, server?.main_ip ? `(${server.main_ip})` : null].filter(Boolean).join(' ');
    due.push({
      title: `${record.mounted_iso} is still attached to ${name}`,
      body: `Mounted ${attachedFor(now - record.mounted_at)} ago. An ISO left attached can make the server boot it again on its next reboot: open ISO Desk and choose Back to disk.`,
      serverId: record.server_id,
    });
  }
  return due;
}
