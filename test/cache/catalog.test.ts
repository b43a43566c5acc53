import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_BASELINE } from '../../main/cache/catalog-changes.js';
import { CatalogBuilder } from '../../main/cache/catalog-files.js';
import { openCache, type ParsedCatalogQuery } from '../../main/cache/index.js';
import type { IsoImage } from '../../main/domain/models.js';
import { CatalogQuery } from '../../main/ipc/contract.js';
import { iso, profile, syntheticIsos } from './fixtures.js';
import { tempCache } from './temp-cache.js';

type Shape = Omit<Partial<ParsedCatalogQuery>, 'server_id'>;

function q(shape: Shape = {}, serverId = 7): ParsedCatalogQuery {
  return CatalogQuery.parse({ server_id: serverId, ...shape });
}

const HANDMADE: IsoImage[] = [
  iso(1, {
    name: 'Ubuntu 22.04 LTS',
    short_name: 'ubuntu22',
    iso_name: 'ubuntu-22.04-live-server-amd64.iso',
    description: 'Ubuntu Server 22.04 LTS',
    size: 2_147_483_648,
    created_at: '2024-01-15T10:30:00Z',
  }),
  iso(2, {
    name: 'Ubuntu 24.04 LTS',
    short_name: 'ubuntu24',
    iso_name: 'ubuntu-24.04-live-server-amd64.iso',
    description: 'Ubuntu Server 24.04 LTS',
    size: 2_684_354_560,
    created_at: '2024-04-25T08:00:00Z',
  }),
  iso(3, {
    name: 'Debian 12',
    short_name: 'debian12',
    iso_name: 'debian-12.7.0-amd64-netinst.iso',
    description: 'Debian stable (netinst) from the nearest mirror',
    size: 661_651_456,
    created_at: '2023-06-10T12:00:00Z',
  }),
  iso(4, {
    name: undefined,
    short_name: 'win2022',
    iso_name: 'Windows_Server_2022.iso',
    description: 'Windows Server 2022 Datacenter',
    size: 5_368_709_120,
    created_at: '2022-09-01T00:00:00Z',
  }),
  iso(5, {
    name: 'Café Linux',
    short_name: 'cafe',
    iso_name: 'cafe-1.0.iso',
    description: 'A "quoted" (parenthesised) image: NEAR* -test',
    size: 100_000_000,
    created_at: '2021-01-01T00:00:00Z',
  }),
  iso(6, { name: 'alpine 3.20', short_name: 'alpine', iso_name: 'alpine-virt-3.20.iso', description: 'Tiny', size: undefined, created_at: undefined }),
  iso(7, {
    name: '',
    short_name: 'rescue',
    iso_name: 'Rescue.iso',
    description: 'SystemRescue toolkit',
    size: 900_000_000,
    created_at: '2020-05-05T05:05:05Z',
  }),
];

function ids(rows: IsoImage[]): number[] {
  return rows.map((r) => r.id);
}

