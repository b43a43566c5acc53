/**
 * The CLI's exit codes, so scripts can tell kinds of failure apart. A key refused because the
 * account has no servers (no_servers) counts as an auth failure: sign-in did not happen.
 */
import type { ErrorKind } from '../domain/models.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  auth: 3,
  refused: 4,
  network: 5,
  taskFailed: 6,
  storage: 7,
  /** upload sent nothing: the same file is already uploaded or uploading (--yes uploads it again). */
  duplicate: 8,
  interrupted: 130,
} as const;

const BY_KIND: Record<ErrorKind, number> = {
  usage: EXIT.usage,
  auth: EXIT.auth,
  no_servers: EXIT.auth,
  validation: EXIT.refused,
  permission: EXIT.refused,
  not_found: EXIT.refused,
  transient: EXIT.network,
  unknown_outcome: EXIT.network,
  task_failed: EXIT.taskFailed,
  offline: EXIT.network,
  // HOSTKEY (or a proxy in front of it) answered junk: like an outage, not like a refusal.
  bad_answer: EXIT.network,
  storage: EXIT.storage,
  internal: EXIT.internal,
  // Like a refused key: the action needs a credential the user has to supply.
  pin_required: EXIT.auth,
  pin_locked: EXIT.auth,
};

export function exitCodeFor(kind: ErrorKind): number {
  return BY_KIND[kind];
}
