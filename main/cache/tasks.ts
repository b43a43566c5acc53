/**
 * The task journal, shared by every ISO Desk process on a data folder (the app, CLIs, the
 * harness). Its rules live here, in SQL that runs under SQLite's write lock:
 *  - a row is inserted once and never overwritten; later writes only happen while the task is
 *    running and under the caller's condition (its claim, or the row still being an intent), and
 *    a trigger (migration 2) refuses any change to a finished state, a stored OK or a task key;
 *  - claims: whoever sends or polls a task holds it until an expiry, so one process asks HOSTKEY
 *    about a key at a time; a claim of a dead process counts as expired;
 *  - the writes that record what HOSTKEY cannot give back (an intent, an acceptance, an outcome)
 *    are fsynced before returning (`durably`); polling bookkeeping rides on the cheaper WAL
 *    default, which survives a crash of the process.
 */
import type { PollBudget } from './poll-budget.js';
import { durably, writeTransaction, type Db, type Statements } from './connection.js';
import { asRow, integer, parseRow, text } from './rows.js';
import { TrackedTask, type ClaimAnswer, type ClaimRequest, type TaskCondition, type TaskPatch, type TaskRepository } from './types.js';

const COLUMNS = [
  'key',
  'profile',
  'kind',
  'server_id',
  'iso_name',
  'url',
  'iso_id',
  'email',
  'customer_id',
  'task_key',
  'state',
  'status',
  'message',
  'created_at',
  'accepted_at',
  'updated_at',
  'finished_at',
  'polls',
  'next_poll_at',
  'ok_result',
  'failures',
  'claim_owner',
  'claim_until',
  'rev',
  'job_key',
  'job_step',
  'job_attempt',
] as const satisfies ReadonlyArray<keyof TrackedTask>;

const SELECT = `SELECT ${COLUMNS.join(', ')} FROM tasks`;
/** A claim nobody holds any more: none, expired, or its owner is dead (@dead: a JSON array). */
const CLAIM_FREE = `(claim_owner IS NULL OR claim_until <= @now OR claim_owner IN (SELECT value FROM json_each(@dead)))`;
const UPDATE = `UPDATE tasks SET ${COLUMNS.filter((c) => c !== 'key')
  .map((c) => `${c} = @${c}`)
  .join(', ')} WHERE key = @key AND rev = @previous_rev`;

/** Writes that record something HOSTKEY cannot give back again. */
function isIrreplaceable(patch: TaskPatch): boolean {
  return patch.state !== undefined || patch.ok_result !== undefined || patch.task_key !== undefined || patch.accepted_at !== undefined;
}

