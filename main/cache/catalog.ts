/**
 * The ISO catalog of each server, per profile: replaced whole by a sync, searched per keystroke.
 * Each catalog is a file of its own (catalog-files.ts, catalog-table.ts); this repository keeps
 * which file is each catalog's, in the cache, and reads them. A sync builds its file apart (in a
 * worker thread, see main/sync) and `publish` switches the catalog to it in one short transaction:
 * whatever happens before that, readers see the previous catalog, whole; after it, the new one.
 */
import path from 'node:path';
import type { IsoImage } from '../domain/models.js';
import { readTransaction, writeTransaction, type Db, type Statements } from './connection.js';
import { compareWithPrevious, countChanges, readChangeSet } from './catalog-changes.js';
import { CatalogBuilder, catalogDirectory, openCatalogReader, removeCatalogFile, removeCatalogFileLater, sweepCatalogFiles } from './catalog-files.js';
import { CatalogTable, hasIndexes, needsIndexes, type PageSpec } from './catalog-table.js';
import { asRow, damaged, integer, text } from './rows.js';
import { prefixMatch } from './search-terms.js';
import type { SyncLists } from './sync-lists.js';
import type { BuiltCatalog, CatalogChanges, CatalogPage, CatalogRepository, ParsedCatalogQuery, PublishedCatalog } from './types.js';
import type { ChangeKind } from '../ipc/contract.js';

/** How many catalog files one process keeps open (a catalog per server the user looks at). */
const OPEN_READERS = 4;
/** The names builders give catalog files (catalog-files.ts): nothing else is ever published. */
const FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.db$/;

interface CatalogRef {
  file: string;
  row_count: number;
  synced_at: number;
}

/** An open catalog file: its connection, its queries, and whether its indexes are built. */
class Reader {
  readonly table: CatalogTable;
  private indexed = false;
  /** Images the file marks added or changed (its change set never changes: read once). */
  private marked: number | null = null;

  constructor(readonly db: Db) {
    this.table = new CatalogTable(db);
  }

  /** Indexes, once built, stay: only their absence is asked again. */
  hasIndexes(): boolean {
    this.indexed ||= hasIndexes(this.db);
    return this.indexed;
  }

  markedCount(): number {
    if (this.marked === null) {
      const counts = countChanges(this.db);
      this.marked = counts.added + counts.changed;
    }
    return this.marked;
  }
}

