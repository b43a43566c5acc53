/**
 * A job as the user sees it, read from what the data folder holds — never from a process's
 * memory — so every process (the app, a CLI, one started after a crash) reads the same job:
 *  - each step's state is its latest attempt's task (the journal), unless the user skipped it,
 *    or allowed a retry of that attempt (then it is pending again);
 *  - the job stands at its first step that has neither succeeded nor been skipped;
 *  - a pending step is "running" while a live process holds the job's claim (it is about to send
 *    it), else "paused": nobody will send it until someone resumes the job.
 * Steps are planned here too: the plans of "Boot from ISO", "Back to disk" and power actions.
 */
import {
  stepLabel,
  type BootMedia,
  type Job,
  type JobChoice,
  type JobKind,
  type JobState,
  type JobStep,
  type PowerState,
  type StepAction,
  type StepState,
} from '../domain/jobs.js';
import type { TaskKind } from '../domain/models.js';
import type { JobDecision, JobPlanStep, JobRow, TrackedTask } from '../cache/index.js';
import { BOOT_DEV_REBOOTS } from '../api/fields.js';
import { clause } from '../domain/clause.js';

/** The journal's task kind of each step's action. */
export const STEP_KIND: Record<StepAction, TaskKind> = {
  mount_iso: 'mount',
  unmount_iso: 'unmount',
  boot_dev: 'boot_dev',
  on: 'power_on',
  off: 'power_off',
  reboot: 'reboot',
  status: 'power_status',
};

const step = (action: StepAction, extra: Partial<JobPlanStep> = {}): JobPlanStep => ({ action, media: null, iso_name: null, ...extra });

/** What ISO Desk knows of the server when it plans a job (main/services/boot.ts gathers it). */
export interface PlanFacts {
  /** The power state last read, and when. */
  power?: { state: PowerState; read_at: number | null } | undefined;
  /** Boot devices this server refused before, whose step the user then skipped (a VM refusing "cd"). */
  refusedMedia?: readonly BootMedia[] | undefined;
}

/** The steps of a job and, in plain words, why they differ from the usual ones. */
export interface Plan {
  steps: JobPlanStep[];
  notes: string[];
}

/**
 * The steps a job will run: what every confirmation lists and what the job is written with, from
 * this one function. "Boot from ISO" mounts, sets the boot device to CD, and reboots — or powers
 * on a server that is off; "Back to disk" unmounts, sets the boot device to disk, and reboots —
 * except a server that is off, which stays off and starts from its disk when next powered on. A
 * boot device the server refused before (and the user skipped) is not asked for again, and
 * without it the reboot is always sent (BOOT_DEV_REBOOTS says whether boot_dev reboots by itself).
 */
export function planJob(kind: JobKind, isoName: string | null, facts: PlanFacts = {}): Plan {
  const notes: string[] = [];
  const off = facts.power?.state === 'off';
  const bootDevice = (media: BootMedia): JobPlanStep[] => {
    if (!facts.refusedMedia?.includes(media)) return [step('boot_dev', { media })];
    notes.push(`${stepLabel({ action: 'boot_dev', media, iso_name: null })} is left out: this server refused it before and the step was skipped.`);
    return [];
  };
  const restart = (device: JobPlanStep[], whenOff: 'on' | 'none'): JobPlanStep[] => {
    if (off) {
      notes.push(
        whenOff === 'on'
          ? 'The server was off when last read, so it is powered on rather than rebooted.'
          : 'The server was off when last read: it stays off, and starts from its disk when powered on.',
      );
      return whenOff === 'on' ? [step('on')] : [];
    }
    return BOOT_DEV_REBOOTS && device.length ? [] : [step('reboot')];
  };
  switch (kind) {
    case 'boot_iso': {
      const device = bootDevice('cd');
      return { steps: [step('mount_iso', { iso_name: isoName }), ...device, ...restart(device, 'on')], notes };
    }
    case 'back_to_disk': {
      const device = bootDevice('disk');
      return { steps: [step('unmount_iso'), ...device, ...restart(device, 'none')], notes };
    }
    case 'power_on':
      return { steps: [step('on')], notes };
    case 'power_off':
      return { steps: [step('off')], notes };
    case 'reboot':
      return { steps: [step('reboot')], notes };
    case 'power_status':
      return { steps: [step('status')], notes };
  }
}

/** The usual steps, knowing nothing of the server. */
export function planOf(kind: JobKind, isoName: string | null): JobPlanStep[] {
  return planJob(kind, isoName).steps;
}

/** What the process driving a job does next. */
export type NextMove =
  { kind: 'send'; step: number; attempt: number } | { kind: 'wait' } | { kind: 'stop' } | { kind: 'pin' } | { kind: 'done' } | { kind: 'ended' };

export interface JobView {
  job: Job;
  move: NextMove;
  /** The latest attempt of the current step, when it has one. */
  attempt: TrackedTask | null;
}

const TASK_STEP_STATE: Record<TrackedTask['state'], StepState> = { running: 'running', succeeded: 'succeeded', failed: 'failed', unknown: 'unknown' };

