/**
 * Synced catalogs on disk: one SQLite file each, in a folder beside the cache file
 * (isodesk.db-catalogs/). A catalog file is written by one builder, which may run on another
 * thread: without a journal (a file nothing points at yet has nothing to roll back to) and with one
 * fsync, so the build costs one write of its pages. The cache then points at the file in one short
 * transaction (see catalog.ts), which is the only moment the catalog changes for its readers.
 *
 * Files nothing points at are left over from a build that died (kill -9, power loss) or from a
 * catalog replaced while some process still had it open: they are removed when the cache opens.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IsoImage } from '../domain/models.js';
import { writeChangeSet, type ChangeSet } from './catalog-changes.js';
import { buildIndexes, buildRows, hasIndexes, NEVER_STOPS, type Checkpoint } from './catalog-table.js';
import { cacheUnavailable, type Db } from './connection.js';

/** Page cache of a builder, in KiB: most of a 100,000-ISO catalog's pages stay in memory while it is built. */
const BUILD_CACHE_KIB = 64 * 1024;
/** Page cache of a reader, in KiB: the pages a search and a few pages of rows touch. */
const READ_CACHE_KIB = 16 * 1024;
/** A left-over younger than this may still be in the making by another process: it is kept. */
const LEFTOVER_AGE_MS = 60_000;
const COMPANIONS = ['', '-wal', '-shm', '-journal'];

export function catalogDirectory(cacheFile: string): string {
  return `${cacheFile}-catalogs`;
}

/**
 * Builds one catalog file: the rows first, then the indexes, then `finish` makes it durable and
 * ready for readers. A catalog with nothing to show meanwhile can publish a copy of its rows
 * between the two steps (`shareRows`): readers page it in name order while the indexes are built.
 */
export class CatalogBuilder {
  private shared: boolean;

  private constructor(
    readonly file: string,
    private readonly db: Db,
    shared: boolean,
  ) {
    this.shared = shared;
  }

  /** A new, empty catalog file in `directory`. */
  static create(directory: string, nativeBinding?: string): CatalogBuilder {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const file = path.join(directory, `${crypto.randomUUID()}.db`);
    return new CatalogBuilder(
      file,
      open(file, nativeBinding, (db) => {
        // The exclusive lock, held until the rows are shared, tells a sweeping process the file is in use.
        db.pragma('locking_mode = EXCLUSIVE');
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
        db.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
        db.pragma('temp_store = MEMORY');
      }),
      false,
    );
  }

  /** A published catalog file whose rows are there but whose build stopped before its indexes. */
  static resume(file: string, nativeBinding?: string): CatalogBuilder {
    return new CatalogBuilder(
      file,
      open(
        file,
        nativeBinding,
        (db) => {
          // Another process may be building the same indexes: wait for it, then find them built.
          db.pragma('busy_timeout = 60000');
          db.pragma('synchronous = NORMAL');
          db.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
          db.pragma('temp_store = MEMORY');
        },
        true,
      ),
      true,
    );
  }

  /** Step 1: the rows, in name order, and the index on id, with what changed since the previous sync (catalog-changes.ts). */
  writeRows(isos: readonly IsoImage[], changes: ChangeSet, checkpoint: Checkpoint = NEVER_STOPS): void {
    this.db.transaction(() => {
      buildRows(this.db, isos, checkpoint);
      writeChangeSet(this.db, changes);
    })();
  }

  /**
   * Step 1 for readers while step 2 runs: a copy of the file as it stands (its rows and id index),
   * durable, in WAL mode, to be published until the whole catalog replaces it; its path. The build
   * goes on in its own file without a journal, which writes the indexes once: built in a shared
   * file, in WAL mode, they were written twice (the log, then the checkpoint), which cost more
   * than copying the rows.
   */
  shareRows(nativeBinding?: string): string {
    const copy = path.join(path.dirname(this.file), `${crypto.randomUUID()}.db`);
    try {
      fs.copyFileSync(this.file, copy);
      open(copy, nativeBinding, (db) => db.pragma('journal_mode = WAL'), true).close();
      syncFile(copy);
    } catch (err) {
      removeCatalogFile(copy);
      throw err;
    }
    return copy;
  }

  /** Step 2: the sort indexes and the search index, unless they are there already. */
  writeIndexes(checkpoint: Checkpoint = NEVER_STOPS): void {
    this.db
      .transaction(() => {
        if (!hasIndexes(this.db)) buildIndexes(this.db, checkpoint);
      })
      .immediate();
  }

  /** Makes the file durable (one fsync) and closes it; readers find it in WAL mode, which reads fastest. */
  finish(): void {
    this.toWal();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
    syncFile(this.file);
  }

  /** Closes the file as it is (its rows published, its indexes to be built later). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Closes and deletes the file: the build failed or is no longer wanted. */
  discard(): void {
    if (this.db.open) this.db.close();
    removeCatalogFile(this.file);
  }

  private toWal(): void {
    if (this.shared) return;
    this.db.pragma('locking_mode = NORMAL');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.shared = true;
  }
}

function open(file: string, nativeBinding: string | undefined, setUp: (db: Db) => void, fileMustExist = false): Db {
  let db: Db | null = null;
  try {
    db = new Database(file, { nativeBinding, fileMustExist });
    setUp(db);
    return db;
  } catch (err) {
    db?.close();
    throw cacheUnavailable(file, err);
  }
}

/** One fsync of the file, and of its folder (which holds its name) where the platform can. */
function syncFile(file: string): void {
  syncPath(file, 'r+');
  if (process.platform !== 'win32') syncPath(path.dirname(file), 'r');
}

function syncPath(target: string, flags: string): void {
  const fd = fs.openSync(target, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A connection that reads a published catalog and never writes it. */
export function openCatalogReader(file: string, nativeBinding?: string): Db {
  // Not opened read-only: a reader of a WAL-mode file needs its shared-memory file, which it may create.
  const db = new Database(file, { fileMustExist: true, nativeBinding });
  try {
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${READ_CACHE_KIB}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * Deletes a catalog file and its companions. A file another process still has open cannot be
 * deleted on Windows: it stays until a later open of the cache sweeps it.
 */
export function removeCatalogFile(file: string): void {
  for (const suffix of COMPANIONS) {
    try {
      fs.rmSync(file + suffix, { force: true });
    } catch {
      // Swept later (see sweepCatalogFiles).
    }
  }
}

/** removeCatalogFile on libuv's threads: the calling thread goes on at once; what fails is swept later. */
export async function removeCatalogFileLater(file: string): Promise<void> {
  await Promise.all(COMPANIONS.map((suffix) => fs.promises.rm(file + suffix, { force: true }).catch(() => undefined)));
}

/** Removes the catalog files of `directory` that nothing points at and nobody is writing. */
export function sweepCatalogFiles(directory: string, referenced: ReadonlySet<string>, now: number, nativeBinding?: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.db') || referenced.has(name)) continue;
    const file = path.join(directory, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat || now - stat.mtimeMs < LEFTOVER_AGE_MS || beingWritten(file, nativeBinding)) continue;
    removeCatalogFile(file);
  }
}

/** Whether a builder holds the file's lock. A file that cannot be opened or read is a left-over too. */
function beingWritten(file: string, nativeBinding?: string): boolean {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true, nativeBinding, timeout: 0 });
  } catch {
    return false;
  }
  try {
    db.exec('BEGIN EXCLUSIVE; ROLLBACK');
    return false;
  } catch (err) {
    return (err as { code?: unknown }).code === 'SQLITE_BUSY';
  } finally {
    db.close();
  }
}
