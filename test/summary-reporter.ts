/**
 * Prints one closing line, "Tests: N passed, N failed[, N skipped]", after vitest's own report,
 * so CI logs end with the plain count; before it, the test files whose tests did not all get a
 * result (their process died, e.g. "Worker exited unexpectedly"), which vitest's report does not
 * name and which a log cut to its last lines would otherwise lose.
 */
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const unfinished: string[] = [];
    for (const mod of modules) {
      let pending = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        if (state === 'pending') pending++;
      }
      if (mod.state() === 'failed' && mod.children.size === 0) failed++;
      if (pending > 0) unfinished.push(`${path.relative(process.cwd(), mod.moduleId)} (${pending} without a result)`);
    }
    if (unfinished.length > 0) process.stdout.write(`\nNot run to the end: ${unfinished.join(', ')}\n`);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