function stepOf(index: number, plan: JobPlanStep, attempts: TrackedTask[], decisions: JobDecision[]): { step: JobStep; latest: TrackedTask | null } {
  const mine = decisions.filter((d) => d.step === index);
  const latest = attempts.at(-1) ?? null;
  const attemptNo = latest?.job_attempt ?? 0;
  let state: StepState = latest ? TASK_STEP_STATE[latest.state] : 'pending';
  if (mine.some((d) => d.decision === 'skip') && state !== 'succeeded' && state !== 'running') state = 'skipped';
  else if ((state === 'failed' || state === 'unknown') && mine.some((d) => d.decision === 'retry' && d.attempt === attemptNo)) state = 'pending';
  return {
    latest,
    step: {
      index,
      action: plan.action,
      media: plan.media,
      iso_name: plan.iso_name,
      state,
      message: latest?.message ?? null,
      attempts: attempts.length,
      task_key: latest?.key ?? null,
      started_at: attempts[0]?.created_at ?? null,
      finished_at: state === 'succeeded' || state === 'failed' || state === 'unknown' ? (latest?.finished_at ?? null) : null,
    },
  };
}

const CHOICES: Record<JobState, JobChoice[]> = {
  running: ['cancel'],
  paused: ['resume', 'skip', 'cancel'],
  needs_pin: ['retry', 'skip', 'cancel'],
  stopped: ['retry', 'skip', 'cancel'],
  succeeded: [],
  cancelled: [],
};

/**
 * The job as it stands. `driven`: a live process holds its claim (it sends the next step itself).
 */
export function readJob(row: JobRow, tasks: TrackedTask[], decisions: JobDecision[], driven: boolean): JobView {
  const read = row.plan.map((plan, i) =>
    stepOf(
      i,
      plan,
      tasks.filter((t) => t.job_step === i),
      decisions,
    ),
  );
  const steps = read.map((r) => r.step);
  const currentIndex = steps.findIndex((s) => s.state !== 'succeeded' && s.state !== 'skipped');
  const current = currentIndex === -1 ? null : read[currentIndex]!;
  const position = (i: number) => `step ${i + 1} of ${steps.length}`;

  let state: JobState;
  let move: NextMove;
  let message: string | null;
  if (row.ended === 'cancelled') {
    state = 'cancelled';
    move = { kind: 'ended' };
    message = row.note;
  } else if (!current) {
    state = 'succeeded';
    move = row.ended ? { kind: 'ended' } : { kind: 'done' };
    const skipped = steps.filter((s) => s.state === 'skipped').map((s) => stepLabel(s).toLowerCase());
    message = row.note ?? (skipped.length ? `Done, without: ${skipped.join(', ')}.` : 'Done.');
  } else {
    const s = current.step;
    const label = `${stepLabel(s)} (${position(s.index)})`;
    switch (s.state) {
      case 'running':
        state = 'running';
        move = { kind: 'wait' };
        message = current.latest?.accepted_at === null ? `${label}: sending to HOSTKEY.` : `${label}: HOSTKEY is working on it.`;
        break;
      case 'failed':
        state = 'stopped';
        move = { kind: 'stop' };
        message = `${label} failed: ${s.message ?? 'HOSTKEY reported a failure'}. Retry it, skip it, or cancel the job.`;
        break;
      case 'unknown':
        state = 'stopped';
        move = { kind: 'stop' };
        message = `${label} was sent, but its outcome is unknown: ${s.message ?? 'no answer was recorded'} Check the server, then retry it (it will be sent again), skip it (if it did happen), or cancel the job.`;
        break;
      default: {
        const attempt = (current.latest?.job_attempt ?? 0) + 1;
        if (row.waiting_pin) {
          state = 'needs_pin';
          move = { kind: 'pin' };
          message = row.note ?? `HOSTKEY asks for the account PIN before: ${label}.`;
        } else if (driven) {
          state = 'running';
          move = { kind: 'send', step: s.index, attempt };
          message = `${label}: about to be sent.`;
        } else {
          state = 'paused';
          move = { kind: 'send', step: s.index, attempt };
          const why = row.note ?? 'no ISO Desk process is driving this job (the one that started it stopped)';
          message = `${label} has not been sent: ${clause(why)}. Resume it to send this step, or cancel the job.`;
        }
      }
    }
  }
  return {
    move,
    attempt: current?.latest ?? null,
    job: {
      key: row.key,
      kind: row.kind,
      profile: row.profile,
      server_id: row.server_id,
      hostname: row.hostname,
      main_ip: row.main_ip,
      iso_name: row.iso_name,
      state,
      current: state === 'succeeded' || state === 'cancelled' ? null : (current?.step.index ?? null),
      steps,
      message,
      choices: CHOICES[state],
      created_at: row.created_at,
      updated_at: Math.max(row.updated_at, ...tasks.map((t) => t.updated_at)),
      finished_at: row.finished_at,
    },
  };
}
