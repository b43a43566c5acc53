/**
 * Reading rows back from the database file, which is a boundary like any other: a column holds
 * what the schema says, or the read fails with an error that says the cache is damaged.
 */
import { type z } from 'zod';
import { AppError } from '../domain/errors.js';

export type Row = Record<string, unknown>;

export function damaged(what: string, cause?: unknown): AppError {
  return new AppError('internal', `The local cache holds data ISO Desk cannot read (${what}).`, {
    hint: 'Refresh to replace cached lists from HOSTKEY. If it keeps happening, please report it; keep isodesk.db, which holds your task journal.',
    cause,
  });
}

export function asRow(value: unknown): Row {
  if (typeof value !== 'object' || value === null) throw damaged('a missing row');
  return value as Row;
}

/** Rows of the small tables go through their zod model. */
export function parseRow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damaged(what, parsed.error);
  return parsed.data;
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw damaged(`column ${column}`);
  return value;
}

/** NULL comes back as undefined, the way the domain models spell an absent field. */
export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  if (value === null) return undefined;
  if (typeof value !== 'string') throw damaged(`column ${column}`);
  return value;
}

export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw damaged(`column ${column}`);
  return value;
}

export function optionalNumber(row: Row, column: string): number | undefined {
  const value = row[column];
  if (value === null) return undefined;
  if (typeof value !== 'number') throw damaged(`column ${column}`);
  return value;
}

export function optionalFlag(row: Row, column: string): 0 | 1 | undefined {
  const value = row[column];
  if (value === null) return undefined;
  if (value !== 0 && value !== 1) throw damaged(`column ${column}`);
  return value;
}
