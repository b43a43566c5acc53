/** Each profile's server list, with the ISO this app last mounted on each server. */
import { Server } from '../domain/models.js';
import { readTransaction, writeTransaction, type Db, type Statements } from './connection.js';
import { parseRow } from './rows.js';
import type { SyncLists } from './sync-lists.js';
import type { ServerRepository, SyncedList } from './types.js';

/** A profile has one server list. */
const SCOPE = '';
const MountedRow = Server.pick({ id: true, mounted_iso: true });

export class Servers implements ServerRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
    private readonly lists: SyncLists,
  ) {}

  replace(profile: string, servers: Server[], syncedAt: number): void {
    writeTransaction(this.db, () => {
      const listId = this.lists.stamp(profile, 'servers', SCOPE, syncedAt);
      // HOSTKEY's server list does not say what is mounted: keep what this app recorded.
      const mounted = new Map<number, string | null>();
      for (const row of this.statements.get('SELECT id, mounted_iso FROM servers WHERE list_id = ?').all(listId)) {
        const r = parseRow(MountedRow, row, 'a server');
        mounted.set(r.id, r.mounted_iso);
      }
      this.statements.get('DELETE FROM servers WHERE list_id = ?').run(listId);
      const insert = this.statements.get(
        `INSERT INTO servers (list_id, position, id, hostname, main_ip, location, state, condition, mounted_iso)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      servers.forEach((s, position) => {
        insert.run(listId, position, s.id, s.hostname, s.main_ip, s.location, s.state, s.condition, s.mounted_iso ?? mounted.get(s.id) ?? null);
      });
    });
  }

  list(profile: string): SyncedList<Server> {
    return readTransaction(this.db, () => {
      const list = this.lists.find(profile, 'servers', SCOPE);
      if (!list) return { items: [], synced_at: null };
      const rows = this.statements
        .get('SELECT id, hostname, main_ip, location, state, condition, mounted_iso FROM servers WHERE list_id = ? ORDER BY position')
        .all(list.id);
      return { items: rows.map((row) => parseRow(Server, row, 'a server')), synced_at: list.synced_at };
    });
  }

  setMounted(profile: string, serverId: number, isoName: string | null): void {
    this.statements
      .get(
        `UPDATE servers SET mounted_iso = ?
         WHERE id = ? AND list_id = (SELECT id FROM syncs WHERE profile = ? AND kind = 'servers' AND scope = ?)`,
      )
      .run(isoName, serverId, profile, SCOPE);
  }
}
