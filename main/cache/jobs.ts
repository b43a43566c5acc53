/**
 * The jobs table (issue #9): one row per job with its plan, who drives it, whether it waits for
 * the account PIN, and how it ended. Its steps are task rows of the journal (tasks.ts, by
 * job_key); the user's decisions are rows of job_decisions, never changed. A job ends once: the
 * trigger of migration 6 refuses any other change of an ending, and writes here check it too.
 */
import { durably, writeTransaction, type Db, type Statements } from './connection.js';
import { asRow, integer, parseRow, text } from './rows.js';
import { JobDecision, JobRow, type JobRepository } from './types.js';

const COLUMNS = [
  'key',
  'profile',
  'kind',
  'server_id',
  'hostname',
  'main_ip',
  'iso_name',
  'plan',
  'created_at',
  'updated_at',
  'ended',
  'finished_at',
  'waiting_pin',
  'note',
  'claim_owner',
  'claim_until',
  'rev',
] as const satisfies ReadonlyArray<keyof JobRow>;
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM jobs`;
const CLAIM_FREE = `(claim_owner IS NULL OR claim_owner = @owner OR claim_until <= @now OR claim_owner IN (SELECT value FROM json_each(@dead)))`;

function toColumns(job: JobRow): Record<string, unknown> {
  return { ...job, plan: JSON.stringify(job.plan), waiting_pin: job.waiting_pin ? 1 : 0 };
}

function jobFromRow(value: unknown): JobRow {
  const row = asRow(value);
  let plan: unknown;
  try {
    plan = JSON.parse(text(row, 'plan'));
  } catch {
    plan = null;
  }
  return parseRow(JobRow, { ...row, plan, waiting_pin: row.waiting_pin === 1 }, 'a job');
}

export class Jobs implements JobRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
  ) {}

  insert(job: JobRow): void {
    const row = toColumns(JobRow.parse(job));
    durably(this.db, () => this.statements.get(`INSERT INTO jobs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`).run(row));
  }

  get(key: string): JobRow | null {
    const row = this.statements.get(`${SELECT} WHERE key = ?`).get(key);
    return row === undefined ? null : jobFromRow(row);
  }

  list(profile?: string): JobRow[] {
    const rows =
      profile === undefined
        ? this.statements.get(`${SELECT} ORDER BY created_at DESC, rowid DESC`).all()
        : this.statements.get(`${SELECT} WHERE profile = ? ORDER BY created_at DESC, rowid DESC`).all(profile);
    return rows.map(jobFromRow);
  }

  claim(key: string, owner: string, now: number, until: number, dead: readonly string[]): boolean {
    const params = { key, owner, now, until, dead: JSON.stringify(dead) };
    return (
      this.statements
        .get(`UPDATE jobs SET claim_owner = @owner, claim_until = @until, rev = rev + 1 WHERE key = @key AND ended IS NULL AND ${CLAIM_FREE}`)
        .run(params).changes > 0
    );
  }

  release(key: string, owner: string): void {
    this.statements.get(`UPDATE jobs SET claim_owner = NULL, claim_until = NULL, rev = rev + 1 WHERE key = ? AND claim_owner = ?`).run(key, owner);
  }

  releaseAll(owner: string): void {
    this.statements.get(`UPDATE jobs SET claim_owner = NULL, claim_until = NULL, rev = rev + 1 WHERE claim_owner = ?`).run(owner);
  }

  claimOwners(now: number): string[] {
    return this.statements
      .get(`SELECT DISTINCT claim_owner AS owner FROM jobs WHERE ended IS NULL AND claim_owner IS NOT NULL AND claim_until > ?`)
      .all(now)
      .map((row) => text(asRow(row), 'owner'));
  }

  setWaitingPin(key: string, waiting: boolean, note: string | null, at: number): JobRow | null {
    return writeTransaction(this.db, () => {
      const changed = this.statements
        .get(`UPDATE jobs SET waiting_pin = ?, note = ?, updated_at = ?, rev = rev + 1 WHERE key = ? AND ended IS NULL`)
        .run(waiting ? 1 : 0, note, at, key).changes;
      return changed ? this.get(key) : null;
    });
  }

  end(key: string, ended: 'succeeded' | 'cancelled', note: string | null, at: number): JobRow | null {
    return durably(this.db, () =>
      writeTransaction(this.db, () => {
        const changed = this.statements
          .get(
            `UPDATE jobs SET ended = ?, finished_at = ?, note = ?, waiting_pin = 0, claim_owner = NULL, claim_until = NULL, updated_at = ?, rev = rev + 1
             WHERE key = ? AND ended IS NULL`,
          )
          .run(ended, at, note, at, key).changes;
        return changed ? this.get(key) : null;
      }),
    );
  }

  decide(d: JobDecision): void {
    const decision = JobDecision.parse(d);
    durably(this.db, () =>
      writeTransaction(this.db, () => {
        this.statements
          .get(`INSERT OR IGNORE INTO job_decisions (job_key, step, attempt, decision, at) VALUES (@job_key, @step, @attempt, @decision, @at)`)
          .run(decision);
        this.statements.get(`UPDATE jobs SET updated_at = ?, rev = rev + 1 WHERE key = ?`).run(decision.at, decision.job_key);
      }),
    );
  }

  decisions(key: string): JobDecision[] {
    return this.statements
      .get(`SELECT job_key, step, attempt, decision, at FROM job_decisions WHERE job_key = ? ORDER BY at, rowid`)
      .all(key)
      .map((row) => parseRow(JobDecision, row, 'a job decision'));
  }

  revisions(): Map<string, number> {
    const revs = new Map<string, number>();
    for (const row of this.statements.get('SELECT key, rev FROM jobs').all()) revs.set(text(asRow(row), 'key'), integer(asRow(row), 'rev'));
    return revs;
  }

  clearEnded(profile?: string): number {
    return writeTransaction(this.db, () => {
      const which = profile === undefined ? 'ended IS NOT NULL' : 'ended IS NOT NULL AND profile = @profile';
      this.statements.get(`DELETE FROM tasks WHERE job_key IN (SELECT key FROM jobs WHERE ${which}) AND state <> 'running'`).run({ profile });
      // A cancelled job whose last step still runs keeps it (and itself) until that step ends.
      return this.statements.get(`DELETE FROM jobs WHERE ${which} AND key NOT IN (SELECT job_key FROM tasks WHERE job_key IS NOT NULL)`).run({ profile })
        .changes;
    });
  }
}
