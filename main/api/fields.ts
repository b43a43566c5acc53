/**
 * The HOSTKEY API's endpoints, action names and request field names — the one place they are
 * spelled. The ISO module follows the seed specification exactly; auth, eq and eq_callback follow
 * shared/docs/hostkey-api.md. The local API server parses requests with these same names.
 */

/** Where HOSTKEY's API answers unless a profile or --api-url names another host (shared/docs/hostkey-api.md). */
export const DEFAULT_BASE_URL = 'https://api.hostkey.com';

export const MODULE_PATHS = {
  iso: '/iso.php',
  auth: '/auth.php',
  eq: '/eq.php',
  callback: '/eq_callback.php',
} as const;
export type ApiModule = keyof typeof MODULE_PATHS;

export const ACTIONS = {
  iso: ['add', 'del', 'delete', 'history', 'list_iso', 'mount_iso', 'unmount_iso', 'update', 'upload', 'uploaded'],
  auth: ['login', 'info', 'logout'],
  eq: ['update_servers', 'list', 'show', 'status', 'on', 'off', 'reboot', 'boot_dev', 'novnc', 'stop_novnc'],
  callback: ['check'],
} as const;
export type ActionOf<M extends ApiModule> = (typeof ACTIONS)[M][number];

/** Actions that change state: never retried automatically (a timeout means "unknown outcome"). */
export const STATE_CHANGING = new Set<string>([
  'add',
  'del',
  'delete',
  'update',
  'upload',
  'mount_iso',
  'unmount_iso',
  'login',
  'logout',
  'update_servers',
  // Power and boot device (issue #9): a repeated reboot is a second reboot.
  'on',
  'off',
  'reboot',
  'boot_dev',
]);

/** Form fields that carry secrets: redacted from every log line and error. */
export const SECRET_FIELDS = ['token', 'key', 'password', 'pin', 'user_token'] as const;

export const AUTH_FIELDS = { key: 'key', ttl: 'ttl', fixIp: 'fix_ip', token: 'token' } as const;

/** Token lifetime the official clients ask for, in seconds. */
export const LOGIN_TTL_SECONDS = 3600;

export interface AddIsoInput {
  name: string;
  short_name: string;
  iso_name: string;
  private: string;
  description?: string | undefined;
  admin_only?: boolean | undefined;
  status?: string | undefined;
}
export interface UpdateIsoInput {
  id: number;
  description?: string | undefined;
  iso_name?: string | undefined;
}
export interface UploadIsoInput {
  url: string;
  email?: string | undefined;
  customer_id?: number | undefined;
}

export type FormFields = Record<string, string>;

function compact(fields: Record<string, string | number | undefined>): FormFields {
  const out: FormFields = {};
  // for…in rather than Object.entries: every request builds its form here.
  for (const k in fields) {
    const v = fields[k];
    if (v !== undefined) out[k] = String(v);
  }
  return out;
}

/** Form fields of each ISO action, exactly as the seed's parameter tables name them. */
export const isoFields = {
  add: (a: AddIsoInput): FormFields =>
    compact({
      'params[name]': a.name,
      'params[short_name]': a.short_name,
      'params[iso_name]': a.iso_name,
      'params[private]': a.private,
      'params[description]': a.description,
      'params[admin_only]': a.admin_only === undefined ? undefined : a.admin_only ? 1 : 0,
      'params[status]': a.status,
    }),
  del: (a: { id: number; pending?: boolean | undefined }): FormFields =>
    compact({ 'params[id]': a.id, 'params[pending]': a.pending === undefined ? undefined : a.pending ? 1 : 0 }),
  delete: (a: { id: number }): FormFields => compact({ id: a.id }),
  history: (a: { id: number }): FormFields => compact({ id: a.id }),
  list_iso: (a: { server_id: number }): FormFields => compact({ id: a.server_id }),
  mount_iso: (a: { server_id: number; iso: string }): FormFields => compact({ id: a.server_id, iso: a.iso }),
  unmount_iso: (a: { server_id: number }): FormFields => compact({ id: a.server_id }),
  update: (a: UpdateIsoInput): FormFields => compact({ 'params[id]': a.id, 'params[description]': a.description, 'params[iso_name]': a.iso_name }),
  upload: (a: UploadIsoInput): FormFields => compact({ 'params[url]': a.url, 'params[email]': a.email, 'params[customer_id]': a.customer_id }),
  uploaded: (a: { email?: string | undefined }): FormFields => compact({ 'params[email]': a.email }),
} satisfies Record<ActionOf<'iso'>, (a: never) => FormFields>;

export const eqFields = {
  update_servers: (): FormFields => ({}),
  list: (): FormFields => ({}),
  show: (a: { id: number }): FormFields => compact({ id: a.id }),
  ...powerFields(),
} satisfies Record<ActionOf<'eq'>, (a: never) => FormFields>;

export const callbackFields = {
  check: (a: { key: string }): FormFields => compact({ key: a.key }),
} satisfies Record<ActionOf<'callback'>, (a: never) => FormFields>;

/** Where a task key may stand in an async action's answer (the name is not documented for ISO). */
export const TASK_KEY_FIELDS = ['callback', 'key', 'task_key', 'task'] as const;

