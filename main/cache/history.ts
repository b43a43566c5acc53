/** The history of each ISO, per profile. */
import { HistoryEntry } from '../domain/models.js';
import { readTransaction, writeTransaction, type Db, type Statements } from './connection.js';
import { parseRow } from './rows.js';
import type { SyncLists } from './sync-lists.js';
import type { HistoryRepository, SyncedList } from './types.js';

export class History implements HistoryRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
    private readonly lists: SyncLists,
  ) {}

  replace(profile: string, isoId: number, entries: HistoryEntry[], syncedAt: number): void {
    writeTransaction(this.db, () => {
      const listId = this.lists.stamp(profile, 'history', String(isoId), syncedAt);
      this.statements.get('DELETE FROM history WHERE list_id = ?').run(listId);
      const insert = this.statements.get(
        `INSERT INTO history (list_id, position, id, date, description, type, login, message, iso_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      entries.forEach((e, position) => insert.run(listId, position, e.id, e.date, e.description, e.type, e.login, e.message, e.iso_name));
    });
  }

  cachedIds(profile: string): number[] {
    return this.statements
      .get(`SELECT scope FROM syncs WHERE profile = ? AND kind = 'history' ORDER BY synced_at DESC`)
      .pluck()
      .all(profile)
      .map(Number)
      .filter((id) => Number.isSafeInteger(id) && id > 0);
  }

  list(profile: string, isoId: number): SyncedList<HistoryEntry> {
    return readTransaction(this.db, () => {
      const list = this.lists.find(profile, 'history', String(isoId));
      if (!list) return { items: [], synced_at: null };
      // HOSTKEY writes dates as "2024-01-15 10:30:00", which sort as text.
      const rows = this.statements
        .get('SELECT id, date, description, type, login, message, iso_name FROM history WHERE list_id = ? ORDER BY date DESC, id DESC, position')
        .all(list.id);
      return { items: rows.map((row) => parseRow(HistoryEntry, row, 'a history entry')), synced_at: list.synced_at };
    });
  }
}
