/**
 * The CLI facing junk answers and holding secrets: a read answered with junk exits non-zero with
 * one plain line and keeps the cached catalog; an answer or a --verbose log that echoes the key
 * or the token never prints them. Real child processes against the local HOSTKEY API.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { bundleIsodesk, type IsodeskBundle, type Run } from './isodesk-process.js';

const SERVER = '40211';
/** Each test runs several CLI processes; the machine may be shared with other test runs. */
const SEVERAL_RUNS = 120_000;

let api: LocalApi;
let cli: IsodeskBundle;
const dataDirs: string[] = [];

beforeAll(async () => {
  cli = await bundleIsodesk();
  api = await startLocalApi({ quiet: true });
});

afterAll(async () => {
  await api.close();
  cli.remove();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh data folder; `isodesk` runs in it against the local API. */
function profileFolder() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cli-wire-'));
  dataDirs.push(dataDir);
  const isodesk = (args: string[], input?: string) => cli.run(args, { env: { ISODESK_DATA_DIR: dataDir, ISODESK_API_URL: api.url }, input });
  const token = () => {
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'cli-secrets.json'), 'utf8')) as Record<string, { token?: string }>;
    return secrets.default?.token ?? '';
  };
  return { dataDir, isodesk, token };
}

async function signedIn() {
  const folder = profileFolder();
  const login = await folder.isodesk(['login', '--key', '-'], api.keys.client);
  expect(login.code).toBe(0);
  expect(folder.token()).toMatch(/^[0-9a-f]{32}$/);
  return folder;
}

function expectNoSecret(runs: Run[], secrets: string[]): void {
  for (const run of runs) for (const secret of secrets) for (const text of [run.stdout, run.stderr]) expect(text).not.toContain(secret);
}

describe('junk answers', () => {
  it(
    'a catalog read answered without its list exits 5 in plain words and keeps the cached rows',
    async () => {
      const { isodesk, token } = await signedIn();
      const first = await isodesk(['list', '--server', SERVER, '--json', '--limit', '500']);
      expect(first.code).toBe(0);
      const cached = (JSON.parse(first.stdout) as { total: number }).total;
      expect(cached).toBeGreaterThan(10);

      api.faults.junkNext(1, 'no-payload');
      const junk = await isodesk(['list', '--server', SERVER]);
      expect(junk.code).toBe(5);
      expect(junk.stdout).toBe('');
      expect(junk.stderr).toBe(
        'isodesk: HOSTKEY answered list_iso without its list of ISO images ("iso_images").\n' +
          'hint: ISO Desk kept what it had and changed nothing. Try again in a moment; if it keeps happening, report it with the ISO Desk version.\n',
      );

      const offline = await isodesk(['list', '--server', SERVER, '--offline', '--json', '--limit', '500']);
      expect(offline.code).toBe(0);
      expect((JSON.parse(offline.stdout) as { total: number }).total).toBe(cached);
      expectNoSecret([first, junk, offline], [api.keys.client, token()]);
    },
    SEVERAL_RUNS,
  );

  it(
    'a cut-off answer on every attempt exits 5, with no stack and no secret',
    async () => {
      const { isodesk, token } = await signedIn();
      api.faults.malformNext(3);
      const run = await isodesk(['uploaded', '--verbose']);
      api.faults.reset();
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(/^isodesk: HOSTKEY answered uploaded with something that is not JSON/m);
      expect(run.stderr).not.toMatch(/SyntaxError|at .*\.(ts|mjs):\d+/);
      expectNoSecret([run], [api.keys.client, token()]);
    },
    SEVERAL_RUNS,
  );
});

describe('secrets in messages and logs', () => {
  it(
    'a sign-in refusal that echoes the API key shows the message without the key',
    async () => {
      const { isodesk } = profileFolder();
      api.faults.junkNext(1, 'error-code');
      const run = await isodesk(['login', '--key', '-'], api.keys.client);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/^isodesk: Service degraded; request was action=login&key=\[redacted\]/);
      expectNoSecret([run], [api.keys.client]);
    },
    SEVERAL_RUNS,
  );

  it(
    '--verbose logs every exchange, and no key or token, also when HOSTKEY echoes them',
    async () => {
      const { isodesk, token } = await signedIn();
      const servers = await isodesk(['servers', '--verbose']);
      expect(servers.code).toBe(0);
      expect(servers.stderr).toMatch(/^isodesk \[api\] list \/eq\.php → 200 in \d+ ms$/m);
      expect(servers.stderr).toMatch(/^isodesk \[api\] show \/eq\.php → 200 in \d+ ms$/m);

      api.faults.junkNext(1, 'error-code');
      const echoed = await isodesk(['history', '101', '--verbose']);
      expect(echoed.code).not.toBe(0);
      expect(echoed.stderr).toMatch(/token=\[redacted\]/);

      const firstToken = token();
      api.faults.expireTokens();
      const renewed = await isodesk(['uploaded', '--verbose']);
      expect(renewed.code).toBe(0);
      expect(renewed.stderr).toMatch(/^isodesk \[api\] login \/auth\.php → 200/m);
      expect(token()).not.toBe(firstToken);
      expectNoSecret([servers, echoed, renewed], [api.keys.client, firstToken, token()]);
    },
    SEVERAL_RUNS,
  );
});
