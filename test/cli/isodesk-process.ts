/**
 * Runs the real `isodesk` CLI as child processes: bundled once with esbuild (as the shipped `bin`
 * is), so each run starts in a fraction of a second, then spawned with its own data folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface IsodeskBundle {
  /** Runs `isodesk ARGS` with `env` on top of this process's environment; `input` goes to stdin. */
  run(args: string[], opts: { env: Record<string, string>; input?: string }): Promise<Run>;
  /** Everything any run printed, to prove no secret ever appears in it. */
  printed: string[];
  remove(): void;
}

export async function bundleIsodesk(): Promise<IsodeskBundle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-build-'));
  // The bundle leaves packages external; this link lets it find them (better-sqlite3's binary among them).
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const bundle = path.join(dir, 'isodesk.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'main/cli/index.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const printed: string[] = [];
  return {
    printed,
    run: (args, { env, input = '' }) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bundle, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          printed.push(stdout, stderr);
          resolve({ code, stdout, stderr });
        });
        child.stdin.end(input);
      }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
