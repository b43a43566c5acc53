/** Uploaded ISOs: a profile's own, and per customer email for staff who list someone else's. */
import type { IsoImage } from '../domain/models.js';
import { readTransaction, writeTransaction, type Db, type Statements } from './connection.js';
import { ISO_COLUMNS, isoFromRow, putIsoValues } from './iso-rows.js';
import { asRow } from './rows.js';
import type { SyncLists } from './sync-lists.js';
import type { SyncedList, UploadRepository } from './types.js';

/** The scope of the profile's own uploads; other scopes are customer emails. */
const OWN = '';

export class Uploads implements UploadRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
    private readonly lists: SyncLists,
  ) {}

  replace(profile: string, email: string | null, items: IsoImage[], syncedAt: number): void {
    writeTransaction(this.db, () => {
      const listId = this.lists.stamp(profile, 'uploads', email ?? OWN, syncedAt);
      this.statements.get('DELETE FROM uploads WHERE list_id = ?').run(listId);
      const insert = this.statements.get(
        `INSERT INTO uploads (list_id, position, ${ISO_COLUMNS.join(', ')}) VALUES (?, ?, ${ISO_COLUMNS.map(() => '?').join(', ')})`,
      );
      const values: unknown[] = [];
      items.forEach((iso, position) => {
        values[0] = listId;
        values[1] = position;
        putIsoValues(iso, values, 2);
        insert.run(values);
      });
    });
  }

  list(profile: string, email: string | null): SyncedList<IsoImage> {
    return readTransaction(this.db, () => {
      const list = this.lists.find(profile, 'uploads', email ?? OWN);
      if (!list) return { items: [], synced_at: null };
      const rows = this.statements.get(`SELECT ${ISO_COLUMNS.join(', ')} FROM uploads WHERE list_id = ? ORDER BY position`).all(list.id);
      return { items: rows.map((row) => isoFromRow(asRow(row))), synced_at: list.synced_at };
    });
  }
}