describe('catalog', () => {
  const temp = tempCache('alice');

  it('answers an empty page with no synced_at before the first sync', () => {
    expect(temp.cache.catalog.query('alice', q())).toEqual({ total: 0, rows: [], synced_at: null, indexing: false, marks: {} });
    expect(temp.cache.catalog.count('alice', 7)).toBe(0);
    expect(temp.cache.catalog.syncedAt('alice', 7)).toBeNull();
    expect(temp.cache.catalog.get('alice', 7, 1)).toBeNull();
  });

  it('keeps every field of every image and the time of the sync', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1_700_000_000_000);
    const page = temp.cache.catalog.query('alice', q({ limit: 500 }));
    expect(page.total).toBe(HANDMADE.length);
    expect(page.synced_at).toBe(1_700_000_000_000);
    const byId = new Map(page.rows.map((r) => [r.id, r]));
    for (const image of HANDMADE) expect(byId.get(image.id)).toEqual(image);
    expect(temp.cache.catalog.get('alice', 7, 3)).toEqual(HANDMADE[2]);
    expect(temp.cache.catalog.count('alice', 7)).toBe(HANDMADE.length);
    expect(temp.cache.catalog.syncedAt('alice', 7)).toBe(1_700_000_000_000);
  });

  it('keeps every field when all optional fields are set', () => {
    const full = iso(9, {
      name: 'Full',
      short_name: 'full',
      description: 'd',
      size: 1.5,
      created_at: 'c',
      updated_at: 'u',
      status: 'Pending',
      private: 'a@b.c',
      admin_only: 1,
      url: 'https://x/y.iso',
    });
    temp.cache.catalog.replace('alice', 7, [full], 1);
    expect(temp.cache.catalog.get('alice', 7, 9)).toEqual(full);
  });

  it('finds by prefix of every typed word, as the user types', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    const found = (search: string): number[] => ids(temp.cache.catalog.query('alice', q({ search })).rows);
    expect(found('ubu 22')).toEqual([1]);
    expect(found('ubu')).toEqual([1, 2]);
    expect(found('u')).toEqual([1, 2]);
    expect(found('UBUNTU 24.04')).toEqual([2]);
    expect(found('22 ubu')).toEqual([1]);
    // short name, file name and description are searched too
    expect(found('win2022')).toEqual([4]);
    expect(found('netinst')).toEqual([3]);
    expect(found('systemresc')).toEqual([7]);
    // diacritics fold both ways
    expect(found('cafe')).toEqual([5]);
    expect(found('CAFÉ')).toEqual([5]);
    expect(found('ubuntu debian')).toEqual([]);
    expect(found('zzz')).toEqual([]);
  });

  it('treats FTS syntax in the input as text, never as a query', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    const search = (text: string) => temp.cache.catalog.query('alice', q({ search: text }));
    for (const text of [
      '"',
      '""',
      '"ubuntu',
      'ubuntu"',
      '*',
      'ubu*',
      '-',
      '-ubuntu',
      'NEAR',
      'NEAR(ubuntu debian)',
      '(',
      ')',
      '(deb',
      'a:b',
      'name:ubuntu',
      '^ubu',
      'AND',
      'OR',
      'NOT',
      'ubuntu OR debian',
      'ubuntu NOT 22',
      '{name}: x',
      "it's",
      '\\',
      '+',
      '%',
      '_',
    ]) {
      expect(() => search(text), text).not.toThrow();
    }
    // Operators are plain words: "NEAR" finds "nearest", OR does not widen, NOT does not exclude.
    expect(ids(search('NEAR').rows)).toEqual([5, 3]);
    expect(ids(search('ubuntu OR debian').rows)).toEqual([]);
    expect(ids(search('"quoted" (parenth').rows)).toEqual([5]);
    expect(ids(search('name:ubuntu').rows)).toEqual([]);
    expect(ids(search('-test').rows)).toEqual([5]);
    // Nothing searchable typed: no filter.
    expect(search('*** "" ()').total).toBe(HANDMADE.length);
    expect(search('   ').total).toBe(HANDMADE.length);
  });

  it('sorts by name, falling back to the file name when there is no name', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    expect(ids(temp.cache.catalog.query('alice', q()).rows)).toEqual([6, 5, 3, 7, 1, 2, 4]);
    expect(ids(temp.cache.catalog.query('alice', q({ dir: 'desc' })).rows)).toEqual([4, 2, 1, 7, 3, 5, 6]);
  });

  it('sorts by each column, both ways, with a search or without', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    const sorted = (shape: Shape) => ids(temp.cache.catalog.query('alice', q(shape)).rows);
    expect(sorted({ sort: 'size', dir: 'desc' })).toEqual([4, 2, 1, 7, 3, 5, 6]);
    expect(sorted({ sort: 'size' })).toEqual([6, 5, 3, 7, 1, 2, 4]);
    expect(sorted({ sort: 'created_at', dir: 'desc' })).toEqual([2, 1, 3, 4, 5, 7, 6]);
    expect(sorted({ sort: 'iso_name' })).toEqual([6, 5, 3, 7, 1, 2, 4]);
    expect(sorted({ sort: 'description' })).toEqual([5, 3, 7, 6, 1, 2, 4]);
    expect(sorted({ sort: 'size', dir: 'desc', search: 'lts' })).toEqual([2, 1]);
    expect(sorted({ sort: 'created_at', search: 'server' })).toEqual([4, 1, 2]);
  });

  it('filters by size, bounds included, with or without a search', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    const page = (shape: Shape) => temp.cache.catalog.query('alice', q(shape));
    expect(ids(page({ size_min: 900_000_000, size_max: 2_684_354_560 }).rows)).toEqual([7, 1, 2]);
    expect(page({ size_min: 900_000_000, size_max: 2_684_354_560 }).total).toBe(3);
    expect(ids(page({ size_min: 3_000_000_000 }).rows)).toEqual([4]);
    expect(ids(page({ size_max: 661_651_456, sort: 'size', dir: 'desc' }).rows)).toEqual([3, 5]);
    expect(page({ search: 'ubuntu', size_max: 2_500_000_000 }).total).toBe(1);
    expect(ids(page({ search: 'server', size_min: 2_500_000_000, sort: 'size' }).rows)).toEqual([2, 4]);
  });

  it('pages with offset and limit; total counts every match', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    const all = ids(temp.cache.catalog.query('alice', q()).rows);
    const first = temp.cache.catalog.query('alice', q({ limit: 3 }));
    const second = temp.cache.catalog.query('alice', q({ limit: 3, offset: 3 }));
    const last = temp.cache.catalog.query('alice', q({ limit: 3, offset: 6 }));
    expect(first.total).toBe(7);
    expect([...ids(first.rows), ...ids(second.rows), ...ids(last.rows)]).toEqual(all);
    expect(temp.cache.catalog.query('alice', q({ offset: 7 }))).toMatchObject({ total: 7, rows: [] });
    expect(ids(temp.cache.catalog.query('alice', q({ dir: 'desc', limit: 2, offset: 1 })).rows)).toEqual([2, 1]);
    const searched = temp.cache.catalog.query('alice', q({ search: 'server', limit: 1, offset: 1 }));
    expect(searched.total).toBe(3);
    expect(ids(searched.rows)).toEqual([2]);
  });

  it('replaces the whole list on each sync', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    temp.cache.catalog.replace('alice', 7, [iso(50, { name: 'Only one', description: 'ubuntu fork' })], 2);
    const page = temp.cache.catalog.query('alice', q({ search: 'ubu' }));
    expect(page).toMatchObject({ total: 1, synced_at: 2 });
    expect(ids(page.rows)).toEqual([50]);
    expect(temp.cache.catalog.get('alice', 7, 1)).toBeNull();
    temp.cache.catalog.replace('alice', 7, [], 3);
    expect(temp.cache.catalog.query('alice', q())).toEqual({ total: 0, rows: [], synced_at: 3, indexing: false, marks: {} });
  });

  it('keeps the previous catalog when a sync fails half-way', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    // A fractional id breaks the STRICT INTEGER column on the last row.
    expect(() => temp.cache.catalog.replace('alice', 7, [...syntheticIsos(500), iso(2.5)], 2)).toThrow();
    expect(temp.cache.catalog.query('alice', q({ search: 'ubu' }))).toMatchObject({ total: 2, synced_at: 1 });
    expect(temp.cache.catalog.count('alice', 7)).toBe(HANDMADE.length);
  });

  it('keeps catalogs apart per server and per profile', () => {
    temp.cache.profiles.upsert(profile('bob'));
    temp.cache.catalog.replace('alice', 7, HANDMADE, 1);
    temp.cache.catalog.replace('alice', 8, [iso(100, { name: 'Ubuntu on eight' })], 2);
    temp.cache.catalog.replace('bob', 7, [iso(200, { name: 'Ubuntu of bob' })], 3);
    expect(ids(temp.cache.catalog.query('alice', q({ search: 'ubuntu' }, 7)).rows)).toEqual([1, 2]);
    expect(temp.cache.catalog.query('alice', q({ search: 'ubuntu' }, 8))).toMatchObject({ total: 1, synced_at: 2 });
    expect(temp.cache.catalog.query('bob', q({ search: 'ubuntu' }, 7))).toMatchObject({ total: 1, synced_at: 3 });
    expect(temp.cache.catalog.query('bob', q({}, 8))).toEqual({ total: 0, rows: [], synced_at: null, indexing: false, marks: {} });
    expect(temp.cache.catalog.get('bob', 7, 1)).toBeNull();
  });

  it('refuses to store a catalog for a profile it does not know', () => {
    expect(() => temp.cache.catalog.replace('nobody', 7, HANDMADE, 1)).toThrow(/no profile named "nobody"/);
  });

  it('answers in name order only, saying so, while a published catalog’s indexes are being built', async () => {
    const builder = CatalogBuilder.create(temp.cache.catalog.directory);
    builder.writeRows(HANDMADE, NO_BASELINE);
    const rows = path.basename(builder.shareRows());
    await temp.cache.catalog.publish('alice', 7, { file: rows, row_count: HANDMADE.length }, 9);
    expect(temp.cache.catalog.query('alice', q())).toMatchObject({ total: 7, synced_at: 9, indexing: true });
    expect(ids(temp.cache.catalog.query('alice', q({ dir: 'desc', limit: 2 })).rows)).toEqual([4, 2]);
    expect(temp.cache.catalog.get('alice', 7, 3)).toEqual(HANDMADE[2]);
    for (const shape of [{ search: 'ubu' }, { sort: 'size' as const }, { size_min: 1 }]) {
      expect(temp.cache.catalog.query('alice', q(shape))).toEqual({ total: 0, rows: [], synced_at: 9, indexing: true, marks: {} });
    }
    expect(temp.cache.catalog.unindexedFile('alice', 7)).toBe(rows);
    builder.writeIndexes();
    builder.finish();
    // The complete catalog replaces the copy of its rows, which goes.
    await temp.cache.catalog.publish('alice', 7, { file: path.basename(builder.file), row_count: HANDMADE.length }, 9);
    expect(temp.cache.catalog.query('alice', q({ search: 'ubu' }))).toMatchObject({ total: 2, indexing: false });
    expect(temp.cache.catalog.unindexedFile('alice', 7)).toBeNull();
    expect(fs.existsSync(path.join(temp.cache.catalog.directory, rows))).toBe(false);
  });

  it('is readable offline from a second, read-only connection', () => {
    temp.cache.catalog.replace('alice', 7, HANDMADE, 42);
    const reader = openCache(temp.file, { readonly: true });
    try {
      expect(reader.catalog.query('alice', q({ search: 'deb' }))).toMatchObject({ total: 1, synced_at: 42 });
      temp.cache.catalog.replace('alice', 7, HANDMADE.slice(0, 2), 43);
      // The reader sees the new tables of the new sync.
      expect(reader.catalog.query('alice', q())).toMatchObject({ total: 2, synced_at: 43 });
    } finally {
      reader.close();
    }
  });
});

