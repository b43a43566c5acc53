/**
 * What changed in a server's catalog between two syncs: images added, removed, and changed in the
 * fields a person notices (size, description, file name). The sync that builds a catalog file
 * (off the main thread, see main/sync) compares its images with the previous sync's file by id,
 * in one pass, and writes the change set into the new file, so that it is published with the
 * catalog in the same switch and never disagrees with it.
 *
 * A sync that finds nothing new keeps the change set it replaces, with its baseline: a refresh a
 * minute later must not wipe the badges of changes the user has not looked at yet, and "changed
 * since <baseline>" stays true of every image it lists.
 */
import * as z from 'zod';
import type { IsoImage } from '../domain/models.js';
import { type CatalogChange, ChangeKind, ComparedField, ImageFacts } from '../ipc/contract.js';
import { openCatalogReader } from './catalog-files.js';
import type { Db } from './connection.js';
import { asRow, damaged, integer, parseRow } from './rows.js';

/** The changes a catalog file carries, and the sync they are measured from (null: nothing to compare with). */
export interface ChangeSet {
  since: number | null;
  changes: CatalogChange[];
}

/** The sync a new catalog is compared with: the file of the catalog it replaces, and when that was synced. */
export interface PreviousCatalog {
  path: string;
  synced_at: number;
}

export const NO_BASELINE: ChangeSet = { since: null, changes: [] };

function factsOf(iso: Pick<IsoImage, 'size' | 'description' | 'iso_name'>): ImageFacts {
  return { size: iso.size ?? null, description: iso.description, iso_name: iso.iso_name };
}

function displayName(iso: { name?: string | null | undefined; iso_name: string }): string {
  return iso.name || iso.iso_name;
}

interface StoredImage {
  id: number;
  name: string | null;
  facts: ImageFacts;
}

/** The differences between the previous images and the next, by id; added first, then changed, then removed, each by id. */
export function diffImages(previous: Iterable<StoredImage>, next: readonly IsoImage[]): CatalogChange[] {
  const unseen = new Map<number, IsoImage>();
  for (const iso of next) unseen.set(iso.id, iso);
  const changed: CatalogChange[] = [];
  const removed: CatalogChange[] = [];
  for (const old of previous) {
    const now = unseen.get(old.id);
    if (now === undefined) {
      removed.push({
        id: old.id,
        kind: 'removed',
        name: displayName({ name: old.name, iso_name: old.facts.iso_name }),
        fields: [],
        before: old.facts,
        after: null,
      });
      continue;
    }
    unseen.delete(old.id);
    const after = factsOf(now);
    const fields = ComparedField.options.filter((f) => after[f] !== old.facts[f]);
    if (fields.length) changed.push({ id: now.id, kind: 'changed', name: displayName(now), fields, before: old.facts, after });
  }
  const added = [...unseen.values()].map((iso): CatalogChange => ({
    id: iso.id,
    kind: 'added',
    name: displayName(iso),
    fields: [],
    before: null,
    after: factsOf(iso),
  }));
  const byId = (a: CatalogChange, b: CatalogChange) => a.id - b.id;
  return [...added.sort(byId), ...changed.sort(byId), ...removed.sort(byId)];
}

/**
 * The change set of a new catalog against the previous sync's file. A previous file that cannot
 * be read (replaced meanwhile by another process, damaged) leaves the new catalog without a
 * baseline: nothing is claimed changed that was not compared.
 */
export function compareWithPrevious(next: readonly IsoImage[], previous: PreviousCatalog | null, nativeBinding?: string): ChangeSet {
  if (previous === null) return NO_BASELINE;
  let db: Db;
  try {
    db = openCatalogReader(previous.path, nativeBinding);
  } catch {
    return NO_BASELINE;
  }
  try {
    return db.transaction(() => {
      const changes = diffImages(storedImages(db), next);
      if (changes.length === 0 && hasChangeTables(db)) {
        const kept = readChangeSet(db, Number.MAX_SAFE_INTEGER);
        if (kept.since !== null) return { since: kept.since, changes: kept.changes };
      }
      return { since: previous.synced_at, changes };
    })();
  } catch {
    return NO_BASELINE;
  } finally {
    db.close();
  }
}

