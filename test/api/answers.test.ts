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
  // eq.php power, boot device and console (hostkey-power-console.md §1, §1.1, §2).
  ['status', { result: 'OK', action: 'status', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['on', { result: 'OK', action: 'on', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['off', { result: 'OK', action: 'off', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['reboot', { result: 'OK', action: 'reboot', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['boot_dev', { result: 'OK', action: 'boot_dev', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['novnc', { result: 'OK', action: 'novnc', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['stop_novnc', { result: 'OK', action: 'stop_novnc', callback: 'abcdefghijklmnopqrstuvwxyz012345' }],
  ['check', { result: 'Not ready', key: 'k' }],
  ['check', { result: 'OK', action: 'check', scope: 'VM is up now', context: { action: 'status', id: 25250, location: 'NL' }, debug: null, key: 'k' }],
  [
    'check',
    {
      result: 'OK',
      scope: { id: 1, status: 'deploy_done' },
      context: { action: 'on', id: 25250, location: 'NL' },
      debug: 'Chassis Power Control: Up/On',
      key: 'k',
    },
  ],
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
    ['reboot', { result: 'OK', action: 'reboot', task_id: 'k' }, 'unknown_field', 'envelope-fields', 'unknown field "task_id"'],
    ['reboot', { result: 'OK', action: 'reboot' }, 'unexpected', 'eq-answers', 'no task key in any of callback, key, task_key, task'],
    ['boot_dev', { result: 'OK', key: 'k' }, 'fallback', 'eq-answers', 'the task key is in "key", not "callback"'],
    [
      'novnc',
      { result: 'OK', scope: 'http://relay/vnc.html?password=x', context: { action: 'novnc', id: '25250', location: 'NL' }, debug: 'debug', key: 'k' },
      'fallback',
      'eq-answers',
      'novnc answered the console address at once ("scope"), not through a task key',
    ],
    ['check', { result: 'Queued', key: 'k' }, 'unknown_status', 'check-result', 'check result "Queued" is not known: the task is treated as failed'],
    [
      'check',
      { result: 'OK', scope: 'done', context: { action: 'on', id: 1, ipmi_host: 'x' }, key: 'k' },
      'unknown_field',
      'check-result',
      'unknown field "context.ipmi_host"',
    ],
    [
      'check',
      { result: 'OK', scope: 'done', context: { action: 'status', id: '7', location: 'NL' } },
      'fallback',
      'id-types',
      'context.id as text, not a number',
    ],
    ['check', { result: 'OK', scope: ['a'], context: { action: 'on', id: 1 } }, 'unexpected', 'check-result', 'scope is a list, not text or an object'],
    [
      'check',
      { result: 'OK', scope: 'Chassis is humming', context: { action: 'status', id: 1 } },
      'unknown_status',
      'power-words',
      "the status check's words name no power state ISO Desk knows: shown verbatim",
    ],
    ['check', { result: 'OK', scope: 'done', context: { action: 'status', id: 1 }, elapsed: 3 }, 'unknown_field', 'envelope-fields', 'unknown field "elapsed"'],
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
      ['reboot', { result: 'OK', task: 'k', extra: 1 }],
      ['novnc', { result: 'OK', scope: 'u', context: { id: 'x', odd: 1 } }],
      ['check', { result: 'Pending', scope: 5, context: { action: 'status', id: 'x', more: 1 }, extra: 1 }],
      ['check', { result: 'OK', scope: 'Humming', context: { action: 'status' } }],
    ];
    const found = answers.flatMap(([action, body]) => inspectAnswer(action, body));
    expect(found.length).toBeGreaterThan(25);
    for (const f of found) expect(ids, f.point).toContain(f.decision);
  });
});

describe('a list of any length', () => {
  const entry = (i: number): Record<string, unknown> => ({ id: i, iso_name: `i${i}.iso`, description: 'd', size: 1, created_at: 'c', status: 'Ready' });
  const list = (count: number, change: Record<number, (e: Record<string, unknown>) => void>) =>
    Array.from({ length: count }, (_, i) => {
      const e = entry(i);
      change[i]?.(e);
      return e;
    });

  it('inspects every entry: a field, a type or a missing field seen once, deep in the list, is reported', () => {
    const isoImages = list(20_000, {
      // Same keys as every other entry, other value types: each is a finding of its own.
      4_000: (e) => (e.id = '4000'),
      8_000: (e) => (e.size = true),
      12_000: (e) => (e.description = null),
      // Other keys: one more, one fewer.
      16_000: (e) => (e.mirror = 'x'),
      19_999: (e) => delete e.created_at,
    });
    expect(inspectAnswer('list_iso', { result: 'OK', server_id: 1, iso_images: isoImages })).toEqual([
      { kind: 'fallback', decision: 'id-types', point: 'iso_images[].id as text, not a number' },
      { kind: 'unexpected', decision: 'id-types', point: 'iso_images[].size is a boolean, not a number' },
      { kind: 'missing', decision: 'entry-fields', point: 'iso_images[].description is missing' },
      { kind: 'unknown_field', decision: 'entry-fields', point: 'unknown field "iso_images[].mirror"' },
      { kind: 'missing', decision: 'entry-fields', point: 'iso_images[].created_at is missing' },
    ]);
  });

  it('tells entries of the same keys apart by their value types, however they alternate', () => {
    const isoImages = list(
      1_000,
      Object.fromEntries(Array.from({ length: 500 }, (_, k) => [2 * k + 1, (e: Record<string, unknown>) => (e.id = String(e.id))])),
    );
    isoImages[999]!.id = [1];
    expect(inspectAnswer('list_iso', { result: 'OK', server_id: 1, iso_images: isoImages }).map((f) => f.point)).toEqual([
      'iso_images[].id as text, not a number',
      'iso_images[].id is a list, not a number',
    ]);
  });

  it('looks at every upload status word', () => {
    const data = Array.from({ length: 5_000 }, (_, i) => ({ id: i, iso_name: 'x.iso', status: i === 4_321 ? 'Quarantined' : 'Pending' }));
    expect(inspectAnswer('uploaded', { result: 'OK', data })).toContainEqual({
      kind: 'unknown_status',
      decision: 'upload-statuses',
      point: 'upload status "Quarantined" is not known: shown verbatim and treated as in progress',
    });
  });
});

describe('the eq.php answers ISO Desk inspects', () => {
  it('names the fields, never the values: a console address, a PIN or a key in an eq answer stays out of the findings', () => {
    const secrets = ['http://rcnl1.hostkey.com:32800/vnc.html?password=Zq81kXw', '4821', 'abcdefghijklmnopqrstuvwxyz012345'];
    const found = [
      ...inspectAnswer('novnc', { result: 'OK', scope: secrets[0], context: { action: 'novnc', id: 1, pin: secrets[1] }, key: secrets[2] }),
      ...inspectAnswer('check', { result: 'Locked 4821', scope: secrets[0], context: { action: 'status', id: 1, [secrets[0]!]: 1 }, key: secrets[2] }),
      ...inspectAnswer('reboot', { result: 'OK', [secrets[2]!]: secrets[1] }),
    ];
    expect(found.length).toBeGreaterThan(3);
    for (const s of secrets) expect(JSON.stringify(found)).not.toContain(s);
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
