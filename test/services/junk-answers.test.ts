/**
 * Junk on every read, through the real app core and the local API's fault injection: an OK
 * without its payload, an error code beside a result (echoing the request, secrets included), a
 * proxy's HTML page, a cut-off body. Each read fails with a typed error in plain words, leaves
 * the cache exactly as it was, and shows no secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../main/api/clock.js';
import type { ErrorKind } from '../../main/domain/models.js';
import type { LocalApi } from '../../main/local-api/server.js';
import { localApi, rejection, startCore, type Core } from './harness.js';

/** Backoff waits return at once: the retries are what is tested, not the waiting. */
const instant: Clock = { now: () => Date.now(), sleep: async () => undefined, random: () => 0.5 };

const SERVER = 40211;

let api: LocalApi;
let core: Core;
let isoId: number;

beforeAll(async () => {
  api = await localApi();
  core = await startCore({ trackTasks: false, clock: instant });
  await core.call('session/signIn', { profile: 'client', base_url: api.url, api_key: api.keys.client });
  await core.call('servers/list', { refresh: true });
  await core.call('catalog/sync', { server_id: SERVER });
  isoId = (await core.call('catalog/query', { server_id: SERVER, limit: 1 })).rows[0]!.id;
  await core.call('iso/history', { iso_id: isoId, refresh: true });
  await core.call('uploads/list', { refresh: true });
});

afterAll(async () => {
  await core.app.close();
  await api.close();
});

/** Each read, and what the cache holds for it (read without asking HOSTKEY). */
const READS = {
  'servers/list': {
    fetch: () => core.call('servers/list', { refresh: true }),
    cached: () => core.call('servers/list', { refresh: false }),
  },
  'catalog/sync': {
    fetch: () => core.call('catalog/sync', { server_id: SERVER }),
    cached: () => core.call('catalog/query', { server_id: SERVER, limit: 500 }),
  },
  'iso/history': {
    fetch: () => core.call('iso/history', { iso_id: isoId, refresh: true }),
    cached: () => core.call('iso/history', { iso_id: isoId, refresh: false }),
  },
  'uploads/list': {
    fetch: () => core.call('uploads/list', { refresh: true }),
    cached: () => core.call('uploads/list', { refresh: false }),
  },
} as const;

/** Each junk answer, how to inject it, and the kind of error it must become. */
const JUNK: Record<string, { inject: () => void; kind: ErrorKind; message: RegExp }> = {
  'an OK without its payload': { inject: () => api.faults.junkNext(1, 'no-payload'), kind: 'bad_answer', message: /without its/ },
  'an error code beside a result': { inject: () => api.faults.junkNext(1, 'error-code'), kind: 'validation', message: /^Service degraded/ },
  'an HTML page with HTTP 200': { inject: () => api.faults.junkNext(3, 'html', 200), kind: 'bad_answer', message: /with a web page \(HTTP 200\)/ },
  "a proxy's HTML 403 page": { inject: () => api.faults.junkNext(1, 'html', 403), kind: 'permission', message: /HTTP 403/ },
  "a proxy's HTML 404 page": { inject: () => api.faults.junkNext(1, 'html', 404), kind: 'not_found', message: /HTTP 404/ },
  'a truncated JSON body': { inject: () => api.faults.malformNext(3), kind: 'bad_answer', message: /not JSON/ },
};

const cases = Object.keys(READS).flatMap((read) => Object.keys(JUNK).map((junk) => [read, junk] as [keyof typeof READS, string]));

describe('junk answers on every read', () => {
  it.each(cases)('%s answered with %s: typed error, cache unchanged, no secret', async (read, junk) => {
    const before = await READS[read].cached();
    expect(before.synced_at).not.toBeNull();
    expect(('rows' in before ? before.rows : before.items).length).toBeGreaterThan(0);
    const { inject, kind, message } = JUNK[junk]!;
    api.faults.reset();
    inject();
    const err = await rejection(READS[read].fetch());
    api.faults.reset();
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(message);
    const text = `${err.message} ${err.hint ?? ''}`;
    expect(text).not.toContain(api.keys.client);
    expect(text).not.toContain((await core.secrets.get('client'))!.token!);
    expect(text).not.toMatch(/ZodError|RangeError|"code":|\n/);
    expect(await READS[read].cached()).toEqual(before);
  });

  it('the error code junk really echoed the token, so the check above is not vacuous', async () => {
    api.faults.junkNext(1, 'error-code');
    const err = await rejection(READS['uploads/list'].fetch());
    expect(err.message).toMatch(/token=\[redacted\]/);
  });
});
