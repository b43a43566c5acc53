import { afterEach, describe, expect, it } from 'vitest';
import { Transport } from '../../main/api/transport.js';
import { HostkeyClient } from '../../main/api/client.js';
import { KEY, TOKEN, cannedClient, failure, recordingClock, type CannedOptions, type Reply, type Seen } from './canned-server.js';

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

const LOGIN_OK = { result: 'OK', token: 'tok-renewed-000000000000000000', token_expire: Math.floor(Date.now() / 1000) + 3600 };

describe('envelopes', () => {
  it('reads the list_iso shape and sends the seed field names', async () => {
    const { client, server } = await setup(() => ({
      json: {
        result: 'OK',
        action: 'list_iso',
        module: 'iso',
        server_id: 456,
        iso_images: [{ id: '123', iso_name: 'ubuntu.iso', description: 'U', size: '2147483648', created_at: 'x' }],
      },
    }));
    const list = await client.listIso(456);
    expect(list).toEqual([expect.objectContaining({ id: 123, iso_name: 'ubuntu.iso', size: 2147483648 })]);
    expect(server.seen[0]).toMatchObject({ path: '/iso.php', fields: { action: 'list_iso', id: '456', token: TOKEN } });
    expect(server.seen[0]!.headers['user-agent']).toBe('ISO-Desk/test');
    expect(server.seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it.each([
    [{ code: -1, message: 'invalid argument iso_name' }, 'validation', 'invalid argument iso_name'],
    [{ code: '-1', error: 'Access denied: administrator rights required' }, 'permission', 'Access denied: administrator rights required'],
    [{ result: -1, error: 'No appropriate servers found', code: 'NO_APPROPRIATE_SERVERS' }, 'no_servers', 'No appropriate servers found'],
    [{ result: 'Error', message: 'ISO not found' }, 'not_found', 'ISO not found'],
  ])('turns %j into a %s error with the API message', async (body, kind, message) => {
    const { client } = await setup(() => ({ json: body }));
    const err = await failure(client.history(1));
    expect(err.kind).toBe(kind);
    expect(err.message).toBe(message);
    expect(err.hint).toBeTruthy();
  });

  it('takes the task key from callback, key, task_key or task', async () => {
    for (const field of ['callback', 'key', 'task_key', 'task']) {
      const { client } = await setup(() => ({ json: { result: 'OK', action: 'mount_iso', [field]: 'abcdefghijklmnopqrstuvwxyz012345' } }));
      expect(await client.mountIso(1, 'x.iso')).toBe('abcdefghijklmnopqrstuvwxyz012345');
    }
  });

  it('reads task checks: not ready, OK, failure words, and AsyncKey not found', async () => {
    const answers: unknown[] = [
      { result: 'Not ready', key: 'k' },
      { result: 'OK', action: 'check', scope: 'ISO mounted', context: { action: 'mount_iso', id: 1 }, debug: 'done', key: 'k' },
      { result: 'OK', action: 'check', scope: 'Mount failed: device busy', context: {}, debug: '', key: 'k' },
      { code: -1, message: 'AsyncKey not found' },
      { result: 'Error', scope: 'Virtual media rejected the image' },
    ];
    const { client, server } = await setup((_r, n) => ({ json: answers[n - 1] }));
    expect(await client.checkTask('k')).toEqual({ state: 'running', status: 'Not ready' });
    expect(await client.checkTask('k')).toMatchObject({ state: 'ok', message: 'ISO mounted' });
    expect(await client.checkTask('k')).toMatchObject({ state: 'failed', message: 'Mount failed: device busy' });
    expect(await client.checkTask('k')).toMatchObject({ state: 'gone' });
    expect(await client.checkTask('k')).toMatchObject({ state: 'failed', message: 'Virtual media rejected the image' });
    expect(server.seen.every((s) => s.path === '/eq_callback.php' && s.fields.key === 'k' && s.fields.token === TOKEN)).toBe(true);
  });

  it('reads the token from result.token or token, and info from result', async () => {
    const { client } = await setup((req) =>
      req.fields.action === 'login'
        ? { json: { result: { token: 'tok-object-form-0000000000000', token_expire: '1999999999' } } }
        : { json: { result: { role: 'Customer', role_type: 'Customer', permissions: ['iso'], servers: ['1', 2], email: 'a@b.c', customer_id: '77' } } },
    );
    const login = await client.login();
    expect(login.token).toBe('tok-object-form-0000000000000');
    expect(login.token_expire).toBe(1999999999);
    expect(await client.info()).toMatchObject({ role: 'Customer', servers: [1, 2], customer_id: 77 });
  });
});

describe('session', () => {
  it('re-logs in once on an auth failure and retries the request once', async () => {
    const { client, server } = await setup((req) => {
      if (req.fields.action === 'login') return { json: LOGIN_OK };
      return req.fields.token === TOKEN ? { json: { code: -2, message: 'Invalid hash' } } : { json: { result: 'OK', data: [] } };
    });
    expect(await client.history(5)).toEqual([]);
    expect(server.seen.map((s) => s.fields.action)).toEqual(['history', 'login', 'history']);
    expect(server.seen[1]!.fields).toMatchObject({ key: KEY, ttl: '3600', fix_ip: '0' });
    expect(server.seen[2]!.fields.token).toBe(LOGIN_OK.token);
  });

  it('a refusal that arrives after another request renewed the token retries with the renewed one: one login', async () => {
    const { client, server } = await setup((req) => {
      if (req.fields.action === 'login') return { json: LOGIN_OK };
      // history 2 hears "Invalid hash" only once history 1 has signed in again.
      if (req.fields.token === TOKEN) return { json: { code: -2, message: 'Invalid hash' }, delayMs: req.fields.id === '2' ? 300 : 0 };
      return { json: { result: 'OK', data: [] } };
    });
    expect(await Promise.all([client.history(1), client.history(2)])).toEqual([[], []]);
    expect(server.seen.filter((s) => s.fields.action === 'login')).toHaveLength(1);
    expect(server.seen.filter((s) => s.fields.token === LOGIN_OK.token).map((s) => s.fields.id)).toEqual(['1', '2']);
  });

  it('gives up after one re-login and says what to do', async () => {
    const { client, server } = await setup((req) => (req.fields.action === 'login' ? { json: LOGIN_OK } : { json: { code: -2, message: 'Invalid hash' } }));
    const err = await failure(client.history(5));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('Invalid hash');
    expect(err.hint).toMatch(/API key/);
    expect(server.seen).toHaveLength(3);
  });

  it('renews shortly before token_expire, once for concurrent callers', async () => {
    const soon = Math.floor(Date.now() / 1000) + 60;
    const { client, server } = await setup((req) => (req.fields.action === 'login' ? { json: LOGIN_OK } : { json: { result: 'OK', data: [] } }), {
      tokenExpire: soon,
    });
    await Promise.all([client.history(1), client.history(2), client.history(3)]);
    expect(server.seen.filter((s) => s.fields.action === 'login')).toHaveLength(1);
    expect(server.seen.filter((s) => s.fields.action === 'history').every((s) => s.fields.token === LOGIN_OK.token)).toBe(true);
  });
});

describe('transport', () => {
  it('retries reads on 5xx and 429 with backoff and Retry-After, then succeeds', async () => {
    const { client, server, time } = await setup((_r, n) =>
      n === 1 ? { status: 503, body: 'busy' } : n === 2 ? { status: 429, headers: { 'retry-after': '2' }, body: '' } : { json: { result: 'OK', data: [] } },
    );
    expect(await client.history(1)).toEqual([]);
    expect(server.seen).toHaveLength(3);
    expect(time.sleeps[0]).toBeGreaterThanOrEqual(150);
    expect(time.sleeps[0]).toBeLessThanOrEqual(300);
    expect(time.sleeps[1]).toBe(2000);
  });

  it('stops after 3 attempts with a transient error', async () => {
    const { client, server } = await setup(() => ({ status: 502, body: '<html>bad gateway</html>' }));
    const err = await failure(client.history(1));
    expect(err.kind).toBe('transient');
    expect(server.seen).toHaveLength(3);
  });

  it('never retries a state change, and reports a dropped one as an unknown outcome', async () => {
    const { client, server } = await setup(() => ({ drop: true }));
    const err = await failure(client.mountIso(1, 'x.iso'));
    expect(err.kind).toBe('unknown_outcome');
    expect(err.hint).toMatch(/Refresh/);
    expect(server.seen).toHaveLength(1);
  });

  it('times out and does not retry mount_iso', async () => {
    const { client, server } = await setup(() => ({ hang: true }), { timeoutMs: 300 });
    const err = await failure(client.unmountIso(1));
    expect(err.kind).toBe('unknown_outcome');
    expect(err.message).toMatch(/no answer within/);
    expect(server.seen).toHaveLength(1);
  });

  it('treats a malformed body as transient and retries reads', async () => {
    const { client, server } = await setup((_r, n) => (n === 1 ? { body: '{"result":"OK",' } : { json: { result: 'OK', data: [] } }));
    expect(await client.history(1)).toEqual([]);
    expect(server.seen).toHaveLength(2);
  });

  it('caps the body size', async () => {
    const { client } = await setup(() => ({ json: { result: 'OK', data: [], pad: 'x'.repeat(4096) } }), { maxBodyBytes: 1024 });
    const err = await failure(client.history(1));
    expect(err.message).toMatch(/larger than/);
  });

  it('follows same-origin redirects only', async () => {
    const same = await setup((req) => (req.path === '/iso.php' ? { status: 307, headers: { location: '/v2/iso.php' } } : { json: { result: 'OK', data: [] } }));
    expect(await same.client.history(1)).toEqual([]);
    expect(same.server.seen.map((s) => s.path)).toEqual(['/iso.php', '/v2/iso.php']);
    expect(same.server.seen[1]!.fields.token).toBe(TOKEN);

    const other = await setup(() => ({ status: 302, headers: { location: 'https://elsewhere.example/iso.php' } }));
    const err = await failure(other.client.history(1));
    expect(err.message).toMatch(/only follows redirects within/);
    expect(other.server.seen).toHaveLength(1);
  });

  it('keeps the key and the token out of logs and errors', async () => {
    const { client, lines } = await setup(() => ({ json: { code: -1, message: `bad token ${TOKEN} for key=${KEY}` } }));
    const err = await failure(client.history(1));
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...lines, err.message]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(KEY);
    }
  });

  it('says the host refused the connection in plain words', async () => {
    const time = recordingClock();
    const transport = new Transport({ userAgent: 't', clock: time.clock });
    const client = new HostkeyClient({ baseUrl: 'http://127.0.0.1:9', credentials: { token: TOKEN, tokenExpire: null }, transport, clock: time.clock });
    const err = await failure(client.history(1));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Could not reach 127.0.0.1:9: the connection was refused.');
  });
});
