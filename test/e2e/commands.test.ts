/**
 * The harness commands as people run them: `npm run web` and `npm run demo:web` print the address
 * to open, serve the app there, and stop cleanly on Ctrl+C; bad flags are explained.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../main/local-api/server.js';
import { SECRET_HEADER } from '../../main/web/bridge-protocol.js';
import { bridgeSecret, rawRequest } from './support/http.js';
import { ensureRendererBuilt } from './support/renderer-build.js';

const WEB = fileURLToPath(new URL('../../main/web/cli.ts', import.meta.url));
const DEMO = fileURLToPath(new URL('../../main/web/demo.ts', import.meta.url));

let dataDir: string;

function run(script: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'pipe' });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Everything printed once `marker` has appeared on stdout. */
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

beforeAll(async () => {
  await ensureRendererBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-commands-'));
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run web', () => {
  it('prints the address, serves the app there and stops on Ctrl+C', async () => {
    const child = run(WEB, ['--data-dir', dataDir, '--port', '0']);
    const exited = exitOf(child);
    const banner = await printed(child, 'Press Ctrl+C');
    const url = /running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    const page = await rawRequest(url!);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('explains a missing data folder and a bad port, with status 2', async () => {
    for (const args of [[], ['--data-dir', dataDir, '--port', 'eighty']]) {
      const child = run(WEB, args);
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      expect(await exitOf(child)).toBe(2);
      expect(err).toMatch(/--data-dir DIR|must be a whole number/);
      expect(err).toContain('Usage: npm run web');
    }
  });
});

describe('npm run demo:web', () => {
  it('starts the local API and the app, prints the demo keys, and signs in with one', async () => {
    const child = run(DEMO, ['--port', '0', '--data-dir', path.join(dataDir, 'demo')]);
    const exited = exitOf(child);
    const banner = await printed(child, 'Press Ctrl+C');
    const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    for (const key of [DEMO_KEYS.client, DEMO_KEYS.admin, DEMO_KEYS.noServers]) expect(banner).toContain(key);
    const secret = await bridgeSecret(url!);
    const signIn = await rawRequest(new URL('/rpc/session/signIn', url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
      body: JSON.stringify({ profile: 'demo', base_url: 'https://api.hostkey.com', api_key: DEMO_KEYS.client }),
    });
    expect(JSON.parse(signIn.body)).toMatchObject({ ok: true, value: { name: 'demo', signed_in: true } });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
