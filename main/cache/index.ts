/**
 * The local cache: one SQLite file (normally <dataDir>/isodesk.db) holding profiles, every list
 * synced from HOSTKEY (servers, catalogs, uploads, history) with when it was synced, and the
 * crash-safe task journal. Synchronous by design: better-sqlite3 answers a catalog page of a
 * 100,000-ISO catalog in a few milliseconds (npm run bench), and one connection per process keeps
 * every write a plain transaction.
 */
import { Catalog } from './catalog.js';
import { Statements, openConnection } from './connection.js';
import { History } from './history.js';
import { assertCurrent, migrate } from './migrations.js';
import { Profiles } from './profiles.js';
import { Servers } from './servers.js';
import { SyncLists } from './sync-lists.js';
import { Tasks } from './tasks.js';
import type { Cache, OpenCacheOptions } from './types.js';
import { Uploads } from './uploads.js';

export type {
  BuiltCatalog,
  Cache,
  CatalogPage,
  ParsedCatalogQuery,
  CatalogRepository,
  HistoryRepository,
  OpenCacheOptions,
  ProfileRepository,
  ServerRepository,
  SyncedList,
  TaskRepository,
  UploadRepository,
} from './types.js';
export { StoredProfile, TrackedTask } from './types.js';
export { SCHEMA_VERSION } from './migrations.js';

export function openCache(file: string, opts: OpenCacheOptions = {}): Cache {
  const db = openConnection(file, opts);
  try {
    if (opts.readonly) assertCurrent(db);
    else migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const statements = new Statements(db);
  const lists = new SyncLists(statements);
  const catalog = new Catalog(db, statements, lists, file, opts.nativeBinding);
  if (!opts.readonly) catalog.sweep(Date.now());
  return {
    file,
    profiles: new Profiles(db, statements, (profile) => catalog.filesOf(profile)),
    servers: new Servers(db, statements, lists),
    catalog,
    uploads: new Uploads(db, statements, lists),
    history: new History(db, statements, lists),
    tasks: new Tasks(db, statements),
    close: () => {
      catalog.close();
      if (db.open) db.close();
    },
  };
}
