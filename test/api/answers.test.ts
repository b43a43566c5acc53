/**
 * What ISO Desk expects of each answer (main/api/answers.ts): the examples of the seed and the
 * docs, written out here, are exactly what it expects; each documented alternative is a fallback
 * naming its open decision; anything else is unexpected; and a shape never holds a value.
 */
import { describe, expect, it } from 'vitest';
import { inspectAnswer, inspectRefusal, safeKey, shapeOf } from '../../main/api/answers.js';
import { OPEN_DECISIONS } from '../../main/api/open-decisions.js';

/** The seed's and the docs' own example answers. */
const DOCUMENTED: [string, Record<string, unknown>][] = [
  ['login', { result: 'OK', token: 'x', servers: [1, 2], role: 'Customer', token_expire: 1700000000 }],
  [
    'info',
    {
      result: {
        token: 't',
        role: 'Customer',
        role_type: 'Customer',
        role_name: 'customer_billing',
        permissions: ['eq_list', 'eq_show', 'billing_list'],
        servers: [1],
        email: 'e',
        customer_id: 7,
        token_expire: 1700000000,
        show_products: 1,
      },
    },
  ],
  ['list', { result: 'OK', servers: [{ id: 1, status: 'active', hostname: 'h', location: 'NL' }] }],
  ['show', { result: 'OK', server_data: { Condition_Component: 'rent' }, IP: [{ ip: '1.2.3.4', main_ip: 1 }], tags: [{ tag: 'hostname', value: 'h' }] }],
  [
    'list_iso',
    {
      result: 'OK',
      action: 'list_iso',
      module: 'iso',
      server_id: 456,
      iso_images: [{ id: 123, iso_name: 'ubuntu-22.04.iso', description: 'Ubuntu', size: 2147483648, created_at: '2024-01-15T10:30:00Z' }],
    },
  ],
  [
    'history',
    {
      result: 'OK',
      action: 'history',
      module: 'iso',
      data: [{ id: 1, date: '2024-01-15 10:30:00', description: 'ISO uploaded', type: 'upload', login: 'l', message: 'ISO uploaded', iso_name: 'u.iso' }],
    },
  ],
  ['uploaded', { result: 'OK', action: 'uploaded', module: 'iso', data: [{ id: 1, iso_name: 'u.iso', status: 'Pending' }] }],
  ['mount_iso', { result: 'OK', action: 'mount_iso', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['check', { result: 'OK', action: 'check', scope: 'done', context: { action: 'mount_iso', id: 1 }, debug: 'x', key: 'k' }],
];

describe('what ISO Desk expects of an answer', () => {
  it.each(DOCUMENTED)('finds nothing to report in the documented %s answer', (action, body) => {
    expect(inspectAnswer(action, body)).toEqual([]);
  });

  it.each([
    ['login', { result: { token: 'x', servers: ['1'] } }, 'fallback', 'login-shape', 'the token is inside "result" (nested login), not at the top level'],
    ['list', { result: 'OK', servers: [5] }, 'fallback', 'server-list', 'servers listed as bare ids: hostname, state and location come from show'],
    [
      'list_iso',
      { result: 'OK', iso_images: [{ id: '7', iso_name: 'a', description: '', size: 1, created_at: 'x' }] },
      'fallback',
      'id-types',
      'iso_images[].id as text, not a number',
    ],
    ['uploaded', { result: 'OK', iso_images: [] }, 'fallback', 'list-fields', 'the list is in "iso_images", not "data"'],
    ['mount_iso', { result: 'OK', task_key: 'k' }, 'fallback', 'task-key', 'the task key is in "task_key", not "callback"'],
    ['mount_iso', { result: 'OK' }, 'unexpected', 'task-key', 'no task key in any of callback, key, task_key, task'],
    [
      'uploaded',
      { result: 'OK', data: [{ id: 1, iso_name: 'a', status: 'Verifying' }] },
      'unknown_status',
      'upload-statuses',
      'upload status "Verifying" is not known: shown verbatim and treated as in progress',
    ],
    [
      'show',
      { result: 'OK', server_data: { Condition_Component: 'frozen' }, tags: [{ tag: 'hostname', value: 'h' }] },
      'unknown_status',
      'server-show',
      'server_data.Condition_Component is "frozen", not one of rent, power_off, presale, TT',
    ],
    ['history', { result: 'OK', data: [], request_id: 'r' }, 'unknown_field', 'envelope-fields', 'unknown field "request_id"'],
    [
      'info',
      { result: { role: 'Customer', servers: [], email: 'e', customer_id: 1, token_expire: 1 } },
      'missing',
      'capabilities',
      'result.permissions is missing',
    ],
  ])('reports %s answering %j as %s (%s)', (action, body, kind, decision, point) => {
    expect(inspectAnswer(action, body)).toContainEqual({ kind, decision, point });
  });

  it('names only decisions that the list of open decisions holds', () => {
    const ids = new Set(OPEN_DECISIONS.map((d) => d.id));
    const answers: [string, Record<string, unknown>][] = [
      ['login', { result: { token: 'x', servers: ['1'], invapi: 'h' }, extra: 1 }],
      ['info', { result: { servers: ['1'], permissions: [] } }],
      ['list', { result: 'OK', servers: ['1', 2, { id: '3', more: 1 }, true] }],
      ['show', { result: 'OK', server_data: {}, IP: [{ ip: 'x', main_ip: 0 }], tags: [{ tag: 'server_name', value: 'h' }] }],
      ['list_iso', { result: 'OK', server_id: '1', iso_images: [{ id: 'x', size: '1', admin_only: true, odd: 1 }, 5] }],
      ['uploaded', { result: 'OK', iso_images: [{ id: 1, status: 12 }] }],
      ['unmount_iso', { result: 'OK', data: { key: 'k' } }],
    ];
    const found = answers.flatMap(([action, body]) => inspectAnswer(action, body));
    expect(found.length).toBeGreaterThan(15);
    for (const f of found) expect(ids, f.point).toContain(f.decision);
  });
});

describe('what ISO Desk notes of a refusal', () => {
  it('finds nothing in the documented refusals', () => {
    expect(inspectRefusal('history', { code: -1, message: 'invalid argument iso_name' })).toEqual([]);
    expect(inspectRefusal('login', { result: -1, error: 'No appropriate servers found', code: 'NO_APPROPRIATE_SERVERS' })).toEqual([]);
    expect(inspectRefusal('check', { code: -1, message: 'AsyncKey not found', key: 'k' })).toEqual([]);
  });

  it('notes a refusal about a PIN and fields no refusal documents, without their values', () => {
    const found = inspectRefusal('reboot', { code: -1, message: 'PIN 4821 is wrong', tries_left: 2 });
    expect(found).toEqual([
      { kind: 'unknown_field', decision: 'envelope-fields', point: 'unknown field "tries_left"' },
      { kind: 'unexpected', decision: 'pin', point: 'HOSTKEY refused reboot with a message about a PIN' },
    ]);
    expect(JSON.stringify(found)).not.toContain('4821');
  });
});

describe('the shape of an answer', () => {
  it('lists keys and value types, never values, and masks keys that look like data', () => {
    const secrets = ['hk-live-9f8e7d6c5b4a39281706', 'a8f5f167f44f4964e6c998dee827110c', 'jane@example.com', 'https://mirror.example.org/x.iso', '4821'];
    const body = {
      result: 'OK',
      token: secrets[1],
      data: [
        { id: 1, url: secrets[3], email: secrets[2], pin: secrets[4] },
        { id: '2', url: null },
      ],
      [secrets[1]!]: 1,
      [secrets[2]!]: { key: secrets[0] },
      [secrets[4]!]: true,
    };
    const shape = shapeOf(body);
    for (const s of secrets) expect(shape).not.toContain(s);
    expect(shape).toBe(
      '{<number>: boolean, result: string, token: string, data: [{id: number, url: string, email: string, pin: string} | {id: string, url: null}], <key>: number, <key>: {key: string}}',
    );
  });

  it('keeps field names and masks anything else', () => {
    expect(['Condition_Component', 'main_ip', 'token_expire', 'iso-name'].map(safeKey)).toEqual(['Condition_Component', 'main_ip', 'token_expire', 'iso-name']);
    expect(['40211', 'a@b.c', 'https://x', 'a8f5f167f44f4964', 'x'.repeat(40)].map(safeKey)).toEqual(['<number>', '<key>', '<key>', '<key>', '<key>']);
  });
});
