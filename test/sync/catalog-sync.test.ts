/**
 * Catalog syncs off the main thread (main/sync): a worker reads list_iso's answer and builds the
 * catalog's file while the main thread goes on answering from the catalog it has; the new one
 * appears whole, in one step (or, for a server with nothing cached, its rows first and its search
 * a moment later); a bad answer or a failed publish leaves the old catalog and no stray file. The
 * CLI runs the same jobs in its own thread, with the same outcomes.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../main/cache/index.js';
import { createEvents, type AppEvents } from '../../main/events/bus.js';
import type { Finding } from '../../main/domain/diagnostics.js';
import type { IsoImage } from '../../main/domain/models.js';
import { CatalogQuery, type EventPayload } from '../../main/ipc/contract.js';
import { CatalogSyncs } from '../../main/sync/catalog-sync.js';
import { profile, syntheticIsos, tempDir } from '../cache/fixtures.js';

const SERVER = 7;

function answer(json: unknown) {
  return { status: 200, body: Uint8Array.from(Buffer.from(JSON.stringify(json))), retryAfterMs: null, contentType: 'application/json' };
}

function listIso(isos: IsoImage[]) {
  return answer({ result: 'OK', action: 'list_iso', server_id: SERVER, iso_images: isos });
}

function catalogFiles(cache: Cache): string[] {
  return fs.existsSync(cache.catalog.directory) ? fs.readdirSync(cache.catalog.directory).filter((n) => n.endsWith('.db')) : [];
}

describe.each([
  ['in a worker', false],
  ['in the calling thread (the CLI)', true],
])('a catalog sync %s', (_where, inThread) => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: Cache;
  let events: AppEvents;
  let syncs: CatalogSyncs;
  let changes: EventPayload<'catalog/changed'>[];

  beforeEach(() => {
    tmp = tempDir();
    cache = openCache(tmp.file);
    cache.profiles.upsert(profile('alice'));
    events = createEvents();
    changes = [];
    events.on('catalog/changed', (e) => changes.push(e));
    syncs = new CatalogSyncs(cache, events, { inThread });
  });

  afterEach(async () => {
    await syncs.close();
    cache.close();
    tmp.remove();
  });

  // Only a worker leaves this thread free to answer meanwhile.
  if (!inThread) {
    it('keeps answering from the whole old catalog while the new one is built, then shows the new one whole', async () => {
      const old = syntheticIsos(1_000, 1);
      cache.catalog.replace('alice', SERVER, old, 1);
      const incoming = syntheticIsos(30_000, 2);
      const search = CatalogQuery.parse({ server_id: SERVER, search: 'ubuntu', limit: 5 });
      const before = cache.catalog.query('alice', search);

      let finished = false;
      const sync = syncs.fromAnswer(listIso(incoming), { profile: 'alice', serverId: SERVER, syncedAt: 2 }).finally(() => (finished = true));
      const seen: Array<{ synced_at: number | null; total: number }> = [];
      while (!finished) {
        const page = cache.catalog.query('alice', search);
        // Either the old catalog or the new one, never a mix or a part.
        if (page.synced_at === 1) expect(page).toEqual(before);
        seen.push({ synced_at: page.synced_at, total: page.total });
        await new Promise((resolve) => setImmediate(resolve));
      }
      await expect(sync).resolves.toMatchObject({ count: incoming.length });

      // This thread answered all along, from the old catalog until the new one was published.
      expect(seen.filter((s) => s.synced_at === 1).length).toBeGreaterThan(20);
      expect(cache.catalog.count('alice', SERVER)).toBe(incoming.length);
      expect(cache.catalog.query('alice', search)).toMatchObject({ synced_at: 2, indexing: false });
      expect(changes).toEqual([{ profile: 'alice', server_id: SERVER, count: incoming.length, synced_at: 2, indexing: false }]);
      // The old catalog's file is gone with it.
      expect(catalogFiles(cache)).toHaveLength(1);
    });
  }

  it('shows a first catalog’s rows before its search is ready, then everything', async () => {
    const incoming = syntheticIsos(5_000, 3);
    const outcome = await syncs.fromAnswer(listIso(incoming), { profile: 'alice', serverId: SERVER, syncedAt: 5 });
    expect(outcome.count).toBe(incoming.length);
    expect(changes.map((c) => c.indexing)).toEqual([true, false]);
    expect(changes.every((c) => c.count === incoming.length && c.synced_at === 5)).toBe(true);
    const found = cache.catalog.query('alice', CatalogQuery.parse({ server_id: SERVER, search: 'debian 12' }));
    expect(found.indexing).toBe(false);
    expect(found.total).toBeGreaterThan(0);
  });

  it('turns a bad answer into the decoder’s error and keeps the old catalog, with no stray file', async () => {
    cache.catalog.replace('alice', SERVER, syntheticIsos(100, 1), 1);
    const files = catalogFiles(cache);
    const bad = [...syntheticIsos(50, 2), { id: 'not a number' }] as unknown as IsoImage[];
    await expect(syncs.fromAnswer(listIso(bad), { profile: 'alice', serverId: SERVER, syncedAt: 2 })).rejects.toMatchObject({
      kind: 'bad_answer',
      message: "HOSTKEY's answer to list_iso cannot be used: iso_images[50].id has an unexpected value.",
    });
    await expect(
      syncs.fromAnswer(answer({ result: 'Error', message: 'Server not found' }), { profile: 'alice', serverId: SERVER, syncedAt: 3 }),
    ).rejects.toMatchObject({
      kind: 'not_found',
      message: 'Server not found',
    });
    expect(cache.catalog.query('alice', CatalogQuery.parse({ server_id: SERVER }))).toMatchObject({ total: 100, synced_at: 1 });
    expect(catalogFiles(cache)).toEqual(files);
    expect(changes).toEqual([]);
  });

  it('tells what the answer held that the docs do not describe, as the client does of every answer', async () => {
    const seen: Array<{ findings: Finding[]; shape: string }> = [];
    const inspected = (findings: Finding[], shape: string) => seen.push({ findings, shape });
    const [first, ...rest] = syntheticIsos(20, 4);
    const odd = { ...first!, id: String(first!.id), arch: 'amd64' };
    const body = { result: 'OK', action: 'list_iso', server_id: SERVER, paging: 1, iso_images: [odd, ...rest] };
    await syncs.fromAnswer(answer(body), { profile: 'alice', serverId: SERVER, syncedAt: 9 }, inspected);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.findings).toEqual(
      expect.arrayContaining([
        { kind: 'unknown_field', decision: 'envelope-fields', point: 'unknown field "paging"' },
        { kind: 'unknown_field', decision: 'entry-fields', point: 'unknown field "iso_images[].arch"' },
        { kind: 'fallback', decision: 'id-types', point: 'iso_images[].id as text, not a number' },
      ]),
    );
    expect(seen[0]!.shape).toMatch(/paging: number/);
    // The answer was still used, and a refusal is inspected like one to any other call.
    expect(cache.catalog.count('alice', SERVER)).toBe(20);
    await expect(
      syncs.fromAnswer(answer({ result: 'Error', message: 'Enter your PIN', pin_hint: 'x' }), { profile: 'alice', serverId: SERVER, syncedAt: 10 }, inspected),
    ).rejects.toMatchObject({ message: 'Enter your PIN' });
    expect(seen[1]!.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'unknown_field', point: 'unknown field "pin_hint"' })]));
  });

  it('inspects every entry of a large answer: an unexpected field at entry 50,000 of 100,000 is reported', async () => {
    const seen: Array<{ findings: Finding[]; shape: string }> = [];
    const isos: Array<Record<string, unknown>> = syntheticIsos(100_000, 5);
    isos[50_000] = { ...isos[50_000], mirror_url: 'https://mirror.example/secret-token' };
    await syncs.fromAnswer(listIso(isos as IsoImage[]), { profile: 'alice', serverId: SERVER, syncedAt: 11 }, (findings, shape) =>
      seen.push({ findings, shape }),
    );
    expect(seen.map((s) => s.findings)).toEqual([[{ kind: 'unknown_field', decision: 'entry-fields', point: 'unknown field "iso_images[].mirror_url"' }]]);
    // The logged shape shows that entry's kind too, keys and types only.
    expect(seen[0]!.shape).toMatch(/mirror_url: string\}/);
    expect(JSON.stringify(seen)).not.toContain('secret-token');
    expect(cache.catalog.count('alice', SERVER)).toBe(100_000);
  });

  it('deletes what it built when the catalog cannot be published (its profile is gone)', async () => {
    await expect(syncs.fromAnswer(listIso(syntheticIsos(100)), { profile: 'nobody', serverId: SERVER, syncedAt: 1 })).rejects.toThrow(
      /no profile named "nobody"/,
    );
    expect(catalogFiles(cache)).toEqual([]);
  });

  // Only a worker can be stopped half-way.
  if (!inThread) {
    it('fails a sync whose worker is stopped, and publishes nothing', async () => {
      cache.catalog.replace('alice', SERVER, syntheticIsos(100, 1), 1);
      const files = catalogFiles(cache);
      const sync = syncs.fromAnswer(listIso(syntheticIsos(30_000, 2)), { profile: 'alice', serverId: SERVER, syncedAt: 2 });
      await syncs.close();
      await expect(sync).rejects.toMatchObject({ kind: 'internal', message: 'The catalog sync was stopped: ISO Desk is closing.' });
      expect(cache.catalog.query('alice', CatalogQuery.parse({ server_id: SERVER }))).toMatchObject({ total: 100, synced_at: 1 });
      expect(catalogFiles(cache)).toEqual(files);
    });

    it('stops a worker in the middle of its build by asking it, not by cutting it off: the build deletes its own file', async () => {
      cache.catalog.replace('alice', SERVER, syntheticIsos(100, 1), 1);
      const files = catalogFiles(cache);
      const sync = syncs.fromAnswer(listIso(syntheticIsos(60_000, 2)), { profile: 'alice', serverId: SERVER, syncedAt: 2 });
      const outcome = sync.then(
        () => 'published',
        (err: unknown) => err,
      );
      // The worker has created its file: it is writing rows.
      while (catalogFiles(cache).length === files.length) await new Promise((resolve) => setImmediate(resolve));
      await syncs.close();
      await expect(outcome).resolves.toMatchObject({ kind: 'internal', message: 'The catalog sync was stopped: ISO Desk is closing.' });
      // A worker terminated mid-build would leave its file for the next open to sweep.
      expect(catalogFiles(cache)).toEqual(files);
      expect(cache.catalog.query('alice', CatalogQuery.parse({ server_id: SERVER }))).toMatchObject({ total: 100, synced_at: 1 });
    });
  }
});