/** The only upload status the seed documents; others are shown verbatim and treated as in progress. */
export const UPLOAD_PENDING_STATUSES = ['pending', 'queued', 'downloading', 'uploading', 'processing', 'in progress'] as const;
export const UPLOAD_DONE_STATUSES = ['active', 'ready', 'ok', 'done', 'complete', 'completed', 'available', 'uploaded'] as const;
export const UPLOAD_FAILED_STATUSES = ['error', 'failed', 'fail', 'cancelled', 'canceled', 'rejected', 'aborted'] as const;

// ── eq.php power, boot device, console and the PIN (issue #9) ─────────────────────────────────
// Every name and every undecided point of shared/docs/hostkey-power-console.md, each with the
// reason for the choice, so that a check against a live account changes this block only.

/** `action`, `token` and `id` are flat top-level fields on eq.php: every source agrees (§1). */
const SERVER_FIELD = 'id';
/** The PIN travels as a flat `pin` field: the eq/on and eq/novnc examples (§1, §5). */
export const PIN_FIELD = 'pin';
/** boot_dev's device field and values: only HOSTKEY's MCP client shows them (`media` = pxe | disk | cd, §2.3). */
export const BOOT_MEDIA_FIELD = 'media';
export const BOOT_MEDIA = ['cd', 'disk', 'pxe'] as const;
export type BootMediaValue = (typeof BOOT_MEDIA)[number];

/** The power actions ISO Desk sends; `hard_off` is left out: absent from the English table (§2.2). */
export const POWER_ACTIONS = ['status', 'on', 'off', 'reboot'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/**
 * Actions sent with the PIN when the session holds one. The docs show `pin` on eq/on and
 * eq/novnc only; the panel asks it "for all crucial operations", so every state change and the
 * console get it too. status is a read and goes without. Any other action that HOSTKEY answers
 * with "PIN required" is sent with it from then on (the client learns it at run time).
 */
export const PIN_ACTIONS: ReadonlySet<string> = new Set(['on', 'off', 'reboot', 'boot_dev', 'novnc', 'stop_novnc']);

function powerFields() {
  const withPin = (a: { id: number; pin?: string | undefined }): FormFields => compact({ [SERVER_FIELD]: a.id, [PIN_FIELD]: a.pin });
  return {
    status: withPin,
    on: withPin,
    off: withPin,
    reboot: withPin,
    boot_dev: (a: { id: number; media: BootMediaValue; pin?: string | undefined }): FormFields =>
      compact({ [SERVER_FIELD]: a.id, [BOOT_MEDIA_FIELD]: a.media, [PIN_FIELD]: a.pin }),
    /** MCP also sends an optional `white_ip`; ISO Desk does not restrict the console to an address it cannot know. */
    novnc: withPin,
    /** Parameters undocumented (§2.4): the server id, like every other eq action. */
    stop_novnc: withPin,
  };
}

/**
 * HOSTKEY's words for a PIN problem. No source shows the error text (§5, §8.5): these match
 * the plain phrasings ("PIN required", "Invalid PIN", "PIN is locked"), locked checked first.
 */
export const PIN_LOCKED_WORDS = /\bpin\b[^.]*\b(locked|blocked)\b|\b(locked|blocked)\b[^.]*\bpin\b/i;
export const PIN_WRONG_WORDS = /\b(invalid|wrong|incorrect|bad)\b[^.]*\bpin\b|\bpin\b[^.]*\b(invalid|wrong|incorrect|mismatch|does not match)\b/i;
export const PIN_REQUIRED_WORDS = /\bpin\b[^.]*\b(required|missing|needed|empty|not set)\b|\b(enter|provide|requires?)\b[^.]*\bpin\b/i;

/** The account PIN locks after this many wrong tries (PIN-COM, PIN-NL). */
export const PIN_TRIES = 3;

/**
 * Reading the power out of the status check's `scope`: the only documented source of the state
 * ("VM is up now", "Chassis Power is on", §2.1). "reboot" is looked for first, then on/off words;
 * anything else is "unknown" and shown verbatim.
 */
export const POWER_WORDS = {
  rebooting: /\breboot(ing)?\b|\brestart(ing)?\b|\bresetting\b/i,
  on: /\bpower(ed)? is on\b|\bis up\b|\bup now\b|\bpowered on\b|\brunning\b/i,
  off: /\bpower(ed)? is off\b|\bis down\b|\bdown now\b|\bpowered off\b|\bshut ?off\b|\bstopped\b/i,
} as const;

/** The check result's fields (§1.1): `scope` (message or object), `context` (the request, ids as text or numbers), `debug` (device output). */
export const CHECK_FIELDS = { scope: 'scope', context: 'context', debug: 'debug' } as const;

/**
 * novnc: the console URL stands in the check result's `scope` (BLOG14-RU). Whether eq.php
 * answers it at once or through a callback key is UNVERIFIED (§2.4): both are accepted.
 */
export const CONSOLE_URL_FIELD = 'scope';

/**
 * Whether boot_dev reboots by itself is UNVERIFIED (§2.3, sources disagree): jobs always send
 * their own reboot, as HOSTKEY's MCP client does in its PXE flow; a second reboot is harmless.
 */
export const BOOT_DEV_REBOOTS = false;
