/**
 * Who holds a claim in the journal: one owner id per app instance, `pid@host#nonce`. A claim
 * expires by time; a claim whose owner is a process on this machine that no longer exists counts
 * as expired at once, so a crash (kill -9, power cut of the app) does not hold a task for long.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * Longer than the longest a live process can spend on one request: the transport gives up after
 * 60 s, and a request may come with a token renewal, and a re-login and one retry after an auth failure.
 */
export const CLAIM_MS = 300_000;

export function newOwner(): string {
  return `${process.pid}@${os.hostname()}#${randomBytes(4).toString('hex')}`;
}

/** True only when the owner is certainly gone: a process of this machine that does not exist. */
export function isDead(owner: string): boolean {
  const match = /^(\d+)@(.*)#[0-9a-f]+$/.exec(owner);
  if (!match || match[2] !== os.hostname()) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function deadOwners(owners: readonly string[]): string[] {
  return owners.filter(isDead);
}
