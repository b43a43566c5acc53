/**
 * The data ISO Desk works with. Objects that come from HOSTKEY keep the API's own field names
 * (the seed specification is the contract), so these schemas double as the runtime validation of
 * every decoded response and of everything that crosses the IPC boundary.
 */
import * as z from 'zod';

/** Ids arrive as numbers or numeric strings; either way a safe integer (SQLite stores 64 bits, JS 53). */
export const Id = z
  .union([z.number().int(), z.string().regex(/^\d+$/)])
  .transform((v) => Number(v))
  .pipe(z.number().int().safe());

const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : String(v)));

const optionalNumber = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)])
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : Number(v)))
  // A numeric string of 400 digits is Infinity: not a size anyone can show.
  .pipe(z.number().optional());

const flag = z
  .union([z.boolean(), z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : v === true || v === 1 || v === '1' || v === 'true' ? 1 : 0));

/** One ISO image as list_iso, uploaded and add return it. */
export const IsoImage = z.object({
  id: Id,
  iso_name: optionalText.transform((v) => v ?? ''),
  name: optionalText,
  short_name: optionalText,
  description: optionalText.transform((v) => v ?? ''),
  size: optionalNumber,
  created_at: optionalText,
  updated_at: optionalText,
  status: optionalText,
  private: optionalText,
  admin_only: flag,
  url: optionalText,
});
export type IsoImage = z.output<typeof IsoImage>;

/** HOSTKEY's answer to a deletion, verbatim: the image's status word (e.g. `Deleting`) and any message. */
export const DeleteOutcome = z.object({ status: z.string().nullable(), message: z.string().nullable() });
export type DeleteOutcome = z.output<typeof DeleteOutcome>;

/** One entry of iso/history. */
export const HistoryEntry = z.object({
  id: Id,
  date: optionalText.transform((v) => v ?? ''),
  description: optionalText.transform((v) => v ?? ''),
  type: optionalText.transform((v) => v ?? ''),
  login: optionalText.transform((v) => v ?? ''),
  message: optionalText.transform((v) => v ?? ''),
  iso_name: optionalText.transform((v) => v ?? ''),
});
export type HistoryEntry = z.output<typeof HistoryEntry>;

/** What the server picker needs, normalised from eq.php list/show. */
export const ServerState = z.enum(['active', 'suspended', 'pending', 'unknown']);
export type ServerState = z.output<typeof ServerState>;

export const Server = z.object({
  id: z.number().int(),
  hostname: z.string().nullable(),
  main_ip: z.string().nullable(),
  location: z.string().nullable(),
  state: ServerState,
  /** The API's own condition word (rent, power_off, presale, TT), shown verbatim. */
  condition: z.string().nullable(),
  /** The ISO this app last mounted on it (null after an unmount or when unknown). */
  mounted_iso: z.string().nullable(),
});
export type Server = z.output<typeof Server>;

export const Role = z.object({
  role: z.string().nullable(),
  role_type: z.string().nullable(),
  permissions: z.array(z.string()),
  email: z.string().nullable(),
  customer_id: z.number().nullable(),
});
export type Role = z.output<typeof Role>;

/** What a role may do, derived from the seed's rules (see permissions.ts); the API still has the last word. */
export const Capabilities = z.object({
  add: z.boolean(),
  /** May delete any image (administrators); owners may delete their own whatever this says. */
  delete: z.boolean(),
  /** Staff must name the customer (email and customer id) when uploading. */
  uploadNeedsCustomer: z.boolean(),
  /** Employees may list another customer's uploads by email. */
  uploadedByEmail: z.boolean(),
});
export type Capabilities = z.output<typeof Capabilities>;

