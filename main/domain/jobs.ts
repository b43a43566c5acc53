/**
 * Jobs (issue #9): what ISO Desk does to a server in several steps — "Boot from ISO" is
 * mount_iso → boot_dev cd → reboot, "Back to disk" is unmount_iso → boot_dev disk → reboot — and
 * the plain power actions, each a job of one step. Every step is a task of the journal; a job's
 * state is read from its steps and the user's decisions (main/tasks/jobs.ts), never guessed.
 */
import * as z from 'zod';

/** What HOSTKEY's status answer says of the power, in four words; its own text is kept beside it. */
export const PowerState = z.enum(['on', 'off', 'rebooting', 'unknown']);
export type PowerState = z.output<typeof PowerState>;

/** boot_dev's `media`: the mounted ISO (cd), the disk, or the network (pxe). */
export const BootMedia = z.enum(['cd', 'disk', 'pxe']);
export type BootMedia = z.output<typeof BootMedia>;

export const JobKind = z.enum(['boot_iso', 'back_to_disk', 'power_on', 'power_off', 'reboot', 'power_status']);
export type JobKind = z.output<typeof JobKind>;

/** The HOSTKEY action a step sends (iso.php mount_iso/unmount_iso, eq.php boot_dev/on/off/reboot/status). */
export const StepAction = z.enum(['mount_iso', 'unmount_iso', 'boot_dev', 'on', 'off', 'reboot', 'status']);
export type StepAction = z.output<typeof StepAction>;

/**
 * pending: not sent yet; running: sent (its intent is in the journal) and not ended; succeeded /
 * failed: HOSTKEY's word; unknown: sent, but nobody saw how it ended; skipped: the user chose to
 * go on without it.
 */
export const StepState = z.enum(['pending', 'running', 'succeeded', 'failed', 'unknown', 'skipped']);
export type StepState = z.output<typeof StepState>;

/**
 * running: a live ISO Desk process is sending or following the current step.
 * paused: the next step was never sent and no ISO Desk process drives the job (the one that did
 *   stopped, or the job waited too long to go on by itself): "resume" sends it.
 * needs_pin: HOSTKEY wants the account PIN before the current step; nothing was sent (pin/answer).
 * stopped: the current step failed, or its outcome is unknown: retry, skip or cancel.
 * succeeded: every step succeeded or was skipped. cancelled: the user cancelled it.
 */
export const JobState = z.enum(['running', 'paused', 'needs_pin', 'stopped', 'succeeded', 'cancelled']);
export type JobState = z.output<typeof JobState>;

export const JobChoice = z.enum(['retry', 'skip', 'cancel', 'resume']);
export type JobChoice = z.output<typeof JobChoice>;

export const JobStep = z.object({
  /** 0-based position in the job. */
  index: z.number().int().nonnegative(),
  action: StepAction,
  /** boot_dev's media; null for other actions. */
  media: BootMedia.nullable(),
  /** mount_iso's ISO name; null for other actions. */
  iso_name: z.string().nullable(),
  state: StepState,
  /** HOSTKEY's message for it (its check result, or its refusal), or why its outcome is unknown. */
  message: z.string().nullable(),
  /** How many times it was sent. */
  attempts: z.number().int().nonnegative(),
  /** The journal key of its latest attempt (tasks/list), null before it is first sent. */
  task_key: z.string().nullable(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
});
export type JobStep = z.output<typeof JobStep>;

export const Job = z.object({
  key: z.string(),
  kind: JobKind,
  profile: z.string(),
  server_id: z.number().int(),
  /** The server as it was named when the job was started (for confirmations and the record). */
  hostname: z.string().nullable(),
  main_ip: z.string().nullable(),
  /** The ISO a boot_iso job mounts. */
  iso_name: z.string().nullable(),
  state: JobState,
  /** The step the job stands at (0-based); null once it has ended. */
  current: z.number().int().nonnegative().nullable(),
  steps: z.array(JobStep),
  /** In plain words: why it waits or stopped (HOSTKEY's own message), or how it ended. */
  message: z.string().nullable(),
  /** What the user may do now. */
  choices: z.array(JobChoice),
  created_at: z.number(),
  updated_at: z.number(),
  finished_at: z.number().nullable(),
});
export type Job = z.output<typeof Job>;

/**
 * What a job would do on a server now (main/tasks/job-state.ts planJob): the steps every
 * confirmation lists, each with its label, and why they differ from the usual ones.
 */
export const JobPlan = z.object({
  kind: JobKind,
  server_id: z.number().int(),
  steps: z.array(JobStep.pick({ action: true, media: true, iso_name: true }).extend({ label: z.string() })),
  notes: z.array(z.string()),
});
export type JobPlan = z.output<typeof JobPlan>;

// Labels live apart from the schemas so the CLI can word jobs without loading zod.
export { JOB_TITLE, stepLabel } from './job-labels.js';

export const JobEventType = z.enum(['created', 'changed', 'ended', 'cleared']);
export const JobEvent = z.object({ type: JobEventType, job: Job });
export type JobEvent = z.output<typeof JobEvent>;

/** What ISO Desk knows of a server's power and boot device, and when it learnt it. */
export const PowerStatus = z.object({
  server_id: z.number().int(),
  power: PowerState,
  /** HOSTKEY's own words for it (the status check's `scope`), verbatim. */
  text: z.string().nullable(),
  /** When HOSTKEY said so (ms since the epoch); null: never read. */
  read_at: z.number().nullable(),
  /** The boot device ISO Desk last set (boot_dev), and when; null when it never did. */
  boot_media: BootMedia.nullable(),
  boot_media_at: z.number().nullable(),
  /** The ISO ISO Desk last mounted there and since when (for the detach reminder); null after an unmount. */
  mounted_iso: z.string().nullable(),
  mounted_at: z.number().nullable(),
  /** A status job still running for this server (the refresh has not ended yet). */
  job_key: z.string().nullable(),
  /** After a power action: the state ISO Desk is waiting for HOSTKEY to confirm (on, off), else null. */
  following: PowerState.nullable(),
});
export type PowerStatus = z.output<typeof PowerStatus>;

/**
 * An ISO that ISO Desk mounted and that has stayed attached longer than the detach reminder
 * setting (issue #9): main/services/reminders.ts decides, for the desktop, the window and the CLI.
 */
export const DueReminder = z.object({
  server_id: z.number().int(),
  iso_name: z.string(),
  mounted_at: z.number(),
  /** How long it has been attached (ms), when the rule was applied. */
  attached_ms: z.number(),
  /** The setting it outlasted, in minutes. */
  minutes: z.number().int(),
  /** The server as confirmations name it: hostname and IP. */
  server: z.string(),
  title: z.string(),
  body: z.string(),
});
export type DueReminder = z.output<typeof DueReminder>;

/** What "Console" did. The console's address is a secret: it never crosses to the renderer. */
export const ConsoleOpened = z.object({
  server_id: z.number().int(),
  /** Opened in the OS browser. */
  opened: z.boolean(),
  /** Put on the clipboard ("Copy link"). */
  copied: z.boolean(),
  /** What to tell the user (e.g. that the link holds a one-time password and expires when idle). */
  message: z.string(),
});
export type ConsoleOpened = z.output<typeof ConsoleOpened>;

/** Whether this session holds the account PIN (never the PIN itself). */
export const PinStatus = z.object({
  held: z.boolean(),
  /** Wrong PINs HOSTKEY reported in this session; the account locks at three. */
  wrong_tries: z.number().int().nonnegative(),
  locked: z.boolean(),
});
export type PinStatus = z.output<typeof PinStatus>;
