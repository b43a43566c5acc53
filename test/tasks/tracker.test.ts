import { afterEach, describe, expect, it } from 'vitest';
import { cannedServer, type Reply, type Seen } from '../api/canned-server.js';
import { MemorySecretStore } from '../../main/session/secrets.js';
import type { TaskEvent } from '../../main/domain/models.js';
import { localApi, startCore, tempDir, type Core } from '../services/harness.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A scripted HOSTKEY: login and info answer normally, everything else comes from `rest`. */
async function scriptedApi(rest: (req: Seen) => Reply) {
  const server = await cannedServer((req) => {
    if (req.fields.action === 'login')
      return { json: { result: 'OK', token: 'tok-scripted-0000000000000000', token_expire: Math.floor(Date.now() / 1000) + 3600 } };
    if (req.fields.action === 'info')
      return { json: { result: { role: 'Customer', role_type: 'Customer', permissions: [], email: 'c@example.com', customer_id: 5 } } };
    return rest(req);
  });
  closers.push(server.close);
  return server;
}

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('task journal', () => {
  it('resumes a task after a restart and follows it to the end', async () => {
    const api = await localApi({ taskDelayMs: 800 });
    closers.push(() => api.close());
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    const first = await startCore({ dataDir, secrets, trackTasks: false });
    await first.call('session/signIn', { profile: 'p', base_url: api.url, api_key: api.keys.client });
    const sid = (await first.call('servers/list', { refresh: true })).items[0]!.id;
    await first.call('catalog/sync', { server_id: sid });
    const iso = (await first.call('catalog/query', { server_id: sid, limit: 1 })).rows[0]!;
    const task = await first.call('iso/mount', { server_id: sid, iso_name: iso.iso_name });
    await first.app.close();

    // A new process: same data dir, same secret store (the OS keychain in the desktop app).
    const second = await core({ dataDir, secrets });
    const listed = await second.call('tasks/list', {});
    expect(listed.find((t) => t.key === task.key)?.state).toBe('running');
    const end = await second.nextEvent((e) => e.task.key === task.key && e.task.state !== 'running');
    expect(end.task.state).toBe('succeeded');
  });

  it('makes no requests while nothing is tracked', async () => {
    const api = await scriptedApi(() => ({ json: { result: 'OK', servers: [] } }));
    const c = await core();
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const after = api.seen.length;
    await sleep(800);
    expect(api.seen.length).toBe(after);
  });

  it('stores the first OK at once: a later "AsyncKey not found" still means done', async () => {
    let checks = 0;
    const api = await scriptedApi((req) => {
      if (req.fields.action === 'mount_iso') return { json: { result: 'OK', action: 'mount_iso', callback: 'k'.repeat(32) } };
      checks++;
      if (checks === 1) return { json: { result: 'OK', action: 'check', scope: 'mounted', context: { action: 'mount_iso' }, debug: '' } };
      return { json: { code: -1, message: 'AsyncKey not found' } };
    });
    const c = await core({ trackTasks: false });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const events = collect(c);
    const task = await c.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    await c.app.tracker.tick(); // not due yet: no request
    expect(checks).toBe(0);
    c.app.trackTasks();
    await c.nextEvent((e) => e.task.key === task.key && e.task.state !== 'running');
    expect(events.map((e) => e.type)).toEqual(['created', 'finished']);
    expect(checks).toBe(1);
  });

  it('says the outcome is unknown when the key vanished before any OK', async () => {
    const api = await scriptedApi((req) =>
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

  it('keeps polling through network failures and bounds requests per wake-up', async () => {
    let n = 0;
    const api = await scriptedApi((req) => {
      if (req.fields.action === 'mount_iso') return { json: { result: 'OK', callback: `key${String(++n).padStart(29, '0')}` } };
      return { json: { result: 'Not ready' } };
    });
    const c = await core({ trackTasks: false, taskPoll: { min: 0, max: 0 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    for (let i = 0; i < 20; i++) await c.call('iso/mount', { server_id: i + 1, iso_name: 'a.iso' });
    const before = api.seen.length;
    await c.app.tracker.tick();
    const checks = api.seen.slice(before).filter((s) => s.fields.action === 'check');
    expect(checks.length).toBe(8);
    expect((await c.call('tasks/list', {})).every((t) => t.state === 'running')).toBe(true);
  });

  it('treats a task check failure as transient and retries later', async () => {
    let fail = true;
    const api = await scriptedApi((req) => {
      if (req.fields.action === 'mount_iso') return { json: { result: 'OK', callback: 'q'.repeat(32) } };
      if (fail) return { drop: true };
      return { json: { result: 'OK', action: 'check', scope: 'mounted' } };
    });
    const c = await core({ trackTasks: false, taskPoll: { min: 0, max: 0 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const task = await c.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    await c.app.tracker.tick();
    const waiting = (await c.call('tasks/list', {})).find((t) => t.key === task.key)!;
    expect(waiting.state).toBe('running');
    expect(waiting.message).toMatch(/Still waiting/);
    fail = false;
    await c.app.tracker.tick();
    expect((await c.call('tasks/list', {})).find((t) => t.key === task.key)!.state).toBe('succeeded');
  });

  it('records a mount HOSTKEY accepted without a task key as unknown, without polling it', async () => {
    const api = await scriptedApi(() => ({ json: { result: 'OK', action: 'mount_iso' } }));
    const c = await core({ taskPoll: { min: 0, max: 0 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const task = await c.call('iso/mount', { server_id: 3, iso_name: 'a.iso' });
    expect(task.state).toBe('unknown');
    expect(task.message).toMatch(/no task key/);
    await c.app.tracker.tick();
    expect(api.seen.some((s) => s.fields.action === 'check')).toBe(false);
  });

  it('closes cleanly while a poll is in flight: the poll finishes first, nothing writes after', async () => {
    const api = await scriptedApi((req) =>
      req.fields.action === 'mount_iso' ? { json: { result: 'OK', callback: 'w'.repeat(32) } } : { json: { result: 'OK', scope: 'mounted' }, delayMs: 300 },
    );
    const c = await startCore({ trackTasks: false, taskPoll: { min: 0, max: 0 } });
    await c.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    await c.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    c.app.trackTasks();
    await sleep(100);
    expect(api.seen.some((s) => s.fields.action === 'check')).toBe(true);
    await c.app.close();
    const reopened = await core({ dataDir: c.dataDir, trackTasks: false });
    expect((await reopened.call('tasks/list', {}))[0]!.state).toBe('succeeded');
  });
});
