/**
 * What a catalog sync records against the one before it, on real catalog files: added, changed
 * (size, description, file name) and removed images by id; the change set published with the
 * catalog, read back, and filtered and marked in pages; a sync that finds nothing new keeping the
 * change set it replaces; and no claim of change without a previous file to compare with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithPrevious, diffImages } from '../../main/cache/catalog-changes.js';
import { CatalogQuery } from '../../main/ipc/contract.js';
import { iso } from './fixtures.js';
import { tempCache } from './temp-cache.js';

const BEFORE = [
  iso(1, { iso_name: 'alma-9.iso', size: 100, description: 'AlmaLinux 9' }),
  iso(2, { iso_name: 'debian-12.iso', size: 200, description: 'Debian 12' }),
  iso(3, { iso_name: 'ubuntu-24.04.iso', name: 'Ubuntu 24.04', size: 300, description: 'Ubuntu' }),
  iso(4, { iso_name: 'old-tool.iso', size: 5, description: 'Old' }),
];
const AFTER = [
  iso(1, { iso_name: 'alma-9.iso', size: 100, description: 'AlmaLinux 9' }),
  iso(2, { iso_name: 'debian-12.iso', size: 250, description: 'Debian 12.8' }),
  iso(3, { iso_name: 'ubuntu-24.04.1.iso', name: 'Ubuntu 24.04', size: 300, description: 'Ubuntu' }),
  iso(9, { iso_name: 'fedora-41.iso', size: 900, description: 'Fedora 41' }),
];

const temp = tempCache('alice');

const q = (over: Partial<CatalogQuery> = {}) => CatalogQuery.parse({ server_id: 7, ...over });

describe('diffImages', () => {
  it('finds added, changed and removed images by id, and says which fields changed from what to what', () => {
    const stored = BEFORE.map((i) => ({ id: i.id, name: i.name ?? null, facts: { size: i.size ?? null, description: i.description, iso_name: i.iso_name } }));
    const changes = diffImages(stored, AFTER);
    expect(changes.map((c) => [c.kind, c.id, c.fields])).toEqual([
      ['added', 9, []],
      ['changed', 2, ['size', 'description']],
      ['changed', 3, ['iso_name']],
      ['removed', 4, []],
    ]);
    expect(changes[1]).toMatchObject({ before: { size: 200, description: 'Debian 12' }, after: { size: 250, description: 'Debian 12.8' } });
    expect(changes[2]).toMatchObject({ name: 'Ubuntu 24.04', before: { iso_name: 'ubuntu-24.04.iso' }, after: { iso_name: 'ubuntu-24.04.1.iso' } });
    expect(changes[3]).toMatchObject({ name: 'old-tool.iso', before: { size: 5 }, after: null });
  });
});

describe('a sync against the one before', () => {
  it('has nothing to compare with on a first sync', () => {
    temp.cache.catalog.replace('alice', 7, BEFORE, 1_000);
    expect(temp.cache.catalog.changes('alice', 7, 100)).toEqual({ synced_at: 1_000, since: null, counts: { added: 0, changed: 0, removed: 0 }, items: [] });
    expect(temp.cache.catalog.query('alice', q({ changed: true }))).toMatchObject({ total: 0, rows: [] });
  });

  it('publishes the change set with the catalog: counts, items, marks on pages, and the "changed" filter', () => {
    temp.cache.catalog.replace('alice', 7, BEFORE, 1_000);
    temp.cache.catalog.replace('alice', 7, AFTER, 2_000);
    const changes = temp.cache.catalog.changes('alice', 7, 100)!;
    expect(changes).toMatchObject({ synced_at: 2_000, since: 1_000, counts: { added: 1, changed: 2, removed: 1 } });
    expect(changes.items.map((c) => `${c.kind} ${c.id}`)).toEqual(['added 9', 'changed 2', 'changed 3', 'removed 4']);
    expect(temp.cache.catalog.changes('alice', 7, 2)!.items).toHaveLength(2);

    const page = temp.cache.catalog.query('alice', q());
    expect(page.total).toBe(4);
    expect(page.marks).toEqual({ '2': 'changed', '3': 'changed', '9': 'added' });
    const changed = temp.cache.catalog.query('alice', q({ changed: true }));
    expect(changed.rows.map((r) => r.id).sort()).toEqual([2, 3, 9]);
    expect(changed.total).toBe(3);
    // The filter combines with search and sort.
    expect(temp.cache.catalog.query('alice', q({ changed: true, search: 'fedora' })).rows.map((r) => r.id)).toEqual([9]);
    expect(temp.cache.catalog.query('alice', q({ changed: true, sort: 'size', dir: 'desc' })).rows.map((r) => r.id)).toEqual([9, 3, 2]);
  });

  it('keeps the change set it replaces when a sync finds nothing new, and replaces it when one does', () => {
    temp.cache.catalog.replace('alice', 7, BEFORE, 1_000);
    temp.cache.catalog.replace('alice', 7, AFTER, 2_000);
    temp.cache.catalog.replace('alice', 7, AFTER, 3_000);
    expect(temp.cache.catalog.changes('alice', 7, 100)).toMatchObject({ synced_at: 3_000, since: 1_000, counts: { added: 1, changed: 2, removed: 1 } });
    temp.cache.catalog.replace('alice', 7, [...AFTER, iso(10, { iso_name: 'new.iso', description: '' })], 4_000);
    const latest = temp.cache.catalog.changes('alice', 7, 100)!;
    expect(latest).toMatchObject({ since: 3_000, counts: { added: 1, changed: 0, removed: 0 } });
    expect(latest.items.map((c) => c.id)).toEqual([10]);
  });

  it('claims nothing changed when the previous file cannot be read', () => {
    temp.cache.catalog.replace('alice', 7, BEFORE, 1_000);
    const previous = temp.cache.catalog.published('alice', 7)!;
    const gone = path.join(temp.cache.catalog.directory, 'missing.db');
    expect(fs.existsSync(gone)).toBe(false);
    expect(compareWithPrevious(AFTER, { path: gone, synced_at: previous.synced_at })).toEqual({ since: null, changes: [] });
    expect(fs.existsSync(gone)).toBe(false);
    const junk = path.join(temp.cache.catalog.directory, 'junk.db');
    fs.writeFileSync(junk, 'not a database');
    expect(compareWithPrevious(AFTER, { path: junk, synced_at: 1 })).toEqual({ since: null, changes: [] });
  });
});
