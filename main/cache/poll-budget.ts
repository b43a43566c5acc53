/**
 * The polling budget every process on one data folder shares: a token bucket kept in the
 * database, so the app and any number of CLIs together stay within `rate` requests per second
 * (bursts of up to `burst`). Callers run it inside their own write transaction.
 */
import type { Statements } from './connection.js';
import { asRow } from './rows.js';

interface Bucket {
  rate: number;
  burst: number;
  tokens: number;
  refilled_at: number;
}

export class PollBudget {
  constructor(private readonly statements: Statements) {}

  /** Tokens available at `now`; a clock that went backwards refills nothing. */
  private read(now: number): Bucket {
    const row = asRow(this.statements.get('SELECT rate, burst, tokens, refilled_at FROM poll_budget WHERE id = 1').get());
    const bucket = { rate: Number(row.rate), burst: Number(row.burst), tokens: Number(row.tokens), refilled_at: Number(row.refilled_at) };
    const elapsed = Math.max(0, now - bucket.refilled_at);
    return { ...bucket, tokens: Math.min(bucket.burst, bucket.tokens + (elapsed * bucket.rate) / 1000) };
  }

  /** How long until a token is there (0: one is there now). */
  waitMs(now: number): number {
    const bucket = this.read(now);
    return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) * 1000) / bucket.rate);
  }

  /** Takes a token; call only after waitMs(now) answered 0, in the same transaction. */
  take(now: number): void {
    const bucket = this.read(now);
    this.statements.get('UPDATE poll_budget SET tokens = ?, refilled_at = ? WHERE id = 1').run(bucket.tokens - 1, Math.max(now, bucket.refilled_at));
  }

  set(rate: number, burst: number): void {
    this.statements.get('UPDATE poll_budget SET rate = ?, burst = ?, tokens = ?, refilled_at = 0 WHERE id = 1').run(rate, burst, burst);
  }
}
