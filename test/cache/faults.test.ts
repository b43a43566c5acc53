/**
 * The data folder's faults on real files: a schema from the future, file and folder modes, a
 * damaged cache (the journal carried over, the old file kept), a read-only folder (a read-only
 * bind mount) and a full disk (a small tmpfs). The mounts need Linux and root, as in CI; where
 * they are not possible the tests say why and skip.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, openCache, type Cache } from '../../main/cache/index.js';
import { AppError } from '../../main/domain/errors.js';
import type { Server } from '../../main/domain/models.js';
import { prepareDataDir } from '../../main/session/data-dir.js';
import { FileSecretStore } from '../../main/session/secrets.js';
import { bindReadOnly, fillDisk, mountTmpfs, type Mounted } from '../support/mounts.js';
import { profile, syntheticIsos, tempDir, trackedTask as task } from './fixtures.js';

function servers(count: number): Server[] {
  return Array.from({ length: count }, (_, i) => ({
    id: 40_000 + i,
    hostname: `host-${i}.example.net`,
    main_ip: `10.0.${Math.floor(i / 250)}.${i % 250}`,
    location: 'NL',
    state: 'active',
    condition: 'ok',
    mounted_iso: null,
  }));
}

/** A cache with a signed-in profile, three journal rows and a server list spanning many pages. */
function seed(file: string): void {
  const cache = openCache(file);
  cache.profiles.upsert(profile('alice'));
  cache.profiles.setActive('alice');
  cache.tasks.insert(task('k1'));
  cache.tasks.insert(task('k2', { state: 'succeeded', finished_at: 2_000 }));
  cache.tasks.insert(task('k3', { kind: 'unmount', iso_name: null }));
  cache.servers.replace('alice', servers(400), 5_000);
  cache.close();
}

function caught(work: () => unknown): AppError {
  try {
    work();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

let tmp: ReturnType<typeof tempDir>;
let mounted: Mounted | null = null;
let opened: Cache[] = [];
const open = (file: string): Cache => {
  const cache = openCache(file);
  opened.push(cache);
  return cache;
};

beforeEach(() => {
  tmp = tempDir();
});

afterEach(() => {
  for (const cache of opened) cache.close();
  opened = [];
  mounted?.unmount();
  mounted = null;
  tmp.remove();
});

describe('a cache file from a newer ISO Desk', () => {
  it('is refused before anything changes: same bytes, same mode, no WAL files', () => {
    const raw = new Database(tmp.file);
    raw.exec('CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (1);');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    fs.chmodSync(tmp.file, 0o644);
    const before = fs.readFileSync(tmp.file);
    expect(new Database(tmp.file, { readonly: true }).pragma('journal_mode', { simple: true })).toBe('delete');

    const err = caught(() => openCache(tmp.file));
    expect(err).toMatchObject({ kind: 'usage', message: expect.stringMatching(/newer ISO Desk/), hint: expect.stringMatching(/Update ISO Desk/) });
    expect(fs.readFileSync(tmp.file).equals(before)).toBe(true);
    expect(modeOf(tmp.file)).toBe(0o644);
    expect(fs.readdirSync(tmp.dir)).toEqual(['isodesk.db']);
  });
});

describe('file and folder modes', () => {
  it('creates the folder 0700 and the cache, its WAL files and the secrets file 0600', async () => {
    const dir = path.join(tmp.dir, 'made', 'here');
    prepareDataDir(dir);
    const cache = open(path.join(dir, 'isodesk.db'));
    cache.profiles.upsert(profile('alice'));
    await new FileSecretStore(path.join(dir, 'secrets.json')).set('alice', { api_key: 'k' });
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.dirname(dir))).toBe(0o700);
    for (const name of ['isodesk.db', 'isodesk.db-wal', 'isodesk.db-shm', 'secrets.json']) expect(modeOf(path.join(dir, name)), name).toBe(0o600);
  });

  it('makes a cache file an earlier version left readable by others private', () => {
    openCache(tmp.file).close();
    fs.chmodSync(tmp.file, 0o644);
    open(tmp.file);
    expect(modeOf(tmp.file)).toBe(0o600);
  });
});

