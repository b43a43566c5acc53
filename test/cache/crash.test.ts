import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../main/cache/index.js';
import { CatalogQuery } from '../../main/ipc/contract.js';
import { profile, syntheticIsos, tempDir } from './fixtures.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'crash-child.ts');
const REPO = path.resolve(HERE, '../..');
const PREVIOUS = 2_000;
/** Large enough to outgrow the page cache, so uncommitted pages reach the WAL before the commit. */
const INCOMING = 200_000;

function walSize(file: string): number {
  return fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
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
    cache.close();

    // Killed once the sync's transaction is writing: the WAL grows past its size at "syncing".
    let walAtStart: number | null = null;
    const printed = await runAndKill(['sync', tmp.file, String(INCOMING)], (out) => {
      if (!out.includes('syncing')) return false;
      walAtStart ??= walSize(tmp.file);
      return walSize(tmp.file) > walAtStart + 1024 * 1024;
    });
    expect(printed).not.toContain('done');

    const raw = new Database(tmp.file);
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      // Only the previous catalog's table pair: the half-built one went with the transaction.
      const tables = raw
        .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'catalog_[0-9]*' AND name NOT GLOB '*_search_*'`)
        .pluck()
        .all();
      expect(tables).toHaveLength(2);
      for (const name of tables.map(String).filter((n) => n.endsWith('_search'))) {
        expect(() => raw.exec(`INSERT INTO ${name} (${name}) VALUES ('integrity-check')`)).not.toThrow();
      }
    } finally {
      raw.close();
    }

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
  });

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
