import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { DEMO_KEYS } from '../../main/local-api/server.js';

const CLI = fileURLToPath(new URL('../../main/local-api/cli.ts', import.meta.url));

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: 'pipe' });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Resolves with everything printed once `marker` has appeared on stdout. */
function printed(child: ChildProcessWithoutNullStreams, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(marker)) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing "${marker}": ${out}`)));
  });
}

describe('npm run fake-api', () => {
  it('prints its URL and demo keys, serves requests, and exits cleanly on SIGTERM', async () => {
    const child = run(['--port', '0', '--isos', '10', '--task-delay', '100']);
    const exited = exitOf(child);
    const banner = await printed(child, 'Press Ctrl+C');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    for (const key of Object.values(DEMO_KEYS)) expect(banner).toContain(key);
    const res = await request(`${url}/auth.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'login', key: DEMO_KEYS.client }).toString(),
    });
    expect(await res.body.json()).toMatchObject({ result: 'OK', token: expect.any(String) });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('explains a bad flag and exits with status 2', async () => {
    const child = run(['--isos', 'many']);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(err).toContain('must be a whole number');
    expect(err).toContain('Usage:');
  });
});