/**
 * The reference the SQL must agree with: the same semantics written plainly in TypeScript, run
 * over a catalog big enough that every query plan (rowid range, sort index scan, search index in
 * name order, sorted matches, sort index walk with a match filter) is chosen somewhere.
 */
describe('catalog queries agree with a plain reference implementation', () => {
  const TOKEN = /[\p{L}\p{N}]+/gu;
  const tokens = (text: string): string[] => text.toLowerCase().match(TOKEN) ?? [];
  const nameKey = (i: IsoImage): string => (i.name || i.iso_name).toLowerCase();
  const byNameOrder = (a: IsoImage, b: IsoImage): number => (nameKey(a) < nameKey(b) ? -1 : nameKey(a) > nameKey(b) ? 1 : a.id - b.id);

  function reference(all: IsoImage[]): (query: ParsedCatalogQuery) => { total: number; ids: number[] } {
    const position = new Map([...all].sort(byNameOrder).map((image, i) => [image.id, i]));
    const words = new Map(all.map((image) => [image.id, [image.name ?? '', image.short_name ?? '', image.iso_name, image.description].flatMap(tokens)]));
    return (query) => {
      const wanted = tokens(query.search);
      const matches = all.filter((image) => {
        if (!wanted.every((w) => words.get(image.id)!.some((word) => word.startsWith(w)))) return false;
        if (query.size_min !== null && (image.size === undefined || image.size < query.size_min)) return false;
        if (query.size_max !== null && (image.size === undefined || image.size > query.size_max)) return false;
        return true;
      });
      const key = (image: IsoImage): string | number | null => {
        switch (query.sort) {
          case 'name':
            return 0;
          case 'iso_name':
            return image.iso_name.toLowerCase();
          case 'description':
            return image.description.toLowerCase();
          case 'size':
            return image.size ?? null;
          case 'created_at':
            return image.created_at ?? null;
        }
      };
      const sign = query.dir === 'asc' ? 1 : -1;
      matches.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        // SQLite puts NULL first in ascending order.
        if (ka !== kb) {
          if (ka === null) return -sign;
          if (kb === null) return sign;
          return (ka < kb ? -1 : 1) * sign;
        }
        return (position.get(a.id)! - position.get(b.id)!) * sign;
      });
      return { total: matches.length, ids: matches.slice(query.offset, query.offset + query.limit).map((i) => i.id) };
    };
  }

  const temp = tempCache('alice');

  it('for every sort, direction, search, filter and page', () => {
    const { cache } = temp;
    const all = [...syntheticIsos(3_000, 11), ...HANDMADE.map((h) => ({ ...h, id: h.id + 1_000_000 }))];
    // Some images without size or date, so NULL ordering is covered.
    for (const image of all.slice(0, 40)) {
      image.size = undefined;
      image.created_at = undefined;
    }
    cache.catalog.replace('alice', 7, all, 1);
    const expected = reference(all);
    const searches = ['', 'u', 'ubuntu 2', 'deb 12 net', '1', 'windows', 'rocky 9.4 min', 'zz'];
    const sizes: Array<[number | null, number | null]> = [
      [null, null],
      [1_000_000_000, null],
      [500_000_000, 3_000_000_000],
    ];
    let compared = 0;
    for (const search of searches) {
      for (const sort of ['name', 'iso_name', 'description', 'size', 'created_at'] as const) {
        for (const dir of ['asc', 'desc'] as const) {
          for (const [size_min, size_max] of sizes) {
            for (const [offset, limit] of [
              [0, 100],
              [0, 5],
              [37, 10],
              [2_990, 50],
            ] as const) {
              const query = q({ search, sort, dir, size_min, size_max, offset, limit });
              const got = cache.catalog.query('alice', query);
              const want = expected(query);
              expect({ total: got.total, ids: ids(got.rows) }, JSON.stringify(query)).toEqual(want);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(searches.length * 5 * 2 * sizes.length * 4);
  });
});
