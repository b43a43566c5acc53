/**
 * The cache tests' set-up: a new cache file in a temporary folder for each test of the describe
 * block (or file) that calls `tempCache`, holding the named profiles; closed and deleted after it.
 */
import { afterEach, beforeEach } from 'vitest';
import { openCache, type Cache } from '../../main/cache/index.js';
import { profile, tempDir } from './fixtures.js';

export interface TempCache {
  /** The cache open on the file now (a new one after `reopen`). */
  readonly cache: Cache;
  readonly dir: string;
  readonly file: string;
  /** Closes the cache and opens the same file again, as the next start of ISO Desk would. */
  reopen(): Cache;
}

/** Call it in a describe block or at the top of a file; read its fields inside the tests. */
export function tempCache(...profiles: string[]): TempCache {
  let open: { tmp: ReturnType<typeof tempDir>; cache: Cache } | null = null;
  beforeEach(() => {
    const tmp = tempDir();
    try {
      open = { tmp, cache: openCache(tmp.file) };
    } catch (err) {
      tmp.remove();
      throw err;
    }
    for (const name of profiles) open.cache.profiles.upsert(profile(name));
  });
  afterEach(() => {
    open?.cache.close();
    open?.tmp.remove();
    open = null;
  });
  const now = () => {
    if (!open) throw new Error('tempCache: its cache exists only while a test runs');
    return open;
  };
  return {
    get cache() {
      return now().cache;
    },
    get dir() {
      return now().tmp.dir;
    },
    get file() {
      return now().tmp.file;
    },
    reopen() {
      const current = now();
      current.cache.close();
      current.cache = openCache(current.tmp.file);
      return current.cache;
    },
  };
}