describe('a damaged cache file', () => {
  it('that is no database at all is kept beside a new cache, and the notice says where', () => {
    const garbage = Buffer.from('not a database, just text long enough to have a header\n'.repeat(100));
    fs.writeFileSync(tmp.file, garbage);
    const cache = open(tmp.file);
    const kept = fs.readdirSync(tmp.dir).filter((name) => name.startsWith('isodesk.db.damaged-'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(tmp.dir, kept[0]!)).equals(garbage)).toBe(true);
    expect(cache.notices).toHaveLength(1);
    expect(cache.notices[0]).toContain(path.join(tmp.dir, kept[0]!));
    expect(cache.notices[0]).toMatch(/nothing could be read from the old file/);
    expect(cache.notices.join(' ')).not.toMatch(/move the file away/);
    cache.profiles.upsert(profile('alice'));
    expect(cache.profiles.list().map((p) => p.name)).toEqual(['alice']);
  });

  it('carries the journal, profiles and settings over when damage is met in use, and rebuilds the lists', () => {
    seed(tmp.file);
    // Overwrite the root page of the server list: the schema and the journal stay readable.
    const raw = new Database(tmp.file, { readonly: true });
    const root = Number(raw.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'servers'`).pluck().get());
    const pageSize = Number(raw.pragma('page_size', { simple: true }));
    raw.close();
    const fd = fs.openSync(tmp.file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
    fs.closeSync(fd);

    const damaged = openCache(tmp.file);
    expect(damaged.notices).toEqual([]);
    const err = caught(() => damaged.servers.list('alice'));
    expect(err.kind).toBe('storage');
    expect(err.message).toMatch(/is damaged/);
    expect(err.hint).toMatch(/carries your task journal over/);
    expect(`${err.message} ${err.hint}`).not.toMatch(/move the file away|delete/i);
    damaged.close();
    expect(fs.existsSync(`${tmp.file}.needs-repair`)).toBe(true);

    const repaired = open(tmp.file);
    expect(repaired.notices[0]).toMatch(/kept it as .*isodesk\.db\.damaged-.* and carried over 1 profile, 1 setting, 3 tasks\./);
    expect(
      repaired.tasks
        .list()
        .map((t) => t.key)
        .sort(),
    ).toEqual(['k1', 'k2', 'k3']);
    expect(repaired.tasks.get('k2')).toMatchObject({ state: 'succeeded', finished_at: 2_000 });
    expect(repaired.profiles.getActive()).toBe('alice');
    expect(repaired.servers.list('alice')).toEqual({ items: [], synced_at: null });
    expect(fs.existsSync(`${tmp.file}.needs-repair`)).toBe(false);
    const kept = fs.readdirSync(tmp.dir).filter((name) => /^isodesk\.db\.damaged-[^.]+$/.test(name.replace(/-(wal|shm)$/, '')));
    expect(kept.length).toBeGreaterThan(0);
    // Opened again, nothing is repaired a second time.
    repaired.close();
    expect(open(tmp.file).notices).toEqual([]);
  });
});

describe('a read-only data folder', () => {
  it('still answers every read, and each write says the folder is read-only', async (ctx) => {
    seed(tmp.file);
    await new FileSecretStore(path.join(tmp.dir, 'secrets.json')).set('alice', { api_key: 'k' });
    const bound = bindReadOnly(tmp.dir);
    if ('skip' in bound) {
      console.warn(`read-only folder: skipped, ${bound.skip}.`);
      return ctx.skip();
    }
    mounted = bound;
    const cache = open(tmp.file);
    expect(cache.readOnly).toBe(true);
    expect(cache.notices[0]).toMatch(/cannot save to its data folder .*: it is read-only; what is cached can still be read/);
    expect(cache.profiles.getActive()).toBe('alice');
    expect(cache.servers.list('alice').items).toHaveLength(400);
    expect(cache.tasks.list()).toHaveLength(3);

    for (const write of [() => cache.profiles.upsert(profile('bob')), () => cache.tasks.insert(task('k4')), () => cache.servers.replace('alice', [], 6_000)]) {
      expect(caught(write)).toMatchObject({ kind: 'storage', message: expect.stringMatching(/it is read-only/), hint: expect.stringMatching(/--offline/) });
    }
    expect(cache.tasks.list()).toHaveLength(3);

    const secrets = new FileSecretStore(path.join(tmp.dir, 'secrets.json'));
    expect(await secrets.get('alice')).toEqual({ api_key: 'k' });
    await expect(secrets.set('bob', { api_key: 'x' })).rejects.toMatchObject({ kind: 'storage', message: expect.stringMatching(/it is read-only/) });
  });

  it('with no cache in it yet answers empty lists', (ctx) => {
    const bound = bindReadOnly(tmp.dir);
    if ('skip' in bound) {
      console.warn(`read-only empty folder: skipped, ${bound.skip}.`);
      return ctx.skip();
    }
    mounted = bound;
    const cache = open(tmp.file);
    expect(cache.profiles.list()).toEqual([]);
    expect(cache.tasks.list()).toEqual([]);
    expect(caught(() => cache.profiles.upsert(profile('bob'))).kind).toBe('storage');
  });
});

describe('a full disk', () => {
  it('says so in plain words, loses nothing saved before and leaves no temporary file', async (ctx) => {
    const mountedAt = mountTmpfs(tmp.dir, 4096);
    if ('skip' in mountedAt) {
      console.warn(`full disk: skipped, ${mountedAt.skip}.`);
      return ctx.skip();
    }
    mounted = mountedAt;
    seed(tmp.file);
    const secrets = new FileSecretStore(path.join(tmp.dir, 'secrets.json'));
    await secrets.set('alice', { api_key: 'k' });
    const cache = open(tmp.file);
    fillDisk(tmp.dir);

    const sync = caught(() => cache.catalog.replace('alice', 7, syntheticIsos(5_000), 9_000));
    expect(sync).toMatchObject({ kind: 'storage', message: 'The disk is full; free space and try again.' });
    await expect(secrets.set('bob', { api_key: 'x'.repeat(64 * 1024) })).rejects.toMatchObject({ message: 'The disk is full; free space and try again.' });
    expect(fs.readdirSync(tmp.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    fs.rmSync(path.join(tmp.dir, 'filler'));
    fs.rmSync(path.join(tmp.dir, 'filler-tail'));
    expect(cache.tasks.list()).toHaveLength(3);
    expect(cache.catalog.count('alice', 7)).toBe(0);
    expect(await secrets.get('alice')).toEqual({ api_key: 'k' });
    cache.catalog.replace('alice', 7, syntheticIsos(100), 9_000);
    expect(cache.catalog.count('alice', 7)).toBe(100);
  });
});
