/**
 * The cache's schema, as an ordered list of migrations. PRAGMA user_version counts how many have
 * run; each runs in its own transaction together with the version bump, so a crash leaves the
 * file at the previous version, never half-migrated.
 *
 * A migration is never edited once released: it spells out its SQL instead of borrowing
 * definitions that live on in the code. Each synced catalog lives in a file of its own, built by
 * the sync from the current code (see catalog-files.ts); a change of its layout needs no migration,
 * as a file with the old layout is replaced by the next sync.
 */
import { AppError } from '../domain/errors.js';
import { writeTransaction, type Db } from './connection.js';

export type Migration = (db: Db) => void;

export const MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE profiles (
        name TEXT PRIMARY KEY,
        base_url TEXT NOT NULL,
        role TEXT,
        role_type TEXT,
        permissions TEXT NOT NULL, -- JSON array of strings
        email TEXT,
        customer_id INTEGER,
        auth TEXT NOT NULL CHECK (auth IN ('key', 'token')),
        signed_in INTEGER NOT NULL CHECK (signed_in IN (0, 1)),
        token_expire INTEGER
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- One row per cached list: whose it is, which list, and when it was last replaced.
      CREATE TABLE syncs (
        id INTEGER PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('servers', 'catalog', 'uploads', 'history')),
        scope TEXT NOT NULL,
        synced_at INTEGER NOT NULL,
        UNIQUE (profile, kind, scope)
      ) STRICT;

      CREATE TABLE servers (
        list_id INTEGER NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id INTEGER NOT NULL,
        hostname TEXT,
        main_ip TEXT,
        location TEXT,
        state TEXT NOT NULL,
        condition TEXT,
        mounted_iso TEXT,
        PRIMARY KEY (list_id, position)
      ) STRICT;

      CREATE TABLE uploads (
        list_id INTEGER NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id INTEGER NOT NULL,
        iso_name TEXT NOT NULL,
        name TEXT,
        short_name TEXT,
        description TEXT NOT NULL,
        size REAL,
        created_at TEXT,
        updated_at TEXT,
        status TEXT,
        private TEXT,
        admin_only INTEGER CHECK (admin_only IN (0, 1)),
        url TEXT,
        PRIMARY KEY (list_id, position)
      ) STRICT;

      CREATE TABLE history (
        list_id INTEGER NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id INTEGER NOT NULL,
        date TEXT NOT NULL,
        description TEXT NOT NULL,
        type TEXT NOT NULL,
        login TEXT NOT NULL,
        message TEXT NOT NULL,
        iso_name TEXT NOT NULL,
        PRIMARY KEY (list_id, position)
      ) STRICT;

      -- Which tables hold each synced catalog (catalog_<table_no> and its search index).
      CREATE TABLE catalog_tables (
        list_id INTEGER PRIMARY KEY REFERENCES syncs (id) ON DELETE CASCADE,
        table_no INTEGER NOT NULL UNIQUE,
        row_count INTEGER NOT NULL
      ) STRICT;

      -- The task journal: the one table whose rows HOSTKEY cannot give back.
      CREATE TABLE tasks (
        key TEXT PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('mount', 'unmount', 'upload')),
        server_id INTEGER,
        iso_name TEXT,
        url TEXT,
        iso_id INTEGER,
        state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'unknown')),
        status TEXT,
        message TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER,
        polls INTEGER NOT NULL,
        next_poll_at INTEGER NOT NULL,
        ok_result TEXT,
        failures INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX tasks_due ON tasks (next_poll_at) WHERE state = 'running';
      CREATE INDEX tasks_newest ON tasks (created_at);
      CREATE INDEX tasks_by_profile ON tasks (profile, created_at);
    `),
  // The SHA-256 a publisher lists beside an upload URL, and where, written before HOSTKEY is asked
  // to download it. Found by the URL the task and the uploaded image both carry, not by task key:
  // clearing finished tasks must not lose what the image should hash to.
  (db) =>
    db.exec(`
      CREATE TABLE upload_checksums (
        id INTEGER PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        url TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
        source_url TEXT NOT NULL,
        found_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX upload_checksums_by_url ON upload_checksums (profile, url);
    `),
  // Whether a profile is signed in, and until when, is what the shared secret store holds
  // (session/shared-secrets.ts); a copy here went stale whenever another process signed in or out.
  (db) =>
    db.exec(`
      ALTER TABLE profiles DROP COLUMN signed_in;
      ALTER TABLE profiles DROP COLUMN token_expire;
    `),
  // The journal shared by many processes: a row is written as an intent before its request is
  // sent (accepted_at NULL) and keyed by ISO Desk's own id, HOSTKEY's key arriving in task_key;
  // whoever sends or polls a row holds a claim on it; rev counts writes so other processes notice
  // them; a trigger keeps a finished state, a stored OK and a task key from ever changing; and
  // one shared token bucket bounds the polling of every process on the data folder.
  (db) =>
    db.exec(`
      CREATE TABLE tasks_v2 (
        key TEXT PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        kind TEXT NOT NULL, -- checked by the code that reads it, so new kinds need no table rebuild
        server_id INTEGER,
        iso_name TEXT,
        url TEXT,
        iso_id INTEGER,
        email TEXT,
        customer_id INTEGER,
        task_key TEXT UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'unknown')),
        status TEXT,
        message TEXT,
        created_at INTEGER NOT NULL,
        accepted_at INTEGER,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER,
        polls INTEGER NOT NULL,
        next_poll_at INTEGER NOT NULL,
        ok_result TEXT,
        failures INTEGER NOT NULL,
        claim_owner TEXT,
        claim_until INTEGER,
        rev INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO tasks_v2 (key, profile, kind, server_id, iso_name, url, iso_id, task_key, state, status, message,
                            created_at, accepted_at, updated_at, finished_at, polls, next_poll_at, ok_result, failures)
        SELECT key, profile, kind, server_id, iso_name, url, iso_id,
               CASE WHEN kind <> 'upload' AND key NOT LIKE kind || ':%' THEN key END,
               state, status, message, created_at, created_at, updated_at, finished_at, polls, next_poll_at, ok_result, failures
        FROM tasks;
      DROP TABLE tasks;
      ALTER TABLE tasks_v2 RENAME TO tasks;
      CREATE INDEX tasks_due ON tasks (next_poll_at) WHERE state = 'running';
      CREATE INDEX tasks_newest ON tasks (created_at);
      CREATE INDEX tasks_by_profile ON tasks (profile, created_at);

      CREATE TRIGGER tasks_only_forward BEFORE UPDATE ON tasks
      WHEN (OLD.state <> 'running' AND NEW.state IS NOT OLD.state)
        OR (OLD.ok_result IS NOT NULL AND NEW.ok_result IS NOT OLD.ok_result)
        OR (OLD.task_key IS NOT NULL AND NEW.task_key IS NOT OLD.task_key)
      BEGIN
        SELECT RAISE(ABORT, 'the task journal only moves forward');
      END;

      CREATE TABLE poll_budget (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        rate REAL NOT NULL CHECK (rate > 0), -- requests per second
        burst REAL NOT NULL CHECK (burst >= 1),
        tokens REAL NOT NULL,
        refilled_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO poll_budget (id, rate, burst, tokens, refilled_at) VALUES (1, 2, 4, 4, 0);
    `),
  // Catalogs move from table pairs in this file (catalog_<n>, catalog_<n>_search) to files of
  // their own, built off the main thread. The tables go, and with them their catalogs' sync
  // stamps, so each catalog reads as never synced and the next sync builds its file.
  (db) => {
    for (const no of db.prepare('SELECT table_no FROM catalog_tables').pluck().all()) {
      if (!Number.isSafeInteger(no)) throw new AppError('internal', 'The local cache names a catalog table ISO Desk cannot read.');
      db.exec(`DROP TABLE IF EXISTS catalog_${Number(no)}_search; DROP TABLE IF EXISTS catalog_${Number(no)};`);
    }
    db.exec(`
      DROP TABLE catalog_tables;
      DELETE FROM syncs WHERE kind = 'catalog';
      -- Which file (in the folder beside this one) holds each synced catalog.
      CREATE TABLE catalog_files (
        list_id INTEGER PRIMARY KEY REFERENCES syncs (id) ON DELETE CASCADE,
        file TEXT NOT NULL UNIQUE,
        row_count INTEGER NOT NULL
      ) STRICT;
    `);
  },
  // Jobs (issue #9): a job is a plan of steps, each step a task row of its own (job_key,
  // job_step, job_attempt), so its intent and key are written before the next step is sent, and
  // the unique index makes sending one attempt of one step twice impossible. A job only ends
  // once (trigger); the user's retry / skip / resume decisions are rows that are never changed.
  // server_power keeps what ISO Desk last learnt of each server's power, boot device and mount.
  (db) =>
    db.exec(`
      ALTER TABLE tasks ADD COLUMN job_key TEXT;
      ALTER TABLE tasks ADD COLUMN job_step INTEGER;
      ALTER TABLE tasks ADD COLUMN job_attempt INTEGER;
      CREATE UNIQUE INDEX tasks_job_attempt ON tasks (job_key, job_step, job_attempt) WHERE job_key IS NOT NULL;

      CREATE TABLE jobs (
        key TEXT PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        server_id INTEGER NOT NULL,
        hostname TEXT,
        main_ip TEXT,
        iso_name TEXT,
        plan TEXT NOT NULL, -- JSON array of {action, media, iso_name}
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        ended TEXT CHECK (ended IN ('succeeded', 'cancelled')),
        finished_at INTEGER,
        waiting_pin INTEGER NOT NULL DEFAULT 0 CHECK (waiting_pin IN (0, 1)),
        note TEXT,
        claim_owner TEXT,
        claim_until INTEGER,
        rev INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX jobs_newest ON jobs (created_at);

      CREATE TRIGGER jobs_end_once BEFORE UPDATE ON jobs
      WHEN OLD.ended IS NOT NULL AND (NEW.ended IS NOT OLD.ended OR NEW.finished_at IS NOT OLD.finished_at)
      BEGIN
        SELECT RAISE(ABORT, 'a job ends only once');
      END;

      CREATE TABLE job_decisions (
        job_key TEXT NOT NULL REFERENCES jobs (key) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        attempt INTEGER NOT NULL, -- the attempt of the step it answers (0: before the first)
        decision TEXT NOT NULL CHECK (decision IN ('retry', 'skip', 'resume')),
        at INTEGER NOT NULL,
        PRIMARY KEY (job_key, step, attempt, decision)
      ) STRICT;

      CREATE TABLE server_power (
        profile TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        server_id INTEGER NOT NULL,
        power TEXT CHECK (power IN ('on', 'off', 'rebooting', 'unknown')),
        power_text TEXT,
        power_read_at INTEGER,
        boot_media TEXT CHECK (boot_media IN ('cd', 'disk', 'pxe')),
        boot_media_at INTEGER,
        mounted_iso TEXT,
        mounted_at INTEGER,
        PRIMARY KEY (profile, server_id)
      ) STRICT;
    `),
  // The unexpected-answer log (main/cache/answer-notes.ts): shapes of answers, never their values.
  (db) =>
    db.exec(`
      CREATE TABLE answer_notes (
        id INTEGER PRIMARY KEY,
        signature TEXT NOT NULL UNIQUE,
        action TEXT NOT NULL,
        host TEXT NOT NULL,
        findings TEXT NOT NULL, -- JSON: [{kind, decision, point}]
        shape TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        version TEXT NOT NULL
      ) STRICT;
      CREATE INDEX answer_notes_newest ON answer_notes (last_at);
    `),
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Tables whose rows HOSTKEY can give back (a sync rebuilds them). When a damaged cache is
 * replaced (repair.ts), every other table of the schema — profiles, settings and the task
 * journal, including journal tables added later — has its rows carried over; a migration that
 * adds a table of synced data lists it here.
 */
export const REBUILDABLE_TABLES: ReadonlySet<string> = new Set(['syncs', 'servers', 'uploads', 'history', 'catalog_files']);

function userVersion(db: Db): number {
  const version: unknown = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') throw new AppError('internal', 'SQLite did not report the cache schema version.');
  return version;
}

function newerThanThisApp(found: number, known: number): AppError {
  return new AppError('usage', `The local cache was written by a newer ISO Desk (schema ${found}; this version knows ${known}).`, {
    hint: 'Update ISO Desk, or use another data folder.',
  });
}

/** Brings the file up to the end of `migrations`; a no-op when it already is there. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const found = userVersion(db);
  if (found > migrations.length) throw newerThanThisApp(found, migrations.length);
  migrations.slice(found).forEach((migration, i) => {
    const version = found + i;
    writeTransaction(db, () => {
      // Another process may have run it while this one waited for the write lock.
      if (userVersion(db) !== version) return;
      migration(db);
      db.pragma(`user_version = ${version + 1}`);
    });
  });
}

/** Refuses a file from a newer ISO Desk; runs before anything changes the file (openConnection's check). */
export function refuseNewer(db: Db): void {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) throw newerThanThisApp(found, SCHEMA_VERSION);
}

/** For read-only opens, which cannot migrate: the file must already be at this app's version. */
export function assertCurrent(db: Db): void {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) throw newerThanThisApp(found, SCHEMA_VERSION);
  if (found < SCHEMA_VERSION) {
    throw new AppError('usage', `The local cache is at schema ${found}; this ISO Desk needs ${SCHEMA_VERSION} and cannot upgrade it read-only.`, {
      hint: 'Start ISO Desk normally once to upgrade it.',
    });
  }
}
