/** How tasks read in sentences and tables. */
import type { Task } from '../domain/models.js';
import { fileNameOf } from '../tasks/upload-status.js';

export function taskTarget(task: Task): string {
  switch (task.kind) {
    case 'mount':
      return `${task.iso_name ?? 'ISO'} on server ${task.server_id ?? '?'}`;
    case 'unmount':
      return `server ${task.server_id ?? '?'}`;
    case 'upload':
      return task.iso_name || (task.url ? (fileNameOf(task.url) ?? task.url) : 'ISO');
  }
}

const RUNNING_VERB: Record<Task['kind'], string> = { mount: 'Mounting', unmount: 'Unmounting the ISO from', upload: 'Uploading' };
const DONE_VERB: Record<Task['kind'], string> = { mount: 'Mounted', unmount: 'Unmounted the ISO from', upload: 'Uploaded' };
const NOUN: Record<Task['kind'], string> = { mount: 'Mount of', unmount: 'Unmount of', upload: 'Upload of' };

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
