/**
 * Cache figures for `npm run bench`, all on real files in a temp folder, in one run:
 *  - syncing 100,000 ISOs into the cache (rows, sort indexes and FTS index) against a bare
 *    better-sqlite3 insert of the same rows, one prepared INSERT per row in one transaction, into
 *    a plain table on a connection set up exactly like the cache's; interleaved and repeated, medians;
 *  - a re-sync of the same catalog (what a refresh costs);
 *  - catalog queries over the 100,000 cached ISOs (total count included), as the UI sends them
 *    while someone types, sorts, pages and filters: p50/p95/max;
 *  - opening the cache again: open + schema check + first page;
 *  - the process's peak RSS.
 * Ratios are baseline / value, as in the other bench rows: below 1 the cache is slower.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { openCache, type Cache } from '../../main/cache/index.js';
import { openConnection } from '../../main/cache/connection.js';
import { ISO_COLUMN_DEFS } from '../../main/cache/iso-rows.js';
import { CatalogQuery } from '../../main/ipc/contract.js';
import type { IsoImage } from '../../main/domain/models.js';
import { profile, syntheticIsos, tempDir } from '../cache/fixtures.js';
import type { BenchRow } from './types.js';

const ISO_COUNT = 100_000;
const SYNC_RUNS = 3;
const QUERY_ROUNDS = 5;
const OPEN_RUNS = 5;
const SERVER_ID = 1;
const SEARCH_P95_TARGET_MS = 10;
const SYNC_RATIO_TARGET = 2;
const GIB = 1024 ** 3;

/** What the catalog screen asks while a person types, sorts, pages and filters. */
const QUERY_MIX: Omit<z.input<typeof CatalogQuery>, 'server_id'>[] = [
  ...['u', 'ub', 'ubu', 'ubun', 'ubunt', 'ubuntu', 'ubuntu 2', 'ubuntu 22', 'ubuntu 22.', 'ubuntu 22.04'].map((search) => ({ search })),
  ...['d', 'deb', 'debian', 'debian 1', 'debian 12', 'debian 12 net'].map((search) => ({ search })),
  ...['w', 'win', 'windows 2022', 'r', 'rocky 9', 'alma 9.4', 'f', 'freebsd 14', 'prox', 'esxi 8', '1', '22'].map((search) => ({ search })),
  { search: 'zz' },
  { search: 'qwerty' },
  { search: 'ubuntu "22' },
  { search: '(deb* -net' },
  {},
  { offset: 1_000 },
  { dir: 'desc' },
  { sort: 'size', dir: 'desc' },
  { sort: 'size', dir: 'desc', offset: 200 },
  { sort: 'created_at', dir: 'desc' },
  { sort: 'iso_name' },
  { sort: 'description' },
  { search: 'ubuntu', sort: 'size', dir: 'desc' },
  { search: 'debian 12', sort: 'created_at', dir: 'desc' },
  { search: 'rocky', offset: 200 },
  { size_min: 1 * GIB, size_max: 2 * GIB, sort: 'size' },
  { search: 'windows', size_min: 5 * GIB },
];

