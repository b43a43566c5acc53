import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCache, type ClaimRequest, type TrackedTask } from '../../main/cache/index.js';
import { openConnection } from '../../main/cache/connection.js';
import { MIGRATIONS, migrate } from '../../main/cache/migrations.js';
import { trackedTask } from './fixtures.js';
import { tempCache } from './temp-cache.js';

const task = trackedTask;

const claim = (over: Partial<ClaimRequest> = {}): ClaimRequest => ({ owner: 'me', now: 10_000, claimMs: 90_000, dead: [], ...over });

describe('task journal', () => {
  const temp = tempCache('alice', 'bob');
  // A budget that never makes these tests wait, unless a test sets its own.
  beforeEach(() => temp.cache.tasks.setBudget(1_000, 1_000));

  it('keeps an inserted task across a reopen, every field intact, and never overwrites it', () => {
    const upload = task('u1', {
      kind: 'upload',
      server_id: null,
      iso_name: null,
      url: 'https://example.com/a.iso',
      email: 'client@example.com',
      customer_id: 1001,
      task_key: null,
      status: 'Sent',
    });
    temp.cache.tasks.insert(upload);
    expect(() => temp.cache.tasks.insert({ ...upload, state: 'failed' })).toThrow();
    temp.reopen();
    expect(temp.cache.tasks.get('u1')).toEqual(upload);
    expect(temp.cache.tasks.get('missing')).toBeNull();
  });

  it('advances a running task only, under its condition, counting each write', () => {
    temp.cache.tasks.insert(task('k1', { claim_owner: 'me', claim_until: 99_000 }));
    expect(temp.cache.tasks.advance('k1', { polls: 1 }, { owner: 'someone else' })).toBeNull();
    expect(temp.cache.tasks.advance('k1', { polls: 1 }, { intent: true })).toBeNull();
    expect(temp.cache.tasks.advance('k1', { polls: 1, claim_owner: null }, { owner: 'me' })).toMatchObject({ polls: 1, rev: 1, claim_owner: null });
    const done = temp.cache.tasks.advance('k1', { state: 'succeeded', ok_result: '{"result":"OK"}', finished_at: 5_000 });
    expect(done).toEqual(task('k1', { state: 'succeeded', ok_result: '{"result":"OK"}', finished_at: 5_000, polls: 1, rev: 2 }));
    // A process holding a stale copy of the row cannot change a result.
    expect(temp.cache.tasks.advance('k1', { state: 'unknown', message: 'AsyncKey not found' })).toBeNull();
    expect(temp.cache.tasks.get('k1')).toEqual(done);
    expect(temp.cache.tasks.advance('missing', { polls: 1 })).toBeNull();
    temp.cache.tasks.insert(task('k2'));
    expect(() => temp.cache.tasks.advance('k2', { state: 'exploded' as 'failed' })).toThrow();
    expect(temp.cache.tasks.get('k2')).toEqual(task('k2'));
  });

  it('refuses, in the file itself, any change to a finished state, a stored OK or a task key', () => {
    temp.cache.tasks.insert(task('k1', { state: 'succeeded', ok_result: '{}', finished_at: 2_000 }));
    temp.cache.tasks.insert(task('k2'));
    const raw = new Database(temp.file);
    try {
      expect(() => raw.prepare(`UPDATE tasks SET state = 'unknown' WHERE key = 'k1'`).run()).toThrow(/only moves forward/);
      expect(() => raw.prepare(`UPDATE tasks SET ok_result = NULL WHERE key = 'k1'`).run()).toThrow(/only moves forward/);
      expect(() => raw.prepare(`UPDATE tasks SET task_key = 'other' WHERE key = 'k2'`).run()).toThrow(/only moves forward/);
      // The released version's upsert of a whole row is refused the same way.
      expect(() =>
        raw
          .prepare(
            `INSERT INTO tasks (key, profile, kind, state, created_at, updated_at, polls, next_poll_at, failures) VALUES ('k1', 'alice', 'mount', 'unknown', 1, 1, 0, 0, 0)
                     ON CONFLICT (key) DO UPDATE SET state = excluded.state`,
          )
          .run(),
      ).toThrow(/only moves forward/);
      raw.prepare(`UPDATE tasks SET message = 'still fine' WHERE key = 'k1'`).run();
    } finally {
      raw.close();
    }
    expect(temp.cache.tasks.get('k1')).toMatchObject({ state: 'succeeded', ok_result: '{}', message: 'still fine' });
  });

  it('lists newest first, for everyone or one profile', () => {
    temp.cache.tasks.insert(task('a', { created_at: 1 }));
    temp.cache.tasks.insert(task('b', { created_at: 3, profile: 'bob' }));
    temp.cache.tasks.insert(task('c', { created_at: 2 }));
    temp.cache.tasks.insert(task('d', { created_at: 2 }));
    expect(temp.cache.tasks.list().map((t) => t.key)).toEqual(['b', 'd', 'c', 'a']);
    expect(temp.cache.tasks.list('alice').map((t) => t.key)).toEqual(['d', 'c', 'a']);
    expect(temp.cache.tasks.list('nobody')).toEqual([]);
  });

  it('claims the longest-waiting due task, skipping intents and tasks other processes hold', () => {
    expect(temp.cache.tasks.claimNext(claim())).toEqual({ kind: 'idle', nextAt: null });
    temp.cache.tasks.insert(task('late', { next_poll_at: 5_000 }));
    temp.cache.tasks.insert(task('early', { next_poll_at: 2_000, claim_owner: 'other', claim_until: 60_000 }));
    temp.cache.tasks.insert(task('future', { next_poll_at: 20_000 }));
    temp.cache.tasks.insert(task('intent', { accepted_at: null, task_key: null, next_poll_at: 0, claim_owner: 'sender', claim_until: 50_000 }));
    temp.cache.tasks.insert(task('done', { next_poll_at: 1_000, state: 'succeeded', finished_at: 1_500 }));
    temp.cache.tasks.insert(task('bobs', { next_poll_at: 3_000, profile: 'bob' }));

    const first = temp.cache.tasks.claimNext(claim());
    expect(first).toMatchObject({ kind: 'claimed', tasks: [{ key: 'bobs', claim_owner: 'me', claim_until: 100_000 }] });
    expect(temp.cache.tasks.claimNext(claim())).toMatchObject({ kind: 'claimed', tasks: [{ key: 'late' }] });
    // Nothing else is due; the first thing to happen is the future task coming due.
    expect(temp.cache.tasks.claimNext(claim())).toEqual({ kind: 'idle', nextAt: 20_000 });
    expect(temp.cache.tasks.claimOwners(10_000).sort()).toEqual(['me', 'other', 'sender']);

    // A claim of a dead process is free at once; an expired one too.
    expect(temp.cache.tasks.claimNext(claim({ dead: ['other'] }))).toMatchObject({ kind: 'claimed', tasks: [{ key: 'early' }] });
    temp.cache.tasks.release('me');
    expect(temp.cache.tasks.get('bobs')).toMatchObject({ claim_owner: null, claim_until: null });
    expect(temp.cache.tasks.get('intent')).toMatchObject({ claim_owner: 'sender' });
    expect(temp.cache.tasks.claimNext(claim({ owner: 'third', now: 100_001 })).kind).toBe('claimed');
  });

  it('claims every running upload of one profile and customer together: one list answers them all', () => {
    const upload = (key: string, fields: Partial<TrackedTask>) => task(key, { kind: 'upload', task_key: null, url: `https://x.test/${key}.iso`, ...fields });
    temp.cache.tasks.insert(upload('u1', { next_poll_at: 1_000 }));
    temp.cache.tasks.insert(upload('u2', { next_poll_at: 50_000 }));
    temp.cache.tasks.insert(upload('staff1', { next_poll_at: 2_000, email: 'c@example.com', customer_id: 5 }));
    temp.cache.tasks.insert(upload('u3', { next_poll_at: 1_000, profile: 'bob' }));
    const answer = temp.cache.tasks.claimNext(claim());
    expect(answer.kind === 'claimed' && answer.tasks.map((t) => t.key).sort()).toEqual(['u1', 'u2']);
    expect(temp.cache.tasks.claimNext(claim())).toMatchObject({ tasks: [{ key: 'u3' }] });
    expect(temp.cache.tasks.claimNext(claim())).toMatchObject({ tasks: [{ key: 'staff1', email: 'c@example.com' }] });
  });

  it('shares one request budget between connections: bursts, then the rate', () => {
    temp.cache.tasks.setBudget(2, 4);
    const other = openCache(temp.file);
    try {
      for (let i = 0; i < 10; i++) temp.cache.tasks.insert(task(`t${i}`, { next_poll_at: 0 }));
      const taken = [temp.cache, other, temp.cache, other].map((c) => c.tasks.claimNext(claim({ owner: 'x', now: 1_000 })).kind);
      expect(taken).toEqual(['claimed', 'claimed', 'claimed', 'claimed']);
      expect(other.tasks.claimNext(claim({ now: 1_000 }))).toEqual({ kind: 'wait', waitMs: 500 });
      expect(temp.cache.tasks.takeToken(1_250)).toBe(250);
      expect(temp.cache.tasks.claimNext(claim({ now: 1_500 })).kind).toBe('claimed');
      expect(other.tasks.takeToken(1_500)).toBe(500);
      expect(other.tasks.takeToken(2_000)).toBe(0);
      // A clock that runs behind another process's refills nothing.
      expect(temp.cache.tasks.takeToken(1_000)).toBe(500);
    } finally {
      other.close();
    }
  });

  it('finds intents whose sender is gone, and lets the sender withdraw one HOSTKEY refused', () => {
    const intent = (key: string, fields: Partial<TrackedTask>) => task(key, { accepted_at: null, task_key: null, ...fields });
    temp.cache.tasks.insert(intent('sending', { claim_owner: 'alive', claim_until: 50_000 }));
    temp.cache.tasks.insert(intent('expired', { claim_owner: 'slow', claim_until: 9_000 }));
    temp.cache.tasks.insert(intent('crashed', { claim_owner: 'dead', claim_until: 50_000 }));
    expect(temp.cache.tasks.abandonedIntents(10_000, ['dead']).map((t) => t.key)).toEqual(['expired', 'crashed']);
    expect(temp.cache.tasks.claimNext(claim())).toEqual({ kind: 'idle', nextAt: 10_000 });
    expect(temp.cache.tasks.withdraw('sending', 'someone else')).toBe(false);
    expect(temp.cache.tasks.withdraw('sending', 'alive')).toBe(true);
    expect(temp.cache.tasks.get('sending')).toBeNull();
  });

  it('clears finished tasks only, for everyone or one profile', () => {
    temp.cache.tasks.insert(task('running'));
    temp.cache.tasks.insert(task('ok', { state: 'succeeded', finished_at: 2 }));
    temp.cache.tasks.insert(task('bad', { state: 'failed', finished_at: 2 }));
    temp.cache.tasks.insert(task('lost', { state: 'unknown', finished_at: 2, profile: 'bob' }));
    expect(temp.cache.tasks.clearFinished('alice')).toBe(2);
    expect(
      temp.cache.tasks
        .list()
        .map((t) => t.key)
        .sort(),
    ).toEqual(['lost', 'running']);
    expect(temp.cache.tasks.clearFinished()).toBe(1);
    expect(temp.cache.tasks.list().map((t) => t.key)).toEqual(['running']);
    expect(temp.cache.tasks.countRunning()).toBe(1);
  });

  it('carries the released journal over: task keys, acceptance, results', () => {
    const file = `${temp.dir}/released.db`;
    const db = openConnection(file, {});
    try {
      migrate(db, MIGRATIONS.slice(0, 1));
      db.prepare(`INSERT INTO profiles (name, base_url, permissions, auth, signed_in) VALUES ('alice', 'https://x.test', '[]', 'key', 1)`).run();
      const insert = db.prepare(
        `INSERT INTO tasks (key, profile, kind, server_id, iso_name, url, state, status, message, created_at, updated_at, finished_at, polls, next_poll_at, ok_result, failures)
         VALUES (?, 'alice', ?, 7, 'a.iso', ?, ?, NULL, NULL, 100, 200, NULL, 3, 900, ?, 0)`,
      );
      insert.run('k'.repeat(32), 'mount', null, 'running', null);
      insert.run('mount:lx3:7', 'mount', null, 'unknown', null);
      insert.run('upload:lx4:https://x.test/a.iso', 'upload', 'https://x.test/a.iso', 'succeeded', '{"result":"OK"}');
      migrate(db);
    } finally {
      db.close();
    }
    const migrated = openCache(file);
    try {
      expect(migrated.tasks.get('k'.repeat(32))).toMatchObject({ task_key: 'k'.repeat(32), accepted_at: 100, state: 'running', polls: 3, rev: 0 });
      expect(migrated.tasks.get('mount:lx3:7')).toMatchObject({ task_key: null, accepted_at: 100, state: 'unknown' });
      expect(migrated.tasks.get('upload:lx4:https://x.test/a.iso')).toMatchObject({ task_key: null, email: null, ok_result: '{"result":"OK"}' });
    } finally {
      migrated.close();
    }
  });
});
