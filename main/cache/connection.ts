/**
 * The one SQLite connection of a Cache: how it is opened and tuned, the prepared statements it
 * keeps, and the two kinds of transaction the repositories use.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../domain/errors.js';
import { fileFault, OTHER_FOLDER_HINT, shown, sqliteFault } from '../domain/storage-faults.js';

export type Db = Database.Database;
export type Statement = Database.Statement<unknown[], unknown>;

/** How long a writer waits for another process (the CLI beside the desktop app) before failing. */
const BUSY_TIMEOUT_MS = 5_000;
/** Keeps the WAL file from staying at the size of the largest catalog sync after a checkpoint. */
const JOURNAL_SIZE_LIMIT = 32 * 1024 * 1024;
/**
 * Upper bound of the page cache, in KiB. A 100,000-ISO sync writes about 60 MiB of table and
 * indexes; with room for most of it in memory it takes about 20% less time than with SQLite's
 * default 16 MiB.
 */
const CACHE_KIB = 64 * 1024;

export interface ConnectionOptions {
  nativeBinding?: string | undefined;
  readonly?: boolean | undefined;
  /**
   * Runs on the fresh connection before anything can change the file (no WAL switch, no file
   * mode change): the place to refuse a file this version must not touch.
   */
  check?: ((db: Db) => void) | undefined;
}

/** Only the user may read the cache: it names their servers, images and tasks. */
const FILE_MODE = 0o600;

export function openConnection(file: string, opts: ConnectionOptions): Db {
  const readonly = opts.readonly === true;
  const existing = statOrNull(file);
  // A FIFO or device would block the open for ever; a folder cannot be a database.
  if (existing && !existing.isFile()) {
    throw new AppError('storage', `ISO Desk cannot use ${shown(file)} as its cache file: it is not a regular file.`, { hint: OTHER_FOLDER_HINT });
  }
  // Created here, not by SQLite, so that it and its -wal and -shm files (which SQLite gives the
  // database file's mode) are private from the first byte.
  if (!existing && !readonly) createPrivateFile(file);
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly, nativeBinding: opts.nativeBinding, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw cacheUnavailable(file, err);
  }
  try {
    opts.check?.(db);
    if (!readonly) {
      tightenMode(file, existing);
      db.pragma('journal_mode = WAL');
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    }
    tune(db);
  } catch (err) {
    db.close();
    throw err instanceof AppError ? err : cacheUnavailable(file, err);
  }
  return db;
}

/** Settings of every connection, the file's and an in-memory snapshot's alike. */
export function tune(db: Db): void {
  // NORMAL in WAL mode loses no commit when the process dies, only on power loss; lists can be
  // synced again, and the task journal's irreplaceable writes ask for FULL (see `durably`).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma('temp_store = MEMORY');
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', FILE_MODE));
  } catch (err) {
    // Another process created it first: it did so the same way.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw cacheUnavailable(file, err);
  }
}

/** Files made by earlier versions (or by SQLite with the umask) lose their group and other bits. */
function tightenMode(file: string, stat: fs.Stats | null): void {
  if (process.platform === 'win32' || !stat || (stat.mode & 0o077) === 0) return;
  try {
    fs.chmodSync(file, FILE_MODE);
  } catch {
    // Not ours to change (another user's file opened through a shared folder): leave it.
  }
}

/** Why the cache could not be opened, in plain words; the journal is never put at risk by the advice. */
export function cacheUnavailable(file: string, err: unknown): AppError {
  const known = sqliteFault(err, { file, dir: path.dirname(file), readOnly: null }) ?? fileFault(err, path.dirname(file));
  if (known) return known;
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError('storage', `ISO Desk could not open its local cache (${shown(file)}): ${reason}.`, {
    hint: 'Close other ISO Desk windows and try again.',
    cause: err,
  });
}

/** Prepared statements of fixed SQL, prepared once per connection. */
export class Statements {
  private readonly prepared = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(sql: string): Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/**
 * A write transaction that takes the write lock up front, so a read-then-write never fails
 * half-way because another process wrote in between.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/** Several reads that must see one snapshot (a concurrent sync may swap tables in between). */
export function readTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).deferred();
}

/** Runs one write with synchronous=FULL: the WAL is fsynced before it returns. */
export function durably<T>(db: Db, write: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
