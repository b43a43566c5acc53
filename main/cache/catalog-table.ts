/**
 * The layout of one synced catalog (the ISO list of one server for one profile) and its queries.
 * Each catalog lives in a database file of its own (see catalog-files.ts) holding `rows`, one row
 * per image, and `search`, their FTS5 index. It is built in two steps, both in bulk over the
 * finished table, never row by row:
 *  1. the rows, numbered (`position`, the rowid) in name order, and the index on id: the catalog
 *     can be paged in name order and its images found by id;
 *  2. the sort indexes and the search index: everything else.
 *
 * The search index returns matches in rowid order, so a search sorted by name streams its page
 * straight from the index and stops.
 */
import type { IsoImage } from '../domain/models.js';
import type { SortKey } from '../ipc/contract.js';
import { Statements, type Db } from './connection.js';
import { ISO_COLUMNS, ISO_COLUMN_DEFS, isoFromRow, putIsoValues } from './iso-rows.js';
import { asRow, integer } from './rows.js';

type ColumnSort = Exclude<SortKey, 'name'>;

/** ORDER BY expressions of the sorts that have an index; `name` is the rowid order. */
const SORT_EXPRESSIONS: Record<ColumnSort, string> = {
  iso_name: 'iso_name COLLATE NOCASE',
  description: 'description COLLATE NOCASE',
  size: 'size',
  created_at: 'created_at',
};
const COLUMN_SORTS = Object.keys(SORT_EXPRESSIONS) as ColumnSort[];

/** FTS5's in-memory index while building, in bytes: a 100,000-ISO catalog's index is a fraction of it. */
const FTS_HASH_BYTES = 256 * 1024 * 1024;

/** Rows per INSERT statement while filling: fewer calls into SQLite than one row at a time. */
const INSERT_BATCH = 64;

/** Called between a build's steps and batches: what it throws stops the build, whose file the caller then discards. */
export type Checkpoint = () => void;

/** The checkpoint of a build nothing stops (one in the calling thread). */
export const NEVER_STOPS: Checkpoint = () => undefined;

const SELECTED = ISO_COLUMNS.map((c) => `t.${c}`).join(', ');

/** Display name, or the file name when there is none, case-insensitively; ties by id. */
function inNameOrder(isos: readonly IsoImage[]): IsoImage[] {
  const keys = isos.map((iso) => (iso.name || iso.iso_name).toLowerCase());
  const order = Array.from(isos.keys()).sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    if (ka !== kb) return ka < kb ? -1 : 1;
    return isos[a]!.id - isos[b]!.id;
  });
  return order.map((i) => isos[i]!);
}

/** Step 1: creates `rows` and fills it with `isos` in name order, with the index on id. */
export function buildRows(db: Db, isos: readonly IsoImage[], checkpoint: Checkpoint): void {
  db.exec(`CREATE TABLE rows (position INTEGER PRIMARY KEY, ${ISO_COLUMN_DEFS}) STRICT`);
  insertRows(db, inNameOrder(isos), checkpoint);
  checkpoint();
  db.exec('CREATE INDEX rows_by_id ON rows (id)');
}

/** Step 2: the sort indexes and the search index over the rows of step 1. */
export function buildIndexes(db: Db, checkpoint: Checkpoint): void {
  for (const sort of COLUMN_SORTS) {
    checkpoint();
    db.exec(`CREATE INDEX rows_by_${sort} ON rows (${SORT_EXPRESSIONS[sort]})`);
  }
  checkpoint();
  // External content: the index keeps only tokens and rowids and reads nothing else back. No
  // positions (detail=none) as searches are prefix terms, never phrases; prefix indexes make the
  // short words of search-as-you-type cheap.
  db.exec(`
    CREATE VIRTUAL TABLE search USING fts5(
      name, short_name, iso_name, description,
      content='rows', content_rowid='position',
      tokenize='unicode61 remove_diacritics 2', detail=none, prefix='1 2 3', columnsize=0
    )`);
  // Room in memory for the whole index of a large catalog, so that the rebuild writes it as one
  // segment, which searches read fastest (about 2× faster multi-word searches than the many a
  // bulk build leaves otherwise), with no merging on the way nor a rewrite by 'optimize' after.
  db.exec(`INSERT INTO search (search, rank) VALUES ('hashsize', ${FTS_HASH_BYTES})`);
  db.exec(`INSERT INTO search (search) VALUES ('rebuild')`);
  checkpoint();
  // Merges what did not fit, if anything (a catalog far larger than 100,000 images): one segment.
  db.exec(`INSERT INTO search (search) VALUES ('optimize')`);
}

