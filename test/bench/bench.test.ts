/**
 * `npm run bench -- --quick` produces every figure of the table: each bench runs a small version
 * of all its measurements, and every figure gets a finite value (and a baseline where it names
 * one). How fast anything is stays out of the test suite; that is what the full bench reports.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { FigureResult } from './report.js';

const root = path.resolve(import.meta.dirname, '../..');

it('the quick benchmark produces every figure', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-bench-test-'));
  try {
    const json = path.join(dir, 'bench.json');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/bench/run.ts', '--quick', '--json', json], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: FigureResult[]; problems: string[] };
    expect(report.problems).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(13);
    for (const result of report.results) {
      expect(result.values, result.figure.label).toHaveLength(1);
      expect(Number.isFinite(result.values[0]), result.figure.label).toBe(true);
      if (result.figure.baseline !== undefined) expect(Number.isFinite(result.ratios[0]), result.figure.label).toBe(true);
      expect(stdout).toContain(result.figure.label);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
