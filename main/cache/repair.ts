/**
 * Replacing a damaged cache file without losing the journal. The damaged file is never deleted:
 * it is renamed to `isodesk.db.damaged-<time>` beside a new, empty cache, and every row that can
 * still be read from the tables HOSTKEY cannot give back (profiles, settings, the task journal —
 * every table but REBUILDABLE_TABLES) is copied into the new file. Lists and catalogs are synced
 * again from HOSTKEY. The notice says what was carried over and where the old file is.
 *
 * A repair happens when the file cannot be opened as a database, or when an earlier process met
 * damage while using it and left a marker (`isodesk.db.needs-repair`). One process repairs at a
 * time: the others wait for its lock file and then open the repaired cache.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../domain/errors.js';
import { shown } from '../domain/storage-faults.js';
import { openConnection, type ConnectionOptions, type Db } from './connection.js';
import { migrate, refuseNewer, REBUILDABLE_TABLES } from './migrations.js';

const LOCK_WAIT_MS = 30_000;
/** A lock older than this was left by a process that died while repairing. */
const STALE_LOCK_MS = 120_000;

export const repairMarker = (file: string): string => `${file}.needs-repair`;

/** Marks the cache for repair at the next open; best effort (the disk may be the problem). */
export function markForRepair(file: string): void {
  try {
    fs.writeFileSync(repairMarker(file), `${new Date().toISOString()}\n`, { mode: 0o600 });
  } catch {
    // The error the user sees already says the file is damaged.
  }
}

export function isDamage(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return true;
  // cacheUnavailable wraps them: look through to the SQLite error.
  return err instanceof AppError && err.cause !== undefined && err.cause !== err && isDamage(err.cause);
}

export interface Repaired {
  db: Db;
  notice: string;
}

/** Opens `file` (migrated), repairing it first when it is damaged or marked; null notice when it was fine. */
export function openRepairing(file: string, opts: ConnectionOptions): { db: Db; notice: string | null } {
  if (!fs.existsSync(repairMarker(file))) {
    try {
      return { db: openMigrated(file, opts), notice: null };
    } catch (err) {
      if (!isDamage(err)) throw err;
    }
  }
  return withRepairLock(file, () => {
    // Another process may have repaired it while this one waited for the lock.
    if (!fs.existsSync(repairMarker(file))) {
      try {
        return { db: openMigrated(file, opts), notice: null };
      } catch (err) {
        if (!isDamage(err)) throw err;
      }
    }
    return repair(file, opts);
  });
}

function openMigrated(file: string, opts: ConnectionOptions): Db {
  const db = openConnection(file, { ...opts, check: refuseNewer });
  try {
    migrate(db);
    // Reading the schema is what meets most damage; do it now rather than at the first query.
    db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function repair(file: string, opts: ConnectionOptions): Repaired {
  const kept = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(file, kept);
  // The WAL holds the newest commits: it goes with the file, under the name SQLite looks for.
  moveIfPresent(`${file}-wal`, `${kept}-wal`);
  fs.rmSync(`${file}-shm`, { force: true });
  const db = openMigrated(file, opts);
  let carried: Salvage;
  try {
    carried = salvage(kept, db);
  } catch (err) {
    db.close();
    throw err;
  }
  fs.rmSync(repairMarker(file), { force: true });
  return { db, notice: describe(kept, carried) };
}

interface Salvage {
  /** Rows carried over, per table. */
  copied: Map<string, number>;
  /** Tables (or the whole file, as '*') that could not be read to the end. */
  unreadable: string[];
}

function salvage(kept: string, into: Db): Salvage {
  const result: Salvage = { copied: new Map(), unreadable: [] };
  let from: Db;
  try {
    from = new Database(kept, { readonly: true, fileMustExist: true });
    from.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
  } catch {
    result.unreadable.push('*');
    return result;
  }
  const tables = into
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
    .pluck()
    .all()
    .map(String)
    .filter((name) => !REBUILDABLE_TABLES.has(name));
  // Rows arrive in any order, and a parent row may be among the unreadable ones.
  into.pragma('foreign_keys = OFF');
  try {
    for (const table of tables) copyTable(from, into, table, result);
  } finally {
    into.pragma('foreign_keys = ON');
    from.close();
  }
  return result;
}

function copyTable(from: Db, into: Db, table: string, result: Salvage): void {
  const columnsOf = (db: Db): string[] => db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table).map(String);
  let source: string[];
  try {
    source = columnsOf(from);
  } catch {
    result.unreadable.push(table);
    return;
  }
  const columns = columnsOf(into).filter((c) => source.includes(c));
  if (!columns.length) return;
  const list = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  const name = `"${table.replace(/"/g, '""')}"`;
  const insert = into.prepare(`INSERT OR IGNORE INTO ${name} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  let copied = 0;
  let read = 0;
  into.transaction(() => {
    try {
      for (const row of from.prepare(`SELECT ${list} FROM ${name}`).raw().iterate()) {
        read++;
        copied += insert.run(...(row as unknown[])).changes;
      }
    } catch {
      // Damage part-way through: keep what was read, say the rest stayed in the old file.
      result.unreadable.push(table);
    }
  })();
  result.copied.set(table, copied);
  // Rows the new schema refuses (a constraint the damaged row breaks) stay in the old file too.
  if (copied < read && !result.unreadable.includes(table)) result.unreadable.push(table);
}

/** How the notice counts rows of the tables it knows; others are "<table> rows". */
const NOUNS: Record<string, string> = { tasks: 'task', profiles: 'profile', settings: 'setting' };

function describe(kept: string, s: Salvage): string {
  const head = `The local cache was damaged. ISO Desk kept it as ${shown(kept)} and started a new one`;
  if (s.unreadable.includes('*')) {
    return `${head}; nothing could be read from the old file, so tasks recorded there appear only in it. Lists and catalogs will be synced again from HOSTKEY.`;
  }
  const counts = [...s.copied].filter(([, n]) => n > 0).map(([table, n]) => `${n} ${NOUNS[table] ?? `${table} row`}${n === 1 ? '' : 's'}`);
  const carried = counts.length ? `carried over ${counts.join(', ')}` : 'it held no journal rows to carry over';
  const lost = s.unreadable.length ? ` Some rows of ${s.unreadable.join(', ')} could not be read and remain only in the kept file.` : '';
  return `${head} and ${carried}.${lost} Lists and catalogs will be synced again from HOSTKEY.`;
}

function moveIfPresent(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withRepairLock<T>(file: string, work: () => T): T {
  const lock = `${file}.repair-lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx', 0o600));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
      else if (Date.now() > deadline) {
        throw new AppError('storage', 'Another ISO Desk process is repairing the local cache and has not finished.', {
          hint: `Try again in a minute. If no ISO Desk is running, remove ${shown(lock)}.`,
        });
      } else sleep(100);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
