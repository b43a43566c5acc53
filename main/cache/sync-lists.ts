/**
 * The sync table: one row per cached list, keyed by (profile, kind, scope), holding when the list
 * was last replaced from HOSTKEY. The rows of every list point at it, so removing a profile
 * removes its lists with it.
 */
import { AppError } from '../domain/errors.js';
import type { Statements } from './connection.js';
import { asRow, integer } from './rows.js';

export type ListKind = 'servers' | 'catalog' | 'uploads' | 'history';

export interface SyncedListRef {
  id: number;
  synced_at: number;
}

export class SyncLists {
  constructor(private readonly statements: Statements) {}

  /** The list, created if new, stamped with `syncedAt`; call inside the sync's transaction. */
  stamp(profile: string, kind: ListKind, scope: string, syncedAt: number): number {
    if (this.statements.get('SELECT 1 FROM profiles WHERE name = ?').get(profile) === undefined) {
      throw new AppError('not_found', `There is no profile named "${profile}" in the local cache.`, { hint: 'Sign in to create it.' });
    }
    const row = this.statements
      .get(
        `INSERT INTO syncs (profile, kind, scope, synced_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (profile, kind, scope) DO UPDATE SET synced_at = excluded.synced_at
         RETURNING id`,
      )
      .get(profile, kind, scope, syncedAt);
    return integer(asRow(row), 'id');
  }

  find(profile: string, kind: ListKind, scope: string): SyncedListRef | null {
    const row = this.statements.get('SELECT id, synced_at FROM syncs WHERE profile = ? AND kind = ? AND scope = ?').get(profile, kind, scope);
    if (row === undefined) return null;
    const r = asRow(row);
    return { id: integer(r, 'id'), synced_at: integer(r, 'synced_at') };
  }
}