export class Tasks implements TaskRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
    private readonly budget: PollBudget,
  ) {}

  insert(t: TrackedTask): void {
    const parsed = TrackedTask.parse(t);
    const task = { ...parsed, job_key: parsed.job_key ?? null, job_step: parsed.job_step ?? null, job_attempt: parsed.job_attempt ?? null };
    durably(this.db, () => this.statements.get(`INSERT INTO tasks (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`).run(task));
  }

  advance(key: string, patch: TaskPatch, cond: TaskCondition = {}): TrackedTask | null {
    const apply = (): TrackedTask | null =>
      writeTransaction(this.db, () => {
        const current = this.get(key);
        if (!current || current.state !== 'running') return null;
        if (cond.owner !== undefined && current.claim_owner !== cond.owner) return null;
        if (cond.intent && current.accepted_at !== null) return null;
        const next = TrackedTask.parse({ ...current, ...patch, key: current.key, rev: current.rev + 1 });
        Object.assign(next, { job_key: next.job_key ?? null, job_step: next.job_step ?? null, job_attempt: next.job_attempt ?? null });
        // A task that ended is nobody's to poll.
        if (next.state !== 'running') Object.assign(next, { claim_owner: null, claim_until: null });
        this.statements.get(UPDATE).run({ ...next, previous_rev: current.rev });
        return next;
      });
    return isIrreplaceable(patch) ? durably(this.db, apply) : apply();
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

  revisions(): Map<string, number> {
    const revs = new Map<string, number>();
    for (const row of this.statements.get('SELECT key, rev FROM tasks').all()) revs.set(text(asRow(row), 'key'), integer(asRow(row), 'rev'));
    return revs;
  }

  dataVersion(): number {
    const version: unknown = this.db.pragma('data_version', { simple: true });
    return typeof version === 'number' ? version : 0;
  }

  claimNext(req: ClaimRequest): ClaimAnswer {
    const params = { now: req.now, dead: JSON.stringify(req.dead) };
    return writeTransaction(this.db, (): ClaimAnswer => {
      const due = this.statements
        .get(
          `${SELECT} WHERE state = 'running' AND accepted_at IS NOT NULL AND next_poll_at <= @now AND ${CLAIM_FREE}
           ORDER BY next_poll_at, created_at LIMIT 1`,
        )
        .get(params);
      if (due === undefined) return { kind: 'idle', nextAt: this.nextWakeAt(params) };
      const waitMs = this.budget.waitMs(req.now);
      if (waitMs > 0) return { kind: 'wait', waitMs };
      this.budget.take(req.now);
      const first = taskFromRow(due);
      const claim = { ...params, owner: req.owner, until: req.now + req.claimMs };
      // One upload list answers for every upload of the same profile and customer: they ride along.
      const rows =
        first.kind === 'upload'
          ? this.statements
              .get(
                `UPDATE tasks SET claim_owner = @owner, claim_until = @until
                 WHERE state = 'running' AND accepted_at IS NOT NULL AND kind = 'upload' AND profile = @profile AND email IS @email AND ${CLAIM_FREE}
                 RETURNING ${COLUMNS.join(', ')}`,
              )
              .all({ ...claim, profile: first.profile, email: first.email })
          : this.statements.get(`UPDATE tasks SET claim_owner = @owner, claim_until = @until WHERE key = @key RETURNING ${COLUMNS.join(', ')}`).all({
              ...claim,
              key: first.key,
            });
      return { kind: 'claimed', tasks: rows.map(taskFromRow) };
    });
  }

  /** The earliest moment anything running may need this poller: a poll coming due, or a claim running out. */
  private nextWakeAt(params: { now: number; dead: string }): number | null {
    const row = asRow(
      this.statements
        .get(
          `SELECT min(CASE WHEN NOT ${CLAIM_FREE} THEN claim_until WHEN accepted_at IS NULL THEN @now ELSE next_poll_at END) AS next
           FROM tasks WHERE state = 'running'`,
        )
        .get(params),
    );
    return row.next === null ? null : integer(row, 'next');
  }

  takeToken(now: number): number {
    return writeTransaction(this.db, () => {
      const waitMs = this.budget.waitMs(now);
      if (waitMs === 0) this.budget.take(now);
      return waitMs;
    });
  }

  setBudget(rate: number, burst: number): void {
    writeTransaction(this.db, () => this.budget.set(rate, burst));
  }

  claimOwners(now: number): string[] {
    return this.statements
      .get(`SELECT DISTINCT claim_owner AS owner FROM tasks WHERE state = 'running' AND claim_owner IS NOT NULL AND claim_until > ?`)
      .all(now)
      .map((row) => text(asRow(row), 'owner'));
  }

  abandonedIntents(now: number, dead: readonly string[]): TrackedTask[] {
    return this.statements
      .get(`${SELECT} WHERE state = 'running' AND accepted_at IS NULL AND ${CLAIM_FREE} ORDER BY created_at, rowid`)
      .all({ now, dead: JSON.stringify(dead) })
      .map(taskFromRow);
  }

  withdraw(key: string, owner: string): boolean {
    return this.statements.get(`DELETE FROM tasks WHERE key = ? AND state = 'running' AND accepted_at IS NULL AND claim_owner = ?`).run(key, owner).changes > 0;
  }

  release(owner: string): void {
    this.statements
      .get(`UPDATE tasks SET claim_owner = NULL, claim_until = NULL WHERE claim_owner = ? AND state = 'running' AND accepted_at IS NOT NULL`)
      .run(owner);
  }

  countRunning(): number {
    return integer(asRow(this.statements.get(`SELECT count(*) AS n FROM tasks WHERE state = 'running'`).get()), 'n');
  }

  clearFinished(profile?: string): number {
    // A step of a job that goes on is part of its record: its job decides when it goes.
    const kept = `(job_key IS NULL OR job_key NOT IN (SELECT key FROM jobs WHERE ended IS NULL))`;
    const result =
      profile === undefined
        ? this.statements.get(`DELETE FROM tasks WHERE state <> 'running' AND ${kept}`).run()
        : this.statements.get(`DELETE FROM tasks WHERE state <> 'running' AND profile = ? AND ${kept}`).run(profile);
    return result.changes;
  }

  forJob(jobKey: string): TrackedTask[] {
    return this.statements.get(`${SELECT} WHERE job_key = ? ORDER BY job_step, job_attempt`).all(jobKey).map(taskFromRow);
  }
}

function taskFromRow(row: unknown): TrackedTask {
  return parseRow(TrackedTask, row, 'a tracked task');
}
