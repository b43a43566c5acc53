/**
 * Several app instances on one data folder (each its own SQLite connection and claim owner, as
 * separate processes would be) and the write-ahead intents of state-changing requests. The
 * multi-process tests (multi-process.test.ts) repeat the main points with real processes.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checksIn, scriptedApi } from './support/scripted-api.js';
import { MemorySecretStore } from '../../main/session/secrets.js';
import { systemClock, type Clock } from '../../main/api/clock.js';
import { openCache } from '../../main/cache/index.js';
import { trackedTask } from '../cache/fixtures.js';
import type { Task, TaskEvent } from '../../main/domain/models.js';
import { TASK_REPORT_PATH } from '../../main/local-api/server.js';
import { localApi, rejection, startCore, tempDir, type Core } from '../services/harness.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const scripted = (rest: Parameters<typeof scriptedApi>[0]) => scriptedApi(rest, closers);

/** Several app instances sharing a data folder and a secret store, as the app and CLIs do. */
function folder() {
  const dataDir = tempDir();
  const secrets = new MemorySecretStore();
  return async (opts: Parameters<typeof startCore>[0] = {}): Promise<Core> => {
    const c = await startCore({ dataDir, secrets, ...opts });
    closers.push(() => c.app.close());
    return c;
  };
}

/** Every task's last state as this instance heard it through events. */
function finalStates(c: Core): Map<string, Task['state']> {
  const states = new Map<string, Task['state']>();
  c.app.events.on('tasks/changed', (e: TaskEvent) => states.set(e.task.key, e.task.state));
  return states;
}

/** Runs ahead of the real clock: another process whose clock says a claim has run out. */
const aheadBy = (ms: number): Clock => ({ ...systemClock, now: () => Date.now() + ms });

describe('many instances, one journal', () => {
  it('an idle app follows a task another process started, and the key is checked only until its OK', async () => {
    const api = await localApi({ taskDelayMs: 300 });
    closers.push(() => api.close());
    const instance = folder();
    const app = await instance();
    const cli = await instance({ trackTasks: false });
    await cli.call('session/signIn', { profile: 'p', base_url: api.url, api_key: api.keys.client });
    const seen = app.nextEvent((e) => e.task.state === 'succeeded');
    const task = await cli.call('iso/mount', { server_id: 40211, iso_name: 'ubuntu-24.04.1-live-server-amd64.iso' });
    expect((await seen).task.key).toBe(task.key);
    const [report] = api.taskReport();
    expect(report).toMatchObject({ key: task.task_key, outcome: 'ok', checks_after_outcome: 0 });
    // Tests in other processes read the same over HTTP.
    expect(await (await fetch(`${api.url}${TASK_REPORT_PATH}`)).json()).toEqual({ tasks: [report] });
    expect((await cli.call('tasks/list', {}))[0]).toMatchObject({ key: task.key, state: 'succeeded' });
  });

  it('two trackers on many tasks: each key asked about by one at a time, every result stored once and agreed on', async () => {
    const api = await localApi({ taskDelayMs: 400 });
    closers.push(() => api.close());
    api.faults.setLatency(20);
    const instance = folder();
    const a = await instance();
    const b = await instance();
    await a.call('session/signIn', { profile: 'p', base_url: api.url, api_key: api.keys.client });
    const [statesA, statesB] = [finalStates(a), finalStates(b)];
    const isos = ['ubuntu-24.04.1-live-server-amd64.iso', 'broken-rescue-cd.iso', 'debian-12.7.0-amd64-netinst.iso'];
    const tasks: Task[] = [];
    for (let i = 0; i < 24; i++) {
      const by = i % 2 ? a : b;
      tasks.push(await by.call('iso/mount', { server_id: [40211, 40212, 40215][i % 3]!, iso_name: isos[i % 3]! }));
    }
    await vi.waitFor(
      () => {
        for (const t of tasks) {
          expect(statesA.get(t.key)).not.toBe('running');
          expect(statesB.get(t.key)).not.toBe('running');
        }
      },
      { timeout: 20_000, interval: 100 },
    );
    const stored = new Map((await a.call('tasks/list', {})).map((t) => [t.task_key, t]));
    for (const report of api.taskReport()) {
      expect(report.checks_after_outcome).toBe(0);
      const task = stored.get(report.key)!;
      expect(task.state).toBe(report.outcome === 'ok' ? 'succeeded' : 'failed');
      expect(statesA.get(task.key)).toBe(task.state);
      expect(statesB.get(task.key)).toBe(task.state);
    }
    expect(api.taskReport()).toHaveLength(24);
  });

  it('"AsyncKey not found" after another process stored the OK never turns the result into unknown', async () => {
    const api = await scripted((req) => {
      if (req.fields.action === 'mount_iso') return { json: { result: 'OK', callback: 'r'.repeat(32) } };
      // The first check gets the OK, slowly; a second one meanwhile meets a forgotten key, later still.
      return checksIn(api.seen).length === 1
        ? { json: { result: 'OK', action: 'check', scope: 'mounted' }, delayMs: 300 }
        : { json: { code: -1, message: 'AsyncKey not found' }, delayMs: 900 };
    });
    const instance = folder();
    const a = await instance();
    await a.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    // A process whose clock says A's claim has run out, with an old copy of the row.
    const b = await instance({ trackTasks: false, clock: aheadBy(600_000) });
    const statesB = finalStates(b);
    const task = await a.call('iso/mount', { server_id: 1, iso_name: 'a.iso' });
    await vi.waitFor(() => expect(checksIn(api.seen)).toHaveLength(1));
    b.app.trackTasks();
    await vi.waitFor(() => expect(checksIn(api.seen)).toHaveLength(2));
    await vi.waitFor(() => expect(statesB.get(task.key)).toBe('succeeded'), { timeout: 5_000 });
    await b.app.tracker.tick();
    expect((await b.call('tasks/list', {}))[0]).toMatchObject({ key: task.key, state: 'succeeded' });
    expect([...statesB.values()]).not.toContain('unknown');
  });
});

