/**
 * The offline-first read every list uses: ask HOSTKEY when asked to refresh (or when nothing is
 * cached yet), store the answer in one transaction, and fall back to the cached copy, marked
 * offline, when HOSTKEY cannot be reached. Errors that are not about reachability still surface.
 */
import { AppError } from '../domain/errors.js';

export interface CachedList<T> {
  items: T[];
  synced_at: number | null;
  offline: boolean;
}

const UNREACHABLE = new Set(['transient', 'offline', 'unknown_outcome']);

export async function cachedRead<T>(opts: {
  refresh: boolean;
  read: () => { items: T[]; synced_at: number | null };
  fetch: () => Promise<void>;
}): Promise<CachedList<T>> {
  const cached = opts.read();
  if (!opts.refresh && cached.synced_at !== null) return { ...cached, offline: false };
  try {
    await opts.fetch();
  } catch (err) {
    if (err instanceof AppError && UNREACHABLE.has(err.kind) && cached.synced_at !== null) return { ...cached, offline: true };
    throw err;
  }
  return { ...opts.read(), offline: false };
}
