/** Small statistics for the benches: percentiles of latencies, medians of repeated runs. */

/** The p-th percentile (nearest rank) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function spread(values: readonly number[]): { min: number; median: number; max: number } {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** Wall-clock milliseconds of `work`. */
export function timed(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

export async function timedAsync(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Runs `a` and `b` alternately `rounds` times and returns each one's times: interleaving spreads
 * the machine's changing load evenly over a value and its baseline.
 */
export async function interleaved(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const aFirst = round % 2 === 0;
    for (const which of aFirst ? (['a', 'b'] as const) : (['b', 'a'] as const)) times[which].push(await timedAsync(which === 'a' ? a : b));
  }
  return times;
}
