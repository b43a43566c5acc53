/** When to ask again about a tracked task: exponential backoff with jitter, within bounds. */
export interface PollBounds {
  /** First wait, in ms. */
  min: number;
  /** Longest wait, in ms. */
  max: number;
}

export const TASK_POLL: PollBounds = { min: 2_000, max: 30_000 };
export const UPLOAD_POLL: PollBounds = { min: 5_000, max: 60_000 };

/** `polls` answers seen so far; `failures` consecutive transport failures stretch the wait further. */
export function nextPollDelay(bounds: PollBounds, polls: number, failures: number, random: number): number {
  const base = Math.min(bounds.max, bounds.min * 1.5 ** Math.max(0, polls) * 2 ** Math.min(failures, 5));
  // ±10% jitter so that many tasks started together do not poll in lockstep.
  return Math.round(Math.min(bounds.max, base) * (0.9 + random * 0.2));
}
