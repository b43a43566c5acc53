/**
 * The task journal. HOSTKEY hands out a task key once and forgets it after the first OK answer,
 * so the writes that record those two things are fsynced before returning (`durably`); polling
 * bookkeeping rides on the cheaper WAL default, which survives a crash of the process.
 */
import { durably, writeTransaction, type Db, type Statements } from './connection.js';
import { asRow, integer, parseRow } from './rows.js';
import { TrackedTask, type TaskRepository } from './types.js';

const COLUMNS = [
  'key',
  'profile',
  'kind',
  'server_id',
  'iso_name',
  'url',
  'iso_id',
  'state',
  'status',
  'message',
  'created_at',
  'updated_at',
  'finished_at',
  'polls',
  'next_poll_at',
  'ok_result',
  'failures',
] as const satisfies ReadonlyArray<keyof TrackedTask>;

const SELECT = `SELECT ${COLUMNS.join(', ')} FROM tasks`;

export class Tasks implements TaskRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
  ) {}

  insert(t: TrackedTask): void {
    const task = TrackedTask.parse(t);
    durably(this.db, () => this.write(task));
  }

  update(key: string, patch: Partial<TrackedTask>): TrackedTask | null {
    const apply = (): TrackedTask | null =>
      writeTransaction(this.db, () => {
        const current = this.get(key);
        if (!current) return null;
        const next = TrackedTask.parse({ ...current, ...patch, key: current.key });
        this.write(next);
        return next;
      });
    return patch.ok_result !== undefined ? durably(this.db, apply) : apply();
  }

  get(key: string): TrackedTask | null {
    const row = this.statements.get(`${SELECT} WHERE key = ?`).get(key);
    return row === undefined ? null : taskFromRow(row);
  }

  list(profile?: string): TrackedTask[] {
    const rows =
      profile === undefined
        ? this.statements.get(`${SELECT} ORDER BY created_at DESC, rowid DESC`).all()
        : this.statements.get(`${SELECT} WHERE profile = ? ORDER BY created_at DESC, rowid DESC`).all(profile);
    return rows.map(taskFromRow);
  }

  due(now: number, limit: number): TrackedTask[] {
    return this.statements
      .get(`${SELECT} WHERE state = 'running' AND next_poll_at <= ? ORDER BY next_poll_at, created_at LIMIT ?`)
      .all(now, limit)
      .map(taskFromRow);
  }

  nextDueAt(): number | null {
    const row = asRow(this.statements.get(`SELECT min(next_poll_at) AS next FROM tasks WHERE state = 'running'`).get());
    return row.next === null ? null : integer(row, 'next');
  }

  countRunning(): number {
    return integer(asRow(this.statements.get(`SELECT count(*) AS n FROM tasks WHERE state = 'running'`).get()), 'n');
  }

  clearFinished(profile?: string): number {
    const result =
      profile === undefined
        ? this.statements.get(`DELETE FROM tasks WHERE state <> 'running'`).run()
        : this.statements.get(`DELETE FROM tasks WHERE state <> 'running' AND profile = ?`).run(profile);
    return result.changes;
  }

  /** Inserts or overwrites by key: a key seen again (the same URL uploaded again) starts afresh. */
  private write(task: TrackedTask): void {
    this.statements
      .get(
        `INSERT INTO tasks (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})
         ON CONFLICT (key) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'key')
           .map((c) => `${c} = excluded.${c}`)
           .join(', ')}`,
      )
      .run(task);
  }
}

function taskFromRow(row: unknown): TrackedTask {
  return parseRow(TrackedTask, row, 'a tracked task');
}
