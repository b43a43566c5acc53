/**
 * How an IsoImage is stored: one column per field of the model (every field is kept), bound in a
 * fixed order and read back with a typed mapper. Catalog pages read up to 500 of these per
 * keystroke, so the mapper checks types by hand instead of running the zod model.
 */
import type { IsoImage } from '../domain/models.js';
import { integer, optionalFlag, optionalNumber, optionalText, text, type Row } from './rows.js';

export const ISO_COLUMNS = [
  'id',
  'iso_name',
  'name',
  'short_name',
  'description',
  'size',
  'created_at',
  'updated_at',
  'status',
  'private',
  'admin_only',
  'url',
] as const satisfies ReadonlyArray<keyof IsoImage>;

/** Column definitions for a STRICT table, in ISO_COLUMNS order. */
export const ISO_COLUMN_DEFS = `
  id INTEGER NOT NULL,
  iso_name TEXT NOT NULL,
  name TEXT,
  short_name TEXT,
  description TEXT NOT NULL,
  size REAL,
  created_at TEXT,
  updated_at TEXT,
  status TEXT,
  private TEXT,
  admin_only INTEGER CHECK (admin_only IN (0, 1)),
  url TEXT`;

/** Appends the image's values, in ISO_COLUMNS order, to `out` from `at`; returns the next index. */
export function putIsoValues(iso: IsoImage, out: unknown[], at: number): number {
  out[at] = iso.id;
  out[at + 1] = iso.iso_name;
  out[at + 2] = iso.name ?? null;
  out[at + 3] = iso.short_name ?? null;
  out[at + 4] = iso.description;
  out[at + 5] = iso.size ?? null;
  out[at + 6] = iso.created_at ?? null;
  out[at + 7] = iso.updated_at ?? null;
  out[at + 8] = iso.status ?? null;
  out[at + 9] = iso.private ?? null;
  out[at + 10] = iso.admin_only ?? null;
  out[at + 11] = iso.url ?? null;
  return at + ISO_COLUMNS.length;
}

export function isoFromRow(row: Row): IsoImage {
  return {
    id: integer(row, 'id'),
    iso_name: text(row, 'iso_name'),
    name: optionalText(row, 'name'),
    short_name: optionalText(row, 'short_name'),
    description: text(row, 'description'),
    size: optionalNumber(row, 'size'),
    created_at: optionalText(row, 'created_at'),
    updated_at: optionalText(row, 'updated_at'),
    status: optionalText(row, 'status'),
    private: optionalText(row, 'private'),
    admin_only: optionalFlag(row, 'admin_only'),
    url: optionalText(row, 'url'),
  };
}
