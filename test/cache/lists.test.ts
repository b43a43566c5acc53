import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Server } from '../../main/domain/models.js';
import { iso } from './fixtures.js';
import { tempCache } from './temp-cache.js';

function server(id: number, fields: Partial<Server> = {}): Server {
  return { id, hostname: `host-${id}`, main_ip: `192.0.2.${id}`, location: 'DE', state: 'active', condition: 'rent', mounted_iso: null, ...fields };
}

function entry(id: number, date: string, message = `entry ${id}`): HistoryEntry {
  return { id, date, description: 'mounted', type: 'mount', login: 'alice@example.com', message, iso_name: 'a.iso' };
}

describe('cached lists', () => {
  const temp = tempCache('alice', 'bob');

  describe('servers', () => {
    it('are empty and never synced until the first sync, then kept in the API’s order', () => {
      expect(temp.cache.servers.list('alice')).toEqual({ items: [], synced_at: null });
      temp.cache.servers.replace(
        'alice',
        [server(3), server(1, { hostname: null, main_ip: null, location: null, condition: null, state: 'suspended' }), server(2)],
        100,
      );
      expect(temp.cache.servers.list('alice')).toEqual({
        items: [server(3), server(1, { hostname: null, main_ip: null, location: null, condition: null, state: 'suspended' }), server(2)],
        synced_at: 100,
      });
    });

    it('remember what this app mounted, across syncs, for the servers that remain', () => {
      temp.cache.servers.replace('alice', [server(1), server(2)], 1);
      temp.cache.servers.setMounted('alice', 1, 'ubuntu.iso');
      temp.cache.servers.setMounted('alice', 2, 'debian.iso');
      temp.cache.servers.setMounted('alice', 99, 'ignored.iso');
      temp.cache.servers.replace('alice', [server(1, { hostname: 'renamed' }), server(3)], 2);
      expect(temp.cache.servers.list('alice')).toEqual({ items: [server(1, { hostname: 'renamed', mounted_iso: 'ubuntu.iso' }), server(3)], synced_at: 2 });
      temp.cache.servers.setMounted('alice', 1, null);
      expect(temp.cache.servers.list('alice').items[0]?.mounted_iso).toBeNull();
      // Server 2 left the list: its mount is forgotten, even if it comes back.
      temp.cache.servers.replace('alice', [server(2)], 3);
      expect(temp.cache.servers.list('alice').items).toEqual([server(2)]);
    });

    it('belong to one profile', () => {
      temp.cache.servers.replace('alice', [server(1)], 1);
      temp.cache.servers.setMounted('bob', 1, 'x.iso');
      expect(temp.cache.servers.list('bob')).toEqual({ items: [], synced_at: null });
      expect(temp.cache.servers.list('alice').items[0]?.mounted_iso).toBeNull();
    });
  });

  describe('uploads', () => {
    it('keep the profile’s own list apart from each customer’s, every field intact', () => {
      const own = [
        iso(1, { name: 'Mine', status: 'Pending', url: 'https://example.com/a.iso', private: 'alice@example.com', admin_only: 0, size: 123 }),
        iso(2),
      ];
      const theirs = [iso(3, { status: 'Active' })];
      temp.cache.uploads.replace('alice', null, own, 10);
      temp.cache.uploads.replace('alice', 'customer@example.com', theirs, 20);
      expect(temp.cache.uploads.list('alice', null)).toEqual({ items: own, synced_at: 10 });
      expect(temp.cache.uploads.list('alice', 'customer@example.com')).toEqual({ items: theirs, synced_at: 20 });
      expect(temp.cache.uploads.list('alice', 'other@example.com')).toEqual({ items: [], synced_at: null });
      expect(temp.cache.uploads.list('bob', null)).toEqual({ items: [], synced_at: null });
    });

    it('are replaced whole', () => {
      temp.cache.uploads.replace('alice', null, [iso(1), iso(2)], 1);
      temp.cache.uploads.replace('alice', null, [iso(5)], 2);
      expect(temp.cache.uploads.list('alice', null)).toEqual({ items: [iso(5)], synced_at: 2 });
    });
  });

  describe('history', () => {
    it('is kept per ISO and read newest first, by date then id', () => {
      temp.cache.history.replace(
        'alice',
        42,
        [entry(1, '2024-01-15 10:30:00'), entry(3, '2024-02-01 09:00:00'), entry(2, '2024-02-01 09:00:00'), entry(4, '2023-12-31 23:59:59')],
        7,
      );
      temp.cache.history.replace('alice', 43, [entry(9, '2024-03-01 00:00:00')], 8);
      expect(temp.cache.history.list('alice', 42)).toEqual({
        items: [entry(3, '2024-02-01 09:00:00'), entry(2, '2024-02-01 09:00:00'), entry(1, '2024-01-15 10:30:00'), entry(4, '2023-12-31 23:59:59')],
        synced_at: 7,
      });
      expect(temp.cache.history.list('alice', 43).items.map((e) => e.id)).toEqual([9]);
      expect(temp.cache.history.list('bob', 42)).toEqual({ items: [], synced_at: null });
      temp.cache.history.replace('alice', 42, [], 9);
      expect(temp.cache.history.list('alice', 42)).toEqual({ items: [], synced_at: 9 });
    });
  });

  it('are all readable after reopening the file, with no network involved', () => {
    temp.cache.servers.replace('alice', [server(1)], 1);
    temp.cache.uploads.replace('alice', null, [iso(1)], 2);
    temp.cache.history.replace('alice', 1, [entry(1, '2024-01-01 00:00:00')], 3);
    temp.reopen();
    expect(temp.cache.servers.list('alice').synced_at).toBe(1);
    expect(temp.cache.uploads.list('alice', null).synced_at).toBe(2);
    expect(temp.cache.history.list('alice', 1).synced_at).toBe(3);
  });

  it('roll back a sync that fails half-way', () => {
    temp.cache.uploads.replace('alice', null, [iso(1)], 1);
    // A fractional id breaks the STRICT INTEGER column on the second row.
    expect(() => temp.cache.uploads.replace('alice', null, [iso(2), iso(2.5)], 2)).toThrow();
    expect(temp.cache.uploads.list('alice', null)).toEqual({ items: [iso(1)], synced_at: 1 });
  });
});
