import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, openCache } from '../../main/cache/index.js';
import { openConnection } from '../../main/cache/connection.js';
import { migrate, type Migration } from '../../main/cache/migrations.js';
import { AppError } from '../../main/domain/errors.js';
import { profile, tempDir } from './fixtures.js';

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('opening the cache file', () => {
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(() => {
    tmp = tempDir();
  });

  afterEach(() => {
    tmp.remove();
  });

  it('creates the schema in an empty file, with WAL, foreign keys and a busy timeout', () => {
    const cache = openCache(tmp.file);
    try {
      expect(cache.file).toBe(tmp.file);
      const raw = new Database(tmp.file, { readonly: true });
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['profiles', 'settings', 'syncs', 'servers', 'uploads', 'history', 'catalog_files', 'tasks']));
      raw.close();
      const conn = openConnection(tmp.file, {});
      expect(conn.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(conn.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      expect(conn.pragma('synchronous', { simple: true })).toBe(1);
      conn.close();
    } finally {
      cache.close();
    }
  });

  it('reopens an existing file without migrating again and keeps its data', () => {
    const first = openCache(tmp.file);
    first.profiles.upsert(profile('alice'));
    first.profiles.setActive('alice');
    first.close();
    const second = openCache(tmp.file);
    try {
      expect(second.profiles.get('alice')).toEqual(profile('alice'));
      expect(second.profiles.getActive()).toBe('alice');
    } finally {
      second.close();
    }
    const raw = new Database(tmp.file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('runs each migration once, in order, each with its version bump in one transaction', () => {
    const db = openConnection(tmp.file, {});
    try {
      const ran: number[] = [];
      const steps: Migration[] = [
        (d) => {
          ran.push(1);
          d.exec('CREATE TABLE a (x INTEGER)');
        },
        (d) => {
          ran.push(2);
          d.exec('CREATE TABLE b (x INTEGER)');
        },
      ];
      migrate(db, steps);
      migrate(db, steps);
      expect(ran).toEqual([1, 2]);
      expect(db.pragma('user_version', { simple: true })).toBe(2);

      const failing: Migration[] = [
        ...steps,
        (d) => {
          d.exec('CREATE TABLE c (x INTEGER)');
          throw new Error('disk on fire');
        },
      ];
      expect(() => migrate(db, failing)).toThrow('disk on fire');
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'c'`).pluck().get()).toBe(0);

      expect(() => migrate(db, steps.slice(0, 1))).toThrow(AppError);
      expect(() => migrate(db, steps.slice(0, 1))).toThrow(/newer ISO Desk/);
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer version, with a way out', () => {
    openCache(tmp.file).close();
    const raw = new Database(tmp.file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const err = thrown(() => openCache(tmp.file));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'usage', hint: expect.stringMatching(/Update ISO Desk/) });
  });

  it('opens read-only without writing, and only at the current version', () => {
    expect(() => openCache(tmp.file, { readonly: true })).toThrow(/could not open its local cache/);
    const writer = openCache(tmp.file);
    writer.profiles.upsert(profile('alice'));
    const reader = openCache(tmp.file, { readonly: true });
    try {
      expect(reader.profiles.list().map((p) => p.name)).toEqual(['alice']);
      expect(() => reader.profiles.upsert(profile('bob'))).toThrow(/cannot save/);
    } finally {
      reader.close();
      writer.close();
    }
    const raw = new Database(tmp.file);
    raw.pragma('user_version = 0');
    raw.close();
    expect(() => openCache(tmp.file, { readonly: true })).toThrow(/cannot upgrade it read-only/);
  });
});
