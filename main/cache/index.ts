/**
 * The local cache: one SQLite file (normally <dataDir>/isodesk.db) holding profiles, every list
 * synced from HOSTKEY (servers, catalogs, uploads, history) with when it was synced, and the
 * crash-safe task journal. Synchronous by design: better-sqlite3 answers a catalog page of a
 * 100,000-ISO catalog in a few milliseconds (npm run bench), and one connection per process keeps
 * every write a plain transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../domain/errors.js';
import { readOnlyFolder, type ReadOnlyReason } from '../domain/storage-faults.js';
import { Catalog } from './catalog.js';
import { Statements, cacheUnavailable, openConnection, tune, type Db } from './connection.js';
import { guarded, type FaultContext } from './faults.js';
import { History } from './history.js';
import { assertCurrent, migrate, refuseNewer } from './migrations.js';
import { PollBudget } from './poll-budget.js';
import { openRepairing } from './repair.js';
import { Profiles } from './profiles.js';
import { Servers } from './servers.js';
import { SyncLists } from './sync-lists.js';
import { Tasks } from './tasks.js';
import type { Cache, OpenCacheOptions } from './types.js';
import { UploadChecksums } from './upload-checksums.js';
import { Uploads } from './uploads.js';
import { Jobs } from './jobs.js';
import { ServerPower } from './server-power.js';
import { AnswerNotes } from './answer-notes.js';

export type {
  BuiltCatalog,
  Cache,
  CatalogChanges,
  PublishedCatalog,
  CatalogPage,
  ParsedCatalogQuery,
  CatalogRepository,
  HistoryRepository,
  OpenCacheOptions,
  ProfileRepository,
  ServerRepository,
  SyncedList,
  TaskRepository,
  UploadChecksumRepository,
  TaskPatch,
  TaskCondition,
  ClaimRequest,
  ClaimAnswer,
  UploadRepository,
  JobRepository,
  ServerPowerRepository,
  AnswerNoteRepository,
  NewAnswerNote,
} from './types.js';
export { StoredProfile, TrackedTask, UploadChecksum, JobRow, JobPlanStep, JobDecision, ServerPowerRow } from './types.js';
export { SCHEMA_VERSION } from './migrations.js';

export function openCache(file: string, opts: OpenCacheOptions = {}): Cache {
  const dir = path.dirname(file);
  const readOnly = opts.readonly ? null : folderReadOnly(dir, file);
  let db: Db;
  const notices: string[] = [];
  if (opts.readonly) {
    db = openConnection(file, { ...opts, check: assertCurrent });
  } else if (readOnly) {
    db = openSnapshot(file, opts);
  } else {
    const opened = openRepairing(file, opts);
    db = opened.db;
    if (opened.notice) notices.push(opened.notice);
  }
  const where: FaultContext = { file, dir, readOnly };
  const statements = new Statements(db);
  const lists = new SyncLists(statements);
  const catalog = new Catalog(db, statements, lists, file, opts.nativeBinding);
  // Old catalog files are swept only where ISO Desk may write.
  if (!opts.readonly && !readOnly) catalog.sweep(Date.now());
  if (readOnly) notices.push(readOnlyFolder(dir, readOnly).message.replace(/\.$/, '; what is cached can still be read.'));
  return {
    file,
    readOnly: readOnly !== null,
    notices,
    profiles: guarded(new Profiles(db, statements, (profile) => catalog.filesOf(profile)), where),
    servers: guarded(new Servers(db, statements, lists), where),
    catalog: guarded(catalog, where),
    uploads: guarded(new Uploads(db, statements, lists), where),
    history: guarded(new History(db, statements, lists), where),
    tasks: guarded(new Tasks(db, statements, new PollBudget(statements)), where),
    checksums: guarded(new UploadChecksums(db, statements), where),
    jobs: guarded(new Jobs(db, statements), where),
    serverPower: guarded(new ServerPower(db, statements), where),
    answers: guarded(new AnswerNotes(db, statements), where),
    close: () => {
      catalog.close();
      if (db.open) db.close();
    },
  };
}

/** Whether ISO Desk may write in the data folder (and to the cache file, when it exists). */
function folderReadOnly(dir: string, file: string): ReadOnlyReason | null {
  for (const target of fs.existsSync(file) ? [dir, file] : [dir]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return 'read-only';
      if (code === 'EACCES' || code === 'EPERM') return 'permission';
    }
  }
  return null;
}

/**
 * The cache of a folder ISO Desk may not write: a copy in memory, brought to this version's
 * schema and then made query-only, so reads work and every write says why it cannot. SQLite
 * cannot open a WAL file in place there without its -shm file, hence the copy.
 */
function openSnapshot(file: string, opts: OpenCacheOptions): Db {
  let image: Buffer | null = null;
  try {
    // With its -wal and -shm present the file opens in place, and the copy includes the WAL.
    const source = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: opts.nativeBinding });
    try {
      refuseNewer(source);
      image = Buffer.from(source.serialize());
    } finally {
      source.close();
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (fs.existsSync(file)) {
      try {
        image = fs.readFileSync(file);
      } catch (readErr) {
        throw cacheUnavailable(file, readErr);
      }
    }
  }
  if (image && image.length >= 100) {
    // An in-memory database has no WAL: the header's read and write versions say rollback (1).
    image[18] = 1;
    image[19] = 1;
  }
  let db: Db;
  try {
    db = image && image.length ? new Database(image, { nativeBinding: opts.nativeBinding }) : new Database(':memory:', { nativeBinding: opts.nativeBinding });
  } catch (err) {
    throw cacheUnavailable(file, err);
  }
  try {
    refuseNewer(db);
    migrate(db);
    tune(db);
    db.pragma('query_only = ON');
  } catch (err) {
    db.close();
    throw err instanceof AppError ? err : cacheUnavailable(file, err);
  }
  return db;
}