function* storedImages(db: Db): Iterable<StoredImage> {
  for (const value of db.prepare('SELECT id, name, size, description, iso_name FROM rows').iterate()) {
    const row = asRow(value);
    const size = row.size;
    yield {
      id: integer(row, 'id'),
      name: typeof row.name === 'string' ? row.name : null,
      facts: { size: typeof size === 'number' ? size : null, description: String(row.description), iso_name: String(row.iso_name) },
    };
  }
}

/** Creates the change tables of a new catalog file and writes its change set; inside the builder's transaction. */
export function writeChangeSet(db: Db, set: ChangeSet): void {
  db.exec(`
    CREATE TABLE changes (
      id INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('added', 'changed', 'removed')),
      name TEXT NOT NULL,
      fields TEXT NOT NULL, -- JSON array of the compared fields that differ
      before TEXT,          -- JSON of the compared fields at the previous sync
      after TEXT            -- JSON of the compared fields at this sync
    ) STRICT;
    CREATE INDEX changes_by_id ON changes (id);
    -- One row when the catalog was compared with a previous sync: when that sync was.
    CREATE TABLE change_baseline (since INTEGER NOT NULL) STRICT;
  `);
  if (set.since === null) return;
  db.prepare('INSERT INTO change_baseline (since) VALUES (?)').run(set.since);
  const insert = db.prepare('INSERT INTO changes (id, kind, name, fields, before, after) VALUES (?, ?, ?, ?, ?, ?)');
  const json = (facts: ImageFacts | null) => (facts === null ? null : JSON.stringify(facts));
  for (const c of set.changes) insert.run(c.id, c.kind, c.name, JSON.stringify(c.fields), json(c.before), json(c.after));
}

/** Whether the file carries a change set (files built before change detection do not). */
export function hasChangeTables(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'change_baseline'`).get() !== undefined;
}

const StoredChange = z.object({
  id: z.number().int(),
  kind: ChangeKind,
  name: z.string(),
  fields: z.string().transform((text, ctx) => {
    const parsed = z.array(ComparedField).safeParse(safeJson(text));
    if (!parsed.success) ctx.addIssue({ code: 'custom', message: 'fields' });
    return parsed.success ? parsed.data : [];
  }),
  before: z
    .string()
    .nullable()
    .transform((text) => (text === null ? null : ImageFacts.parse(safeJson(text)))),
  after: z
    .string()
    .nullable()
    .transform((text) => (text === null ? null : ImageFacts.parse(safeJson(text)))),
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The file's change set, at most `limit` changes (added, then changed, then removed, each by id). */
export function readChangeSet(db: Db, limit: number): ChangeSet {
  if (!hasChangeTables(db)) return NO_BASELINE;
  const since = db.prepare('SELECT since FROM change_baseline LIMIT 1').get();
  if (since === undefined) return NO_BASELINE;
  const rows = db
    .prepare(
      `SELECT id, kind, name, fields, before, after FROM changes
       ORDER BY CASE kind WHEN 'added' THEN 0 WHEN 'changed' THEN 1 ELSE 2 END, id LIMIT ?`,
    )
    .all(limit);
  try {
    return { since: integer(asRow(since), 'since'), changes: rows.map((row) => parseRow(StoredChange, row, 'a catalog change')) };
  } catch (err) {
    throw damaged('the changes of a catalog', err);
  }
}

/** How many changes of each kind the file carries. */
export function countChanges(db: Db): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { added: 0, changed: 0, removed: 0 };
  if (!hasChangeTables(db)) return counts;
  for (const value of db.prepare('SELECT kind, count(*) AS n FROM changes GROUP BY kind').all()) {
    const row = asRow(value);
    const kind = ChangeKind.safeParse(row.kind);
    if (kind.success) counts[kind.data] = integer(row, 'n');
  }
  return counts;
}
