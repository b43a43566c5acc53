/** The task journal: jobs with their steps, mounts, unmounts and uploads, and a live view until they end. */
import { AppError } from '../../domain/errors.js';
import type { Job } from '../../domain/jobs.js';
import { followedByPeople } from '../../domain/job-labels.js';
import type { Task } from '../../domain/models.js';
import type { Command } from '../command.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatTime } from '../format.js';
import { renderTable, printable, type Column } from '../table.js';
import { endText, runningText, taskTarget } from '../task-text.js';
import { usageError } from '../options.js';
import { jobHeading, stepLines } from '../job-text.js';
import { JOB_WAIT_OPTION, PIN_OPTION, followJob, takePin, type JobCommandInput } from './job-report.js';

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

const DECISIONS = ['retry', 'skip', 'cancel', 'resume'] as const;
type Decision = (typeof DECISIONS)[number];

function jobLines(jobs: Job[]): string[] {
  return jobs.flatMap((job) => [jobHeading(job), ...stepLines(job), ...(job.message && job.state !== 'succeeded' ? [`    ${job.message}`] : [])]);
}

/** A job by its key or the first characters of it, as "isodesk tasks" prints them. */
function findJob(jobs: Job[], prefix: string): Job {
  const matches = jobs.filter((j) => j.key.startsWith(prefix.trim()));
  if (matches.length === 1) return matches[0]!;
  throw new AppError(
    'usage',
    matches.length ? `"${printable(prefix)}" names more than one job; give more of its key.` : `No job starts with "${printable(prefix)}".`,
    {
      hint: 'Run "isodesk tasks" to see the jobs and their keys.',
    },
  );
}

export function tasksCommand(input: JobCommandInput): Command {
  return {
    name: 'tasks',
    summary: 'List jobs with their steps, and tracked mounts, unmounts and uploads',
    usage: 'isodesk tasks [--watch] | isodesk tasks retry|skip|cancel|resume JOB [--wait] [--pin -]',
    details: [
      "Jobs (boot from ISO, back to disk, power actions) are listed with each step, its state and HOSTKEY's message, under the short key that names the job; other tasks follow. --json prints the tasks (a job's steps among them, with their job_key), --jobs --json the jobs with their steps.",
      'With --watch, follows the running ones live until all have ended (or Ctrl-C); they are asked about with backoff.',
      'A stopped job waits for you: retry sends its stopped step again, skip goes on without it, cancel sends nothing more, resume sends the next step of a job whose process stopped before sending it.',
    ],
    args: [
      { name: 'ACTION', help: 'retry, skip, cancel or resume a job', optional: true },
      { name: 'JOB', help: 'The job (its key or first characters, as listed)', optional: true },
    ],
    options: [
      { name: 'watch', help: 'Follow running tasks until they end' },
      { name: 'jobs', help: 'Only the jobs, with their steps' },
      JOB_WAIT_OPTION,
      PIN_OPTION,
    ],
    async run(ctx, { flags, positionals }) {
      if (positionals.length) return decide(ctx, input, positionals, flags.bool('wait'), () => takePin(ctx, input, flags));
      let tasks = await ctx.call('tasks/list', {});
      if (flags.bool('watch') && anyRunning(tasks)) {
        if (ctx.globals.offline) throw usageError('--watch asks HOSTKEY about tasks, so it cannot be used with --offline.', 'tasks');
        // Without a terminal the starting table is printed once; on one, the live table shows it.
        if (!ctx.out.interactive) for (const line of tableLines(ctx, tasks)) ctx.out.line(line);
        await watch(ctx);
        tasks = await ctx.call('tasks/list', {});
      }
      const jobs = (await ctx.call('jobs/list', {})).filter(followedByPeople);
      // The tasks stay the JSON answer scripts already read; --jobs answers the jobs.
      ctx.out.result(flags.bool('jobs') ? jobs : tasks);
      if (jobs.length) {
        ctx.out.line('Jobs:');
        for (const line of jobLines(jobs)) ctx.out.line(printable(line));
        ctx.out.line();
      }
      const own = tasks.filter((t) => !t.job_key);
      if (flags.bool('jobs')) {
        if (!jobs.length) ctx.out.line('No jobs.');
        return EXIT.ok;
      }
      if (jobs.length && own.length) ctx.out.line('Tasks:');
      if (own.length || !jobs.length) for (const line of tableLines(ctx, own)) ctx.out.line(line);
      return EXIT.ok;
    },
  };
}

async function decide(ctx: CommandContext, input: JobCommandInput, positionals: string[], wait: boolean, pin: () => Promise<void>): Promise<number> {
  const [action, prefix] = positionals as [string, string | undefined];
  if (!DECISIONS.includes(action as Decision)) throw usageError(`Unknown action "${printable(action)}": use retry, skip, cancel or resume.`, 'tasks');
  if (prefix === undefined) throw usageError(`Which job? Usage: isodesk tasks ${action} JOB`, 'tasks');
  const job = findJob(await ctx.call('jobs/list', {}), prefix);
  if (action === 'cancel') {
    const cancelled = await ctx.call('jobs/cancel', { key: job.key });
    ctx.out.result(cancelled);
    ctx.out.line(printable(cancelled.message ?? 'Cancelled.'));
    return EXIT.ok;
  }
  await pin();
  const next = await ctx.call(`jobs/${action as Exclude<Decision, 'cancel'>}`, { key: job.key });
  return followJob(ctx, input, next, wait);
}
