/**
 * `isodesk list --server ID --changed` end to end: real CLI processes on a customer's data folder
 * while an administrator, in a folder of their own, changes the catalog between two syncs over
 * HTTP to the local HOSTKEY API.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { isodesk, signedInFolder } from './helpers.js';

// Several CLI processes per test, each a second or more on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let api: LocalApi;
let customer: string;
let admin: string;
let serverId: number;

const asCustomer = (args: string[]) => isodesk(args, { dataDir: customer, apiUrl: api.url, env: { TZ: 'UTC' } });
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const asAdmin = (args: string[]) => isodesk(args, { dataDir: admin, apiUrl: api.url });

beforeAll(async () => {
  api = await startLocalApi({ quiet: true });
  [customer, admin] = await Promise.all([signedInFolder(api.url, api.keys.client), signedInFolder(api.url, api.keys.admin)]);
  const servers = await asCustomer(['servers', '--json']);
  expect(servers.code, servers.stderr).toBe(0);
  serverId = (JSON.parse(servers.stdout) as { items: { id: number; state: string }[] }).items.find((s) => s.state === 'active')!.id;
}, 180_000);

afterAll(() => api.close());

describe('isodesk list --changed', () => {
  it('says a first sync has nothing to compare with, then lists what the next sync found added, changed and removed', async () => {
    const first = await asCustomer(['list', '--server', String(serverId), '--changed']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Nothing to compare with: the sync of .* is the first of server \d+'s catalog here\./);

    const listed = await asCustomer(['list', '--server', String(serverId), '--json', '--offline', '--limit', '3']);
    const [edited, deleted] = (JSON.parse(listed.stdout) as { rows: { id: number; iso_name: string }[] }).rows;
    expect(
      (
        await asAdmin([
          'add',
          '--name',
          'Rescue 9',
          '--short-name',
          'rescue9',
          '--iso-name',
          'rescue-9.iso',
          '--private',
          'client@example.com',
          '--status',
          'Active',
        ])
      ).code,
    ).toBe(0);
    expect((await asAdmin(['update', String(edited!.id), '--description', 'Edited by the admin'])).code).toBe(0);
    expect((await asAdmin(['del', String(deleted!.id), '--pending'])).code).toBe(0);

    const second = await asCustomer(['list', '--server', String(serverId), '--changed']);
    expect(second.code, second.stderr).toBe(0);
    // The demo's upload in flight may turn Active in between: it is listed as added too.
    expect(second.stdout).toMatch(/^Since \d{4}-\d\d-\d\d \d\d:\d\d: [12] added, 1 changed, 1 removed \(synced .*\)\.$/m);
    const lines = second.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^added\s+\d+\s+rescue-9\.iso\s+\d/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^changed\\s+${edited!.id}\\s+${escape(edited!.iso_name)}\\s+description$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^removed\\s+${deleted!.id}\\s+${escape(deleted!.iso_name)}\\s`)));

    const json = await asCustomer(['list', '--server', String(serverId), '--changed', '--json', '--offline']);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout) as { since: number; counts: Record<string, number>; items: { kind: string; id: number }[] };
    expect(answer.counts).toMatchObject({ changed: 1, removed: 1 });
    expect(answer.items.filter((i) => i.kind !== 'added')).toEqual([
      expect.objectContaining({ kind: 'changed', id: edited!.id }),
      expect.objectContaining({ kind: 'removed', id: deleted!.id }),
    ]);
  });

  it('refuses --search with --changed, saying why', async () => {
    const run = await asCustomer(['list', '--server', String(serverId), '--changed', '--search', 'debian', '--offline']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--changed lists every change; it does not take --search or --sort.');
  });
});