/** Whether step 2 has run: search and every sort are ready. */
export function hasIndexes(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'search'`).get() !== undefined;
}

/** Inserts `isos` as positions 1..n, INSERT_BATCH rows per statement. */
function insertRows(db: Db, isos: readonly IsoImage[], checkpoint: Checkpoint): void {
  const width = ISO_COLUMNS.length + 1;
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  const statementFor = (count: number) =>
    db.prepare(`INSERT INTO rows (position, ${ISO_COLUMNS.join(', ')}) VALUES ${new Array<string>(count).fill(tuple).join(', ')}`);
  const valuesOf = (from: number, count: number): unknown[] => {
    const values = new Array<unknown>(count * width);
    let at = 0;
    for (let i = from; i < from + count; i++) {
      values[at] = i + 1;
      at = putIsoValues(isos[i]!, values, at + 1);
    }
    return values;
  };
  const batch = statementFor(INSERT_BATCH);
  let from = 0;
  for (; from + INSERT_BATCH <= isos.length; from += INSERT_BATCH) {
    checkpoint();
    batch.run(valuesOf(from, INSERT_BATCH));
  }
  if (from < isos.length) statementFor(isos.length - from).run(valuesOf(from, isos.length - from));
}

export interface PageSpec {
  /** FTS5 expression (see search-terms.ts), or null for no text filter. */
  match: string | null;
  sizeMin: number | null;
  sizeMax: number | null;
  /** Only images the last sync marked added or changed (catalog-changes.ts). */
  changedOnly: boolean;
  sort: SortKey;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** Whether a page can be answered from step 1 alone: unfiltered, in name order. */
export function needsIndexes(spec: PageSpec): boolean {
  return spec.match !== null || spec.sizeMin !== null || spec.sizeMax !== null || spec.changedOnly || spec.sort !== 'name';
}

/** Queries of one catalog, with their prepared statements. */
export class CatalogTable {
  private readonly statements: Statements;

  constructor(db: Db) {
    this.statements = new Statements(db);
  }

  /** How many rows match; `rowCount` (the whole table) answers the unfiltered case. */
  count(spec: PageSpec, rowCount: number): number {
    const filter = rowFilters(spec);
    if (spec.match === null && filter.sql.length === 0) return rowCount;
    let sql: string;
    let params: unknown[];
    if (spec.match === null) {
      sql = `SELECT count(*) AS n FROM rows t${where(filter.sql)}`;
      params = filter.params;
    } else if (filter.sql.length === 0) {
      sql = `SELECT count(*) AS n FROM search(?)`;
      params = [spec.match];
    } else {
      sql = `SELECT count(*) AS n FROM ${MATCHES_JOINED}${where(filter.sql)}`;
      params = [spec.match, ...filter.params];
    }
    return integer(asRow(this.statements.get(sql).get(...params)), 'n');
  }

  page(spec: PageSpec, rowCount: number): IsoImage[] {
    const filter = rowFilters(spec);
    const dir = spec.dir === 'asc' ? 'ASC' : 'DESC';
    let sql: string;
    let params: unknown[];
    if (!needsIndexes(spec)) {
      // Positions are 1..rowCount in name order: the page is a rowid range.
      const [first, last] =
        spec.dir === 'asc' ? [spec.offset + 1, spec.offset + spec.limit] : [rowCount - spec.offset - spec.limit + 1, rowCount - spec.offset];
      sql = `SELECT ${SELECTED} FROM rows t WHERE t.position BETWEEN ? AND ? ORDER BY t.position ${dir}`;
      params = [first, last];
    } else if (spec.match === null) {
      sql = `SELECT ${SELECTED} FROM rows t${where(filter.sql)} ORDER BY ${orderBy(spec.sort, dir)} LIMIT ? OFFSET ?`;
      params = [...filter.params, spec.limit, spec.offset];
    } else {
      // The search index drives, in rowid (= name) order: a name-sorted page stops after `limit`
      // matches; other sorts sort all the matches.
      sql = `SELECT ${SELECTED} FROM ${MATCHES_JOINED}${where(filter.sql)} ORDER BY ${orderBy(spec.sort, dir, 's.rowid')} LIMIT ? OFFSET ?`;
      params = [spec.match, ...filter.params, spec.limit, spec.offset];
    }
    return this.statements
      .get(sql)
      .all(...params)
      .map((row) => isoFromRow(asRow(row)));
  }

  /** Which of `rows` the file's change set marks added or changed, by id. */
  marks(rows: readonly IsoImage[]): Record<string, 'added' | 'changed'> {
    const marks: Record<string, 'added' | 'changed'> = {};
    if (rows.length === 0) return marks;
    const found = this.statements
      .get(`SELECT id, kind FROM changes WHERE kind <> 'removed' AND id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(rows.map((r) => r.id)));
    for (const value of found) {
      const row = asRow(value);
      marks[String(integer(row, 'id'))] = row.kind === 'added' ? 'added' : 'changed';
    }
    return marks;
  }

  /** By file name, any case (the iso_name sort index answers it once built). */
  findByFileName(isoName: string): IsoImage | null {
    const row = this.statements.get(`SELECT ${SELECTED} FROM rows t WHERE t.iso_name = ? COLLATE NOCASE ORDER BY t.position LIMIT 1`).get(isoName);
    return row === undefined ? null : isoFromRow(asRow(row));
  }

  findById(id: number): IsoImage | null {
    const row = this.statements.get(`SELECT ${SELECTED} FROM rows t WHERE t.id = ? ORDER BY t.position LIMIT 1`).get(id);
    return row === undefined ? null : isoFromRow(asRow(row));
  }
}

/** The search index drives (CROSS JOIN fixes the order) and each match fetches its row. */
const MATCHES_JOINED = 'search(?) s CROSS JOIN rows t ON t.position = s.rowid';

/** `position` is how the plan spells the name order: the search index's rowid when it drives. */
function orderBy(sort: SortKey, dir: 'ASC' | 'DESC', position = 't.position'): string {
  return sort === 'name' ? `${position} ${dir}` : `t.${SORT_EXPRESSIONS[sort]} ${dir}, ${position} ${dir}`;
}

function where(conditions: string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

function rowFilters(spec: PageSpec): { sql: string[]; params: number[] } {
  const sql: string[] = spec.changedOnly ? [`t.id IN (SELECT id FROM changes WHERE kind <> 'removed')`] : [];
  const params: number[] = [];
  if (spec.sizeMin !== null) {
    sql.push('t.size >= ?');
    params.push(spec.sizeMin);
  }
  if (spec.sizeMax !== null) {
    sql.push('t.size <= ?');
    params.push(spec.sizeMax);
  }
  return { sql, params };
}
