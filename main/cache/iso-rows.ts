/**
 * How an IsoImage is stored: one column per field of the model (every field is kept), bound in a
 * fixed order and read back with a typed mapper. Catalog pages read up to 500 of these per
 * keystroke, so the mapper checks types by hand instead of running the zod model.
 */
import type { IsoImage } from '../domain/models.js';
import { integer, optionalFlag, optionalNumber, optionalText, text, type Row } from './rows.js';

/** Every field of the model, each once: the Record fails to compile when IsoImage changes. */
const STORED_FIELDS: Record<keyof IsoImage, true> = {
  id: true,
  iso_name: true,
  name: true,
  short_name: true,
  description: true,
  size: true,
  created_at: true,
  updated_at: true,
  status: true,
  private: true,
  admin_only: true,
  url: true,
};

export const ISO_COLUMNS = Object.keys(STORED_FIELDS) as ReadonlyArray<keyof IsoImage>;

/** Column definitions, for a STRICT table, of every field in ISO_COLUMNS. */
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

/** Writes the image's values, in ISO_COLUMNS order, into `out` from `at`; returns the next index. */
export function putIsoValues(iso: IsoImage, out: unknown[], at: number): number {
  for (const column of ISO_COLUMNS) out[at++] = iso[column] ?? null;
  return at;
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
