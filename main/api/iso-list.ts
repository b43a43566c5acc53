/**
 * The lean decoder of the bulk ISO lists (list_iso and uploaded, up to hundreds of thousands of
 * images): the IsoImage model of domain/models.ts written out by hand, with the same strictness,
 * the same output and the same messages as `decodeList` (payload.ts) with the zod model, at a
 * fraction of the time and with one copy of the list in memory: each entry is replaced in place by
 * the image made from it. test/api/iso-list.test.ts holds the two to agreement on every kind of
 * value. The zod model stays the definition everywhere else (IPC, single images).
 */
import type { IsoImage } from '../domain/models.js';
import { BadAnswerError, type Body } from './envelope.js';
import { LIST_FIELDS, listOf } from './payload.js';

type Entry = Record<string, unknown>;

/** Why a field cannot be read: thrown by the field readers, placed and worded by decodeIsoList. */
class Unreadable {
  constructor(readonly key: string | null) {}
}

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** JSON numbers are finite but for overflow (1e400), which the model refuses. */
function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** `Id`: a safe integer, or a string of digits whose value is one. */
function id(v: unknown): number {
  const n = isNumber(v) ? v : typeof v === 'string' && WHOLE.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new Unreadable('id');
  return n;
}

/** `optionalText`: text or a number, as text; absent when null or missing. */
function text(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (isNumber(v)) return String(v);
  throw new Unreadable(key);
}

/** `optionalNumber`: a number, or a decimal string, whose value is finite. */
function number(v: unknown, key: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = isNumber(v) ? v : typeof v === 'string' && DECIMAL.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new Unreadable(key);
  return n;
}

/** `flag`: 1 for true, 1, '1' and 'true'; 0 for any other boolean, number or text. */
function flag(v: unknown, key: string): 0 | 1 | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean' && typeof v !== 'string' && !isNumber(v)) throw new Unreadable(key);
  return v === true || v === 1 || v === '1' || v === 'true' ? 1 : 0;
}

/** One image, fields read in the model's order so that the first problem is the one zod reports. */
function image(e: Entry): IsoImage {
  return {
    id: id(e.id),
    iso_name: text(e.iso_name, 'iso_name') ?? '',
    name: text(e.name, 'name'),
    short_name: text(e.short_name, 'short_name'),
    description: text(e.description, 'description') ?? '',
    size: number(e.size, 'size'),
    created_at: text(e.created_at, 'created_at'),
    updated_at: text(e.updated_at, 'updated_at'),
    status: text(e.status, 'status'),
    private: text(e.private, 'private'),
    admin_only: flag(e.admin_only, 'admin_only'),
    url: text(e.url, 'url'),
  };
}

/** The answer's images, decoded in place: the list it holds becomes the list returned. */
export function decodeIsoList(action: 'list_iso' | 'uploaded', body: Body): IsoImage[] {
  const list = listOf(action, body);
  const root = LIST_FIELDS[action].find((f) => Array.isArray(body[f])) ?? action;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    try {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Unreadable(null);
      list[i] = image(entry as Entry);
    } catch (err) {
      if (!(err instanceof Unreadable)) throw err;
      const value = err.key === null ? entry : (entry as Entry)[err.key];
      const where = err.key === null ? `${root}[${i}]` : `${root}[${i}].${err.key}`;
      // Values are never quoted: they may hold anything, secrets included.
      throw new BadAnswerError(
        `HOSTKEY's answer to ${action} cannot be used: ${where} ${value === undefined || value === null ? 'is missing' : 'has an unexpected value'}.`,
      );
    }
  }
  return list as IsoImage[];
}
