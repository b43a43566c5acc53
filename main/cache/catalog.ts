/** The ISO catalog of each server, per profile: replaced whole by a sync, searched per keystroke. */
import type { IsoImage } from '../domain/models.js';
import { readTransaction, writeTransaction, type Db, type Statements } from './connection.js';
import { CatalogTable, buildCatalogTable, dropCatalogTable } from './catalog-table.js';
import { asRow, integer } from './rows.js';
import { prefixMatch } from './search-terms.js';
import type { SyncLists } from './sync-lists.js';
import type { CatalogPage, ParsedCatalogQuery, CatalogRepository } from './types.js';

interface CatalogRef {
  table_no: number;
  row_count: number;
  synced_at: number;
}

export class Catalog implements CatalogRepository {
  /** Query statements per table pair, dropped with the pair. */
  private readonly tables = new Map<number, CatalogTable>();

  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
    private readonly lists: SyncLists,
  ) {}

  replace(profile: string, serverId: number, isos: IsoImage[], syncedAt: number): void {
    writeTransaction(this.db, () => {
      const listId = this.lists.stamp(profile, 'catalog', String(serverId), syncedAt);
      const previous = this.statements.get('SELECT table_no FROM catalog_tables WHERE list_id = ?').get(listId);
      const no = integer(asRow(this.statements.get('SELECT coalesce(max(table_no), 0) + 1 AS no FROM catalog_tables').get()), 'no');
      buildCatalogTable(this.db, no, isos);
      this.statements
        .get(
          `INSERT INTO catalog_tables (list_id, table_no, row_count) VALUES (?, ?, ?)
           ON CONFLICT (list_id) DO UPDATE SET table_no = excluded.table_no, row_count = excluded.row_count`,
        )
        .run(listId, no, isos.length);
      if (previous !== undefined) this.drop(integer(asRow(previous), 'table_no'));
    });
  }

  query(profile: string, q: ParsedCatalogQuery): CatalogPage {
    return readTransaction(this.db, () => {
      const ref = this.find(profile, q.server_id);
      if (!ref) return { total: 0, rows: [], synced_at: null };
      const table = this.table(ref.table_no);
      const spec = { match: prefixMatch(q.search), sizeMin: q.size_min, sizeMax: q.size_max, sort: q.sort, dir: q.dir, offset: q.offset, limit: q.limit };
      const total = table.count(spec, ref.row_count);
      const rows = q.offset < total ? table.page(spec, ref.row_count) : [];
      return { total, rows, synced_at: ref.synced_at };
    });
  }

  get(profile: string, serverId: number, isoId: number): IsoImage | null {
    return readTransaction(this.db, () => {
      const ref = this.find(profile, serverId);
      return ref ? this.table(ref.table_no).findById(isoId) : null;
    });
  }

  count(profile: string, serverId: number): number {
    return this.find(profile, serverId)?.row_count ?? 0;
  }

  syncedAt(profile: string, serverId: number): number | null {
    return this.find(profile, serverId)?.synced_at ?? null;
  }

  /** Drops the catalog tables of a profile; its catalog_tables rows go with its lists. */
  dropAll(profile: string): void {
    const rows = this.statements.get(`SELECT c.table_no FROM catalog_tables c JOIN syncs s ON s.id = c.list_id WHERE s.profile = ?`).all(profile);
    for (const row of rows) this.drop(integer(asRow(row), 'table_no'));
  }

  private drop(no: number): void {
    dropCatalogTable(this.db, no);
    this.tables.delete(no);
  }

  private find(profile: string, serverId: number): CatalogRef | null {
    const row = this.statements
      .get(
        `SELECT c.table_no, c.row_count, s.synced_at FROM syncs s JOIN catalog_tables c ON c.list_id = s.id
         WHERE s.profile = ? AND s.kind = 'catalog' AND s.scope = ?`,
      )
      .get(profile, String(serverId));
    if (row === undefined) return null;
    const r = asRow(row);
    return { table_no: integer(r, 'table_no'), row_count: integer(r, 'row_count'), synced_at: integer(r, 'synced_at') };
  }

  private table(no: number): CatalogTable {
    let table = this.tables.get(no);
    if (!table) {
      table = new CatalogTable(this.db, no);
      this.tables.set(no, table);
    }
    return table;
  }
}