describe('write-ahead intents', () => {
  it('shows a request in flight to other processes as sent, then fills in its key', async () => {
    const api = await scripted((req) =>
      req.fields.action === 'mount_iso' ? { json: { result: 'OK', callback: 's'.repeat(32) }, delayMs: 400 } : { json: { result: 'Not ready' } },
    );
    const instance = folder();
    const a = await instance({ trackTasks: false });
    const b = await instance({ trackTasks: false });
    await a.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const sending = a.call('iso/mount', { server_id: 4, iso_name: 'a.iso' });
    await vi.waitFor(() => expect(api.seen.some((s) => s.fields.action === 'mount_iso')).toBe(true));
    const [inFlight] = await b.call('tasks/list', {});
    expect(inFlight).toMatchObject({ kind: 'mount', server_id: 4, iso_name: 'a.iso', state: 'running', accepted_at: null, task_key: null });
    const task = await sending;
    expect(task).toMatchObject({ key: inFlight!.key, task_key: 's'.repeat(32), accepted_at: expect.any(Number) });
    expect(await b.call('tasks/list', {})).toEqual([task]);
  });

  it('keeps a request whose answer was lost as "outcome unknown"', async () => {
    const api = await scripted((req) => (req.fields.action === 'mount_iso' ? { drop: true } : { json: { result: 'Not ready' } }));
    const instance = folder();
    const a = await instance();
    await a.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const err = await rejection(a.call('iso/mount', { server_id: 4, iso_name: 'a.iso' }));
    expect(err.kind).toBe('unknown_outcome');
    const [task] = await a.call('tasks/list', {});
    expect(task).toMatchObject({ state: 'unknown', accepted_at: null, message: expect.stringMatching(/may or may not have reached HOSTKEY/) });
    // Never sent again by itself.
    expect(api.seen.filter((s) => s.fields.action === 'mount_iso')).toHaveLength(1);
  });

  it('withdraws the intent of a request HOSTKEY refused: nothing happened', async () => {
    const api = await scripted(() => ({ json: { code: -1, message: 'invalid argument iso: no ISO image named "a.iso" is available' } }));
    const instance = folder();
    const a = await instance();
    const events: TaskEvent['type'][] = [];
    a.app.events.on('tasks/changed', (e) => events.push(e.type));
    await a.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    const err = await rejection(a.call('iso/mount', { server_id: 4, iso_name: 'a.iso' }));
    expect(err.message).toMatch(/no ISO image named/);
    expect(await a.call('tasks/list', {})).toEqual([]);
    expect(events).toEqual(['created', 'cleared']);
  });

  it('reads an intent whose sender died as "sent at T, outcome unknown"', async () => {
    const instance = folder();
    const a = await instance({ trackTasks: false });
    const api = await localApi();
    closers.push(() => api.close());
    await a.call('session/signIn', { profile: 'p', base_url: api.url, api_key: api.keys.client });
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const cache = openCache(path.join(a.dataDir, 'isodesk.db'));
    const now = Date.now();
    cache.tasks.insert(
      trackedTask('intent-1', {
        kind: 'unmount',
        profile: 'p',
        iso_name: null,
        task_key: null,
        created_at: now,
        accepted_at: null,
        updated_at: now,
        claim_owner: `${gone}@${os.hostname()}#0badc0de`,
        claim_until: now + 600_000,
      }),
    );
    cache.close();
    const [task] = await a.call('tasks/list', {});
    expect(task).toMatchObject({
      key: 'intent-1',
      state: 'unknown',
      message: expect.stringMatching(/^Sent at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, outcome unknown/),
    });
  });

  it('keeps an acceptance that arrives after its intent was given up as a task of its own', async () => {
    const api = await scripted((req) =>
      req.fields.action === 'mount_iso' ? { json: { result: 'OK', callback: 'l'.repeat(32) }, delayMs: 500 } : { json: { result: 'Not ready' } },
    );
    const instance = folder();
    const a = await instance({ trackTasks: false });
    await a.call('session/signIn', { profile: 'p', base_url: api.url, api_key: 'key-0123456789' });
    // A process whose clock says the sender's claim ran out (as after a laptop slept mid-request).
    const b = await instance({ trackTasks: false, clock: aheadBy(600_000) });
    const sending = a.call('iso/mount', { server_id: 4, iso_name: 'a.iso' });
    await vi.waitFor(() => expect(api.seen.some((s) => s.fields.action === 'mount_iso')).toBe(true));
    const [given] = await b.call('tasks/list', {});
    expect(given).toMatchObject({ state: 'unknown', task_key: null });
    const task = await sending;
    expect(task).toMatchObject({ state: 'running', task_key: 'l'.repeat(32) });
    expect(task.key).not.toBe(given!.key);
    expect((await a.call('tasks/list', {})).map((t) => t.state).sort()).toEqual(['running', 'unknown']);
  });
});
