import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../main/cache/index.js';
import { CatalogQuery } from '../../main/ipc/contract.js';
import { createEvents } from '../../main/events/bus.js';
import { CatalogSyncs } from '../../main/sync/catalog-sync.js';
import { profile, syntheticIsos, tempDir } from './fixtures.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'crash-child.ts');
const REPO = path.resolve(HERE, '../..');
const PREVIOUS = 2_000;
/** Large enough that the new catalog's file is still being written when the child is killed. */
const INCOMING = 200_000;

/** The catalog files the cache points at. */
function catalogFiles(file: string): string[] {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare('SELECT file FROM catalog_files').pluck().all().map(String);
  } finally {
    raw.close();
  }
}

/** The largest catalog file but `except`: the one the killed sync was writing. */
function newestBuild(dir: string, except: string): number {
  if (!fs.existsSync(dir)) return 0;
  return Math.max(
    0,
    ...fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.db') && n !== except)
      .map((n) => fs.statSync(path.join(dir, n)).size),
  );
}

/**
 * Runs crash-child.ts and SIGKILLs it once `killWhen` says so (it is asked on every line the
 * child prints and every 2 ms after). Resolves with what the child printed before it died;
 * rejects if it ended any other way.
 */
function runAndKill(args: string[], killWhen: (printed: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    let errors = '';
    const check = (): void => {
      if (child.exitCode === null && killWhen(printed)) child.kill('SIGKILL');
    };
    const poll = setInterval(check, 2);
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      check();
    });
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve(printed);
      else reject(new Error(`the child ended by itself (exit ${code}) instead of being killed: ${printed}${errors}`));
    });
  });
}

describe('a crash', () => {
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(() => {
    tmp = tempDir();
    const cache = openCache(tmp.file);
    cache.profiles.upsert(profile('alice'));
    cache.close();
  });

  afterEach(() => {
    tmp.remove();
  });

  it('in the middle of a sync leaves the previous catalog intact and the file sound', async () => {
    const previous = syntheticIsos(PREVIOUS, 1);
    const query = CatalogQuery.parse({ server_id: 7, search: 'ubuntu 22', limit: 500 });
    const cache = openCache(tmp.file);
    cache.catalog.replace('alice', 7, previous, 1_000);
    const before = cache.catalog.query('alice', query);
    const dir = cache.catalog.directory;
    cache.close();
    const previousFile = catalogFiles(tmp.file)[0]!;

    // Killed while the new catalog's file is being written: it has grown past 1 MiB.
    const printed = await runAndKill(['sync', tmp.file, String(INCOMING)], (out) => out.includes('syncing') && newestBuild(dir, previousFile) > 1024 * 1024);
    expect(printed).not.toContain('done');

    // The cache still points at the previous catalog, whose file is whole; the half-built one is
    // a file nothing points at.
    expect(catalogFiles(tmp.file)).toEqual([previousFile]);
    const raw = new Database(path.join(dir, previousFile), { readonly: true });
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
    const leftover = fs.readdirSync(dir).find((n) => n.endsWith('.db') && n !== previousFile);
    expect(leftover).toBeDefined();

    const reopened = openCache(tmp.file);
    try {
      expect(reopened.catalog.count('alice', 7)).toBe(PREVIOUS);
      expect(reopened.catalog.query('alice', query)).toEqual(before);
      expect(reopened.catalog.get('alice', 7, previous[0]!.id)).toEqual(previous[0]);
      // And the file takes the next sync as usual.
      reopened.catalog.replace('alice', 7, previous.slice(0, 10), 3_000);
      expect(reopened.catalog.query('alice', CatalogQuery.parse({ server_id: 7 }))).toMatchObject({ total: 10, synced_at: 3_000 });
    } finally {
      reopened.close();
    }

    // Once it is clearly abandoned (a minute old, nobody holding it), the next open removes the left-over.
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(path.join(dir, leftover!), old, old);
    openCache(tmp.file).close();
    expect(fs.existsSync(path.join(dir, leftover!))).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.db'))).toEqual(catalogFiles(tmp.file));
  }, 120_000);

  it('while a first sync builds its indexes leaves its rows readable, and the indexes follow on the next use', async () => {
    // Killed once the rows are published: the worker is building the search and sort indexes.
    const printed = await runAndKill(['first-sync', tmp.file, String(INCOMING)], (out) => out.includes('rows'));
    expect(printed).not.toContain('done');

    const cache = openCache(tmp.file);
    const syncs = new CatalogSyncs(cache, createEvents());
    try {
      expect(cache.catalog.count('alice', 7)).toBe(INCOMING);
      const firstPage = cache.catalog.query('alice', CatalogQuery.parse({ server_id: 7, limit: 3 }));
      expect(firstPage).toMatchObject({ total: INCOMING, synced_at: 2_000, indexing: true });
      expect(firstPage.rows).toHaveLength(3);
      const search = CatalogQuery.parse({ server_id: 7, search: 'ubuntu 22' });
      expect(cache.catalog.query('alice', search)).toMatchObject({ total: 0, rows: [], indexing: true });

      await syncs.ensureIndexed('alice', 7);
      const found = cache.catalog.query('alice', search);
      expect(found.indexing).toBe(false);
      expect(found.total).toBeGreaterThan(0);
      for (const row of found.rows) expect(`${row.name} ${row.iso_name}`).toMatch(/ubuntu/i);
    } finally {
      await syncs.close();
      cache.close();
    }
  }, 120_000);

  it('right after a task was inserted keeps the task', async () => {
    const printed = await runAndKill(['task', tmp.file, 'task-key-1'], (out) => out.includes('inserted'));
    expect(printed).toContain('inserted');
    const cache = openCache(tmp.file);
    try {
      expect(cache.tasks.get('task-key-1')).toMatchObject({ key: 'task-key-1', profile: 'alice', state: 'running' });
      expect(cache.tasks.list().map((t) => t.key)).toEqual(['task-key-1']);
    } finally {
      cache.close();
    }
  });
});
