/**
 * The lean decoder of bulk ISO lists (main/api/iso-list.ts) against the definition it replaces on
 * that path: `decodeList` with the zod IsoImage model. For every kind of value each field may hold
 * (as JSON text, so that JSON's own quirks such as 1e400 apply), both accept the same entries with
 * the same images, and refuse the same ones with the same message.
 */
import { describe, expect, it } from 'vitest';
import { decodeIsoList } from '../../main/api/iso-list.js';
import { decodeList } from '../../main/api/payload.js';
import type { Body } from '../../main/api/envelope.js';
import { IsoImage } from '../../main/domain/models.js';

const FIELDS = ['id', 'iso_name', 'name', 'short_name', 'description', 'size', 'created_at', 'updated_at', 'status', 'private', 'admin_only', 'url'];
/** JSON texts of the values a field may hold, tricky ones included; undefined: the field is absent. */
const VALUES: Array<string | undefined> = [
  undefined,
  'null',
  '0',
  '-0',
  '1',
  '-5',
  '1.5',
  '1e20',
  '9007199254740991',
  '9007199254740993',
  '1e400',
  '-1e400',
  '""',
  '"0"',
  '"007"',
  '"12.5"',
  '"1."',
  '".5"',
  '"-1"',
  '" 1"',
  '"1e5"',
  '"99999999999999999999"',
  `"${'9'.repeat(400)}"`,
  '"true"',
  '"false"',
  '"1"',
  '"ubuntu-22.04.iso"',
  '"Café ☕ 🚀"',
  'true',
  'false',
  '[]',
  '[1]',
  '{}',
  '{"id":1}',
];

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 4294967296;
  };
}

/** An entry as JSON text: most fields readable, one or two drawn from everything above. */
function entryText(next: () => number): string {
  const parts: string[] = [];
  for (const field of FIELDS) {
    const wild = next() < 0.15;
    const value = wild ? VALUES[Math.floor(next() * VALUES.length)] : field === 'id' ? String(Math.floor(next() * 1e6)) : '"x"';
    if (value !== undefined) parts.push(`${JSON.stringify(field)}:${value}`);
  }
  if (next() < 0.1) parts.push('"extra":{"nested":[1,2]}');
  return `{${parts.join(',')}}`;
}

function outcome(decode: () => unknown): { value: unknown } | { error: string; kind: string } {
  try {
    return { value: decode() };
  } catch (err) {
    return { error: (err as Error).message, kind: (err as { kind?: string }).kind ?? 'none' };
  }
}

function compare(json: string, action: 'list_iso' | 'uploaded' = 'list_iso'): void {
  const zod = outcome(() => decodeList(action, JSON.parse(json) as Body, IsoImage));
  const lean = outcome(() => decodeIsoList(action, JSON.parse(json) as Body));
  expect(lean, json).toEqual(zod);
}

describe('the lean ISO list decoder', () => {
  it('agrees with the zod model on every kind of value in every field', () => {
    for (const field of FIELDS) {
      for (const value of VALUES) {
        const others = FIELDS.filter((f) => f !== field).map((f) => `${JSON.stringify(f)}:${f === 'id' ? '7' : '"x"'}`);
        const entry = `{${[...others, ...(value === undefined ? [] : [`${JSON.stringify(field)}:${value}`])].join(',')}}`;
        compare(`{"result":"OK","iso_images":[${entry}]}`);
      }
    }
  });

  it('agrees on thousands of mixed entries, one list at a time and in long lists', () => {
    const next = random(8);
    for (let i = 0; i < 3_000; i++) compare(`{"result":"OK","iso_images":[${entryText(next)}]}`);
    for (let i = 0; i < 50; i++) {
      const entries = Array.from({ length: 60 }, () => entryText(next));
      compare(`{"result":"OK","iso_images":[${entries.join(',')}]}`);
      compare(`{"result":"OK","data":[${entries.join(',')}]}`, 'uploaded');
    }
  });

  it('agrees on entries that are not objects and on lists that are missing', () => {
    for (const entry of ['null', '1', '"x"', '[]', '[{"id":1}]', 'true']) compare(`{"result":"OK","iso_images":[{"id":1},${entry}]}`);
    compare('{"result":"OK"}');
    compare('{"result":"OK","iso_images":{}}');
    compare('{"result":"OK","data":null}', 'uploaded');
    compare('{"result":"OK","iso_images":[]}');
  });

  it('replaces each entry of the answer with its image: one list in memory', () => {
    const body = JSON.parse('{"result":"OK","iso_images":[{"id":"5","size":"10","extra":1}]}') as Body;
    const list = decodeIsoList('list_iso', body);
    expect(list).toBe(body.iso_images);
    expect(list[0]).toEqual({ id: 5, iso_name: '', description: '', size: 10 });
    expect(Object.keys(list[0]!)).not.toContain('extra');
  });
});