export class Catalog implements CatalogRepository {
  readonly directory: string;
  /** Open catalog files by name, least recently used first. */
  private readonly readers = new Map<string, Reader>();

  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
    private readonly lists: SyncLists,
    cacheFile: string,
    private readonly nativeBinding?: string,
  ) {
    this.directory = catalogDirectory(cacheFile);
  }

  /** Builds the catalog file in this thread and publishes it: for callers that may block (tests, tools). */
  replace(profile: string, serverId: number, isos: IsoImage[], syncedAt: number): void {
    const previous = this.published(profile, serverId);
    const changes = compareWithPrevious(
      isos,
      previous && { path: path.join(this.directory, previous.file), synced_at: previous.synced_at },
      this.nativeBinding,
    );
    const builder = CatalogBuilder.create(this.directory, this.nativeBinding);
    try {
      builder.writeRows(isos, changes);
      builder.writeIndexes();
      builder.finish();
      const previous = this.point(profile, serverId, { file: path.basename(builder.file), row_count: isos.length }, syncedAt);
      if (previous !== null) this.removeFile(previous);
    } catch (err) {
      builder.discard();
      throw err;
    }
  }

  publish(profile: string, serverId: number, built: BuiltCatalog, syncedAt: number): Promise<void> {
    const previous = this.point(profile, serverId, built, syncedAt);
    if (previous === null) return Promise.resolve();
    // Deleting a catalog's file (tens of MiB) takes tens of ms: on libuv's threads, not this one.
    this.closeReader(previous);
    return removeCatalogFileLater(path.join(this.directory, previous));
  }

  /** Points the server's catalog at `built` in one short transaction; the file it replaced, if another. */
  private point(profile: string, serverId: number, built: BuiltCatalog, syncedAt: number): string | null {
    if (!FILE_NAME.test(built.file) || !Number.isSafeInteger(built.row_count) || built.row_count < 0) {
      throw damaged(`a catalog built as ${JSON.stringify(built)}`);
    }
    const previous = writeTransaction(this.db, () => {
      const listId = this.lists.stamp(profile, 'catalog', String(serverId), syncedAt);
      const before = this.statements.get('SELECT file FROM catalog_files WHERE list_id = ?').get(listId);
      this.statements
        .get(
          `INSERT INTO catalog_files (list_id, file, row_count) VALUES (?, ?, ?)
           ON CONFLICT (list_id) DO UPDATE SET file = excluded.file, row_count = excluded.row_count`,
        )
        .run(listId, built.file, built.row_count);
      return before === undefined ? null : text(asRow(before), 'file');
    });
    return previous !== null && previous !== built.file ? previous : null;
  }

  query(profile: string, q: ParsedCatalogQuery): CatalogPage {
    const found = this.open(profile, q.server_id);
    if (!found) return { total: 0, rows: [], synced_at: null, indexing: false, marks: {} };
    const { ref, reader } = found;
    const spec: PageSpec = {
      match: prefixMatch(q.search),
      sizeMin: q.size_min,
      sizeMax: q.size_max,
      changedOnly: q.changed,
      sort: q.sort,
      dir: q.dir,
      offset: q.offset,
      limit: q.limit,
    };
    return readTransaction(reader.db, () => {
      const indexing = !reader.hasIndexes();
      const marked = reader.markedCount();
      // Until its indexes are built, a catalog answers in name order only; the rest waits.
      // Nothing marked: the "changed" filter matches nothing (and files from before change detection have no table to ask).
      if ((indexing && needsIndexes(spec)) || (spec.changedOnly && marked === 0)) return { total: 0, rows: [], synced_at: ref.synced_at, indexing, marks: {} };
      const total = reader.table.count(spec, ref.row_count);
      const rows = q.offset < total ? reader.table.page(spec, ref.row_count) : [];
      return { total, rows, synced_at: ref.synced_at, indexing, marks: marked > 0 ? reader.table.marks(rows) : {} };
    });
  }

  changes(profile: string, serverId: number, limit: number): CatalogChanges | null {
    const found = this.open(profile, serverId);
    if (!found) return null;
    const { ref, reader } = found;
    return readTransaction(reader.db, () => {
      const set = readChangeSet(reader.db, limit);
      const counts: Record<ChangeKind, number> = set.since === null ? { added: 0, changed: 0, removed: 0 } : countChanges(reader.db);
      return { synced_at: ref.synced_at, since: set.since, counts, items: set.changes };
    });
  }

  published(profile: string, serverId: number): PublishedCatalog | null {
    const ref = this.find(profile, serverId);
    return ref && { file: ref.file, synced_at: ref.synced_at };
  }

  get(profile: string, serverId: number, isoId: number): IsoImage | null {
    return this.open(profile, serverId)?.reader.table.findById(isoId) ?? null;
  }

  findByFileName(profile: string, serverId: number, isoName: string): IsoImage | null {
    return this.open(profile, serverId)?.reader.table.findByFileName(isoName) ?? null;
  }

  count(profile: string, serverId: number): number {
    return this.find(profile, serverId)?.row_count ?? 0;
  }

  syncedAt(profile: string, serverId: number): number | null {
    return this.find(profile, serverId)?.synced_at ?? null;
  }

  unindexedFile(profile: string, serverId: number): string | null {
    const found = this.open(profile, serverId);
    return found === null || found.reader.hasIndexes() ? null : found.ref.file;
  }

  discard(built: BuiltCatalog): void {
    // Only a file nothing points at: a catalog that made it into the cache stays.
    if (!FILE_NAME.test(built.file) || this.statements.get('SELECT 1 FROM catalog_files WHERE file = ?').get(built.file) !== undefined) return;
    this.removeFile(built.file);
  }

  /**
   * The profile's catalog files, read inside the transaction that removes the profile (its
   * catalog_files rows go with it); the returned function deletes them once that has committed.
   */
  filesOf(profile: string): () => void {
    const files = this.statements
      .get(`SELECT c.file FROM catalog_files c JOIN syncs s ON s.id = c.list_id WHERE s.profile = ?`)
      .all(profile)
      .map((row) => text(asRow(row), 'file'));
    return () => files.forEach((file) => this.removeFile(file));
  }

  /** Removes left-over files (see catalog-files.ts); run when the cache opens for writing. */
  sweep(now: number): void {
    writeTransaction(this.db, () => {
      const referenced = new Set(
        this.statements
          .get('SELECT file FROM catalog_files')
          .all()
          .map((row) => text(asRow(row), 'file')),
      );
      sweepCatalogFiles(this.directory, referenced, now, this.nativeBinding);
    });
  }

  close(): void {
    for (const reader of this.readers.values()) reader.db.close();
    this.readers.clear();
  }

  private find(profile: string, serverId: number): CatalogRef | null {
    const row = this.statements
      .get(
        `SELECT c.file, c.row_count, s.synced_at FROM syncs s JOIN catalog_files c ON c.list_id = s.id
         WHERE s.profile = ? AND s.kind = 'catalog' AND s.scope = ?`,
      )
      .get(profile, String(serverId));
    if (row === undefined) return null;
    const r = asRow(row);
    return { file: text(r, 'file'), row_count: integer(r, 'row_count'), synced_at: integer(r, 'synced_at') };
  }

  /** The catalog's reference and its open file; another process may replace it meanwhile: then the new one. */
  private open(profile: string, serverId: number): { ref: CatalogRef; reader: Reader } | null {
    for (let attempt = 0; ; attempt++) {
      const ref = this.find(profile, serverId);
      if (!ref) return null;
      try {
        return { ref, reader: this.reader(ref.file) };
      } catch (err) {
        // Deleted by the process that replaced it, between our two reads: read the reference again.
        if (attempt === 0 && this.find(profile, serverId)?.file !== ref.file) continue;
        throw damaged(`the catalog file ${ref.file}`, err);
      }
    }
  }

  private reader(file: string): Reader {
    let reader = this.readers.get(file);
    if (reader) {
      this.readers.delete(file);
    } else {
      reader = new Reader(openCatalogReader(path.join(this.directory, file), this.nativeBinding));
      for (const [name, old] of this.readers) {
        if (this.readers.size < OPEN_READERS) break;
        old.db.close();
        this.readers.delete(name);
      }
    }
    this.readers.set(file, reader);
    return reader;
  }

  private removeFile(file: string): void {
    this.closeReader(file);
    removeCatalogFile(path.join(this.directory, file));
  }

  private closeReader(file: string): void {
    this.readers.get(file)?.db.close();
    this.readers.delete(file);
  }
}
