/** One line of `npm run bench`: a measured value, optionally with a baseline, their ratio and a target. */
export interface BenchRow {
  name: string;
  value: number;
  baseline?: number;
  ratio?: number;
  target?: number;
}
