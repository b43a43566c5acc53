/** The task journal: mounts, unmounts and uploads, and a live view until they end. */
import type { Task } from '../../domain/models.js';
import type { Command } from '../command.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatTime } from '../format.js';
import { renderTable, printable, type Column } from '../table.js';
import { endText, runningText, taskTarget } from '../task-text.js';
import { usageError } from '../options.js';

function taskColumns(tasks: Task[]): Column<Task>[] {
  const manyProfiles = new Set(tasks.map((t) => t.profile)).size > 1;
  return [
    { header: 'STARTED', value: (t) => formatTime(t.created_at) },
    ...(manyProfiles ? [{ header: 'PROFILE', value: (t: Task) => t.profile }] : []),
    { header: 'KIND', value: (t) => t.kind },
    { header: 'TARGET', value: (t) => taskTarget(t) },
    { header: 'STATE', value: (t) => (t.state === 'running' && t.accepted_at === null ? 'sending' : t.state) },
    { header: 'STATUS', value: (t) => t.status ?? '-' },
    { header: 'MESSAGE', value: (t) => t.message ?? '', flex: true },
  ];
}

function tableLines(ctx: CommandContext, tasks: Task[]): string[] {
  if (!tasks.length) return ['No tracked tasks.'];
  return renderTable(taskColumns(tasks), tasks, ctx.out.interactive ? ctx.out.width : undefined);
}

const anyRunning = (tasks: Task[]) => tasks.some((t) => t.state === 'running');

/**
 * Follows the journal until nothing runs: a table redrawn in place on a terminal, one line per
 * change otherwise. The journal is re-read every second as well, because another process (the
 * desktop app) may finish a task without this one hearing of it.
 */
function watch(ctx: CommandContext): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let drawn = 0;
    let stopped = false;
    const check = async () => {
      const tasks = await ctx.call('tasks/list', {});
      if (stopped) return;
      if (ctx.out.interactive) {
        const lines = tableLines(ctx, tasks);
        ctx.out.stdout.write(`${drawn ? `\x1b[${drawn}A\r\x1b[0J` : ''}${lines.join('\n')}\n`);
        drawn = lines.length;
      }
      if (!anyRunning(tasks)) {
        stop();
        resolve();
      }
    };
    // Also keeps the process alive while waiting: the tracker's own timers do not.
    const recheck = () => {
      check().catch((err: unknown) => {
        stop();
        reject(err);
      });
    };
    const ticker = setInterval(recheck, 1000);
    const lastLine = new Map<string, string>();
    const unsubscribe = ctx.app.events.on('tasks/changed', ({ task }) => {
      const line = printable(task.state === 'running' ? `${runningText(task)}: ${task.status ?? task.state}` : endText(task));
      // Each poll announces the task again; a log only wants the changes.
      if (!ctx.out.interactive && lastLine.get(task.key) !== line) ctx.out.line(line);
      lastLine.set(task.key, line);
      recheck();
    });
    const forget = ctx.onInterrupt(() => {
      stop();
      ctx.out.note('Stopped watching. Tasks go on at HOSTKEY.');
    });
    function stop(): void {
      stopped = true;
      clearInterval(ticker);
      unsubscribe();
      forget();
    }
    recheck();
    ctx.app.trackTasks();
  });
}

export const tasksCommand: Command = {
  name: 'tasks',
  summary: 'List tracked mounts, unmounts and uploads',
  details: ['With --watch, follows the running ones live until all have ended (or Ctrl-C); they are asked about with backoff.'],
  options: [{ name: 'watch', help: 'Follow running tasks until they end' }],
  async run(ctx, { flags }) {
    let tasks = await ctx.call('tasks/list', {});
    if (flags.bool('watch') && anyRunning(tasks)) {
      if (ctx.globals.offline) throw usageError('--watch asks HOSTKEY about tasks, so it cannot be used with --offline.', 'tasks');
      // Without a terminal the starting table is printed once; on one, the live table shows it.
      if (!ctx.out.interactive) for (const line of tableLines(ctx, tasks)) ctx.out.line(line);
      await watch(ctx);
      tasks = await ctx.call('tasks/list', {});
      ctx.out.result(tasks);
      return EXIT.ok;
    }
    ctx.out.result(tasks);
    for (const line of tableLines(ctx, tasks)) ctx.out.line(line);
    return EXIT.ok;
  },
};
