/** How tasks read in sentences and tables. */
import type { Task } from '../domain/models.js';
import { fileNameOf } from '../tasks/upload-status.js';

export function taskTarget(task: Task): string {
  switch (task.kind) {
    case 'mount':
      return `${task.iso_name ?? 'ISO'} on server ${task.server_id ?? '?'}`;
    case 'upload':
      return task.iso_name || (task.url ? (fileNameOf(task.url) ?? task.url) : 'ISO');
    default:
      return `server ${task.server_id ?? '?'}`;
  }
}

const RUNNING_VERB: Record<Task['kind'], string> = {
  mount: 'Mounting',
  unmount: 'Unmounting the ISO from',
  upload: 'Uploading',
  boot_dev: 'Setting the boot device of',
  power_on: 'Powering on',
  power_off: 'Powering off',
  reboot: 'Rebooting',
  power_status: 'Reading the power state of',
};
const DONE_VERB: Record<Task['kind'], string> = {
  mount: 'Mounted',
  unmount: 'Unmounted the ISO from',
  upload: 'Uploaded',
  boot_dev: 'Set the boot device of',
  power_on: 'Powered on',
  power_off: 'Powered off',
  reboot: 'Rebooted',
  power_status: 'Read the power state of',
};
const NOUN: Record<Task['kind'], string> = {
  mount: 'Mount of',
  unmount: 'Unmount of',
  upload: 'Upload of',
  boot_dev: 'Boot device change of',
  power_on: 'Power on of',
  power_off: 'Power off of',
  reboot: 'Reboot of',
  power_status: 'Power status of',
};

/** "Mounting ubuntu.iso on server 12" */
export function runningText(task: Task): string {
  return `${RUNNING_VERB[task.kind]} ${taskTarget(task)}`;
}

/** The sentence for a task that has ended. */
export function endText(task: Task): string {
  const detail = task.message ? `: ${task.message}` : '.';
  switch (task.state) {
    case 'succeeded':
      // A success message only repeats what the sentence says.
      return `${DONE_VERB[task.kind]} ${taskTarget(task)}.`;
    case 'failed':
      return `${NOUN[task.kind]} ${taskTarget(task)} failed${detail}`;
    case 'unknown':
      return `${NOUN[task.kind]} ${taskTarget(task)}: outcome unknown${detail}`;
    case 'running':
      return `${runningText(task)} (still running).`;
  }
}
