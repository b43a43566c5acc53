/** `npm run bench`: runs the benchmarks and prints one aligned table. A report, not a test. */
import { benchBrowser } from './browser.js';
import { benchCache } from './cache.js';
import { benchPoller } from './poller.js';
import type { BenchRow } from './types.js';

const HEADERS = ['measure', 'value', 'baseline', 'ratio', 'target'] as const;

function cells(row: BenchRow): string[] {
  const show = (v: number | undefined): string => (v === undefined ? '' : String(v));
  return [row.name, show(row.value), show(row.baseline), show(row.ratio), row.target === undefined ? '' : `≤ ${row.target}`];
}

function formatTable(rows: BenchRow[]): string {
  const table = [[...HEADERS], ...rows.map(cells)];
  const widths = HEADERS.map((_, col) => Math.max(...table.map((line) => line[col]!.length)));
  return table.map((line) => line.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ')).join('\n');
}

// Each figure is measured in the same run as its baseline; ratio = value ÷ baseline.
const rows = [...(await benchCache()), ...(await benchBrowser()), ...(await benchPoller())];
console.log(formatTable(rows));
