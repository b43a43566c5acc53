/**
 * Running the real `isodesk` CLI in child processes. It is bundled once per test file with
 * esbuild, as the shipped `bin` is (main/build/build.mjs), so each run starts in a fraction of a
 * second instead of compiling TypeScript again, and a single test file runs without `npm run build`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  dataDir: string;
  apiUrl: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
}

let bundled: Promise<string> | null = null;

/** Builds the CLI bundle (once per test file) and answers its path. */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-build-'));
    // The bundle leaves packages external; this link lets it find them (better-sqlite3's binary among them).
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
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return file;
  })();
  return bundled;
}

export function tempFolder(prefix = 'isodesk-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cliEnv(opts: RunOptions): NodeJS.ProcessEnv {
  return { ...process.env, ISODESK_DATA_DIR: opts.dataDir, ISODESK_API_URL: opts.apiUrl, ...opts.env };
}

/** Runs a program to its end with the CLI's environment; stdin gets `input` (or nothing). */
export function spawnRun(file: string, args: string[], opts: RunOptions): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env: cliEnv(opts), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** One `isodesk` run. */
export async function isodesk(args: string[], opts: RunOptions): Promise<Run> {
  return spawnRun(process.execPath, [await cliBundle(), ...args], opts);
}

/** A data folder signed in with `key` through `isodesk login` (profile "default", or `profile`). */
export async function signedInFolder(apiUrl: string, key: string, profile?: string): Promise<string> {
  const dataDir = tempFolder();
  const login = await isodesk(['login', '--key', '-', ...(profile ? ['--profile', profile] : [])], { dataDir, apiUrl, input: `${key}\n` });
  expect(login.code, login.stderr).toBe(0);
  return dataDir;
}