export const Profile = z.object({
  name: z.string(),
  base_url: z.string(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  customer_id: z.number().nullable(),
  /** 'key' profiles renew their token silently; 'token' profiles cannot. */
  auth: z.enum(['key', 'token']),
  signed_in: z.boolean(),
  token_expire: z.number().nullable(),
  capabilities: Capabilities,
});
export type Profile = z.output<typeof Profile>;

/**
 * mount, unmount, upload: ISO tasks. boot_dev and the power kinds are steps of boot and power
 * jobs (issue #9, main/tasks/jobs.ts), each followed through eq_callback like a mount.
 */
export const TaskKind = z.enum(['mount', 'unmount', 'upload', 'boot_dev', 'power_on', 'power_off', 'reboot', 'power_status']);
export type TaskKind = z.output<typeof TaskKind>;

/**
 * running: sent, or accepted and still going; succeeded/failed: ended with the API's word;
 * unknown: ISO Desk cannot tell (the API forgot the task, or its answer was never recorded).
 * Only ever moves forward from running.
 */
export const TaskState = z.enum(['running', 'succeeded', 'failed', 'unknown']);
export type TaskState = z.output<typeof TaskState>;

export const Task = z.object({
  /** The journal's id of the task, fixed from the moment its intent is written. */
  key: z.string(),
  kind: TaskKind,
  profile: z.string(),
  server_id: z.number().nullable(),
  iso_name: z.string().nullable(),
  url: z.string().nullable(),
  iso_id: z.number().nullable(),
  /** The customer a staff upload was made for (and is followed with). */
  email: z.string().nullable(),
  customer_id: z.number().nullable(),
  /** HOSTKEY's key for following a mount or unmount (eq_callback check); null before its answer. */
  task_key: z.string().nullable(),
  state: TaskState,
  /** The API's latest status word, verbatim (e.g. an upload's `Pending`). */
  status: z.string().nullable(),
  /** The API's message when it ended, or why the outcome is unknown. */
  message: z.string().nullable(),
  /** When the request was about to be sent (its intent was written). */
  created_at: z.number(),
  /** When HOSTKEY's acceptance was recorded; null while the answer is awaited, or was never recorded. */
  accepted_at: z.number().nullable(),
  updated_at: z.number(),
  finished_at: z.number().nullable(),
  polls: z.number().int(),
  /** The job this task is a step of (jobs/list), and which step (0-based); null for a task of its own. */
  job_key: z.string().nullish(),
  job_step: z.number().int().nonnegative().nullish(),
});
export type Task = z.output<typeof Task>;

export const TaskEventType = z.enum(['created', 'progress', 'finished', 'failed', 'unknown', 'cleared']);
export const TaskEvent = z.object({ type: TaskEventType, task: Task });
export type TaskEvent = z.output<typeof TaskEvent>;

export const ErrorKind = z.enum([
  'auth',
  'validation',
  'permission',
  'not_found',
  'no_servers',
  'transient',
  'unknown_outcome',
  /** A task HOSTKEY accepted ended in failure (the CLI's --wait). */
  'task_failed',
  'offline',
  /** HOSTKEY answered, but not with what its documentation promises: nothing was changed. */
  'bad_answer',
  'usage',
  /** The data folder, cache file or secrets file cannot be used (full, read-only, damaged). */
  'storage',
  /** HOSTKEY wants the account PIN for this action, or said the PIN sent was wrong: nothing was done. */
  'pin_required',
  /** The account PIN is locked after three wrong tries: only HOSTKEY support can reset it. */
  'pin_locked',
  'internal',
]);
export type ErrorKind = z.output<typeof ErrorKind>;

/** An error as data: what crosses IPC and what the CLI prints. */
export const ErrorInfo = z.object({
  kind: ErrorKind,
  /** In plain words; the API's own message where there is one. */
  message: z.string(),
  /** What to do next. */
  hint: z.string().nullable(),
  /** The API's code, verbatim, when it gave one. */
  code: z.union([z.string(), z.number()]).nullable(),
});
export type ErrorInfo = z.output<typeof ErrorInfo>;
