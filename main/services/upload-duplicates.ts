/**
 * Upload dedupe: before HOSTKEY is asked to download a file again, the earlier uploads of the same
 * link (compared as normalised URLs) or the same file name (compared without regard to case) in
 * the uploaded list, and the uploads still in flight in the journal. The front ends decide what to
 * ask; this only finds them.
 */
import type { IsoImage } from '../domain/models.js';
import type { TrackedTask } from '../cache/index.js';
import type { UploadMatch } from '../ipc/contract.js';
import { fileNameOf, uploadState } from '../tasks/upload-status.js';

function sameUrl(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  try {
    return new URL(a.trim()).href === new URL(b.trim()).href;
  } catch {
    return a.trim() === b.trim();
  }
}

function sameName(a: string | null | undefined, b: string | null): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

function matchKind(
  url: string,
  fileName: string | null,
  other: { url: string | null | undefined; names: (string | null | undefined)[] },
): UploadMatch['match'] | null {
  if (sameUrl(other.url, url)) return 'url';
  return other.names.some((n) => sameName(n, fileName)) ? 'file_name' : null;
}

/**
 * Matches newest first: uploads in flight, then the uploaded list by descending id. A journal
 * task whose image is already in the uploaded list is reported once, as the listed image.
 */
export function findDuplicates(url: string, uploaded: IsoImage[], tasks: TrackedTask[]): UploadMatch[] {
  const fileName = fileNameOf(url);
  const listed: UploadMatch[] = [];
  for (const iso of [...uploaded].sort((a, b) => b.id - a.id)) {
    const match = matchKind(url, fileName, { url: iso.url, names: [iso.iso_name, iso.name, iso.url ? fileNameOf(iso.url) : null] });
    if (!match) continue;
    const state = uploadState(iso.status);
    listed.push({
      source: 'uploaded',
      match,
      iso_id: iso.id,
      iso_name: iso.iso_name || iso.name || null,
      url: iso.url ?? null,
      status: iso.status ?? null,
      state,
      since: iso.created_at ?? null,
      mountable: state === 'succeeded',
      repeat: state === 'succeeded' || state === 'running',
      task_key: null,
    });
  }
  const inFlight: UploadMatch[] = [];
  for (const task of tasks) {
    if (task.kind !== 'upload' || task.state !== 'running' || !task.url) continue;
    const match = matchKind(url, fileName, { url: task.url, names: [task.iso_name, fileNameOf(task.url)] });
    if (!match) continue;
    const known = listed.find((m) => (task.iso_id !== null && m.iso_id === task.iso_id) || sameUrl(m.url, task.url!));
    if (known) {
      known.task_key = task.key;
      continue;
    }
    inFlight.push({
      source: 'in_flight',
      match,
      iso_id: task.iso_id,
      iso_name: task.iso_name ?? fileNameOf(task.url),
      url: task.url,
      status: task.status,
      state: task.state,
      since: new Date(task.created_at).toISOString(),
      mountable: false,
      repeat: true,
      task_key: task.key,
    });
  }
  return [...inFlight.sort((a, b) => (b.since ?? '').localeCompare(a.since ?? '')), ...listed];
}
