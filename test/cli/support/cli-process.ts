/**
 * The `isodesk` CLI as a real child process: bundled once per test file with esbuild, as the
 * shipped `bin` is (so each run starts in a fraction of a second), and run with the environment
 * and standard input a test gives it. A run that does not end in time is killed and says so,
 * so a hang fails the test instead of stalling the suite.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the run was killed for taking longer than its time limit. */
  timedOut: boolean;
}

export interface CliBundle {
  file: string;
  remove(): void;
}

export async function bundleCli(): Promise<CliBundle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-build-'));
  // The bundle leaves packages external; this link lets it find them (native binaries among them).
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const file = path.join(dir, 'isodesk.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'main/cli/index.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

export function runCli(bundle: CliBundle, args: string[], opts: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle.file, ...args], { cwd: ROOT, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
