/**
 * `isodesk activity` end to end: real CLI processes on a customer's data folder, over HTTP to the
 * local HOSTKEY API. A mount made from this folder is one row with HOSTKEY's login and message
 * and the journal's server; filters, --csv and --json hold.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import type { ActivityList } from '../../main/ipc/contract.js';
import { isodesk, signedInFolder } from './helpers.js';

// Several CLI processes per test, each a second or more on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let api: LocalApi;
let dataDir: string;
let serverId: number;

const run = (args: string[]) => isodesk(args, { dataDir, apiUrl: api.url, env: { TZ: 'UTC' } });

beforeAll(async () => {
  api = await startLocalApi({ quiet: true, taskDelayMs: 200, uploadStepMs: 200 });
  dataDir = await signedInFolder(api.url, api.keys.client);
  const servers = await run(['servers', '--json']);
  serverId = (JSON.parse(servers.stdout) as { items: { id: number; state: string }[] }).items.find((s) => s.state === 'active')!.id;
  const mount = await run(['mount', '--server', String(serverId), '--iso', 'archlinux-2024.11.01-x86_64.iso', '--wait']);
  expect(mount.code, mount.stderr).toBe(0);
}, 180_000);

afterAll(() => api.close());

describe('isodesk activity', () => {
  it('prints one timeline, newest first, with who, what, where and HOSTKEY’s message', async () => {
    const table = await run(['activity']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+KIND\s+BY\s+SERVER\s+WHAT\s+MESSAGE/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+mount\\s+client@example\\.com\\s+${serverId}\\s+.*Mount on server ${serverId}$`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/\supload\s+client@example\.com\s+-\s+Upload requested\s+Upload from https:\/\/geo\.mirror\.pkgbuild\.com/),
    );

    const json = await run(['activity', '--json', '--offline']);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout) as ActivityList;
    const times = answer.rows.map((r) => r.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(answer.rows.find((r) => r.kind === 'mount' && r.server_id === serverId)).toMatchObject({ sources: ['hostkey', 'journal'], state: 'succeeded' });
  });

  it('filters by server, kind and date, and exports CSV', async () => {
    const onServer = JSON.parse((await run(['activity', '--server', String(serverId), '--json', '--offline'])).stdout) as ActivityList;
    expect(onServer.rows.length).toBeGreaterThan(0);
    expect(onServer.rows.every((r) => r.server_id === serverId)).toBe(true);
    const uploads = JSON.parse((await run(['activity', '--kind', 'upload', '--json', '--offline'])).stdout) as ActivityList;
    expect(uploads.rows.length).toBeGreaterThan(0);
    expect(uploads.rows.every((r) => r.kind === 'upload')).toBe(true);
    const today = JSON.parse((await run(['activity', '--since', '1d', '--json', '--offline'])).stdout) as ActivityList;
    expect(today.rows.every((r) => r.at >= Date.now() - 86_400_000 - 60_000)).toBe(true);
    expect(today.rows.some((r) => r.kind === 'mount')).toBe(true);

    const csv = await run(['activity', '--csv', '--offline', '--kind', 'mount']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('time,kind,login,what,server_id,iso_id,iso_name,state,message,sources');
    expect(rows.slice(1).every((r) => /^\d{4}-\d\d-\d\dT[\d:.]+Z,mount,/.test(r))).toBe(true);
    expect(rows).toContainEqual(expect.stringContaining(`,${serverId},`));
  });

  it('says plainly what it cannot read', async () => {
    const bad = await run(['activity', '--since', 'last tuesday', '--offline']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--since: "last tuesday" is not a date');
    const both = await run(['activity', '--csv', '--json', '--offline']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('Choose one of --csv and --json.');
  });
});