function median(values: number[]): number {
  return percentile(values, 50);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function timed(work: () => void): number {
  return cost(work).wall;
}

/**
 * Wall-clock and CPU time (user + system) of `work`. On a machine shared with other jobs the
 * wall clock also counts time spent waiting for a core; CPU time shows the work itself.
 */
function cost(work: () => void): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** The baseline: the same rows into a plain table, one prepared INSERT per row, one transaction. */
function bareInsert(file: string, isos: readonly IsoImage[]): { wall: number; cpu: number } {
  const db = openConnection(file, {});
  try {
    db.exec(`CREATE TABLE isos (${ISO_COLUMN_DEFS}) STRICT`);
    const insert = db.prepare(
      'INSERT INTO isos (id, iso_name, name, short_name, description, size, created_at, updated_at, status, private, admin_only, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    return cost(() =>
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

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

function measureQueries(cache: Cache): { latencies: number[]; worst: { query: string; ms: number } } {
  const queries = QUERY_MIX.map((shape) => ({ shape, query: CatalogQuery.parse({ ...shape, server_id: SERVER_ID }) }));
  // One unmeasured round prepares each plan's statement, as the first use in a session does.
  for (const { query } of queries) cache.catalog.query('bench', query);
  const latencies: number[] = [];
  let worst = { query: '', ms: 0 };
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    for (const { shape, query } of queries) {
      const ms = timed(() => cache.catalog.query('bench', query));
      latencies.push(ms);
      if (ms > worst.ms) worst = { query: JSON.stringify(shape), ms };
    }
  }
  return { latencies, worst };
}

export async function benchCache(): Promise<BenchRow[]> {
  const tmp = tempDir();
  const isos = syntheticIsos(ISO_COUNT);
  const baselineFile = `${tmp.dir}/baseline.db`;
  try {
    const bare: Array<{ wall: number; cpu: number }> = [];
    const firstSync: Array<{ wall: number; cpu: number }> = [];
    const resync: number[] = [];
    for (let run = 0; run < SYNC_RUNS; run++) {
      removeDb(baselineFile);
      bare.push(bareInsert(baselineFile, isos));
      removeDb(tmp.file);
      const cache = openCache(tmp.file);
      try {
        cache.profiles.upsert(profile('bench'));
        firstSync.push(cost(() => cache.catalog.replace('bench', SERVER_ID, isos, Date.now())));
        resync.push(timed(() => cache.catalog.replace('bench', SERVER_ID, isos, Date.now())));
      } finally {
        cache.close();
      }
    }

    const cache = openCache(tmp.file);
    const queries = (() => {
      try {
        return measureQueries(cache);
      } finally {
        cache.close();
      }
    })();

    const firstPage = CatalogQuery.parse({ server_id: SERVER_ID });
    const opens: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      opens.push(
        timed(() => {
          const reopened = openCache(tmp.file);
          reopened.catalog.query('bench', firstPage);
          reopened.close();
        }),
      );
    }

    const bareMs = median(bare.map((c) => c.wall));
    const syncMs = median(firstSync.map((c) => c.wall));
    const bareCpu = median(bare.map((c) => c.cpu));
    const syncCpu = median(firstSync.map((c) => c.cpu));
    const resyncMs = median(resync);
    return [
      {
        name: `cache: sync ${ISO_COUNT.toLocaleString('en')} ISOs into an empty cache (ms; baseline: bare insert; target ≤ ${SYNC_RATIO_TARGET}× baseline)`,
        value: round(syncMs),
        baseline: round(bareMs),
        ratio: round(syncMs / bareMs, 2),
        target: round(SYNC_RATIO_TARGET * bareMs),
      },
      {
        name: `cache: same sync, CPU time (ms; baseline: bare insert's CPU time)`,
        value: round(syncCpu),
        baseline: round(bareCpu),
        ratio: round(syncCpu / bareCpu, 2),
        target: round(SYNC_RATIO_TARGET * bareCpu),
      },
      {
        name: `cache: re-sync the same ${ISO_COUNT.toLocaleString('en')} ISOs (ms; baseline: bare insert)`,
        value: round(resyncMs),
        baseline: round(bareMs),
        ratio: round(resyncMs / bareMs, 2),
      },
      {
        name: `cache: catalog query p50, ${QUERY_MIX.length} kinds × ${QUERY_ROUNDS} over ${ISO_COUNT.toLocaleString('en')} ISOs (ms)`,
        value: round(median(queries.latencies), 2),
      },
      { name: 'cache: catalog query p95 (ms)', value: round(percentile(queries.latencies, 95), 2), target: SEARCH_P95_TARGET_MS },
      { name: `cache: catalog query max (ms), ${queries.worst.query}`, value: round(queries.worst.ms, 2) },
      { name: 'cache: open + schema check + first page (ms, median)', value: round(median(opens), 2) },
      { name: 'cache: bench process peak RSS (MiB)', value: round(process.resourceUsage().maxRSS / 1024) },
    ];
  } finally {
    tmp.remove();
  }
}
