/**
 * Running the real `isodesk` CLI in child processes, bundled once per test file by
 * isodesk-process.ts (as the shipped `bin` is), so a single test file runs without `npm run build`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { bundleEntry, ROOT } from './isodesk-process.js';

export { ROOT };

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
  bundled ??= bundleEntry('main/cli/index.ts').then(({ file, remove }) => {
    process.once('exit', remove);
    return file;
  });
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
