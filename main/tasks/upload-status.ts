/**
 * Reads an upload's state from its status word. Only `Pending` is documented; the rest are
 * guesses that can be wrong, so any word not known to be final counts as still in progress and
 * is shown verbatim.
 */
import { UPLOAD_DONE_STATUSES, UPLOAD_FAILED_STATUSES } from '../api/fields.js';
import type { IsoImage, TaskState } from '../domain/models.js';

export function uploadState(status: string | undefined): TaskState {
  const word = (status ?? '').trim().toLowerCase();
  if ((UPLOAD_DONE_STATUSES as readonly string[]).includes(word)) return 'succeeded';
  if ((UPLOAD_FAILED_STATUSES as readonly string[]).includes(word)) return 'failed';
  return 'running';
}

/** The file name an upload URL will most likely be listed under. */
export function fileNameOf(url: string): string | null {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : null;
  } catch {
    return null;
  }
}

/**
 * Finds the uploaded image that belongs to an upload task: by id, else by URL, else by file name
 * (newest first), never one in `held` (images other tasks already follow, e.g. an earlier upload
 * of the same URL).
 */
export function matchUpload(items: IsoImage[], task: { iso_id: number | null; url: string | null }, held: ReadonlySet<number> = new Set()): IsoImage | null {
  if (task.iso_id !== null) {
    const byId = items.find((i) => i.id === task.iso_id);
    if (byId) return byId;
  }
  if (!task.url) return null;
  const free = items.filter((i) => !held.has(i.id));
  const byUrl = free.filter((i) => i.url === task.url);
  const name = fileNameOf(task.url);
  const candidates = byUrl.length ? byUrl : free.filter((i) => name !== null && (i.iso_name === name || i.name === name));
  return candidates.sort((a, b) => b.id - a.id)[0] ?? null;
}
