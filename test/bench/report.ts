/**
 * The table `npm run bench` prints: per figure, its value and its ratio value ÷ baseline as
 * min / median / max over the runs, the baseline's median, and the target with whether the median
 * meets it; then what each baseline is, and the machine's load while it ran.
 */
import type { Figure } from './types.js';
import { spread } from './stats.js';

export interface FigureResult {
  bench: string;
  key: string;
  figure: Figure;
  values: number[];
  baselines: number[];
  /** value ÷ baseline of each run. */
  ratios: number[];
}

const HEADERS = ['figure', 'value', 'baseline', 'ratio = value ÷ baseline', 'target'] as const;

/** Enough digits to compare, no more: 1234, 123, 12.3, 1.23. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function range(values: number[], format: (n: number) => string): string {
  if (values.length === 0) return '—';
  if (values.length === 1) return format(values[0]!);
  const s = spread(values);
  return `${format(s.min)} / ${format(s.median)} / ${format(s.max)}`;
}

function targetCell(result: FigureResult): string {
  const target = result.figure.target;
  if (!target) return '';
  const op = target.atLeast ? '≥' : '≤';
  const met = (median: number, limit: number) => (target.atLeast ? median >= limit : median <= limit);
  const parts: string[] = [];
  let ok = true;
  if (target.ratio !== undefined) {
    parts.push(`ratio ${op} ${target.ratio}`);
    ok &&= result.ratios.length > 0 && met(spread(result.ratios).median, target.ratio);
  }
  if (target.value !== undefined) {
    parts.push(`value ${op} ${target.value}`);
    ok &&= result.values.length > 0 && met(spread(result.values).median, target.value);
  }
  return `${parts.join(', ')}  ${ok ? 'met' : 'MISSED'}`;
}

function cells(result: FigureResult): string[] {
  return [
    `${result.bench}: ${result.figure.label}`,
    range(result.values, formatNumber),
    result.baselines.length ? formatNumber(spread(result.baselines).median) : '',
    range(result.ratios, (n) => n.toFixed(2)),
    targetCell(result),
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => (col === 0 || col === row.length - 1 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatReport(results: FigureResult[], info: { runs: number; quick: boolean; load: number[]; cpus: number }): string {
  const baselines = results.filter((r) => r.figure.baseline !== undefined).map((r) => `  ${r.bench}: ${r.figure.label} ÷ ${r.figure.baseline}`);
  const load = info.load.map((l) => l.toFixed(2)).join(', ');
  return [
    `npm run bench${info.quick ? ' --quick (small sizes: the numbers mean little)' : ''}: ${info.runs} run${info.runs === 1 ? '' : 's'}; value and ratio as ${info.runs > 1 ? 'min / median / max' : 'measured'}, baseline as median.`,
    table([[...HEADERS], ...results.map(cells)]),
    '',
    'Baselines (measured in the same run):',
    ...baselines,
    '',
    `Load average (1 min) at the start and end of each run, ${info.cpus} CPUs: ${load}`,
  ].join('\n');
}
