import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, type Cache, type TrackedTask } from '../../main/cache/index.js';
import { profile, tempDir } from './fixtures.js';

function task(key: string, fields: Partial<TrackedTask> = {}): TrackedTask {
  return {
    key,
    kind: 'mount',
    profile: 'alice',
    server_id: 7,
    iso_name: 'ubuntu.iso',
    url: null,
    iso_id: null,
    state: 'running',
    status: null,
    message: null,
    created_at: 1_000,
    updated_at: 1_000,
    finished_at: null,
    polls: 0,
    next_poll_at: 3_000,
    ok_result: null,
    failures: 0,
    ...fields,
  };
}

describe('task journal', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: Cache;

  beforeEach(() => {
    tmp = tempDir();
    cache = openCache(tmp.file);
    cache.profiles.upsert(profile('alice'));
    cache.profiles.upsert(profile('bob'));
  });

  afterEach(() => {
    cache.close();
    tmp.remove();
  });

  it('keeps an inserted task across a reopen, every field intact', () => {
    const upload = task('upload:https://example.com/a.iso', {
      kind: 'upload',
      server_id: null,
      iso_name: null,
      url: 'https://example.com/a.iso',
      status: 'Sent',
    });
    cache.tasks.insert(upload);
    cache.close();
    cache = openCache(tmp.file);
    expect(cache.tasks.get(upload.key)).toEqual(upload);
    expect(cache.tasks.get('missing')).toBeNull();
  });

  it('updates a task by key and returns it as stored', () => {
    cache.tasks.insert(task('k1'));
    const updated = cache.tasks.update('k1', { state: 'succeeded', status: 'OK', ok_result: '{"result":"OK"}', finished_at: 5_000, polls: 3, key: 'ignored' });
    expect(updated).toEqual(task('k1', { state: 'succeeded', status: 'OK', ok_result: '{"result":"OK"}', finished_at: 5_000, polls: 3 }));
    expect(cache.tasks.get('k1')).toEqual(updated);
    expect(cache.tasks.get('ignored')).toBeNull();
    expect(cache.tasks.update('missing', { polls: 1 })).toBeNull();
    expect(() => cache.tasks.update('k1', { state: 'exploded' as 'failed' })).toThrow();
    expect(cache.tasks.get('k1')?.state).toBe('succeeded');
  });

  it('starts afresh when the same key is inserted again', () => {
    cache.tasks.insert(task('upload:u', { state: 'failed', finished_at: 2_000, polls: 9 }));
    cache.tasks.insert(task('upload:u', { created_at: 4_000 }));
    expect(cache.tasks.list()).toEqual([task('upload:u', { created_at: 4_000 })]);
  });

  it('lists newest first, for everyone or one profile', () => {
    cache.tasks.insert(task('a', { created_at: 1 }));
    cache.tasks.insert(task('b', { created_at: 3, profile: 'bob' }));
    cache.tasks.insert(task('c', { created_at: 2 }));
    cache.tasks.insert(task('d', { created_at: 2 }));
    expect(cache.tasks.list().map((t) => t.key)).toEqual(['b', 'd', 'c', 'a']);
    expect(cache.tasks.list('alice').map((t) => t.key)).toEqual(['d', 'c', 'a']);
    expect(cache.tasks.list('nobody')).toEqual([]);
  });

  it('hands out running tasks that are due, longest waiting first, up to a limit', () => {
    expect(cache.tasks.nextDueAt()).toBeNull();
    expect(cache.tasks.due(10_000, 10)).toEqual([]);
    cache.tasks.insert(task('late', { next_poll_at: 5_000 }));
    cache.tasks.insert(task('early', { next_poll_at: 2_000 }));
    cache.tasks.insert(task('future', { next_poll_at: 9_000 }));
    cache.tasks.insert(task('done', { next_poll_at: 1_000, state: 'succeeded', finished_at: 1_500 }));
    cache.tasks.insert(task('bobs', { next_poll_at: 3_000, profile: 'bob' }));
    expect(cache.tasks.due(5_000, 10).map((t) => t.key)).toEqual(['early', 'bobs', 'late']);
    expect(cache.tasks.due(5_000, 2).map((t) => t.key)).toEqual(['early', 'bobs']);
    expect(cache.tasks.due(1_999, 10)).toEqual([]);
    expect(cache.tasks.nextDueAt()).toBe(2_000);
    expect(cache.tasks.countRunning()).toBe(4);
    cache.tasks.update('early', { next_poll_at: 8_000 });
    expect(cache.tasks.nextDueAt()).toBe(3_000);
    cache.tasks.update('bobs', { state: 'unknown', finished_at: 4_000 });
    expect(cache.tasks.due(5_000, 10).map((t) => t.key)).toEqual(['late']);
    expect(cache.tasks.countRunning()).toBe(3);
  });

  it('clears finished tasks only, for everyone or one profile', () => {
    cache.tasks.insert(task('running'));
    cache.tasks.insert(task('ok', { state: 'succeeded', finished_at: 2 }));
    cache.tasks.insert(task('bad', { state: 'failed', finished_at: 2 }));
    cache.tasks.insert(task('lost', { state: 'unknown', finished_at: 2, profile: 'bob' }));
    expect(cache.tasks.clearFinished('alice')).toBe(2);
    expect(
      cache.tasks
        .list()
        .map((t) => t.key)
        .sort(),
    ).toEqual(['lost', 'running']);
    expect(cache.tasks.clearFinished()).toBe(1);
    expect(cache.tasks.list().map((t) => t.key)).toEqual(['running']);
    expect(cache.tasks.clearFinished()).toBe(0);
  });
});
