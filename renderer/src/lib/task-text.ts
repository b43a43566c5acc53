/** How a task reads in the task centre and in notifications. */
import type { Task, TaskState } from '../../../main/domain/models.js';
import { uploadSentence } from './upload-status.js';

export const STATE_LABEL: Record<TaskState, string> = {
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  unknown: 'Outcome unknown',
};

export const KIND_LABEL: Record<Task['kind'], string> = {
  mount: 'Mount',
  unmount: 'Unmount',
  upload: 'Upload',
  boot_dev: 'Boot device',
  power_on: 'Power on',
  power_off: 'Power off',
  reboot: 'Reboot',
  power_status: 'Power status',
};

/** What the task acts on: "ubuntu.iso on web-01", "web-01", or the uploaded URL. */
export function taskTarget(task: Task, serverName: (id: number) => string): string {
  const server = task.server_id === null ? null : serverName(task.server_id);
  if (task.kind === 'upload') return task.url ?? task.iso_name ?? 'an ISO';
  if (task.kind === 'mount') return [task.iso_name ?? 'an ISO', server].filter(Boolean).join(' on ');
  return server ?? 'a server';
}

/** The headline a finished task's notification gets. */
export function outcomeTitle(task: Task, serverName: (id: number) => string): string {
  const target = taskTarget(task, serverName);
  const verb = KIND_LABEL[task.kind];
  if (task.state === 'succeeded') {
    const done: Record<Task['kind'], string> = {
      mount: `Mounted ${target}`,
      unmount: `Unmounted from ${target}`,
      upload: `Uploaded ${target}`,
      boot_dev: `Boot device set on ${target}`,
      power_on: `Powered on ${target}`,
      power_off: `Powered off ${target}`,
      reboot: `Rebooted ${target}`,
      power_status: `Power state read on ${target}`,
    };
    return done[task.kind];
  }
  if (task.state === 'failed') return `${verb} failed: ${target}`;
  return `${verb} outcome unknown: ${target}`;
}

/** How long a task ran, or has been running. */
export function taskElapsedMs(task: Task, now: number): number {
  return (task.finished_at ?? (task.state === 'running' ? now : task.updated_at)) - task.created_at;
}

/**
 * How far a running task got, in words. A mount's "Not ready" says nothing the state does not;
 * an upload's status is HOSTKEY's word for where it is, said plainly when the word is known.
 */
export function taskProgress(task: Task): string | null {
  if (task.kind !== 'upload' || !task.status) return null;
  return uploadSentence(task.status) ?? `HOSTKEY reports “${task.status}”.`;
}
