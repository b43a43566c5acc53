/**
 * The tracker in one process: following tasks to their end against a scripted HOSTKEY (for the
 * answers the local API never gives) and the local API, the shared request budget, and idling.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checksIn, scriptedApi } from './support/scripted-api.js';
import { MemorySecretStore } from '../../main/session/secrets.js';
import type { TaskEvent } from '../../main/domain/models.js';
import { localApi, startCore, tempDir, type Core } from '../services/harness.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  while (closers.length) await closers.pop()!();
});

const scripted = (rest: Parameters<typeof scriptedApi>[0]) => scriptedApi(rest, closers);

async function core(opts: Parameters<typeof startCore>[0] = {}): Promise<Core> {
  const c = await startCore(opts);
  closers.push(() => c.app.close());
  return c;
}

function collect(c: Core): TaskEvent[] {
  const events: TaskEvent[] = [];
  c.app.events.on('tasks/changed', (e) => events.push(e));
  return events;
}

const taskKey = (n: number) => `key${String(n).padStart(29, '0')}`;

describe('following tasks', () => {
  it('resumes a task after a restart and follows it to the end', async () => {
    const api = await localApi({ taskDelayMs: 800 });
    closers.push(() => api.close());
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    const first = await startCore({ dataDir, secrets, trackTasks: false });
    await first.call('session/signIn', { profile: 'p', base_url: api.url, api_key: api.keys.client });
    const task = await first.call('iso/mount', { server_id: 40211, iso_name: 'ubuntu-24.04.1-live-server-amd64.iso' });
    expect(task).toMatchObject({ state: 'running', task_key: expect.stringMatching(/^[a-z0-9]{32}$/), accepted_at: expect.any(Number) });
    await first.app.close();

    // A new process: same data dir, same secret store (the OS keychain in the desktop app).
    const second = await core({ dataDir, secrets });
    const listed = await second.call('tasks/list', {});
    expect(listed.find((t) => t.key === task.key)?.state).toBe('running');
    const end = await second.nextEvent((e) => e.task.key === task.key && e.task.state !== 'running');
    expect(end.task.state).toBe('succeeded');
  });

  it('makes no requests while nothing is tracked, however long it idles', async () => {
    const api = await scripted(() => ({ json: { result: 'OK', servers: [] } }));
    const c = await core();
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const after = api.seen.length;
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(api.seen.length).toBe(after);
  });

  it('stores the first OK at once: a later "AsyncKey not found" still means done', async () => {
    const api = await scripted((req) => {
      if (req.fields.action === 'mount_iso') return { json: { result: 'OK', action: 'mount_iso', callback: 'k'.repeat(32) } };
      if (checksIn(api.seen).length === 1) return { json: { result: 'OK', action: 'check', scope: 'mounted', context: { action: 'mount_iso' }, debug: '' } };
      return { json: { code: -1, message: 'AsyncKey not found' } };
    });
    const c = await core({ trackTasks: false });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const events = collect(c);
    const task = await c.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    c.app.trackTasks();
    await c.nextEvent((e) => e.task.key === task.key && e.task.state !== 'running');
    // The intent, its acceptance with the key, the OK.
    expect(events.map((e) => e.type)).toEqual(['created', 'progress', 'finished']);
    expect(events[0]!.task).toMatchObject({ accepted_at: null, task_key: null });
    expect(events[1]!.task).toMatchObject({ task_key: 'k'.repeat(32) });
    await c.app.tracker.tick();
    expect(checksIn(api.seen)).toHaveLength(1);
  });

  it('says the outcome is unknown when the key vanished before any OK', async () => {
    const api = await scripted((req) =>
      req.fields.action === 'mount_iso' ? { json: { result: 'OK', callback: 'z'.repeat(32) } } : { json: { code: -1, message: 'AsyncKey not found' } },
    );
    const c = await core();
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const done = c.nextEvent((e) => e.task.state !== 'running');
    await c.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    const end = await done;
    expect(end.type).toBe('unknown');
    expect(end.task.message).toMatch(/never saw its result/);
  });

  it('keeps polling through network failures, saying why it still waits', async () => {
    let dropsLeft = 6; // two polls' worth: the client tries a read three times
    const api = await scripted((req) => {
      if (req.fields.action === 'mount_iso') return { json: { result: 'OK', callback: 'q'.repeat(32) } };
      if (dropsLeft > 0) {
        dropsLeft--;
        return { drop: true };
      }
      return { json: { result: 'OK', action: 'check', scope: 'mounted' } };
    });
    const c = await core({ taskPoll: { min: 0, max: 50 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const events = collect(c);
    const task = await c.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    const end = await c.nextEvent((e) => e.task.key === task.key && e.task.state !== 'running');
    expect(end.task.state).toBe('succeeded');
    expect(dropsLeft).toBe(0);
    const waiting = events.filter((e) => e.type === 'progress' && e.task.message?.startsWith('Still waiting:'));
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(checksIn(api.seen)).toHaveLength(7);
  });

  it('records a mount HOSTKEY accepted without a task key as unknown, without polling it', async () => {
    const api = await scripted(() => ({ json: { result: 'OK', action: 'mount_iso' } }));
    const c = await core({ taskPoll: { min: 0, max: 0 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const task = await c.call('iso/mount', { server_id: 3, iso_name: 'a.iso' });
    expect(task.state).toBe('unknown');
    expect(task.message).toMatch(/no task key/);
    await c.app.tracker.tick();
    expect(checksIn(api.seen)).toHaveLength(0);
  });

  it('closes cleanly while a poll is in flight: the poll finishes first, nothing writes after', async () => {
    const api = await scripted((req) =>
      req.fields.action === 'mount_iso' ? { json: { result: 'OK', callback: 'w'.repeat(32) } } : { json: { result: 'OK', scope: 'mounted' }, delayMs: 300 },
    );
    const c = await startCore({ trackTasks: false, taskPoll: { min: 0, max: 0 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    await c.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    c.app.trackTasks();
    await vi.waitFor(() => expect(checksIn(api.seen)).toHaveLength(1));
    await c.app.close();
    const reopened = await core({ dataDir: c.dataDir, trackTasks: false });
    expect((await reopened.call('tasks/list', {}))[0]!.state).toBe('succeeded');
  });
});

describe('the shared request budget', () => {
  it('holds polling to its rate, round-robin, so every task is asked about before any twice', async () => {
    let n = 0;
    const api = await scripted((req) => {
      if (req.fields.action === 'mount_iso') return { json: { result: 'OK', callback: taskKey(++n) } };
      return { json: { result: 'Not ready' } };
    });
    const c = await core({ trackTasks: false, taskPoll: { min: 0, max: 0 }, pollBudget: { rate: 20, burst: 4 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    for (let i = 0; i < 30; i++) await c.call('iso/mount', { server_id: i + 1, iso_name: 'a.iso' });
    const started = performance.now();
    const before = api.seen.length;
    c.app.trackTasks();
    await vi.waitFor(() => expect(new Set(checksIn(api.seen.slice(before)).map((s) => s.fields.key)).size).toBe(30), { timeout: 10_000 });
    const seconds = (performance.now() - started) / 1000;
    const checks = checksIn(api.seen.slice(before));
    // A burst of 4, then at most 20 a second; +1 for the request in flight when counting.
    expect(checks.length).toBeLessThanOrEqual(4 + Math.ceil(20 * seconds) + 1);
    expect(new Set(checks.slice(0, 30).map((s) => s.fields.key)).size).toBe(30);
  });
});

describe('uploads', () => {
  it('matches an upload back to its task by URL, or else by file name, when the answer says nothing', async () => {
    const url = 'https://mirror.example/isos/rescue-7.iso';
    let listed: unknown[] = [{ id: 3, iso_name: 'rescue-7.iso', url, status: 'Active' }];
    const api = await scripted((req) => {
      if (req.fields.action === 'upload') return { json: { result: 'OK', action: 'upload' } };
      if (req.fields.action === 'uploaded') return { json: { result: 'OK', data: listed } };
      return { json: { code: -1, message: 'unexpected' } };
    });
    const c = await core({ trackTasks: false });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    // An earlier upload of the same URL already ended; this new one must not take its image.
    const earlier = await c.call('uploads/start', { url });
    c.app.trackTasks();
    const first = await c.nextEvent((e) => e.task.key === earlier.key && e.task.state !== 'running');
    expect(first.task).toMatchObject({ state: 'succeeded', iso_id: 3 });

    const again = await c.call('uploads/start', { url });
    const byUrl = c.nextEvent((e) => e.task.key === again.key && e.task.iso_id !== null);
    listed = [...listed, { id: 9, iso_name: 'rescue-7.iso', url, status: 'Downloading' }];
    expect((await byUrl).task).toMatchObject({ state: 'running', iso_id: 9, status: 'Downloading' });

    // HOSTKEY may list an image without its source URL: the file name still finds it.
    const other = await c.call('uploads/start', { url: 'https://cdn.example/x/tools%20disk.iso' });
    listed = [...listed, { id: 12, iso_name: 'tools disk.iso', status: 'Active' }];
    const byName = await c.nextEvent((e) => e.task.key === other.key && e.task.state !== 'running');
    expect(byName.task).toMatchObject({ state: 'succeeded', iso_id: 12 });
  });

  it("says why an upload failed in HOSTKEY's words, from the image's history", async () => {
    const api = await localApi({ uploadStepMs: 100 });
    closers.push(() => api.close());
    const c = await core();
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: api.keys.client });
    const task = await c.call('uploads/start', { url: 'https://downloads.example/fail/missing.iso' });
    const end = await c.nextEvent((e) => e.task.key === task.key && e.task.state !== 'running');
    expect(end.task).toMatchObject({ state: 'failed', status: 'Error', message: 'Download failed: The remote server answered 404 Not Found' });
    expect((await c.call('iso/history', { iso_id: end.task.iso_id!, refresh: false })).items[0]).toMatchObject({ description: 'Download failed' });
  });

  it("follows a staff upload with the customer's email and id to its end", async () => {
    const api = await localApi({ uploadStepMs: 100 });
    closers.push(() => api.close());
    const c = await core();
    await c.call('session/signIn', { profile: 'staff', base_url: api.url, api_key: api.keys.staff! });
    const task = await c.call('uploads/start', { url: 'https://downloads.example/isos/for-client.iso', email: 'client@example.com', customer_id: 1001 });
    expect(task).toMatchObject({ email: 'client@example.com', customer_id: 1001 });
    const end = await c.nextEvent((e) => e.task.key === task.key && e.task.state !== 'running');
    expect(end.task).toMatchObject({ state: 'succeeded', status: 'Active', message: 'for-client.iso is ready.' });
    expect((await c.call('uploads/list', { email: 'client@example.com' })).items.map((i) => i.iso_name)).toContain('for-client.iso');
  });
});
