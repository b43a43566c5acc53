/**
 * What a benchmark of `npm run bench` declares and returns. A bench names its figures up front,
 * so the runner knows every row the table must hold, and measures all of them in one `run`:
 * each figure's value next to its baseline, measured in the same run on the same machine, since
 * absolute timings on a shared machine mean little while value ÷ baseline holds steady.
 */
export interface Figure {
  /** What is measured, with its unit: "100k sync → rows readable (ms)". */
  label: string;
  /** What the same run measures to compare it with; the table prints value ÷ baseline. */
  baseline?: string;
  /** The target: the ratio and/or the value at most this (at least, with `atLeast`). */
  target?: { ratio?: number; value?: number; atLeast?: boolean };
}

export interface Sample {
  value: number;
  /** Required when the figure names a baseline. */
  baseline?: number;
}

export interface BenchOptions {
  /** A small version of every measurement, for `npm test` (only that every row is produced counts). */
  quick: boolean;
  /** Progress lines, on stderr so the table stays clean. */
  log(line: string): void;
}

export interface Bench<K extends string = string> {
  /** Section name, printed before each of its figures. */
  name: string;
  figures: Record<K, Figure>;
  /** Measures every figure once. */
  run(opts: BenchOptions): Promise<Record<K, Sample>>;
}

/** Declares a bench; its figures' keys type what `run` must return. */
export function defineBench<K extends string>(bench: Bench<K>): Bench<K> {
  return bench;
}
