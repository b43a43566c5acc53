/**
 * A success needs its payload: answers that say OK but carry nothing usable, error codes beside a
 * result, pages from proxies and absurd values all end as AppError with a plain message, never as
 * an empty list, a raw ZodError/RangeError, or a secret in the text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AppError } from '../../main/domain/errors.js';
import { KEY, TOKEN, cannedClient, failure, type CannedOptions, type Reply, type Seen } from './canned-server.js';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function setup(reply: (req: Seen, n: number) => Reply, opts: CannedOptions = {}) {
  const canned = await cannedClient(reply, opts);
  closers.push(canned.server.close);
  return canned;
}

/** Every piece of text an error carries, for the checks that no secret and no dump is in it. */
function allText(err: AppError): string {
  return `${err.message}\n${err.hint ?? ''}`;
}

function expectPlain(err: AppError): void {
  expect(err).toBeInstanceOf(AppError);
  expect(err).not.toBeInstanceOf(z.ZodError);
  expect(allText(err)).not.toContain(KEY);
  expect(allText(err)).not.toContain(TOKEN);
  // A plain sentence, not a dump of issues or a stack.
  expect(err.message).not.toMatch(/[[{]\s*"|\n|at .*\.ts:\d+/);
}

describe('a success needs its payload', () => {
  it.each([
    ['list_iso', { result: 'OK', action: 'list_iso', module: 'iso' }, /list_iso without its list of ISO images \("iso_images"\)/],
    ['list_iso', { result: 'OK', action: 'list_iso', iso_images: 'none' }, /list_iso without its list/],
    // The seed puts list_iso's list in iso_images; `data` is not where it lives.
    ['list_iso', { result: 'OK', action: 'list_iso', data: [{ id: 1, iso_name: 'a.iso' }] }, /list_iso without its list/],
    ['uploaded', { result: 'OK', action: 'uploaded', module: 'iso' }, /uploaded without its list of uploaded images/],
    ['uploaded', { result: 'OK', action: 'uploaded', data: {} }, /uploaded without its list/],
    ['history', { result: 'OK', action: 'history', data: null }, /history without its history entries/],
  ] as const)('%s answered %j is a bad answer, not an empty list', async (action, body, message) => {
    const { client } = await setup(() => ({ json: body }));
    const read = action === 'list_iso' ? client.listIso(1) : action === 'uploaded' ? client.uploaded() : client.history(1);
    const err = await failure(read);
    expect(err.kind).toBe('bad_answer');
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(/changed nothing/);
    expectPlain(err);
  });

  it('an empty list sent as [] is an empty list', async () => {
    const { client } = await setup(() => ({ json: { result: 'OK', action: 'list_iso', server_id: 1, iso_images: [] } }));
    expect(await client.listIso(1)).toEqual([]);
  });

  it('eq.php list without servers and auth info without its account are bad answers', async () => {
    const { client } = await setup((req) => ({ json: req.fields.action === 'list' ? { result: 'OK' } : { result: 'OK', action: 'info' } }));
    const servers = await failure(client.listServers());
    expect(servers.kind).toBe('bad_answer');
    expect(servers.message).toMatch(/list without its list of servers \("servers"\)/);
    const info = await failure(client.info());
    expect(info.kind).toBe('bad_answer');
    expect(info.message).toMatch(/info without the account/);
  });

  it('an error code beside a result is a failure with the API message, whatever the result holds', async () => {
    const answers: unknown[] = [
      { result: { role: 'Customer' }, code: -1, message: 'Session storage unavailable' },
      { result: 'OK', action: 'list_iso', iso_images: [], code: '-5', message: 'Catalog offline' },
      { result: 'OK', action: 'list_iso', iso_images: [], error: 'Catalog offline' },
    ];
    const { client } = await setup((_r, n) => ({ json: answers[n - 1] }));
    const info = await failure(client.info());
    expect(info.message).toBe('Session storage unavailable');
    expect(info.code).toBe(-1);
    for (const expected of ['Catalog offline', 'Catalog offline']) {
      const err = await failure(client.listIso(1));
      expect(err.message).toBe(expected);
      expect(err.kind).not.toBe('bad_answer');
    }
  });

  it('code 0 is the usual "no error" and does not fail a success', async () => {
    const { client } = await setup(() => ({ json: { result: 'OK', code: 0, iso_images: [{ id: 1, iso_name: 'a.iso' }] } }));
    expect(await client.listIso(1)).toEqual([expect.objectContaining({ id: 1 })]);
  });
});

describe('entries that cannot be read', () => {
  it.each([
    [{ iso_name: 'no-id.iso' }, /iso_images\[1\]\.id is missing/],
    [{ id: '99999999999999999999', iso_name: 'huge-id.iso' }, /iso_images\[1\]\.id has an unexpected value/],
    [{ id: 3, iso_name: 'huge.iso', size: '9'.repeat(400) }, /iso_images\[1\]\.size has an unexpected value/],
    [{ id: 4, iso_name: { nested: true } }, /iso_images\[1\]\.iso_name has an unexpected value/],
  ])('%j is named in a plain message, never a ZodError dump', async (entry, message) => {
    const { client } = await setup(() => ({ json: { result: 'OK', iso_images: [{ id: 1, iso_name: 'fine.iso' }, entry] } }));
    const err = await failure(client.listIso(1));
    expect(err.kind).toBe('bad_answer');
    expect(err.message).toMatch(message);
    expectPlain(err);
  });

  it('a task check nested too deep for JSON.stringify is still an OK, not a RangeError', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const { client } = await setup(() => ({ body: `{"result":"OK","action":"check","scope":"ISO mounted","context":${deep},"key":"k"}` }));
    const check = await client.checkTask('k');
    expect(check).toMatchObject({ state: 'ok', message: 'ISO mounted' });
  });

  it('a check without a result word is a bad answer, not a failed task', async () => {
    const { client } = await setup(() => ({ json: { result: { state: 'unclear' }, key: 'k' } }));
    const err = await failure(client.checkTask('k'));
    expect(err.kind).toBe('bad_answer');
  });
});

describe('pages instead of JSON', () => {
  const PAGE = '<html><head><title>404 Not Found</title></head><body>nginx</body></html>';

  it.each([403, 404, 502])('eq_callback answering an HTML %i page is asked again with backoff, and never fails the task', async (status) => {
    const { client, server, time } = await setup(() => ({ status, headers: { 'content-type': 'text/html' }, body: PAGE }));
    const err = await failure(client.checkTask('k'));
    expect(err.kind).toBe('transient');
    expect(server.seen).toHaveLength(3);
    expect(time.sleeps).toHaveLength(2);
    expect(time.sleeps[1]!).toBeGreaterThan(time.sleeps[0]!);
  });

  it('eq_callback answering a page and then the outcome: the outcome counts', async () => {
    const { client } = await setup((_r, n) =>
      n === 1
        ? { status: 404, headers: { 'content-type': 'text/html' }, body: PAGE }
        : { json: { result: 'OK', action: 'check', scope: 'ISO mounted', key: 'k' } },
    );
    expect(await client.checkTask('k')).toMatchObject({ state: 'ok', message: 'ISO mounted' });
  });

  it('a read answered with a page (HTTP 200) is asked again, then reported as a bad answer', async () => {
    const { client, server } = await setup(() => ({ headers: { 'content-type': 'text/html' }, body: '<html><body>Maintenance</body></html>' }));
    const err = await failure(client.uploaded());
    expect(err.kind).toBe('bad_answer');
    expect(err.message).toMatch(/uploaded with a web page \(HTTP 200\)/);
    expect(server.seen).toHaveLength(3);
  });

  it('a state change answered with a cut-off body: sent, outcome unknown, never retried', async () => {
    const { client, server } = await setup(() => ({ body: '{"result":"OK","action":"mount_iso","callb' }));
    const err = await failure(client.mountIso(1, 'a.iso'));
    expect(err.kind).toBe('unknown_outcome');
    expect(err.message).toMatch(/not known whether the mount_iso happened/);
    expect(server.seen).toHaveLength(1);
  });
});

describe('messages built from answers are redacted by the client', () => {
  it('a login refusal that echoes the key', async () => {
    const { client } = await setup(() => ({ json: { result: { message: `invalid key ${KEY}` } } }));
    const err = await failure(client.login());
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('invalid key [redacted]');
  });

  it('a login that answers no token and no words is a bad answer', async () => {
    const { client } = await setup(() => ({ json: { result: 'OK' } }));
    const err = await failure(client.login());
    expect(err.kind).toBe('bad_answer');
    expect(err.message).toMatch(/login without a token/);
  });

  it("a task's outcome and its stored answer that echo the token", async () => {
    const { client } = await setup(() => ({ json: { result: 'OK', action: 'check', scope: `mounted for session ${TOKEN}`, debug: `key=${KEY}`, key: 'k' } }));
    const check = await client.checkTask('k');
    expect(check.state).toBe('ok');
    const text = JSON.stringify(check);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(KEY);
    expect(check).toMatchObject({ message: 'mounted for session [redacted]' });
  });

  it('a renewed token is masked as well as the first one', async () => {
    const RENEWED = 'tok-renewed-abcdefghijklmnopqrst';
    const { client } = await setup((req) => {
      if (req.fields.action === 'login') return { json: { result: 'OK', token: RENEWED, token_expire: Math.floor(Date.now() / 1000) + 3600 } };
      if (req.fields.token === TOKEN) return { json: { code: -2, message: 'Invalid hash' } };
      return { json: { result: 'OK', action: 'history', data: [{ id: 'x' }], message: `for ${RENEWED}` } };
    });
    const err = await failure(client.history(1));
    expect(err.kind).toBe('bad_answer');
    expectPlain(err);
    expect(allText(err)).not.toContain(RENEWED);
  });
});
