import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { call, control, get, list, login, manualClock, start } from './helpers.js';

let clock: ReturnType<typeof manualClock>;
let api: LocalApi;
let client: string;

beforeEach(async () => {
  clock = manualClock();
  api = await start({ now: clock.now, uploadStepMs: 1000, taskDelayMs: 1000, tokenTtlSeconds: 3600 });
  client = await login(api, api.keys.client);
});
afterEach(() => api.close());

const upload = (name: string) => call(api, 'iso', 'upload', client, { 'params[url]': `https://example.org/${name}` });
const uploadedNames = async () => list((await call(api, 'iso', 'uploaded', client, {})).body, 'data').map((i) => i.iso_name);

describe('fault injection from code', () => {
  it('delays answers by the latency', async () => {
    api.faults.setLatency(150);
    const started = performance.now();
    await call(api, 'auth', 'info', client);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('answers the next N requests with a 5xx page, without running them', async () => {
    api.faults.serverErrorNext(2, 502);
    for (let i = 0; i < 2; i++) {
      const answer = await upload('lost.iso');
      expect(answer.status).toBe(502);
      expect(answer.text).toContain('<html>');
    }
    expect((await call(api, 'auth', 'info', client)).status).toBe(200);
    expect(await uploadedNames()).not.toContain('lost.iso');
  });

  it('answers the next N requests with 429 and Retry-After, without running them', async () => {
    api.faults.rateLimitNext(1, 7);
    const answer = await upload('limited.iso');
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('7');
    expect(await uploadedNames()).not.toContain('limited.iso');
  });

  it('runs the request but truncates the JSON body', async () => {
    api.faults.malformNext(1);
    const answer = await upload('garbled.iso');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain('application/json');
    expect(() => JSON.parse(answer.text)).toThrow();
    expect(answer.text.startsWith('{"result":"OK"')).toBe(true);
    expect(await uploadedNames()).toContain('garbled.iso');
  });

  it('runs the request but closes the connection without an answer', async () => {
    api.faults.dropNext(1);
    await expect(upload('dropped.iso')).rejects.toThrow();
    expect(await uploadedNames()).toContain('dropped.iso');
  });

  it('answers junk: an OK without its payload (the request runs), an error code beside a result echoing the request, a page', async () => {
    api.faults.junkNext(1, 'no-payload');
    const bare = await upload('bare.iso');
    expect(bare.body).toEqual({ result: 'OK', action: 'upload', module: 'iso' });
    expect(await uploadedNames()).toContain('bare.iso');

    api.faults.junkNext(1, 'error-code');
    const coded = await call(api, 'iso', 'uploaded', client, {});
    expect(coded.body).toMatchObject({ result: { status: 'degraded' }, code: -1 });
    expect(String(coded.body.message)).toContain(`token=${client}`);

    api.faults.junkNext(2, 'html', 404);
    for (let i = 0; i < 2; i++) {
      const page = await upload('paged.iso');
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toContain('text/html');
    }
    expect(await uploadedNames()).not.toContain('paged.iso');
  });

  it('expires every token at once', async () => {
    api.faults.expireTokens();
    expect((await call(api, 'auth', 'info', client)).body).toEqual({ code: -2, message: 'Invalid hash' });
    const fresh = await login(api, api.keys.client);
    expect((await call(api, 'auth', 'info', fresh)).body.result).toMatchObject({ token: fresh });
  });

  it('fails the next upload', async () => {
    api.faults.failNextTask();
    await upload('doomed.iso');
    await upload('fine.iso');
    clock.advance(2000);
    const statuses = Object.fromEntries(list((await call(api, 'iso', 'uploaded', client, {})).body, 'data').map((i) => [i.iso_name, i.status]));
    expect(statuses).toMatchObject({ 'doomed.iso': 'Error', 'fine.iso': 'Active' });
  });

  it('moves time forward', async () => {
    api.faults.advanceTime(3600_000);
    expect((await call(api, 'auth', 'info', client)).body).toEqual({ code: -2, message: 'Invalid hash' });
  });

  it('reset clears pending faults', async () => {
    api.faults.serverErrorNext(5);
    api.faults.failNextTask();
    api.faults.reset();
    expect(api.faults.state()).toMatchObject({ serverErrors: 0, taskFailurePending: false, latencyMs: 0 });
    expect((await call(api, 'auth', 'info', client)).status).toBe(200);
  });
});

describe('fault injection over HTTP (POST /__control)', () => {
  it('applies every fault and reports the state', async () => {
    const { status, body } = await control(api, {
      latencyMs: 10,
      serverErrors: 1,
      serverErrorStatus: 500,
      rateLimits: 1,
      retryAfterSeconds: 3,
      malformed: 1,
      drops: 1,
      failNextTask: 'no BMC',
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      faults: {
        latencyMs: 10,
        serverErrors: 1,
        serverErrorStatus: 500,
        rateLimits: 1,
        retryAfterSeconds: 3,
        malformed: 1,
        drops: 1,
        junk: 0,
        junkKind: 'no-payload',
        junkStatus: 200,
        taskFailurePending: true,
        actionFaults: {},
        holds: {},
      },
    });
    expect((await get(api, '/__control')).body).toEqual({ faults: body.faults });
    await expect(call(api, 'auth', 'info', client)).rejects.toThrow();
    expect((await call(api, 'auth', 'info', client)).status).toBe(500);
    expect((await call(api, 'auth', 'info', client)).status).toBe(429);
    const garbled = await upload('x.iso');
    expect(() => JSON.parse(garbled.text)).toThrow();
    expect((await call(api, 'auth', 'info', client)).body.result).toMatchObject({ token: client });
  });

  it('is never disrupted itself', async () => {
    await control(api, { serverErrors: 1, drops: 0 });
    expect((await get(api, '/__control')).status).toBe(200);
    expect((await call(api, 'auth', 'info', client)).status).toBe(503);
  });

  it('expires tokens, fails the next task and moves time', async () => {
    await control(api, { expireTokens: true });
    expect((await call(api, 'auth', 'info', client)).body).toEqual({ code: -2, message: 'Invalid hash' });
    client = await login(api, api.keys.client);
    await control(api, { failNextTask: true, advanceMs: 0 });
    const mount = await call(api, 'iso', 'mount_iso', client, { id: 40211, iso: 'Debian 12' });
    await control(api, { advanceMs: 1000 });
    const outcome = await call(api, 'callback', 'check', client, { key: String(mount.body.callback) });
    expect(outcome.body).toMatchObject({ result: 'Error', scope: 'Mount failed: the BMC did not answer in time' });
  });

  it('rejects bodies it does not understand with 400 and the reason', async () => {
    const unknown = await control(api, { explode: true });
    expect(unknown.status).toBe(400);
    expect(String(unknown.body.error)).toContain('explode');
    const negative = await control(api, { drops: -1 });
    expect(negative.status).toBe(400);
    expect(api.faults.state().drops).toBe(0);
  });
});
