/**
 * `isodesk del` and `isodesk delete` say what HOSTKEY answered, never more: a queued deletion is
 * reported as HOSTKEY's `Deleting`, not as done. The built CLI as real child processes on a
 * temporary data folder, over HTTP to the local HOSTKEY API.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (`npm test` builds first; alone: `npm run build:main`), which starts fast. */
const CLI = path.join(ROOT, 'dist/main/cli.js');

let api: LocalApi;
let dataDir: string;

function isodesk(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, ISODESK_DATA_DIR: dataDir, ISODESK_API_URL: api.url };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  api = await startLocalApi({ quiet: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-delete-'));
  const login = await isodesk(['login', '--key', '-'], `${api.keys.admin}\n`);
  expect(login.code, login.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await api?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('deleting from the command line', () => {
  it('reports a queued del with HOSTKEY’s own status', async () => {
    const run = await isodesk(['del', '101']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('HOSTKEY accepted the deletion of ISO 101: status "Deleting".');
    expect(run.stdout).not.toMatch(/Deleted ISO/);
  });

  it('reports del --pending and the alternative delete as HOSTKEY answered them, also as JSON', async () => {
    const now = await isodesk(['del', '102', '--pending']);
    expect(now.stdout).toContain('status "Deleted"');
    const alternative = await isodesk(['delete', '103', '--json']);
    expect(alternative.code, alternative.stderr).toBe(0);
    expect(JSON.parse(alternative.stdout)).toEqual({ status: 'Deleting', message: null });
  });
});
