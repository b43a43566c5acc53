import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type TrackedTask } from '../../main/cache/index.js';
import type { Server } from '../../main/domain/models.js';
import { CatalogQuery } from '../../main/ipc/contract.js';
import { iso, profile, trackedTask } from './fixtures.js';
import { tempCache } from './temp-cache.js';

const SERVER: Server = { id: 7, hostname: 'web-1', main_ip: '192.0.2.7', location: 'NL', state: 'active', condition: 'rent', mounted_iso: null };

function task(key: string, owner: string): TrackedTask {
  return trackedTask(key, { profile: owner, iso_name: 'a.iso', created_at: 1, accepted_at: 1, updated_at: 1, next_poll_at: 10 });
}

describe('profiles', () => {
  const temp = tempCache();

  it('stores, updates and lists profiles by name', () => {
    expect(temp.cache.profiles.list()).toEqual([]);
    expect(temp.cache.profiles.get('alice')).toBeNull();
    temp.cache.profiles.upsert(profile('bob', { auth: 'token', role: null, role_type: null, permissions: [], email: null, customer_id: null }));
    temp.cache.profiles.upsert(profile('alice'));
    expect(temp.cache.profiles.list().map((p) => p.name)).toEqual(['alice', 'bob']);
    expect(temp.cache.profiles.get('bob')).toEqual(
      profile('bob', { auth: 'token', role: null, role_type: null, permissions: [], email: null, customer_id: null }),
    );
    temp.cache.profiles.upsert(profile('alice', { role: 'Admin', permissions: ['iso.add'], auth: 'token' }));
    expect(temp.cache.profiles.get('alice')).toMatchObject({ role: 'Admin', permissions: ['iso.add'], auth: 'token' });
  });

  it('keeps a profile’s cached data when the profile is updated', () => {
    temp.cache.profiles.upsert(profile('alice'));
    temp.cache.servers.replace('alice', [SERVER], 5);
    temp.cache.profiles.upsert(profile('alice', { role: 'Admin', auth: 'token' }));
    expect(temp.cache.servers.list('alice')).toEqual({ items: [SERVER], synced_at: 5 });
  });

  it('remembers the active profile', () => {
    expect(temp.cache.profiles.getActive()).toBeNull();
    temp.cache.profiles.setActive('alice');
    expect(temp.cache.profiles.getActive()).toBe('alice');
    temp.cache.profiles.setActive('bob');
    expect(temp.cache.profiles.getActive()).toBe('bob');
    temp.cache.profiles.setActive(null);
    expect(temp.cache.profiles.getActive()).toBeNull();
  });

  it('rejects a profile that does not fit the model', () => {
    expect(() => temp.cache.profiles.upsert({ ...profile('alice'), auth: 'password' as 'key' })).toThrow();
    expect(temp.cache.profiles.get('alice')).toBeNull();
  });

  it('removes a profile with all its data and nobody else’s', () => {
    for (const name of ['alice', 'bob']) {
      temp.cache.profiles.upsert(profile(name));
      temp.cache.servers.replace(name, [SERVER], 1);
      temp.cache.catalog.replace(name, 7, [iso(1, { name: `${name}'s ubuntu` })], 1);
      temp.cache.catalog.replace(name, 8, [iso(2)], 1);
      temp.cache.uploads.replace(name, null, [iso(3)], 1);
      temp.cache.uploads.replace(name, 'customer@example.com', [iso(4)], 1);
      temp.cache.history.replace(
        name,
        1,
        [{ id: 1, date: '2024-01-01 00:00:00', description: 'd', type: 't', login: 'l', message: 'm', iso_name: 'a.iso' }],
        1,
      );
      temp.cache.tasks.insert(task(`task-${name}`, name));
    }
    temp.cache.profiles.remove('alice');

    expect(temp.cache.profiles.get('alice')).toBeNull();
    expect(temp.cache.servers.list('alice')).toEqual({ items: [], synced_at: null });
    expect(temp.cache.catalog.query('alice', CatalogQuery.parse({ server_id: 7 }))).toEqual({
      total: 0,
      rows: [],
      synced_at: null,
      indexing: false,
      marks: {},
    });
    expect(temp.cache.uploads.list('alice', null)).toEqual({ items: [], synced_at: null });
    expect(temp.cache.uploads.list('alice', 'customer@example.com')).toEqual({ items: [], synced_at: null });
    expect(temp.cache.history.list('alice', 1)).toEqual({ items: [], synced_at: null });
    expect(temp.cache.tasks.get('task-alice')).toBeNull();

    expect(temp.cache.servers.list('bob').items).toHaveLength(1);
    expect(temp.cache.catalog.query('bob', CatalogQuery.parse({ server_id: 7, search: 'ubuntu' })).total).toBe(1);
    expect(temp.cache.catalog.count('bob', 8)).toBe(1);
    expect(temp.cache.uploads.list('bob', null).items).toHaveLength(1);
    expect(temp.cache.history.list('bob', 1).items).toHaveLength(1);
    expect(temp.cache.tasks.get('task-bob')).not.toBeNull();

    // Nothing of alice's is left: no rows in the temp.cache, no catalog files beside it.
    const raw = new Database(temp.file, { readonly: true });
    try {
      expect(raw.prepare(`SELECT count(*) FROM syncs WHERE profile = 'alice'`).pluck().get()).toBe(0);
      const bobs = raw.prepare(`SELECT file FROM catalog_files`).pluck().all();
      expect(bobs).toHaveLength(2);
      expect(
        fs
          .readdirSync(temp.cache.catalog.directory)
          .filter((name) => name.endsWith('.db'))
          .sort(),
      ).toEqual([...bobs].sort());
    } finally {
      raw.close();
    }
  });
});
