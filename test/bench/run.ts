/**
 * `npm run bench [-- --quick] [--runs N] [--only NAME,...] [--json FILE]`: runs every bench `runs`
 * times (3 by default, 1 with --quick) and prints one table (see report.ts). A report, not a test:
 * no figure fails it. It exits non-zero only when a figure was not produced, which is all that
 * `npm test` checks of `--quick`.
 *
 * A bench is a module exporting `defineBench({ name, figures, run })` (see types.ts), listed in
 * BENCHES below.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { browserBench } from './browser.js';
import { cacheBench } from './cache.js';
import { clientBench } from './client.js';
import { mainProcessBench } from './main-process.js';
import { pollerBench } from './poller.js';
import { formatReport, type FigureResult } from './report.js';
import { startupBench } from './startup.js';
import type { Bench, Sample } from './types.js';

const BENCHES: Bench[] = [mainProcessBench, cacheBench, clientBench, browserBench, startupBench, pollerBench];

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' }, only: { type: 'string' }, json: { type: 'string' } },
  strict: true,
});
const runs = args.runs === undefined ? (args.quick ? 1 : 3) : Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, not ${args.runs}`);
const only = args.only?.split(',');
const benches = only ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
if (benches.length === 0) throw new Error(`--only names none of: ${BENCHES.map((b) => b.name).join(', ')}`);

const results: FigureResult[] = benches.flatMap((bench) =>
  Object.entries(bench.figures).map(([key, figure]) => ({ bench: bench.name, key, figure, values: [], baselines: [], ratios: [] })),
);
const problems: string[] = [];
const load: number[] = [];
const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

function record(bench: Bench, samples: Record<string, Sample>): void {
  for (const result of results.filter((r) => r.bench === bench.name)) {
    const sample = samples[result.key];
    const needsBaseline = result.figure.baseline !== undefined;
    if (!sample || !Number.isFinite(sample.value) || (needsBaseline && !(Number.isFinite(sample.baseline) && sample.baseline! > 0))) {
      problems.push(`${bench.name}: "${result.figure.label}" was not measured (${JSON.stringify(sample)})`);
      continue;
    }
    result.values.push(sample.value);
    if (needsBaseline) {
      result.baselines.push(sample.baseline!);
      result.ratios.push(sample.value / sample.baseline!);
    }
  }
}

for (let run = 1; run <= runs; run++) {
  load.push(os.loadavg()[0]!);
  for (const bench of benches) {
    log(`run ${run}/${runs}: ${bench.name}`);
    try {
      record(bench, await bench.run({ quick: args.quick, log: (line) => log(`${bench.name}: ${line}`) }));
    } catch (err) {
      problems.push(`${bench.name} failed in run ${run}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  load.push(os.loadavg()[0]!);
}

console.log(formatReport(results, { runs, quick: args.quick, load, cpus: os.availableParallelism() }));
if (args.json) fs.writeFileSync(args.json, `${JSON.stringify({ runs, quick: args.quick, load, results, problems }, null, 2)}\n`);
if (problems.length > 0) {
  console.error(`\n${problems.join('\n')}`);
  process.exitCode = 1;
}
