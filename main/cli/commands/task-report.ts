/** What mount, unmount and upload print once HOSTKEY has accepted the task, with or without --wait. */
import type { Task } from '../../domain/models.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { endText, runningText } from '../task-text.js';
import { waitForTask } from '../wait.js';

const UNKNOWN_HINT = 'Check the server in the HOSTKEY control panel before trying again.';

export const WAIT_OPTION = { name: 'wait', help: 'Wait until HOSTKEY finishes, showing progress; exit 6 if it fails' };

export async function reportTask(ctx: CommandContext, task: Task, wait: boolean): Promise<number> {
  if (!wait) {
    ctx.out.result(task);
    if (task.state === 'running') {
      ctx.out.line(`${runningText(task)}: started.`);
      ctx.out.line('Follow it with "isodesk tasks --watch", or use --wait.');
    } else {
      ctx.out.line(endText(task));
    }
    return EXIT.ok;
  }
  const final = await waitForTask(ctx, task);
  ctx.out.result(final);
  if (final.state === 'succeeded') {
    ctx.out.line(endText(final));
    return EXIT.ok;
  }
  // The task on stdout is the answer; stderr says it failed, in one line of JSON under --json.
  const unknown = final.state === 'unknown';
  ctx.out.error({ kind: unknown ? 'unknown_outcome' : 'task_failed', message: endText(final), hint: unknown ? UNKNOWN_HINT : null, code: null });
  return EXIT.taskFailed;
}
