import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../main/cache/index.js';
import type { HistoryEntry, Server } from '../../main/domain/models.js';
import { iso, profile, tempDir } from './fixtures.js';

function server(id: number, fields: Partial<Server> = {}): Server {
  return { id, hostname: `host-${id}`, main_ip: `192.0.2.${id}`, location: 'DE', state: 'active', condition: 'rent', mounted_iso: null, ...fields };
}

function entry(id: number, date: string, message = `entry ${id}`): HistoryEntry {
  return { id, date, description: 'mounted', type: 'mount', login: 'alice@example.com', message, iso_name: 'a.iso' };
}

describe('cached lists', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: Cache;

  beforeEach(() => {
    tmp = tempDir();
    cache = openCache(tmp.file);
    cache.profiles.upsert(profile('alice'));
    cache.profiles.upsert(profile('bob'));
  });

  afterEach(() => {
    cache.close();
    tmp.remove();
  });

  describe('servers', () => {
    it('are empty and never synced until the first sync, then kept in the API’s order', () => {
      expect(cache.servers.list('alice')).toEqual({ items: [], synced_at: null });
      cache.servers.replace(
        'alice',
        [server(3), server(1, { hostname: null, main_ip: null, location: null, condition: null, state: 'suspended' }), server(2)],
        100,
      );
      expect(cache.servers.list('alice')).toEqual({
        items: [server(3), server(1, { hostname: null, main_ip: null, location: null, condition: null, state: 'suspended' }), server(2)],
        synced_at: 100,
      });
    });

    it('remember what this app mounted, across syncs, for the servers that remain', () => {
      cache.servers.replace('alice', [server(1), server(2)], 1);
      cache.servers.setMounted('alice', 1, 'ubuntu.iso');
      cache.servers.setMounted('alice', 2, 'debian.iso');
      cache.servers.setMounted('alice', 99, 'ignored.iso');
      cache.servers.replace('alice', [server(1, { hostname: 'renamed' }), server(3)], 2);
      expect(cache.servers.list('alice')).toEqual({ items: [server(1, { hostname: 'renamed', mounted_iso: 'ubuntu.iso' }), server(3)], synced_at: 2 });
      cache.servers.setMounted('alice', 1, null);
      expect(cache.servers.list('alice').items[0]?.mounted_iso).toBeNull();
      // Server 2 left the list: its mount is forgotten, even if it comes back.
      cache.servers.replace('alice', [server(2)], 3);
      expect(cache.servers.list('alice').items).toEqual([server(2)]);
    });

    it('belong to one profile', () => {
      cache.servers.replace('alice', [server(1)], 1);
      cache.servers.setMounted('bob', 1, 'x.iso');
      expect(cache.servers.list('bob')).toEqual({ items: [], synced_at: null });
      expect(cache.servers.list('alice').items[0]?.mounted_iso).toBeNull();
    });
  });

  describe('uploads', () => {
    it('keep the profile’s own list apart from each customer’s, every field intact', () => {
      const own = [
        iso(1, { name: 'Mine', status: 'Pending', url: 'https://example.com/a.iso', private: 'alice@example.com', admin_only: 0, size: 123 }),
        iso(2),
      ];
      const theirs = [iso(3, { status: 'Active' })];
      cache.uploads.replace('alice', null, own, 10);
      cache.uploads.replace('alice', 'customer@example.com', theirs, 20);
      expect(cache.uploads.list('alice', null)).toEqual({ items: own, synced_at: 10 });
      expect(cache.uploads.list('alice', 'customer@example.com')).toEqual({ items: theirs, synced_at: 20 });
      expect(cache.uploads.list('alice', 'other@example.com')).toEqual({ items: [], synced_at: null });
      expect(cache.uploads.list('bob', null)).toEqual({ items: [], synced_at: null });
    });

    it('are replaced whole', () => {
      cache.uploads.replace('alice', null, [iso(1), iso(2)], 1);
      cache.uploads.replace('alice', null, [iso(5)], 2);
      expect(cache.uploads.list('alice', null)).toEqual({ items: [iso(5)], synced_at: 2 });
    });
  });

  describe('history', () => {
    it('is kept per ISO and read newest first, by date then id', () => {
      cache.history.replace(
        'alice',
        42,
        [entry(1, '2024-01-15 10:30:00'), entry(3, '2024-02-01 09:00:00'), entry(2, '2024-02-01 09:00:00'), entry(4, '2023-12-31 23:59:59')],
        7,
      );
      cache.history.replace('alice', 43, [entry(9, '2024-03-01 00:00:00')], 8);
      expect(cache.history.list('alice', 42)).toEqual({
        items: [entry(3, '2024-02-01 09:00:00'), entry(2, '2024-02-01 09:00:00'), entry(1, '2024-01-15 10:30:00'), entry(4, '2023-12-31 23:59:59')],
        synced_at: 7,
      });
      expect(cache.history.list('alice', 43).items.map((e) => e.id)).toEqual([9]);
      expect(cache.history.list('bob', 42)).toEqual({ items: [], synced_at: null });
      cache.history.replace('alice', 42, [], 9);
      expect(cache.history.list('alice', 42)).toEqual({ items: [], synced_at: 9 });
    });
  });

  it('are all readable after reopening the file, with no network involved', () => {
    cache.servers.replace('alice', [server(1)], 1);
    cache.uploads.replace('alice', null, [iso(1)], 2);
    cache.history.replace('alice', 1, [entry(1, '2024-01-01 00:00:00')], 3);
    cache.close();
    cache = openCache(tmp.file);
    expect(cache.servers.list('alice').synced_at).toBe(1);
    expect(cache.uploads.list('alice', null).synced_at).toBe(2);
    expect(cache.history.list('alice', 1).synced_at).toBe(3);
  });

  it('roll back a sync that fails half-way', () => {
    cache.uploads.replace('alice', null, [iso(1)], 1);
    // A fractional id breaks the STRICT INTEGER column on the second row.
    expect(() => cache.uploads.replace('alice', null, [iso(2), iso(2.5)], 2)).toThrow();
    expect(cache.uploads.list('alice', null)).toEqual({ items: [iso(1)], synced_at: 1 });
  });
});
