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
  eq: ['update_servers', 'list', 'show'],
  callback: ['check'],
} as const;
export type ActionOf<M extends ApiModule> = (typeof ACTIONS)[M][number];

/** Actions that change state: never retried automatically (a timeout means "unknown outcome"). */
export const STATE_CHANGING = new Set<string>(['add', 'del', 'delete', 'update', 'upload', 'mount_iso', 'unmount_iso', 'login', 'logout', 'update_servers']);

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
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = String(v);
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
