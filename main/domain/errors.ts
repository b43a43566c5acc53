/**
 * One error type for the whole app. Every layer throws AppError; IPC and the CLI turn it into
 * ErrorInfo (data) and back, so the renderer sees the same kind, message and hint as the CLI.
 */
// Types only: every layer throws AppError, and throwing one (a CLI usage error) must not load zod.
import type { ErrorInfo, ErrorKind } from './models.js';

const DEFAULT_HINTS: Record<ErrorKind, string | null> = {
  auth: 'Sign in again with a valid API key from the HOSTKEY control panel.',
  validation: 'Check the values you entered and try again.',
  permission: 'Your HOSTKEY role does not allow this. Ask an account administrator.',
  not_found: 'Refresh the list: it may have been removed.',
  no_servers: 'The key is valid, but the account has no servers. Order or activate a server, then sign in again.',
  transient: 'HOSTKEY could not be reached or was busy. Try again in a moment.',
  unknown_outcome: 'The request was sent but no answer came back, so it may or may not have happened. Refresh to see the current state before trying again.',
  task_failed: 'HOSTKEY ran the task and it failed; its message says why.',
  offline: 'You are offline. Cached data is shown; try again when the connection is back.',
  bad_answer: 'ISO Desk kept what it had and changed nothing. Try again in a moment; if it keeps happening, report it with the ISO Desk version.',
  usage: null,
  storage: 'Check the data folder (free space, permissions), then try again.',
  internal: 'This is a bug in ISO Desk. Please report it.',
  pin_required: 'Enter the PIN of your HOSTKEY account (set in the control panel). Three wrong tries lock it.',
  pin_locked: 'HOSTKEY locks the PIN after three wrong tries. Ask HOSTKEY support to reset it; nothing more will be sent with it.',
};

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | null;
  readonly code: string | number | null;

  constructor(kind: ErrorKind, message: string, opts: { hint?: string | null; code?: string | number | null; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.hint = opts.hint === undefined ? DEFAULT_HINTS[kind] : opts.hint;
    this.code = opts.code ?? null;
  }

  toInfo(): ErrorInfo {
    return { kind: this.kind, message: this.message, hint: this.hint, code: this.code };
  }

  static fromInfo(info: ErrorInfo): AppError {
    return new AppError(info.kind, info.message, { hint: info.hint, code: info.code });
  }
}

export function isAppError(err: unknown, kind?: ErrorKind): err is AppError {
  return err instanceof AppError && (kind === undefined || err.kind === kind);
}
