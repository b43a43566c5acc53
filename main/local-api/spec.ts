/**
 * The HOSTKEY API as this double reads it: endpoints, actions and request field names, spelled
 * here from the seed's parameter tables (shared/seed/000_2573ae30422bd7e4.txt) and
 * shared/docs/hostkey-api.md — never taken from the client (main/api), so that a wrong name or
 * path in the client fails the tests instead of being echoed back by its own stand-in.
 */

/** `POST https://<host>/<module>.php`, per the docs' "Transport". */
export const MODULE_BY_PATH = {
  '/iso.php': 'iso',
  '/auth.php': 'auth',
  '/eq.php': 'eq',
  '/eq_callback.php': 'callback',
} as const;
export type Module = (typeof MODULE_BY_PATH)[keyof typeof MODULE_BY_PATH];

/** The seed's "API Methods" table, and the docs' auth, eq and eq_callback actions. */
export const MODULE_ACTIONS = {
  iso: ['add', 'del', 'delete', 'history', 'list_iso', 'mount_iso', 'unmount_iso', 'update', 'upload', 'uploaded'],
  auth: ['login', 'info', 'logout'],
  eq: ['update_servers', 'list', 'show', 'status', 'on', 'off', 'reboot', 'boot_dev', 'novnc', 'stop_novnc'],
  callback: ['check'],
} as const;
export type ActionIn<M extends Module> = (typeof MODULE_ACTIONS)[M][number];

/** Every request names its action and, once signed in, carries its token at the top level. */
export const ACTION_FIELD = 'action';
export const TOKEN_FIELD = 'token';

/** Each action's parameters, exactly as the seed's tables spell them (top level or `params[…]`). */
export const PARAMS = {
  add: {
    name: 'params[name]',
    short_name: 'params[short_name]',
    iso_name: 'params[iso_name]',
    private: 'params[private]',
    description: 'params[description]',
    admin_only: 'params[admin_only]',
    status: 'params[status]',
  },
  del: { id: 'params[id]', pending: 'params[pending]' },
  delete: { id: 'id' },
  history: { id: 'id' },
  list_iso: { id: 'id' },
  mount_iso: { id: 'id', iso: 'iso' },
  unmount_iso: { id: 'id' },
  update: { id: 'params[id]', description: 'params[description]', iso_name: 'params[iso_name]' },
  upload: { url: 'params[url]', email: 'params[email]', customer_id: 'params[customer_id]' },
  uploaded: { email: 'params[email]' },
  // shared/docs/hostkey-api.md, "Sign-in", "Servers" and "Asynchronous tasks".
  login: { key: 'key', ttl: 'ttl', fix_ip: 'fix_ip' },
  show: { id: 'id' },
  check: { key: 'key' },
  // shared/docs/hostkey-power-console.md: eq.php takes `id` flat (§1), the PIN as `pin` (§5),
  // boot_dev's device as `media` = cd | disk | pxe (§2.3, HOSTKEY's MCP client).
  power: { id: 'id', pin: 'pin' },
  boot_dev: { id: 'id', media: 'media', pin: 'pin' },
} as const;

/** The argument's own name, as HOSTKEY's messages use it: `params[iso_name]` → `iso_name`. */
export function argumentName(field: string): string {
  return /^params\[(.+)\]$/.exec(field)?.[1] ?? field;
}
