/**
 * The one SQLite connection of a Cache: how it is opened and tuned, the prepared statements it
 * keeps, and the two kinds of transaction the repositories use.
 */
import Database from 'better-sqlite3';
import { AppError } from '../domain/errors.js';

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
}

export function openConnection(file: string, opts: ConnectionOptions): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true, nativeBinding: opts.nativeBinding });
  } catch (err) {
    throw cacheUnavailable(file, err);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    }
    // NORMAL in WAL mode loses no commit when the process dies, only on power loss; lists can be
    // synced again, and the task journal's irreplaceable writes ask for FULL (see `durably`).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
  } catch (err) {
    db.close();
    throw cacheUnavailable(file, err);
  }
  return db;
}

export function cacheUnavailable(file: string, err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError('internal', `ISO Desk could not open its local cache (${file}): ${reason}.`, {
    hint: 'Close other ISO Desk windows and try again. If it keeps failing, move the file away: ISO Desk starts with an empty cache and syncs again.',
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
