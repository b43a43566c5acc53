/**
 * Runs the real `isodesk` CLI as child processes: bundled once with esbuild (as the shipped `bin`
 * is), so each run starts in a fraction of a second, then spawned with its own data folder. A run
 * that does not end in time is killed and says so, so a hang fails its test instead of the suite.
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
  /** Killed for running longer than its time limit. */
  timedOut: boolean;
}

/** Variables on top of this process's environment; undefined removes one. */
export type EnvChanges = Record<string, string | undefined>;

export function envWith(changes: EnvChanges): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface IsodeskBundle {
  /** Runs `isodesk ARGS` with `env` on top of this process's environment; `input` goes to stdin. */
  run(args: string[], opts: { env: EnvChanges; input?: string; timeoutMs?: number }): Promise<Run>;
  /** Everything any run printed, to prove no secret ever appears in it. */
  printed: string[];
  remove(): void;
}

export interface Bundle {
  file: string;
  remove(): void;
}

/** A TypeScript entry point of the repository (path from its root) as one ESM file. */
export async function bundleEntry(entry: string): Promise<Bundle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-build-'));
  // The bundle leaves packages external; this link lets it find them (better-sqlite3's binary among them).
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const file = path.join(dir, `${path.basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, entry)],
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

export async function bundleIsodesk(): Promise<IsodeskBundle> {
  const { file, remove } = await bundleEntry('main/cli/index.ts');
  const printed: string[] = [];
  return {
    printed,
    run: (args, { env, input = '', timeoutMs = 120_000 }) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, env: envWith(env), stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          printed.push(stdout, stderr);
          resolve({ code, stdout, stderr, timedOut });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
      }),
    remove,
  };
}
