/**
 * Change detection end to end: the app core (catalog syncs in its worker thread) against the local
 * HOSTKEY API, where an administrator adds, edits and deletes images between two syncs of a
 * customer's catalog. The second sync records exactly those changes, the catalog marks and filters
 * them, and a sync that finds nothing new keeps them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { localApi, signedInCore, type Core } from './harness.js';

let api: LocalApi;
const open: Core[] = [];

beforeAll(async () => {
  // The demo's upload in progress stays in progress: only the administrator's changes happen between syncs.
  api = await localApi({ uploadStepMs: 3_600_000 });
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.app.close()));
  await api.close();
});

async function signedIn(key: string): Promise<{ core: Core; serverId: number }> {
  const signed = await signedInCore(api, key);
  open.push(signed.core);
  return signed;
}

describe('what changed since the last sync', () => {
  it('records what an administrator added, edited and deleted between two syncs, and keeps it through a sync that finds nothing new', async () => {
    const { core: client, serverId } = await signedIn(api.keys.client);
    const { core: admin } = await signedIn(api.keys.admin);

    const first = await client.call('catalog/sync', { server_id: serverId });
    expect(await client.call('catalog/changes', { server_id: serverId })).toMatchObject({ synced_at: first.synced_at, since: null, items: [] });
    const before = (await client.call('catalog/query', { server_id: serverId, limit: 500 })).rows;
    const [edited, deleted] = [before[0]!, before[1]!];

    const added = await admin.call('iso/add', {
      name: 'NixOS 24.11',
      short_name: 'nixos',
      iso_name: 'nixos-24.11.iso',
      private: 'client@example.com',
      status: 'Active',
    });
    await admin.call('iso/update', { id: edited.id, description: `${edited.description} (refreshed)` });
    await admin.call('iso/del', { id: deleted.id, pending: true });

    const second = await client.call('catalog/sync', { server_id: serverId });
    const changes = await client.call('catalog/changes', { server_id: serverId });
    expect(changes).toMatchObject({ server_id: serverId, synced_at: second.synced_at, since: first.synced_at, counts: { added: 1, changed: 1, removed: 1 } });
    expect(changes.items).toEqual([
      expect.objectContaining({ kind: 'added', id: added!.id, name: 'nixos-24.11.iso', before: null }),
      expect.objectContaining({
        kind: 'changed',
        id: edited.id,
        fields: ['description'],
        before: expect.objectContaining({ description: edited.description }),
        after: expect.objectContaining({ description: `${edited.description} (refreshed)` }),
      }),
      expect.objectContaining({ kind: 'removed', id: deleted.id, before: expect.objectContaining({ iso_name: deleted.iso_name }), after: null }),
    ]);

    const marked = await client.call('catalog/query', { server_id: serverId, changed: true });
    expect(marked.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([added!.id, edited.id].sort((a, b) => a - b));
    expect(marked.marks).toEqual({ [String(added!.id)]: 'added', [String(edited.id)]: 'changed' });

    const third = await client.call('catalog/sync', { server_id: serverId });
    expect(third.synced_at).toBeGreaterThan(second.synced_at!);
    const kept = await client.call('catalog/changes', { server_id: serverId });
    expect(kept).toMatchObject({ synced_at: third.synced_at, since: first.synced_at, counts: { added: 1, changed: 1, removed: 1 } });
  });
});
