/**
 * `isodesk del` and `isodesk delete` say what HOSTKEY answered, never more: a queued deletion is
 * reported as HOSTKEY's `Deleting`, not as done. The built CLI as real child processes on a
 * temporary data folder, over HTTP to the local HOSTKEY API.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { isodesk as runIsodesk, signedInFolder, type Run } from './helpers.js';

let api: LocalApi;
let dataDir: string;

const isodesk = (args: string[]): Promise<Run> => runIsodesk(args, { dataDir, apiUrl: api.url });

beforeAll(async () => {
  api = await startLocalApi({ quiet: true });
  dataDir = await signedInFolder(api.url, api.keys.admin);
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
