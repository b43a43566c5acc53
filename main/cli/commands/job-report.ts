/**
 * What power, boot and `tasks retry|skip|resume` share: the confirmation that names the server,
 * the account PIN (`--pin -`, or asked for on a terminal when HOSTKEY wants it), following the job
 * step by step, and the exit code its ending gives.
 */
import { AppError } from '../../domain/errors.js';
import type { Job } from '../../domain/jobs.js';
import { canAsk, confirm } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Flags } from '../options.js';
import { readSecret, type SecretSource } from '../secret-input.js';
import { printable } from '../table.js';
import { formatTime } from '../format.js';
import { PowerService } from '../../services/power.js';
import { stepLabel } from '../../domain/job-labels.js';
import { jobTitle, serverText, shortKey, stepLines } from '../job-text.js';

export interface JobCommandInput {
  stdin: SecretSource;
}

export const PIN_OPTION = { name: 'pin', value: '-', help: 'Read the account PIN from standard input (kept in memory only)' };
export const YES_OPTION = { name: 'yes', short: 'y', help: 'Do not ask for confirmation (needed without a terminal)' };
export const JOB_WAIT_OPTION = {
  name: 'wait',
  help: 'Wait until every step has ended, then (after a reboot or power action) until HOSTKEY says the server is on or off; exit 6 if a step fails, its outcome is unknown, or the power state is not confirmed',
};
export const PIN_DETAIL =
  'If your HOSTKEY account uses a PIN, give it with "--pin -" (piped in, or typed unseen on a terminal); otherwise ISO Desk asks for it on a terminal when HOSTKEY wants it. It is kept in memory for this command only: never written to disk, logs or the task journal.';

/** `--pin -`: read before anything is sent. */
export async function takePin(ctx: CommandContext, input: JobCommandInput, flags: Flags): Promise<void> {
  const value = flags.string('pin');
  if (value === undefined) return;
  if (value !== '-') throw new AppError('usage', 'Give the PIN as "--pin -" and type or pipe it in: on the command line it would land in your shell history.');
  await ctx.call('pin/answer', { pin: await readSecret(input.stdin, ctx.out.stderr, 'PIN') });
}

/** Asks on a terminal; without one (or with --json) refuses unless --yes was given. */
export async function confirmed(ctx: CommandContext, input: JobCommandInput, flags: Flags, question: string): Promise<void> {
  if (flags.bool('yes')) return;
  if (!canAsk(input.stdin, ctx.out.stderr) || ctx.out.json) {
    throw new AppError('usage', `Not done without confirmation: ${question}`, {
      hint: 'Nothing was sent. Add --yes to confirm in a script.',
    });
  }
  if (!(await confirm(input.stdin, ctx.out.stderr, question))) {
    throw new AppError('usage', 'Cancelled: nothing was sent.', { hint: null });
  }
}

/** The server as the cache names it, for confirmations. */
export async function describeServer(ctx: CommandContext, serverId: number): Promise<string> {
  const servers = await ctx.call('servers/list', { refresh: false }).catch(() => null);
  const server = servers?.items.find((s) => s.id === serverId);
  return serverText({ server_id: serverId, hostname: server?.hostname ?? null, main_ip: server?.main_ip ?? null });
}

/**
 * Follows the job: one line per step change; asks for the PIN on a terminal when HOSTKEY wants
 * it. Without --wait it returns once the last step has been handed to HOSTKEY. With --wait, a job
 * that ended with a reboot or a power action then has the server's power followed to its end.
 */
export async function followJob(ctx: CommandContext, input: JobCommandInput, started: Job, wait: boolean): Promise<number> {
  const job = await stepByStep(ctx, input, started, wait);
  const code = report(ctx, job);
  // The app's rule for what a job leads to (on after a reboot or power on, off after power off).
  const expected = wait ? PowerService.expectedAfter(job) : null;
  return expected ? settlePower(ctx, job.server_id, expected) : code;
}

