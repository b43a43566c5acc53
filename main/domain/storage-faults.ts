/**
 * Local storage failures (the data folder, the cache file, the secrets file) in plain words, with
 * what to do next. The one place that reads SQLite result codes and file-system error codes; both
 * the cache and the secret store turn their failures into these errors. No advice here may cost
 * the user the task journal: nothing says "delete" or "move away" the cache file.
 */
import fs from 'node:fs';
import { AppError } from './errors.js';

/** Why the data folder cannot be written, as measured when it was opened. */
export type ReadOnlyReason = 'read-only' | 'permission';

export const OTHER_FOLDER_HINT = 'Use another data folder with --data-dir or ISODESK_DATA_DIR.';

/** Long paths and values are shortened so that an error stays one readable line. */
export function shown(value: string, max = 160): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  if (clean.length <= max) return clean;
  const half = Math.floor((max - 1) / 2);
  return `${clean.slice(0, half)}…${clean.slice(-half)} (${clean.length} characters)`;
}

function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return '';
}

export function diskFull(cause?: unknown): AppError {
  return new AppError('storage', 'The disk is full; free space and try again.', {
    hint: 'Nothing already saved was lost. ISO Desk needs a few megabytes free in its data folder.',
    cause,
  });
}

export function readOnlyFolder(dir: string, reason: ReadOnlyReason = 'read-only', cause?: unknown): AppError {
  const why = reason === 'permission' ? 'your user may not write to it' : 'it is read-only';
  return new AppError('storage', `ISO Desk cannot save to its data folder ${shown(dir)}: ${why}.`, {
    hint: `Cached lists and the task journal can still be read (for example with --offline). Make the folder writable to save again, or ${OTHER_FOLDER_HINT.charAt(0).toLowerCase()}${OTHER_FOLDER_HINT.slice(1)}`,
    cause,
  });
}

/**
 * The cache file is damaged. ISO Desk repairs it the next time it opens it (cache/repair.ts):
 * the damaged file is kept beside the new one and the task journal is carried over.
 */
export function damagedCache(file: string, cause?: unknown): AppError {
  return new AppError('storage', `The local cache file ${shown(file)} is damaged.`, {
    hint: 'Quit ISO Desk (the app and any running isodesk commands) and start it again: it keeps the damaged file beside a new one, carries your task journal over and syncs the rest from HOSTKEY.',
    cause,
  });
}

/** SQLite failures that are about the disk or the file, in plain words; null for anything else. */
export function sqliteFault(err: unknown, where: { file: string; dir: string; readOnly: ReadOnlyReason | null }): AppError | null {
  const code = codeOf(err);
  if (!code.startsWith('SQLITE_')) return null;
  if (code === 'SQLITE_FULL') return diskFull(err);
  if (code.startsWith('SQLITE_READONLY')) return readOnlyFolder(where.dir, where.readOnly ?? 'read-only', err);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damagedCache(where.file, err);
  // SQLite reports some writes that ran out of space (the -shm map, a WAL frame) as I/O errors.
  if (code.startsWith('SQLITE_IOERR')) return nearlyFull(where.dir) ? diskFull(err) : ioError(where.file, err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('transient', 'Another ISO Desk process kept the local cache busy for too long.', {
      hint: 'Try again in a moment. If it keeps happening, look for an isodesk command that is stuck.',
      cause: err,
    });
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new AppError('storage', `ISO Desk could not open its local cache file ${shown(where.file)}.`, { hint: OTHER_FOLDER_HINT, cause: err });
  }
  return null;
}

/** Less than a mebibyte left where ISO Desk writes: what "disk full" looks like from SQLite's side. */
function nearlyFull(dir: string): boolean {
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

function ioError(file: string, cause: unknown): AppError {
  return new AppError('storage', `The disk reported an error while ISO Desk used ${shown(file)}.`, {
    hint: 'Check the disk (and free space), then try again. Nothing is deleted on ISO Desk’s side.',
    cause,
  });
}

/** File-system failures while writing ISO Desk's own files (e.g. the secrets file); null for others. */
export function fileFault(err: unknown, dir: string): AppError | null {
  switch (codeOf(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return diskFull(err);
    case 'EROFS':
      return readOnlyFolder(dir, 'read-only', err);
    case 'EACCES':
    case 'EPERM':
      return readOnlyFolder(dir, 'permission', err);
    case 'EIO':
      return nearlyFull(dir) ? diskFull(err) : ioError(dir, err);
    default:
      return null;
  }
}

/** Why a data folder cannot be used at all (it is a file, cannot be created...); exit 2 in the CLI. */
export function unusableDataDir(dir: string, err: unknown): AppError {
  const reasons: Record<string, string> = {
    EEXIST: 'it is a file, not a folder',
    ENOTDIR: 'part of the path is a file, not a folder',
    EACCES: 'your user may not create or open it (permission denied)',
    EPERM: 'your user may not create or open it (operation not permitted)',
    EROFS: 'it does not exist and the disk it would be on is read-only',
    ENOENT: 'part of the path does not exist and cannot be created',
    ENAMETOOLONG: 'the path is too long',
    ELOOP: 'the path loops through symbolic links',
    ENOSPC: 'the disk is full',
  };
  const code = codeOf(err);
  const reason = reasons[code] ?? (code ? `the system answered ${code}` : err instanceof Error ? err.message : String(err));
  return new AppError('usage', `ISO Desk cannot use ${shown(dir)} as its data folder: ${reason}.`, { hint: OTHER_FOLDER_HINT, cause: err });
}
