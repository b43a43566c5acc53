/**
 * The catalog cache at 100,000 ISOs (the richer rows: every field of the model), on real files:
 *  - a sync into an empty cache, the way the app runs it (a worker thread builds the catalog file,
 *    the main thread publishes it), from the moment the answer is decoded until its rows can be
 *    read, and until search and every sort are ready, against a bare better-sqlite3 insert of the
 *    same rows (one prepared INSERT per row in one transaction, into a plain table, on a connection
 *    set up like the cache's); decoding is the client bench's;
 *  - the p95 of the searches a person types, through the cache, against the same FTS5 queries
 *    written by hand on the same tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { openCache, type Cache } from '../../main/cache/index.js';
import { openConnection } from '../../main/cache/connection.js';
import { ISO_COLUMN_DEFS } from '../../main/cache/iso-rows.js';
import { prefixMatch } from '../../main/cache/search-terms.js';
import type { IsoImage } from '../../main/domain/models.js';
import { CatalogQuery } from '../../main/ipc/contract.js';
import { createEvents } from '../../main/events/bus.js';
import { CatalogSyncs } from '../../main/sync/catalog-sync.js';
import { profile, syntheticIsos } from '../cache/fixtures.js';
import { percentile, timed } from './stats.js';
import { listIsoBody, tempDir } from './setup.js';
import { defineBench } from './types.js';

const SERVER_ID = 1;
const ROUNDS = 5;
const PAGE = 100;
/** What people type, keystroke by keystroke, into the catalog's search box. */
const SEARCHES = [
  ...['u', 'ub', 'ubu', 'ubun', 'ubunt', 'ubuntu', 'ubuntu 2', 'ubuntu 22', 'ubuntu 22.', 'ubuntu 22.04'],
  ...['d', 'deb', 'debian', 'debian 1', 'debian 12', 'debian 12 net'],
  ...['w', 'win', 'windows 2022', 'r', 'rocky 9', 'alma 9.4', 'f', 'freebsd 14', 'prox', 'esxi 8', '1', '22', 'zz', 'qwerty'],
];

/** The baseline: the same rows into a plain table, one prepared INSERT per row, one transaction. */
function bareInsert(file: string, isos: readonly IsoImage[]): number {
  const db = openConnection(file, {});
  try {
    db.exec(`CREATE TABLE isos (${ISO_COLUMN_DEFS}) STRICT`);
    const insert = db.prepare(
      'INSERT INTO isos (id, iso_name, name, short_name, description, size, created_at, updated_at, status, private, admin_only, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    return timed(() =>
      db.transaction(() => {
        for (const i of isos) {
          insert.run(
            i.id,
            i.iso_name,
            i.name ?? null,
            i.short_name ?? null,
            i.description,
            i.size ?? null,
            i.created_at ?? null,
            i.updated_at ?? null,
            i.status ?? null,
            i.private ?? null,
            i.admin_only ?? null,
            i.url ?? null,
          );
        }
      })(),
    );
  } finally {
    db.close();
  }
}

const now = (): number => performance.timeOrigin + performance.now();

/**
 * Syncs `isos` into an empty cache as the app does: ms from the moment the worker has decoded the
 * answer until the main thread has published the rows, and until search and sort are ready.
 */
async function syncInto(cache: Cache, isos: IsoImage[]): Promise<{ rows: number; indexed: number }> {
  const events = createEvents();
  const syncs = new CatalogSyncs(cache, events);
  let rowsAt = Number.NaN;
  events.on('catalog/changed', (e) => {
    if (e.indexing) rowsAt = now();
  });
  const body = listIsoBody(SERVER_ID, isos);
  const answer = { status: 200, body: Uint8Array.from(body), retryAfterMs: null, contentType: 'application/json' };
  try {
    const outcome = await syncs.fromAnswer(answer, { profile: 'bench', serverId: SERVER_ID, syncedAt: Date.now() });
    const indexedAt = now();
    const decoded = outcome.times.decoded ?? Number.NaN;
    return { rows: rowsAt - decoded, indexed: indexedAt - decoded };
  } finally {
    await syncs.close();
  }
}

/** The hand-written FTS5 queries of a search on the catalog's own file: the count and the first page, in name order. */
function rawSearch(db: Database): (match: string) => void {
  const count = db.prepare('SELECT count(*) FROM search(?)');
  const page = db.prepare(`SELECT t.* FROM search(?) s CROSS JOIN rows t ON t.position = s.rowid ORDER BY s.rowid LIMIT ${PAGE}`);
  return (match) => {
    count.get(match);
    page.all(match);
  };
}

/** p95 of the searches through the cache, and of the same searches written by hand. */
function searchP95(file: string): { value: number; baseline: number } {
  const cache = openCache(file);
  const main = openConnection(file, { readonly: true });
  const catalogFile = String(main.prepare('SELECT file FROM catalog_files').pluck().get());
  main.close();
  const raw = openConnection(path.join(cache.catalog.directory, catalogFile), { readonly: true });
  try {
    const queries = SEARCHES.map((search) => ({ query: CatalogQuery.parse({ server_id: SERVER_ID, search, limit: PAGE }), match: prefixMatch(search) }));
    const rawQuery = rawSearch(raw);
    const app: number[] = [];
    const bare: number[] = [];
    // One unmeasured round prepares the statements, as the first keystrokes of a session do.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const { query, match } of queries) {
        const a = timed(() => cache.catalog.query('bench', query));
        const b = match === null ? 0 : timed(() => rawQuery(match));
        if (round === 0) continue;
        app.push(a);
        bare.push(b);
      }
    }
    return { value: percentile(app, 95), baseline: percentile(bare, 95) };
  } finally {
    raw.close();
    cache.close();
  }
}

export const cacheBench = defineBench({
  name: 'cache',
  figures: {
    syncRows: {
      label: '100k sync into an empty cache → rows readable (ms)',
      baseline: 'bare better-sqlite3 insert of the same rows',
      target: { ratio: 1.6 },
    },
    syncIndexed: {
      label: '100k sync into an empty cache → search and sort ready (ms)',
      baseline: 'bare better-sqlite3 insert of the same rows',
      target: { ratio: 2.5 },
    },
    searchP95: {
      label: 'search p95 at 100k, count + first page (ms)',
      baseline: 'the same FTS5 queries written by hand on the same tables',
      target: { ratio: 1.2, value: 5 },
    },
  },
  async run({ quick }) {
    const isos = syntheticIsos(quick ? 5_000 : 100_000);
    const dir = tempDir('cache');
    const bare = bareInsert(path.join(dir, 'bare.db'), isos);
    const file = path.join(dir, 'isodesk.db');
    const cache = openCache(file);
    let sync;
    try {
      cache.profiles.upsert(profile('bench'));
      sync = await syncInto(cache, isos);
    } finally {
      cache.close();
    }
    const result = {
      syncRows: { value: sync.rows, baseline: bare },
      syncIndexed: { value: sync.indexed, baseline: bare },
      searchP95: searchP95(file),
    };
    fs.rmSync(dir, { recursive: true, force: true });
    return result;
  },
});