/** The job once it has ended (--wait) or its last step is with HOSTKEY, printing each step as it changes. */
async function stepByStep(ctx: CommandContext, input: JobCommandInput, started: Job, wait: boolean): Promise<Job> {
  const seen = new Map<number, string>();
  const print = (job: Job) => {
    for (const step of job.steps) {
      const line = `${step.index + 1}/${job.steps.length} ${stepLabel(step)}: ${step.state}${step.message && step.state !== 'running' && step.state !== 'pending' ? ` (${step.message})` : ''}`;
      if (step.state === 'pending' || seen.get(step.index) === line) continue;
      seen.set(step.index, line);
      ctx.out.line(printable(line));
    }
  };
  const off = ctx.app.events.on('jobs/changed', ({ job }) => {
    if (job.key === started.key) print(job);
  });
  const abort = new AbortController();
  const forget = ctx.onInterrupt(() => {
    abort.abort();
    ctx.out.note(
      `Stopped following. Steps already sent go on at HOSTKEY; "isodesk tasks" shows the job (${shortKey(started.key)}), "isodesk tasks resume ${shortKey(started.key)}" sends the rest.`,
    );
  });
  ctx.app.trackTasks();
  try {
    for (;;) {
      const job = await ctx.app.jobs.waitFor(started.key, { untilSent: !wait, signal: abort.signal });
      print(job);
      if (job.state !== 'needs_pin') return job;
      if (!canAsk(input.stdin, ctx.out.stderr) || ctx.out.json) {
        // Nothing of this step was sent: the job does not linger waiting for a PIN nobody can type.
        ctx.app.jobs.cancel(job.key);
        throw new AppError('pin_required', job.message ?? 'HOSTKEY asks for the account PIN.', {
          hint: 'Run it again with "--pin -" and the PIN on standard input. Nothing was sent for that step.',
        });
      }
      ctx.out.note(printable(job.message ?? 'HOSTKEY asks for the account PIN.'));
      await ctx.call('pin/answer', { pin: await readSecret(input.stdin, ctx.out.stderr, 'PIN') });
    }
  } finally {
    off();
    forget();
  }
}

/**
 * The server's power followed after the job by the app's rule (power/settle: readings with backoff
 * through the shared poll budget, "not confirmed" past the limit), each new reading printed.
 */
async function settlePower(ctx: CommandContext, serverId: number, expected: 'on' | 'off'): Promise<number> {
  const server = await describeServer(ctx, serverId);
  const before = (await ctx.call('power/status', { server_id: serverId, refresh: false })).read_at ?? -Infinity;
  ctx.out.line(`Waiting for HOSTKEY to say the server is ${expected}\u2026`);
  let shown = '';
  const off = ctx.app.events.on('power/changed', (status) => {
    if (status.server_id !== serverId || status.following === null || status.read_at === null || status.read_at <= before) return;
    const line = printable(`  power ${status.power}${status.text ? ` (HOSTKEY: \u201c${status.text}\u201d)` : ''}, read ${formatTime(status.read_at)}`);
    if (line === shown) return;
    shown = line;
    ctx.out.line(line);
  });
  const forget = ctx.onInterrupt(() => {
    ctx.out.note('Stopped waiting for the power state; "isodesk power status" reads it again.');
  });
  try {
    const { status, confirmed } = await ctx.call('power/settle', { server_id: serverId, expected });
    if (confirmed) {
      ctx.out.line(printable(`${server}: power ${status.power}, confirmed by HOSTKEY ${formatTime(status.read_at)}.`));
      return EXIT.ok;
    }
    ctx.out.error({
      kind: 'unknown_outcome',
      message: printable(`${server}: the power state could not be confirmed. ${status.text ?? ''}`.trim()),
      hint: 'Check the server ("isodesk power status --server ID", or its console).',
      code: null,
    });
    return EXIT.taskFailed;
  } finally {
    off();
    forget();
  }
}

function report(ctx: CommandContext, job: Job): number {
  ctx.out.result(job);
  const title = jobTitle(job);
  switch (job.state) {
    case 'succeeded':
      ctx.out.line(printable(`${title}: done.`));
      return EXIT.ok;
    case 'running':
      ctx.out.line(printable(`${title}: every step is sent; HOSTKEY is finishing the last one. Follow it with "isodesk tasks --watch".`));
      return EXIT.ok;
    case 'cancelled':
      ctx.out.line(printable(`${title}: cancelled. ${job.message ?? ''}`.trim()));
      return EXIT.ok;
    default: {
      const unknown = job.steps.some((s) => s.state === 'unknown');
      const key = shortKey(job.key);
      ctx.out.error({
        kind: unknown ? 'unknown_outcome' : 'task_failed',
        message: `${title}: ${job.message ?? job.state}`,
        hint: `Then: "isodesk tasks retry ${key}", "isodesk tasks skip ${key}" or "isodesk tasks cancel ${key}". Each step line above shows HOSTKEY's words.`,
        code: null,
      });
      for (const line of stepLines(job)) ctx.out.note(printable(line));
      return EXIT.taskFailed;
    }
  }
}
